"""Substance score: concrete content against formulaic slogans, per sentence, article and unit.

The rule (body sentences only; headings are left out):

1. A leading enumeration marker (``一是``, ``（二）``, ``3.``, ``首先``, ``第一，``) is stripped.
2. A sentence is **concrete** when it holds at least one concrete marker
   (:data:`CONCRETE_PATTERNS`):

   * ``number``: Arabic numerals and percentages (``12条``, ``85.3%``); template blanks such
     as ``XX人`` do not count;
   * ``count``: Chinese numeral + measure word (``三名``, ``万名``, ``十二项``; the vague
     ``一次``, ``两项`` and ``X个方面`` do not count) and ordinals ``第X次/届/批/期``;
   * ``date``: ``2020年``, ``6月``, ``15日``, ``二〇一九年``, ``今年/去年/上半年/年底``;
   * ``named``: a document title ``《…》``, or a quoted name ``“…”`` of a programme: it holds
     a digit (``“1+1+9”``), two numerals (``“三会一课”``, ``“两学一做”``) or ends in a
     programme word (``活动 工程 行动 计划 制度 机制 品牌 项目 平台 课堂 党课 …``);
   * ``place``: two characters + ``省/市/县/区/局/厅`` (``石家庄市``, ``九江分局``), not
     a generic word (``大局, 格局, 社区, 城市, 关区, …``), not after a function word or
     ``全/各/本/我`` (``全市, 我局, 纳入局``) and not ``省委/市政府`` style references;
   * ``deadline``: ``截至/截止/限期/时限``, ``年底前/月底前``, ``三年内/6月底前/10日以前``.

3. A sentence is **formulaic** when at least ``formulaic_min_share`` (default 0.3) of its
   Chinese characters lie in formulaic material: phrases of the segment package's formulaic
   list (``models/stopwords_formulaic.txt``, matched by :meth:`StopWords.spans`, passed in as
   ``stopwords``) or parallel slogans (a run of two or more adjacent short clauses of
   two to six characters of which one has exactly four: ``抓好班子、带好队伍，把好方向``,
   ``坚持围绕中心、服务大局``).
4. For an article or a unit (its non-duplicate articles pooled):
   ``concrete_share`` = concrete sentences / body sentences, ``formulaic_share`` likewise, and
   ``substance = (1 + concrete_share − formulaic_share) / 2`` in [0, 1]:
   1 = every sentence concrete and none formulaic, 0 = all formulaic and none concrete,
   0.5 = as many of one as of the other.

A sentence can be both concrete and formulaic (``2019年以来，深入贯彻…``); it then counts on
both sides.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..segment import StopWords

DEFAULT_FORMULAIC_MIN_SHARE = 0.3

_NUM = "一二三四五六七八九十百千两"
_ENUMERATOR = re.compile(
    rf"^\s*(?:[（(][{_NUM}\d]+[)）]|[{_NUM}\d]+[、.．]|[{_NUM}]+是|第[{_NUM}]+[，,、]"
    r"|首先|其次|再次|最后)[，,]?"
)
_PROGRAMME = (
    "活动|工程|行动|计划|制度|机制|品牌|项目|平台|课堂|党课|讲堂|工作法|工作室|示范岗|"
    "先锋岗|责任区|服务队|竞赛|评比|党日|书屋|驿站|清单"
)
_GENERIC_PLACES: frozenset[str] = frozenset({
    "大局", "全局", "格局", "布局", "结局", "开局", "当局", "时局", "政局", "误区", "社区", "地区",
    "辖区", "园区", "景区", "片区", "城区", "小区", "禁区", "盲区", "山区", "分区", "关区", "司局",
    "城市", "超市", "都市", "上市", "门市", "股市", "楼市", "节省", "反省", "自省",
})  # fmt: skip
# A place name does not start with (or hold) these: 全市, 我局, 和省局, 纳入局, 省市县.
_PLACE_BLOCKERS = frozenset("全各本我该两外的和与及在对把将入为从向以于是了等之其省市县区")

CONCRETE_PATTERNS: dict[str, re.Pattern[str]] = {
    "number": re.compile(r"\d+(?:[.．]\d+)?\s*[%％‰]?"),
    "count": re.compile(
        rf"(?:[二三四五六七八九十百千]|一[十百千万])[{_NUM}万零〇]*"
        r"(?:名|人|项|次|家|条|场|期|批|户|篇|所|支|届|座|台|件)"
        rf"|万名|第[{_NUM}\d]+(?:次|届|批|期)"
    ),
    "date": re.compile(
        r"\d{2,4}\s*年|\d{1,2}\s*月|\d{1,2}\s*日|[〇零一二三四五六七八九]{4}年"
        r"|今年|去年|前年|上半年|下半年|年初|年中|年底|年末"
    ),
    "named": re.compile(
        rf"《[^《》\n]{{2,40}}》|“(?:[^“”，。；\n]*\d[^“”，。；\n]*"
        rf"|[^“”，。；\n]*[{_NUM}][^“”，。；\n]*[{_NUM}][^“”，。；\n]*"
        rf"|[^“”，。；、\n]{{0,16}}(?:{_PROGRAMME}))”"
    ),
    "place": re.compile(r"[\u4e00-\u9fff]{2}[省市县区局厅](?![委政级属长会])"),
    "deadline": re.compile(
        rf"截至|截止|限期|时限|[年月]底前|(?:\d+|[{_NUM}]+)(?:年|个月|月|日|天|周)"
        r"(?:前|以前|之前|以内|内)"
    ),
}
_CLAUSE = re.compile(r"[^，。；：！？、,;:!?\s]+")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def strip_enumerator(text: str) -> str:
    """Drop a leading enumeration marker such as ``一是`` or ``（二）``.

    Example::

        >>> strip_enumerator("三是激励机制不到位。")
        '激励机制不到位。'
    """
    return _ENUMERATOR.sub("", text, count=1)


def _is_place(match: re.Match[str]) -> bool:
    word = match.group(0)
    return word[1:] not in _GENERIC_PLACES and not _PLACE_BLOCKERS.intersection(word[:2])


def concrete_kinds(text: str) -> list[str]:
    """The kinds of concrete marker found in a sentence, in :data:`CONCRETE_PATTERNS` order.

    Example::

        >>> concrete_kinds("2018年底前，全分局43名党员开展“三会一课”12次。")
        ['number', 'date', 'named', 'deadline']
        >>> concrete_kinds("坚持围绕中心、服务大局。")    # 口号，无具体内容
        []
    """
    body = strip_enumerator(text)
    kinds = []
    for kind, pattern in CONCRETE_PATTERNS.items():
        matches = pattern.finditer(body)
        if kind == "place":
            matches = (m for m in matches if _is_place(m))
        if next(iter(matches), None) is not None:
            kinds.append(kind)
    return kinds


def _slogan_spans(text: str) -> list[tuple[int, int]]:
    """Spans of parallel slogans: runs of two or more short clauses holding a four-character one.

    A short clause has 2..6 Chinese characters (quotes aside), e.g. ``围绕中心、服务大局`` or
    ``坚持围绕中心、服务大局``; a run counts only when one of its clauses has exactly four.
    """
    clauses = [(m.start(), m.end(), len(_CJK.findall(m.group(0)))) for m in _CLAUSE.finditer(text)]
    spans: list[tuple[int, int]] = []
    run: list[tuple[int, int, int]] = []
    for clause in [*clauses, (0, 0, 0)]:
        if 2 <= clause[2] <= 6 and (not run or run[-1][1] + 1 >= clause[0]):
            run.append(clause)
            continue
        if len(run) >= 2 and any(n == 4 for _, _, n in run):
            spans.extend((start, end) for start, end, _ in run)
        run = [clause] if 2 <= clause[2] <= 6 else []
    return spans


def formulaic_share(text: str, stopwords: StopWords | None = None) -> float:
    """Share of a sentence's Chinese characters lying in formulaic phrases or parallel slogans.

    Example::

        >>> from pipeline.segment import DEFAULT_FORMULAIC, StopWords
        >>> stop = StopWords.load(None, DEFAULT_FORMULAIC)       # models/stopwords_formulaic.txt
        >>> formulaic_share("抓好班子、带好队伍，把好方向。", stop)   # 四字排比
        1.0
    """
    body = strip_enumerator(text)
    marked = np.zeros(len(body), dtype=bool)
    spans = _slogan_spans(body) + (stopwords.spans(body) if stopwords else [])
    for start, end in spans:
        marked[start:end] = True
    cjk = [m.start() for m in _CJK.finditer(body)]
    return float(marked[cjk].mean()) if cjk else 0.0


def sentence_substance(
    sentences: pd.DataFrame,
    *,
    stopwords: StopWords | None = None,
    formulaic_min_share: float = DEFAULT_FORMULAIC_MIN_SHARE,
) -> pd.DataFrame:
    """Concrete and formulaic flags of every sentence (see the module docstring for the rule).

    Columns: ``sent_id, doc_id, concrete_kinds`` (list[str]), ``concrete`` (bool),
    ``formulaic_share`` (float), ``formulaic`` (bool); rows in the order of ``sentences``.

    Example::

        >>> flags = sentence_substance(sentences, stopwords=stop)   # 逐句判断
        >>> flags["concrete"].mean()
    """
    if not 0.0 < formulaic_min_share <= 1.0:
        raise ValueError(f"formulaic_min_share = {formulaic_min_share} must be in (0, 1]")
    texts = [t if isinstance(t, str) else "" for t in sentences["text"]]
    kinds = [concrete_kinds(text) for text in texts]
    shares = np.array([formulaic_share(text, stopwords) for text in texts], dtype=float)
    return pd.DataFrame(
        {
            "sent_id": sentences["sent_id"].to_numpy(),
            "doc_id": sentences["doc_id"].to_numpy(),
            "concrete_kinds": kinds,
            "concrete": np.array([bool(k) for k in kinds], dtype=bool),
            "formulaic_share": shares.round(6),
            "formulaic": shares >= formulaic_min_share,
        }
    )


def substance_summary(flags: pd.DataFrame, keys: pd.Series) -> pd.DataFrame:
    """Pool sentence flags by ``keys`` (aligned with ``flags``): counts, shares and the score.

    Columns ``n_body, n_concrete, n_formulaic, concrete_share, formulaic_share, substance``;
    index = key, sorted.

    Example::

        >>> substance_summary(flags, flags["doc_id"]).loc["d6d7b316545b20c6", "substance"]
    """
    frame = pd.DataFrame(
        {
            "key": keys.to_numpy(),
            "concrete": flags["concrete"].to_numpy(),
            "formulaic": flags["formulaic"].to_numpy(),
        }
    )
    grouped = frame.groupby("key", sort=True)
    table = pd.DataFrame(
        {
            "n_body": grouped.size(),
            "n_concrete": grouped["concrete"].sum(),
            "n_formulaic": grouped["formulaic"].sum(),
        }
    ).astype("int64")
    table["concrete_share"] = table["n_concrete"] / table["n_body"]
    table["formulaic_share"] = table["n_formulaic"] / table["n_body"]
    table["substance"] = (1.0 + table["concrete_share"] - table["formulaic_share"]) / 2.0
    table.index.name = None
    return table
