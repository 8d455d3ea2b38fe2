"""Character classes of Chinese text: ideographs, CJK punctuation, the common characters.

Shared by the decoder (which ranks candidate encodings by how common the decoded
characters are) and the normaliser (which finds mojibake by the same measure).
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from importlib import resources

import numpy as np
import opencc

# CJK ideographs: Extension A, the Unified block, Compatibility, Extensions B-G.
IDEOGRAPH_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3134F))
IDEOGRAPHS = "".join(f"{chr(first)}-{chr(last)}" for first, last in IDEOGRAPH_RANGES)
CJK_PUNCT = "\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2018\u2019\u201c\u201d\u2014\u2026\u00b7"
CJK = f"[{IDEOGRAPHS}{CJK_PUNCT}]"  # one ideograph or CJK punctuation mark (a regex class)
COMMON_CHARS = 3000  # most frequent characters of jieba's dictionary (plus Traditional forms)


@lru_cache(maxsize=1)
def common_characters() -> frozenset[str]:
    """The most frequent characters of jieba's dictionary, in Simplified and Traditional form.

    Built once per process on first use (a memoised constant, about 0.6 s).

    Example::

        >>> "党" in common_characters() and "黨" in common_characters()
        True
    """
    counts: Counter[str] = Counter()
    with resources.files("jieba").joinpath("dict.txt").open(encoding="utf-8") as handle:
        for line in handle:
            word, freq = line.split(" ", 2)[:2]
            for ch in word:
                counts[ch] += int(freq)
    top = [ch for ch, _ in counts.most_common(COMMON_CHARS)]
    traditional = opencc.OpenCC("s2t").convert("\n".join(top)).split("\n")
    return frozenset(top) | frozenset(traditional)


def code_points(text: str) -> np.ndarray:
    """The code points of ``text`` as a uint32 array (lone surrogates included).

    Example::

        >>> code_points("党建a").tolist()
        [20826, 24314, 97]
    """
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def from_code_points(codes: np.ndarray) -> str:
    """The text of an array of code points (the inverse of :func:`code_points`).

    Example::

        >>> from_code_points(code_points("党建"))
        '党建'
    """
    return codes.astype("<u4").tobytes().decode("utf-32-le", "surrogatepass")
