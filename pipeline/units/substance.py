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
# Every character a match of the pattern can start with (all kinds but ``place``, whose matches
# are filtered). Scanning for ``[starts](?<=(?=pattern).)`` finds the same positions as the
# pattern but lets re skip all other characters fast (the alternations gave it no prefix).
_STARTS: dict[str, str] = {
    "number": r"\d",
    "count": "二三四五六七八九十百千一万第",
    "date": r"\d〇零一二三四五六七八九今去前上下年",
    "named": "《“",
    "deadline": rf"\d截限时年月{_NUM}",
}
_SCANNERS: dict[str, re.Pattern[str]] = {
    kind: re.compile(rf"[{starts}](?<=(?={CONCRETE_PATTERNS[kind].pattern}).)")
    for kind, starts in _STARTS.items()
}
_CLAUSE_BREAKS = "，。；：！？、,;:!?"  # with whitespace: what ends a clause of a slogan
# Code points ending a clause, as a lookup table over the BMP (which holds every space).
_BREAK_TABLE = np.array([c in _CLAUSE_BREAKS or c.isspace() for c in map(chr, range(0x10000))])
_CJK_RANGE = (0x4E00, 0x9FFF)
# Between two sentences in a joined batch: no pattern matches across "\n\x00\n", and it puts
# two characters between their clauses, so no slogan run spans two sentences.
_SEPARATOR = "\n\x00\n"
_BATCH = 20_000  # sentences per batch (bounds the per-character arrays)


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


class _Batch:
    """Sentence bodies (enumerators stripped) joined into one text, to scan with one regex.

    Body i is ``text[starts[i]:ends[i]]``.
    """

    def __init__(self, texts: list[str]) -> None:
        bodies = [strip_enumerator(t) for t in texts]
        lengths = np.fromiter(map(len, bodies), dtype=np.int64, count=len(bodies))
        self.starts = np.zeros(len(bodies), dtype=np.int64)
        np.cumsum(lengths[:-1] + len(_SEPARATOR), out=self.starts[1:])
        self.ends = self.starts + lengths
        self.text = _SEPARATOR.join(bodies)

    def __len__(self) -> int:
        return len(self.starts)

    def owners(self, positions: list[int]) -> np.ndarray:
        """The sentence holding each text position."""
        return np.searchsorted(self.starts, np.asarray(positions, dtype=np.int64), "right") - 1

    def per_sentence(self, marks: np.ndarray) -> np.ndarray:
        """How many marked characters each sentence has (``marks``: one bool per character)."""
        total = np.zeros(len(marks) + 1, dtype=np.int64)
        np.cumsum(marks, out=total[1:])
        return total[self.ends] - total[self.starts]


def _concrete_codes(batch: _Batch) -> np.ndarray:
    """Bit k of a sentence's code is set when it holds a marker of the k-th concrete kind."""
    codes = np.zeros(len(batch), dtype=np.int64)
    for bit, (kind, pattern) in enumerate(CONCRETE_PATTERNS.items()):
        matches = _SCANNERS.get(kind, pattern).finditer(batch.text)
        if kind == "place":
            matches = filter(_is_place, matches)
        codes[batch.owners([m.start() for m in matches])] |= 1 << bit
    return codes


def _slogan_marks(code_points: np.ndarray, cjk: np.ndarray) -> np.ndarray:
    """Characters lying in parallel slogans: runs of two or more short clauses holding a
    four-character one.

    A clause is a stretch between breaks (``，。；：！？、,;:!?`` and whitespace); it is short
    with 2..6 Chinese characters (quotes aside), e.g. ``围绕中心、服务大局`` or
    ``坚持围绕中心、服务大局``. A run is a chain of short clauses each at most one character
    after the one before; it counts only when one of its clauses has exactly four.
    """
    inside = np.ones(len(code_points), dtype=bool)
    bmp = code_points < len(_BREAK_TABLE)
    inside[bmp] = ~_BREAK_TABLE[code_points[bmp]]
    edges = np.diff(inside.astype(np.int8), prepend=0, append=0)
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    cjk_total = np.zeros(len(cjk) + 1, dtype=np.int64)
    np.cumsum(cjk, out=cjk_total[1:])
    n_cjk = cjk_total[ends] - cjk_total[starts]
    short = (n_cjk >= 2) & (n_cjk <= 6)
    linked = np.zeros(len(starts), dtype=bool)
    linked[1:] = short[1:] & short[:-1] & (starts[1:] <= ends[:-1] + 1)
    run = np.cumsum(~linked) - 1
    length = np.bincount(run[short], minlength=len(starts))
    has_four = np.bincount(run[short], weights=n_cjk[short] == 4, minlength=len(starts)) > 0
    slogan = short & (length[run] >= 2) & has_four[run]
    return _cover(len(code_points), starts[slogan], ends[slogan])


def _cover(size: int, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Characters covered by any of the spans ``[starts[i], ends[i])``."""
    depth = np.bincount(starts, minlength=size + 1) - np.bincount(ends, minlength=size + 1)
    return np.cumsum(depth[:size]) > 0


def _formulaic_shares(batch: _Batch, stopwords: StopWords | None) -> np.ndarray:
    """Share of each sentence's Chinese characters lying in formulaic phrases or slogans."""
    code_points = np.frombuffer(batch.text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    cjk = (code_points >= _CJK_RANGE[0]) & (code_points <= _CJK_RANGE[1])
    marked = _slogan_marks(code_points, cjk)
    spans = np.asarray(stopwords.spans(batch.text) if stopwords else [], dtype=np.int64)
    if len(spans):
        marked |= _cover(len(code_points), spans[:, 0], spans[:, 1])
    n_cjk = batch.per_sentence(cjk)
    n_marked = batch.per_sentence(marked & cjk)
    return np.divide(n_marked, n_cjk, out=np.zeros(len(batch)), where=n_cjk > 0)


def concrete_kinds(text: str) -> list[str]:
    """The kinds of concrete marker found in a sentence, in :data:`CONCRETE_PATTERNS` order.

    Example::

        >>> concrete_kinds("2018年底前，全分局43名党员开展“三会一课”12次。")
        ['number', 'date', 'named', 'deadline']
        >>> concrete_kinds("坚持围绕中心、服务大局。")    # 口号，无具体内容
        []
    """
    return _kind_lists(_concrete_codes(_Batch([text])))[0]


def _kind_lists(codes: np.ndarray) -> list[list[str]]:
    kinds = list(CONCRETE_PATTERNS)
    names = [
        [k for bit, k in enumerate(kinds) if code >> bit & 1] for code in range(1 << len(kinds))
    ]
    return [list(names[code]) for code in codes.tolist()]


def formulaic_share(text: str, stopwords: StopWords | None = None) -> float:
    """Share of a sentence's Chinese characters lying in formulaic phrases or parallel slogans.

    Example::

        >>> from pipeline.segment import DEFAULT_FORMULAIC, StopWords
        >>> stop = StopWords.load(None, DEFAULT_FORMULAIC)       # models/stopwords_formulaic.txt
        >>> formulaic_share("抓好班子、带好队伍，把好方向。", stop)   # 四字排比
        1.0
    """
    return float(_formulaic_shares(_Batch([text]), stopwords)[0])


def sentence_substance(
    sentences: pd.DataFrame,
    *,
    stopwords: StopWords | None = None,
    formulaic_min_share: float = DEFAULT_FORMULAIC_MIN_SHARE,
) -> pd.DataFrame:
    """Concrete and formulaic flags of every sentence (see the module docstring for the rule).

    Columns: ``sent_id, doc_id, concrete_kinds`` (list[str]), ``concrete`` (bool),
    ``formulaic_share`` (float), ``formulaic`` (bool); rows in the order of ``sentences``.
    Sentences are scanned in batches joined into one text, a regex pass per marker.

    Example::

        >>> flags = sentence_substance(sentences, stopwords=stop)   # 逐句判断
        >>> flags["concrete"].mean()
    """
    if not 0.0 < formulaic_min_share <= 1.0:
        raise ValueError(f"formulaic_min_share = {formulaic_min_share} must be in (0, 1]")
    texts = [t if isinstance(t, str) else "" for t in sentences["text"].to_numpy(dtype=object)]
    codes, shares = [np.zeros(0, dtype=np.int64)], [np.zeros(0)]
    for start in range(0, len(texts), _BATCH):
        batch = _Batch(texts[start : start + _BATCH])
        codes.append(_concrete_codes(batch))
        shares.append(_formulaic_shares(batch, stopwords))
    code, share = np.concatenate(codes), np.concatenate(shares)
    return pd.DataFrame(
        {
            "sent_id": sentences["sent_id"].to_numpy(),
            "doc_id": sentences["doc_id"].to_numpy(),
            "concrete_kinds": _kind_lists(code),
            "concrete": code > 0,
            "formulaic_share": share.round(6),
            "formulaic": share >= formulaic_min_share,
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
