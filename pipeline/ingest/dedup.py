"""Exact and near-duplicate articles: MinHash LSH candidates, confirmed by exact Jaccard.

Texts are compared on their letters and digits only (whitespace and punctuation removed,
case folded, so ``xx``/``XX`` placeholders match). Exact duplicates share a hash of that
canonical text. Near-duplicates are found with datasketch ``MinHashLSH`` over character
shingles, so no all-pairs comparison is made; each candidate pair is then confirmed with
the exact Jaccard similarity of the shingle sets, so the result does not depend on MinHash
estimation error. Duplicate groups are closed with union-find; the lowest index is kept.

Signatures are computed with numpy, not shingle by shingle: each shingle gets a 32-bit
hash (a polynomial over its code points, mixed with the MurmurHash3 finalizer), and the
signature is datasketch's ``affine32`` scheme over those hashes (what
``MinHash(scheme="affine32", hashfunc=<the shingle hash>).update_batch`` gives), built in
blocks so a long text never needs a large temporary matrix. Only signatures go into the
index; the exact similarity is computed for candidate pairs only (:func:`similarity`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from .charsets import code_points, from_code_points

# LSH band/row choice weights (false positive, false negative): candidates are confirmed
# exactly, so missing a true pair costs more than checking a false one. With threshold 0.6
# and 128 permutations this picks 23 bands of 5 rows: a pair at Jaccard 0.7 is missed with
# probability 1.5%, at 0.8 with 1e-4; an unrelated pair at 0.1 is a candidate with 2e-4.
LSH_WEIGHTS = (0.2, 0.8)
SCHEME = "affine32"  # datasketch's permutation scheme (bijective a * h + b mod 2**32)
BLOCK = 2048  # shingles per step of the signature computation (bounds the temporary array)
_NOT_ALNUM = re.compile(r"[\W_]+")  # everything but letters and digits (any script)
_POLY = np.uint64(0x9E3779B97F4A7C15)  # odd multiplier of the shingle polynomial
_FMIX64 = (33, 0xFF51AFD7ED558CCD, 33, 0xC4CEB9FE1A85EC53, 33)
_FMIX32 = (16, 0x85EBCA6B, 13, 0xC2B2AE35, 16)


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
    parent = list(range(len(texts)))
    permutations = MinHash(num_perm=num_perm, seed=seed, scheme=SCHEME).permutations
    first_seen: dict[bytes, int] = {}
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, weights=LSH_WEIGHTS)
    for i, text in enumerate(texts):
        canon = canonical(text)
        if not canon:
            continue
        digest = hashlib.sha1(canon.encode("utf-8")).digest()
        if digest in first_seen:
            _union(parent, first_seen[digest], i)
            continue
        first_seen[digest] = i
        hashes = shingle_hashes(canon, shingle_size)
        minhash = LeanMinHash(seed=seed, hashvalues=signature(hashes, permutations), scheme=SCHEME)
        for j in sorted(lsh.query(minhash)):  # candidates, confirmed exactly
            if similarity(canon, canonical(texts[j]), shingle_size) >= threshold:
                _union(parent, i, j)
        lsh.insert(i, minhash)
    return [None if _find(parent, i) == i else _find(parent, i) for i in range(len(texts))]


def _find(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def _union(parent: list[int], i: int, j: int) -> None:
    ri, rj = _find(parent, i), _find(parent, j)
    parent[max(ri, rj)] = min(ri, rj)


def canonical(text: str) -> str:
    """Letters and digits of ``text``, case-folded (the form duplicates are compared in).

    Example::

        >>> canonical("占XX.X%，共 xx 份")
        '占xxx共xx份'
    """
    folded = text.casefold()
    codes = code_points(folded)
    if codes.max(initial=0) > 0xFFFF:  # characters beyond the table: the regex route
        return _NOT_ALNUM.sub("", folded)
    return from_code_points(codes[_bmp_alnum()[codes]])


@lru_cache(maxsize=1)
def _bmp_alnum() -> np.ndarray:
    """For each code point below U+10000: is it a letter or digit (not ``[\\W_]``)? (~10 ms)"""
    return np.array([chr(code).isalnum() for code in range(0x10000)], dtype=bool)


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


def similarity(a: str, b: str, size: int) -> float:
    """``jaccard(shingles(a, size), shingles(b, size))``, computed with numpy.

    Each character gets a small number (its rank among the characters of the two texts),
    so a shingle packs exactly into one 64-bit integer; pairs with too many distinct
    characters for that take the set route.

    Example::

        >>> similarity("两张皮问题", "张皮问题多", 4)
        0.3333333333333333
    """
    codes = code_points(a + b)
    alphabet = _distinct(codes.copy())
    bits = len(alphabet).bit_length()  # ranks 1..n; 0 pads a text shorter than size
    if bits * size > 64:
        return jaccard(shingles(a, size), shingles(b, size))
    table = np.zeros(int(alphabet[-1]) + 1 if len(alphabet) else 0, dtype=np.uint64)
    table[alphabet] = np.arange(1, len(alphabet) + 1, dtype=np.uint64)
    ranks = table[codes]
    keys_a = _packed(ranks[: len(a)], size, bits)
    keys_b = _packed(ranks[len(a) :], size, bits)
    common = len(np.intersect1d(keys_a, keys_b, assume_unique=True))
    union = len(keys_a) + len(keys_b) - common
    return common / union if union else 0.0


def _packed(ranks: np.ndarray, size: int, bits: int) -> np.ndarray:
    """Distinct shingles of a text given as character ranks, each packed into one integer."""
    if len(ranks) == 0:
        return ranks
    if len(ranks) < size:
        ranks = np.concatenate([ranks, np.zeros(size - len(ranks), dtype=np.uint64)])
    count = len(ranks) - size + 1
    keys = np.zeros(count, dtype=np.uint64)
    for k in range(size):
        keys <<= np.uint64(bits)
        keys |= ranks[k : k + count]
    return _distinct(keys)


def _distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values of an integer array, sorted (sorts ``values`` in place)."""
    values.sort()
    return values[np.concatenate(([True], values[1:] != values[:-1]))] if len(values) else values


def shingle_hashes(text: str, size: int) -> np.ndarray:
    """32-bit hash of each character ``size``-gram of ``text`` (one hash for a shorter text).

    The same shingle has the same hash in every text and process (no Python ``hash()``).

    Example::

        >>> hashes = shingle_hashes("两张皮问题两张皮问", 4)
        >>> len(hashes), bool(hashes[0] == hashes[5])
        (6, True)
    """
    codes = code_points(text).astype(np.uint64)
    if len(codes) < size:  # the whole text is the one shingle; code point 0 pads it
        codes = np.concatenate([codes, np.zeros(size - len(codes), dtype=np.uint64)])
    count = len(codes) - size + 1
    hashes = np.zeros(count, dtype=np.uint64)
    for k in range(size):
        hashes *= _POLY
        hashes += codes[k : k + count]
    return (_fmix(hashes, _FMIX64, np.uint64) >> np.uint64(32)).astype(np.uint32)


def signature(hashes: np.ndarray, permutations: np.ndarray) -> np.ndarray:
    """MinHash values of a set of 32-bit ``hashes`` under datasketch's ``affine32`` scheme.

    ``permutations`` is ``MinHash(..., scheme="affine32").permutations`` (rows a and b);
    value k is min over the hashes h of ``a[k] * fmix32(h) + b[k]`` mod 2**32.

    Example::

        >>> perms = MinHash(num_perm=4, seed=1, scheme="affine32").permutations
        >>> signature(shingle_hashes("机关党建工作", 5), perms).shape   # 签名
        (4,)
    """
    a, b = permutations[0], permutations[1][:, None]
    mixed = _fmix(hashes.astype(np.uint32), _FMIX32, np.uint32)
    values = np.full(len(a), np.iinfo(np.uint32).max, dtype=np.uint32)
    for start in range(0, len(mixed), BLOCK):
        block = np.multiply.outer(a, mixed[start : start + BLOCK])
        block += b
        np.minimum(values, block.min(axis=1), out=values)
    return values


def _fmix(values: np.ndarray, constants: tuple[int, ...], dtype: type) -> np.ndarray:
    """The MurmurHash3 finalizer (a bijection) on unsigned integers; products wrap around."""
    s1, m1, s2, m2, s3 = (dtype(c) for c in constants)
    values = values ^ (values >> s1)
    values *= m1
    values ^= values >> s2
    values *= m2
    return values ^ (values >> s3)
