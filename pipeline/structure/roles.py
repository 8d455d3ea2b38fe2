"""Role cue lexicons: which roles a heading names, and which cue words a sentence carries.

Roles in this genre: achievement (成效/做法/基本情况), problem (问题/不足/表现),
cause (原因/成因/根源), countermeasure (对策/建议/措施/路径/下一步) and other.
"""

from __future__ import annotations

import re
from collections import Counter

ROLES: tuple[str, ...] = ("achievement", "problem", "cause", "countermeasure", "other")

# Words that make a heading name its section's role. A section describing the survey
# itself (调研的基本情况) is method, not achievement, so it is listed under other.
HEADING_CUES: dict[str, tuple[str, ...]] = {
    "achievement": ("成效", "做法", "基本情况", "现状", "实践", "经验", "成绩", "举措"),
    "problem": ("问题", "不足", "短板", "差距", "表现", "脱节"),
    "cause": ("原因", "成因", "根源", "剖析"),
    "countermeasure": (
        "对策", "建议", "措施", "路径", "思考", "下一步", "策略", "办法", "途径", "打算",
    ),
    "other": (
        "引言", "前言", "摘要", "关键词", "结语", "结束语", "概述", "重要性", "辩证关系",
        "之间的关系", "调研的基本情况", "调研方法",
    ),
}  # fmt: skip

# "解决/破解…问题" names the problem a countermeasure (or a practice) tackles: it is not a
# problem cue. The object may run a dozen characters ("解决党建与业务“两张皮”问题").
_TACKLED = re.compile(r"(?:解决|破解|克服|针对|聚焦|化解|整治|整改)[^，,。；;：:及和存]{0,16}?问题")

# A cue word negated right after it names a shortfall: "办法不多", "思考还不够深入", "成效不明显".
_NEGATED = re.compile(
    r"(?:对策|建议|措施|路径|途径|思考|办法|成效|经验|做法|成绩)[^，,。；;]{0,3}?(?:不|未|欠|缺|难)"
)
# In a heading of several clauses ("（三）…投入不足,党建工作的方法和手段缺乏专业性") only the
# last clause can name the section's role: earlier clauses state the claim's topic.
_CLAUSE = re.compile(r"[，,；;]")

# A heading naming two roles joined by 及/和/与 ("存在的突出问题及原因") covers both; otherwise
# the last cue is the heading's head noun ("问题成因分析" is about causes).
_JOINED = re.compile(r"[及和与、]|以及|并")

_HEADING_CUE_RE = re.compile(
    "|".join(
        f"(?P<{role}>{'|'.join(sorted(words, key=len, reverse=True))})"
        for role, words in HEADING_CUES.items()
    )
)

# Cue words inside sentences, used when the classifier is unsure, as classifier features, and
# to train it when a corpus has no headings. Each pattern avoids the common words that only
# contain the cue character (重要/主要/需要 are not 要; 适应/相应 are not 应).
# Every pattern starts with a literal character (a look-behind comes after the character it
# guards: "了(?<![为除到]了)" is "(?<![为除到])了", "总之(?<![\s\S]总之)" is "^总之"), so that
# Python's re jumps from one possible first character to the next instead of trying every
# position; only a pattern led by \d cannot, and it is left out for texts without digits.
_PAST = (  # completed action: the sentence reports practice
    r"了(?<![为除到]了)(?!解)", r"已经", r"已(?<![不未而]已)(?!有)", r"先后", r"近年来", r"去年",
    r"\d+(?:余|多)?[次个名人家项期场篇条]",
)  # fmt: skip
_MODAL = (  # obligation: the sentence prescribes
    r"要(?<![重主需必只纲摘首紧不]要)(?![求点素务])", r"应(?<![适相响反供对效]应)(?![用对])",
    r"必须", r"需要", r"务必", r"亟须",
)  # fmt: skip
# "…,但…仍需/还有/尚未…": the clause after the concession is the point.
_BUT_STILL = r"[^。；;]*?(?:仍|还|尚|依然)(?:需|有|存在|不|未|较|待)"
SENTENCE_CUES: dict[str, tuple[str, ...]] = {
    "achievement": (r"取得", r"成效", r"受到.{0,8}(?:肯定|认可|好评|欢迎)", *_PAST),
    "problem": (
        r"不够", r"不足", r"缺乏", r"缺少", r"存在(?<!不存在)", r"薄弱", r"不强", r"不高",
        r"不到位", r"不健全", r"不完善", r"不明显", r"脱节", r"淡化", r"弱化", r"虚化",
        r"流于形式", r"形同虚设", r"短板", r"欠缺", r"难以", r"有待", r"偏差", r"误区",
        f"但{_BUT_STILL}", f"但是{_BUT_STILL}", f"然而{_BUT_STILL}",
    ),
    "cause": (r"原因", r"导致", r"由于", r"根源", r"造成", r"源于", r"致使", r"之所以"),
    "countermeasure": (
        *_MODAL, r"加强", r"健全", r"推进", r"完善", r"建立(?!了)", r"着力", r"强化",
        r"切实", r"确保", r"坚持", r"注重",
    ),
    # Announcements ("主要体现在以下五个方面:"), conclusions, and definitions
    # ("支部书记是支部建设的第一责任人") state background rather than a role.
    "other": (
        r"如下[:：]", r"以下[^。；;]{0,8}方面[:：]", r"总之(?<![\s\S]总之)", r"综上(?<![\s\S]综上)",
        r"是[^。；;，,]{0,20}的(?:核心|基础|载体|关键|前提|保证|领域|第一责任人|组成部分)",
    ),
}  # fmt: skip

# Quoting a leader ("习近平总书记在…会议上指出,…") or talking about the report itself
# ("本文阐述…", "现将调研情况报告如下:") is background, whatever the section.
_BACKGROUND = re.compile(
    r"^[^，,。]{0,30}(?:总书记|书记|总理|主席|委员长)[^，,。]{0,20}(?:指出|强调|要求)"
    r"|本文|论文|此课题|课题报告|报告如下|体会是|专项调研"
)

_DIGIT = re.compile(r"\d")


def _compiled(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The patterns as one regex, and as one without the \\d-led ones (for digit-free texts)."""
    plain = tuple(p for p in patterns if not p.startswith("\\d"))
    return re.compile("|".join(patterns)), re.compile("|".join(plain))


def _count(compiled: tuple[re.Pattern[str], re.Pattern[str]], text: str, digits: bool) -> int:
    """Non-overlapping matches in ``text`` (``digits``: whether the text has a digit)."""
    return len(compiled[0 if digits else 1].findall(text))


_SENTENCE_CUE_RE = {role: _compiled(patterns) for role, patterns in SENTENCE_CUES.items()}
_PAST_RE = _compiled(_PAST)
_MODAL_RE = _compiled(_MODAL)
# What a countermeasure removes is not a problem of the sentence: "消除…的误区", "解决…问题".
_REMOVED = re.compile(
    r"(?:消除|克服|破解|解决|纠正|化解|避免|防止|整治|针对)[^。；;]{0,40}?(?:误区|问题|短板|不足)"
)

# Ties between sentence cues go to the more specific role.
_PRIORITY = ("other", "cause", "problem", "achievement", "countermeasure")


def heading_roles(heading: str) -> frozenset[str]:
    """Roles a heading names by its cue words (empty when it names none).

    Example::

        >>> sorted(heading_roles("三、党建工作存在的突出问题及原因"))
        ['cause', 'problem']
        >>> sorted(heading_roles("二、党建和业务“两张皮”问题成因分析"))
        ['cause']
        >>> sorted(heading_roles("（三）工作抓手上办法不多。"))
        ['problem']
    """
    text = _CLAUSE.split(heading.rstrip("。：:；;，, "))[-1]
    text = _NEGATED.sub("不足", _TACKLED.sub("", text))
    matches = list(_HEADING_CUE_RE.finditer(text))
    if not matches:
        return frozenset()
    last = matches[-1]
    roles = {last.lastgroup}
    for before, after in zip(matches, matches[1:], strict=False):
        if _JOINED.search(text[before.end() : after.start()]):
            roles.add(before.lastgroup)
    return frozenset(r for r in roles if r is not None)


def sentence_cues(sentence: str) -> Counter[str]:
    """Count the role cue words in a sentence.

    Example::

        >>> sentence_cues("党务干部队伍还不健全,能力素质不够强。")["problem"]
        2
    """
    counts: Counter[str] = Counter()
    cleaned = _REMOVED.sub("", sentence)
    digits = _DIGIT.search(sentence) is not None
    for role, pattern in _SENTENCE_CUE_RE.items():
        found = _count(pattern, sentence if role == "countermeasure" else cleaned, digits)
        if found:
            counts[role] = found
    return counts


def cue_count(sentence: str, role: str) -> int:
    """How many of one role's cue words a sentence has (one entry of :func:`sentence_cues`).

    Example::

        >>> cue_count("党务干部队伍还不健全,能力素质不够强。", "problem")
        2
    """
    text = sentence if role == "countermeasure" else _REMOVED.sub("", sentence)
    return _count(_SENTENCE_CUE_RE[role], text, _DIGIT.search(sentence) is not None)


def tense(sentence: str) -> tuple[int, int]:
    """(completed-action markers, obligation markers) in a sentence: report vs prescription.

    Example::

        >>> tense("中心领导班子先后进行了18次集中学习。"), tense("要强化责任意识,必须落实。")
        ((3, 0), (0, 2))
    """
    digits = _DIGIT.search(sentence) is not None
    return _count(_PAST_RE, sentence, digits), _count(_MODAL_RE, sentence, digits)


def cue_label(sentence: str) -> str | None:
    """A training label from cue words alone, only where they clearly agree (else None).

    Background sentences are 'other'; otherwise one role's cue words must outnumber all
    other roles' cue words together.

    Example::

        >>> cue_label("党务干部队伍还不健全,能力素质不够强。"), cue_label("要加强。但仍存在不足。")
        ('problem', None)
    """
    if is_background(sentence):
        return "other"
    counts = sentence_cues(sentence)
    if not counts:
        return None
    role, top = counts.most_common(1)[0]
    return role if 2 * top > sum(counts.values()) else None


def cue_role(sentence: str, allowed: frozenset[str] | None = None) -> tuple[str, float]:
    """Role from cue words alone, among ``allowed`` roles (all when None), with a confidence.

    A confidence above 0.5 means some cue fired; without one the answer is 'other'
    (or, when 'other' is not allowed, the first allowed role by priority).

    Example::

        >>> cue_role("导致党建工作与业务工作“两张皮”现象的原因是多方面的。")
        ('cause', 0.8)
    """
    allowed = allowed or frozenset(ROLES)
    if "other" in allowed and is_background(sentence):
        return "other", 0.6
    counts = sentence_cues(sentence)
    ranked = [role for role in _PRIORITY if role in allowed and counts[role]]
    if not ranked:
        if "other" in allowed:
            return "other", 0.5
        return next(r for r in _PRIORITY if r in allowed), round(1 / len(allowed), 4)
    best = max(ranked, key=lambda role: (counts[role], -_PRIORITY.index(role)))
    share = counts[best] / sum(counts[role] for role in ranked)
    return best, round(0.5 + 0.3 * share, 4)


def is_background(sentence: str) -> bool:
    """True for a sentence that quotes a leader or talks about the report itself.

    Example::

        >>> is_background("习近平总书记多次强调,党员发挥应有作用,党的根基才能牢固。")
        True
        >>> is_background("现将有关情况报告如下:")
        True
    """
    return bool(_BACKGROUND.search(sentence))
