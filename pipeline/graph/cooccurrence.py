"""Term co-occurrence within units as sparse binary X.T @ X, with PMI/NPMI and backbone pruning."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from ..topics.units import claim_keys

GRAPH_UNITS = ("sentence", "claim")


def incidence(
    sentences: pd.DataFrame, per_sentence: sparse.csr_matrix, *, unit: str = "sentence"
) -> sparse.csr_matrix:
    """Binary (units x terms) matrix from the binary (sentences x terms) ``per_sentence``.

    A unit is one sentence, or one claim unit (see :mod:`pipeline.topics.units`); units come
    in sorted order of their ids. ``sentences`` (aligned with the rows of ``per_sentence``)
    needs ``sent_id``, and for claims ``doc_id, section_id, claim_index``.

    Example::

        >>> x = incidence(rows, term_columns(index, vocab), unit="claim")   # 论点-词矩阵
        >>> x.max()
        1
    """
    if unit not in GRAPH_UNITS:
        raise ValueError(f"unit = {unit!r} is not one of {', '.join(GRAPH_UNITS)}")
    keys = sentences["sent_id"] if unit == "sentence" else claim_keys(sentences)
    codes, uniques = pd.factorize(keys, sort=True)
    if len(uniques) == len(codes) and (codes == np.arange(len(codes))).all():
        return per_sentence  # one unit per sentence, already in order
    group = sparse.csr_matrix(
        (np.ones(len(codes)), (codes, np.arange(len(codes)))), shape=(len(uniques), len(codes))
    )
    matrix = (group @ per_sentence).tocsr()
    matrix.data[:] = 1
    return matrix.astype(np.int64)


def select_nodes(
    freq: np.ndarray,
    vocab: np.ndarray,
    *,
    min_count: int,
    max_nodes: int,
    priority: np.ndarray | None = None,
) -> np.ndarray:
    """Indices of at most ``max_nodes`` terms with ``freq >= min_count``, by falling freq.

    Terms flagged in the boolean ``priority`` mask are taken first (the most frequent of them
    when there are more than ``max_nodes``); the remaining places go to the most frequent other
    terms. Ties are broken by term, so the choice is deterministic; the result is ordered by
    falling freq, then term, whatever the priority.

    Example::

        >>> vocab, freq = np.array(["党建", "两张皮", "考核机制"]), np.array([9, 7, 3])
        >>> select_nodes(freq, vocab, min_count=2, max_nodes=2)
        array([0, 1])
        >>> select_nodes(freq, vocab, min_count=2, max_nodes=2, priority=vocab == "考核机制")
        array([0, 2])
    """
    order = np.lexsort((vocab.astype(str), -freq))
    order = order[freq[order] >= min_count]
    flagged = np.zeros(len(vocab), bool) if priority is None else np.asarray(priority, bool)
    first = order[flagged[order]][:max_nodes]
    rest = order[~flagged[order]][: max_nodes - len(first)]
    return order[np.isin(order, np.concatenate([first, rest]))]


def association(
    count: np.ndarray, f_a: np.ndarray, f_b: np.ndarray, n_units: int
) -> tuple[np.ndarray, np.ndarray]:
    """PMI = log(p(a,b) / p(a)p(b)) and NPMI = PMI / -log p(a,b) (1.0 when p(a,b) = 1).

    Example::

        >>> association(np.array([2]), np.array([2]), np.array([2]), 4)[1]
        array([1.])
    """
    p_ab = count / n_units
    pmi = np.log(p_ab) - np.log(f_a / n_units) - np.log(f_b / n_units)
    denom = -np.log(p_ab)
    npmi = np.divide(pmi, denom, out=np.ones_like(pmi), where=denom > 0)
    return pmi, npmi


def _pairs(matrix: sparse.csr_matrix, min_count: int) -> pd.DataFrame:
    """Column pairs seen together in at least ``min_count`` units, with positive NPMI."""
    co = sparse.triu(matrix.T @ matrix, k=1).tocoo()
    freq = np.asarray(matrix.sum(axis=0)).ravel()
    keep = co.data >= min_count
    a, b, count = co.row[keep], co.col[keep], co.data[keep].astype(np.int64)
    pmi, npmi = association(count.astype(float), freq[a], freq[b], matrix.shape[0])
    edges = pd.DataFrame({"a": a, "b": b, "count": count, "pmi": pmi, "npmi": npmi})
    return edges[edges["npmi"] > 0].reset_index(drop=True)


def _top_per_node(edges: pd.DataFrame, k: int) -> pd.DataFrame:
    """``node, edge`` (index label) of each node's ``k`` strongest edges.

    Strength is NPMI, then count; ties go to the smaller other end.
    """
    both = pd.concat(
        [
            edges.assign(node=edges["a"], other=edges["b"], edge=edges.index),
            edges.assign(node=edges["b"], other=edges["a"], edge=edges.index),
        ]
    )
    both = both.sort_values(
        ["node", "npmi", "count", "other"], ascending=[True, False, False, True], kind="stable"
    )
    return both.groupby("node", sort=False).head(k)[["node", "edge"]]


def backbone_edges(
    matrix: sparse.csr_matrix,
    *,
    min_count: int,
    top_edges: int,
    anchored: np.ndarray | None = None,
    anchor_count: int = 2,
    anchor_edges: int = 2,
) -> pd.DataFrame:
    """Pruned co-occurrence edges between the columns of ``matrix`` (binary units x nodes).

    Keeps pairs seen in at least ``min_count`` units with positive NPMI, then each node's
    ``top_edges`` strongest edges (by NPMI, then count); an edge survives if either end keeps
    it. A column listed in ``anchored`` (priority terms) that is left without any edge keeps
    its ``anchor_edges`` strongest pairs seen in at least ``anchor_count`` units instead, so a
    rare curated term is still placed in a community. Columns ``a, b`` (column indices,
    a < b), ``count, pmi, npmi, weight`` where ``weight = npmi``.

    Example::

        >>> backbone_edges(sparse.csr_matrix([[1, 1], [1, 1], [0, 0]]), min_count=2, top_edges=8)[
        ...     ["a", "b", "count"]].values.tolist()
        [[0, 1, 2]]
    """
    pairs = _pairs(matrix, min(min_count, anchor_count))
    strong = pairs[pairs["count"] >= min_count]
    kept = _top_per_node(strong, top_edges)["edge"].to_numpy()
    if anchored is not None and len(anchored):
        linked = np.union1d(strong.loc[kept, "a"], strong.loc[kept, "b"])
        orphans = np.setdiff1d(anchored, linked)
        touching = pairs[pairs["a"].isin(orphans) | pairs["b"].isin(orphans)]
        weak = _top_per_node(touching, anchor_edges)
        kept = np.concatenate([kept, weak.loc[weak["node"].isin(orphans), "edge"].to_numpy()])
    edges = pairs.loc[np.unique(kept)].sort_values(["a", "b"], kind="stable")
    edges = edges.reset_index(drop=True)
    edges["weight"] = edges["npmi"]
    return edges
