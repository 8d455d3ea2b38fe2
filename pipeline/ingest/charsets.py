"""Character classes of Chinese text: ideographs, CJK punctuation, the common characters.

Shared by the decoder (which ranks candidate encodings by how common the decoded
characters are) and the normaliser (which finds mojibake by the same measure).
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from importlib import resources

import opencc

IDEOGRAPHS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
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
