"""Exact and near-duplicate articles: MinHash LSH candidates, confirmed by exact Jaccard.

Texts are compared on their letters and digits only (whitespace and punctuation removed,
case folded, so ``xx``/``XX`` placeholders match). Exact duplicates share a hash of that
canonical text. Near-duplicates are found with datasketch ``MinHashLSH`` over character
shingles, so no all-pairs comparison is made; each candidate pair is then confirmed with
the exact Jaccard similarity of the shingle sets, so the result does not depend on MinHash
estimation error. Duplicate groups are closed with union-find; the lowest index is kept.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from functools import lru_cache

from datasketch import MinHash, MinHashLSH

# LSH band/row choice weights (false positive, false negative): candidates are confirmed
# exactly, so missing a true pair costs more than checking a false one. With threshold 0.6
# and 128 permutations this picks 23 bands of 5 rows: a pair at Jaccard 0.7 is missed with
# probability 1.5%, at 0.8 with 1e-4; an unrelated pair at 0.1 is a candidate with 2e-4.
LSH_WEIGHTS = (0.2, 0.8)
SHINGLE_CACHE = 4096  # shingle sets kept for confirming candidate pairs
_NOT_ALNUM = re.compile(r"[\W_]+")  # everything but letters and digits (any script)


def find_duplicates(
    texts: Sequence[str], *, threshold: float, shingle_size: int, num_perm: int, seed: int
) -> list[int | None]:
    """For each text, the index of the kept text it duplicates, or None when it is kept.

    The kept text of a group is its lowest index. Pairs count as duplicates when their
    canonical texts are equal or their character ``shingle_size``-gram sets have a Jaccard
    similarity of at least ``threshold``. Empty texts are never duplicates.

    Example::

        >>> a = "机关党建工作“两张皮”问题调研报告，现将有关情况报告如下。"
        >>> find_duplicates([a, a.replace("，", " "), "完全不同的另一篇文章内容"],
        ...                 threshold=0.6, shingle_size=5, num_perm=128, seed=42)
        [None, 0, None]
    """
    canon = [canonical(text) for text in texts]
    parent = list(range(len(texts)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        ri, rj = find(i), find(j)
        parent[max(ri, rj)] = min(ri, rj)

    @lru_cache(maxsize=SHINGLE_CACHE)
    def shingles_of(i: int) -> frozenset[str]:
        return shingles(canon[i], shingle_size)

    first_seen: dict[str, int] = {}
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, weights=LSH_WEIGHTS)
    for i, text in enumerate(canon):
        if not text:
            continue
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()
        if digest in first_seen:
            union(first_seen[digest], i)
            continue
        first_seen[digest] = i
        signature = MinHash(num_perm=num_perm, seed=seed)
        signature.update_batch([s.encode("utf-8") for s in sorted(shingles_of(i))])
        for j in sorted(int(key) for key in lsh.query(signature)):
            if jaccard(shingles_of(i), shingles_of(j)) >= threshold:
                union(i, j)
        lsh.insert(str(i), signature)
    return [None if find(i) == i else find(i) for i in range(len(texts))]


def canonical(text: str) -> str:
    """Letters and digits of ``text``, case-folded (the form duplicates are compared in).

    Example::

        >>> canonical("占XX.X%，共 xx 份")
        '占xxx共xx份'
    """
    return _NOT_ALNUM.sub("", text.casefold())


def shingles(text: str, size: int) -> frozenset[str]:
    """Character ``size``-grams of ``text`` (the whole text when it is shorter).

    Example::

        >>> sorted(shingles("两张皮问题", 4))
        ['两张皮问', '张皮问题']
    """
    if len(text) <= size:
        return frozenset([text]) if text else frozenset()
    return frozenset(text[k : k + size] for k in range(len(text) - size + 1))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """Jaccard similarity |a ∩ b| / |a ∪ b| (0.0 for two empty sets).

    Example::

        >>> jaccard(frozenset("ab"), frozenset("bc"))
        0.3333333333333333
    """
    union = len(a | b)
    return len(a & b) / union if union else 0.0
