"""Turn the bytes of a text file into str without being told the encoding.

Order: byte-order mark, then strict UTF-8, then the CJK legacy encodings proposed by
charset-normalizer, ranked by how common the decoded characters are. Every result is
validated, so binary data or an encoding that cannot be settled raises
:class:`IngestError` instead of producing mojibake.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from charset_normalizer import from_bytes

from .charsets import IDEOGRAPHS, common_characters
from .errors import IngestError

BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Legacy encodings of Chinese text; GB18030 is the superset of GB2312 and GBK.
CJK_CANDIDATES = ("gb18030", "big5", "cp950", "big5hkscs")
GB_FAMILY = {"gb2312", "gbk", "gb18030", "cp936"}
MIN_COMMON_SHARE = 0.6  # correct Chinese text scores above 0.95, a wrong codec below 0.5
MAX_BAD_SHARE = 0.01  # control / replacement characters tolerated in a text file

# Decoder errors that mean "the last character is incomplete" (the file was cut there).
_CUT_REASONS = frozenset({"unexpected end of data", "incomplete multibyte sequence"})
_CUT_UTF16 = frozenset({"truncated data"})

_CJK = re.compile(f"[{IDEOGRAPHS}]")
_BAD = re.compile(r"[\x00-\x08\x0e-\x1b\x7f\ufffd]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
UNPRINTABLE = ("Cn", "Co", "Cs")  # unassigned, private use, surrogate


@dataclass(frozen=True)
class Decoded:
    """Decoded text and the name of the encoding that produced it.

    Example::

        >>> Decoded("党建", "gb18030").encoding
        'gb18030'
    """

    text: str
    encoding: str


def decode_bytes(data: bytes, *, name: str, declared: str | None = None) -> Decoded:
    """Decode ``data`` (the bytes of file ``name``); ``declared`` is e.g. an HTML meta charset.

    Example::

        >>> decode_bytes("机关党建".encode("gb18030"), name="a.txt").encoding
        'gb18030'
    """
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return _bom_decode(data, encoding, name)
    if b"\x00" in data:
        raise IngestError(
            name, "binary data (NUL bytes), not a text file; UTF-16 needs a byte-order mark"
        )
    if declared:
        decoded = _declared_decode(data, declared)
        if decoded is not None:
            return decoded
    try:
        return Decoded(_validated(decode_cut(data, "utf-8"), name), "utf-8")
    except UnicodeDecodeError:
        pass
    return _legacy_decode(data, name)


def decode_cut(data: bytes, encoding: str) -> str:
    """Strict decoding that forgives only a character cut off at the very end.

    A file truncated mid-character (an interrupted download or copy) is read up to the cut;
    an invalid byte anywhere else still raises :class:`UnicodeDecodeError`. In UTF-16 only
    a lone last byte is forgiven (a dangling surrogate is an error, as before).

    Example::

        >>> decode_cut("机关党建".encode("utf-8")[:-1], "utf-8")
        '机关党'
    """
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        cut = _CUT_UTF16 if encoding.startswith("utf-16") else _CUT_REASONS
        if exc.end != len(data) or exc.reason not in cut:
            raise
        return data[: exc.start].decode(encoding)


def _bom_decode(data: bytes, encoding: str, name: str) -> Decoded:
    start, codec = (3, "utf-8") if encoding == "utf-8-sig" else (2, encoding)
    try:
        text = decode_cut(data[start:], codec)
    except UnicodeDecodeError as exc:
        raise IngestError(
            name, f"starts with a {encoding} byte-order mark but is not valid {encoding} ({exc})"
        ) from None
    return Decoded(_validated(text, name), encoding)


def _declared_decode(data: bytes, declared: str) -> Decoded | None:
    """Decode with a declared charset, or None when it is unknown or wrong."""
    try:
        encoding = codecs.lookup(declared).name
    except LookupError:
        return None
    encoding = "gb18030" if encoding in GB_FAMILY else encoding
    try:
        text = decode_cut(data, encoding)
    except UnicodeDecodeError:
        return None
    return Decoded(text, encoding) if _problem(text, legacy=encoding != "utf-8") == "" else None


def _legacy_decode(data: bytes, name: str) -> Decoded:
    proposed = {match.encoding for match in from_bytes(data, cp_isolation=list(CJK_CANDIDATES))}
    # charset-normalizer sometimes proposes nothing for plain GB18030 prose (a few hundred
    # characters of report text); the codecs it left out are then tried too, and the same
    # validation (control characters, share of common characters) still rejects wrong ones.
    best = _best_legacy(data, [e for e in CJK_CANDIDATES if e in proposed])
    if best is None:
        best = _best_legacy(data, [e for e in CJK_CANDIDATES if e not in proposed])
    if best is None:
        raise IngestError(
            name,
            "encoding could not be determined (not UTF-8/UTF-16, and no GB18030/GBK/Big5 "
            "decoding gives readable Chinese); binary file? otherwise re-save it as UTF-8",
        )
    return best


def _best_legacy(data: bytes, encodings: list[str]) -> Decoded | None:
    """The valid decoding of ``data`` with the most common characters, or None."""
    best, best_score = None, -1.0
    for encoding in encodings:  # ties keep the earlier, more general codec
        try:
            text = decode_cut(data, encoding)
        except UnicodeDecodeError:
            continue
        score = common_share(text)
        if score > best_score and not _problem(text, legacy=True):
            best, best_score = Decoded(text, encoding), score
    return best


def _validated(text: str, name: str) -> str:
    problem = _problem(text, legacy=False)
    if problem:
        raise IngestError(name, problem)
    return text


def _problem(text: str, *, legacy: bool) -> str:
    """Describe why ``text`` is not plausible decoded text, or return ''."""
    if not text.strip():
        return "no text (only whitespace)"
    bad = len(_BAD.findall(text))
    if bad > MAX_BAD_SHARE * len(text):
        return (
            f"{bad} control/replacement characters in {len(text)}: binary data or a broken "
            "encoding, not a text file"
        )
    unprintable = count_unprintable(text)
    if unprintable > MAX_BAD_SHARE * len(text):
        return f"{unprintable} unassigned/private-use characters: binary data or a wrong encoding"
    if legacy and common_share(text) < MIN_COMMON_SHARE:
        return "decoded characters are mostly rare: wrong encoding"
    return ""


def count_unprintable(text: str) -> int:
    """Number of unassigned, private-use and surrogate characters (categories Cn, Co, Cs).

    Example::

        >>> count_unprintable("党建\ue000\U000e0fff")
        2
    """
    count = len(_unprintable_bmp().findall(text))
    astral = _ASTRAL.findall(text)  # rare: checked one by one
    return count + sum(unicodedata.category(ch) in UNPRINTABLE for ch in astral)


@lru_cache(maxsize=1)
def _unprintable_bmp() -> re.Pattern[str]:
    """A character class of the Cn/Co/Cs characters below U+10000 (built once, ~10 ms)."""
    bad = [unicodedata.category(chr(code)) in UNPRINTABLE for code in range(0x10000)]
    ranges, start = [], None
    for code, flag in enumerate([*bad, False]):
        if flag and start is None:
            start = code
        elif not flag and start is not None:
            ranges.append(f"\\u{start:04x}-\\u{code - 1:04x}")
            start = None
    return re.compile(f"[{''.join(ranges)}]")


def common_share(text: str) -> float:
    """Share of the CJK characters of ``text`` that are among the common characters.

    Text decoded with the wrong codec (GBK read as Big5 or the reverse) is made of rare
    characters and scores low. Text without CJK characters scores 0.

    Example::

        >>> common_share("堅持問題導向") > 0.9
        True
    """
    found = _CJK.findall(text)
    if not found:
        return 0.0
    common = common_characters()
    return sum(ch in common for ch in found) / len(found)
