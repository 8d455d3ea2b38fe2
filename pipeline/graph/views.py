"""Role profiles of graph terms and the problem -> countermeasure view."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import sparse

from ..keywords.analysed import analysed_index
from ..tokens import TokenIndex
from ..topics.profiles import role_onehot, role_profile
from .cooccurrence import association

PROBLEM_SIDE = ("problem", "cause")
LEVELS = ("document", "section")


def term_incidence(
    sentences: pd.DataFrame, terms: list[str], *, index: TokenIndex | None = None
) -> sparse.csr_matrix:
    """Binary (sentences x terms) matrix for the given terms, sentences in their given order.

    ``index`` is the TokenIndex of ``sentences.tokens`` when the caller has it.

    Example::

        >>> term_incidence(pd.DataFrame({"tokens": [["两张皮", "两张皮"]]}), ["两张皮"]).toarray()
        array([[1]])
    """
    return term_columns(TokenIndex.build(sentences["tokens"]) if index is None else index, terms)


def term_columns(index: TokenIndex, terms: Sequence[str]) -> sparse.csr_matrix:
    """Binary (rows x terms) int64 matrix: which of ``terms`` each row of ``index`` holds.

    Column j is ``terms[j]`` (a term missing from the vocabulary gives an empty column); only
    the tokens of these terms are looked at.

    Example::

        >>> term_columns(TokenIndex.build([["两张皮"], ["考核机制"]]), ["考核机制", "脱节"]).toarray()
        array([[0, 0],
               [1, 0]])
    """
    vocab, terms = index.vocab, np.asarray(list(terms), dtype=object)
    place = np.minimum(np.searchsorted(vocab, terms), max(len(vocab) - 1, 0))
    found = (vocab[place] == terms) if len(vocab) else np.zeros(len(terms), bool)
    column = np.full(len(vocab), -1, dtype=np.int64)
    column[place[found]] = np.flatnonzero(found)
    hits = np.flatnonzero(column[index.codes] >= 0)
    rows = np.searchsorted(index.offsets, hits, side="right") - 1
    matrix = sparse.csr_matrix(
        (np.ones(len(hits), dtype=np.int64), (rows, column[index.codes[hits]])),
        shape=(len(index), len(terms)),
    )
    matrix.sum_duplicates()
    matrix.data[:] = 1
    return matrix


def node_roles(incidence: sparse.csr_matrix, roles: pd.Series) -> pd.DataFrame:
    """share_* columns and dominant_role of each term column, counted over sentences.

    The baseline for the dominant role is the role mix of all sentences that have tokens.

    Example::

        >>> node_roles(sparse.csr_matrix([[1], [0]]), pd.Series(["problem", "other"]))[
        ...     "dominant_role"].tolist()
        ['problem']
    """
    onehot = role_onehot(roles.to_numpy())
    mass = np.asarray(incidence.T @ onehot)
    return role_profile(mass, onehot.mean(axis=0) if len(onehot) else np.ones(onehot.shape[1]))


def _group_matrix(keys: pd.Series) -> tuple[sparse.csr_matrix, np.ndarray]:
    codes, uniques = pd.factorize(keys, sort=True)
    shape = (len(uniques), len(codes))
    return sparse.csr_matrix(
        (np.ones(len(codes)), (codes, np.arange(len(codes)))), shape=shape
    ), uniques


def _docs_with_pair(
    p_g: sparse.csr_matrix, c_g: sparse.csr_matrix, group_docs: np.ndarray
) -> sparse.csr_matrix:
    """How many documents have at least one group (section) holding both terms."""
    total = sparse.csr_matrix((p_g.shape[1], c_g.shape[1]))
    codes, _ = pd.factorize(group_docs, sort=True)
    for d in range(codes.max() + 1 if len(codes) else 0):
        rows = np.flatnonzero(codes == d)
        both = (p_g[rows].T @ c_g[rows]).tocsr()
        both.data[:] = 1
        total = total + both
    return total.tocsr()


def problem_countermeasure_links(
    sentences: pd.DataFrame,
    nodes: pd.DataFrame,
    *,
    level: str = "document",
    min_docs: int = 2,
    documents: pd.DataFrame | None = None,
    index: TokenIndex | None = None,
) -> pd.DataFrame:
    """Which countermeasure-dominant terms go with which problem/cause-dominant terms.

    A problem term counts where it occurs in a problem or cause sentence, a countermeasure
    term where it occurs in a countermeasure sentence; a pair co-occurs when both occur so in the
    same document (``level='document'``) or the same section (``'section'``).
    Columns: ``problem_term, countermeasure_term, n_docs`` (documents where the pair
    co-occurs), ``n_pairs`` (sum over groups of problem-sentence x countermeasure-sentence
    pairs), ``score`` (NPMI over groups: log(p(both) / p(problem) p(measure)) / -log p(both),
    so terms found in every report score near 0). Only pairs with positive score and at least
    ``min_docs`` documents are kept; sorted by score, n_docs, then terms. Sentences of duplicate
    documents are left out when ``documents`` is given. ``nodes`` is the graph_nodes table;
    ``index`` the TokenIndex of the whole ``sentences.tokens`` when the caller has it.

    Example::

        >>> links = problem_countermeasure_links(sentences, nodes)    # 问题→对策
        >>> links.columns.tolist()
        ['problem_term', 'countermeasure_term', 'n_docs', 'n_pairs', 'score']
    """
    if level not in LEVELS:
        raise ValueError(f"level = {level!r} is not one of {', '.join(LEVELS)}")
    columns = ["problem_term", "countermeasure_term", "n_docs", "n_pairs", "score"]
    p_terms = sorted(nodes.loc[nodes["dominant_role"].isin(PROBLEM_SIDE), "term"])
    c_terms = sorted(nodes.loc[nodes["dominant_role"] == "countermeasure", "term"])
    if not p_terms or not c_terms:
        return pd.DataFrame(columns=columns)
    rows, index = analysed_index(sentences, documents, index=index)
    role = sentences["role"].take(rows).to_numpy()
    p_mask = sparse.diags(np.isin(role, PROBLEM_SIDE).astype(float))
    c_mask = sparse.diags((role == "countermeasure").astype(float))
    doc_id = sentences["doc_id"].take(rows).reset_index(drop=True)
    keys = (
        doc_id
        if level == "document"
        else doc_id + "|" + sentences["section_id"].take(rows).reset_index(drop=True).astype(str)
    )
    group, uniques = _group_matrix(keys)
    p_g = (group @ p_mask @ term_columns(index, p_terms)).tocsr()
    c_g = (group @ c_mask @ term_columns(index, c_terms)).tocsr()
    p_b, c_b = (p_g > 0).astype(float), (c_g > 0).astype(float)
    n_groups = (p_b.T @ c_b).tocoo()
    n_pairs = (p_g.T @ c_g).tocsr()
    if level == "document":
        n_docs = n_groups.tocsr()
    else:
        group_docs = doc_id.groupby(keys.to_numpy(), sort=True).first().reindex(uniques).to_numpy()
        n_docs = _docs_with_pair(p_b.tocsr(), c_b.tocsr(), group_docs)
    p_count = np.asarray(p_b.sum(axis=0)).ravel()
    c_count = np.asarray(c_b.sum(axis=0)).ravel()
    i, j = n_groups.row, n_groups.col
    links = pd.DataFrame(
        {
            "problem_term": np.asarray(p_terms, dtype=object)[i],
            "countermeasure_term": np.asarray(c_terms, dtype=object)[j],
            "n_docs": np.asarray(n_docs[i, j]).ravel().astype(np.int64),
            "n_pairs": np.asarray(n_pairs[i, j]).ravel().astype(np.int64),
            "score": association(n_groups.data, p_count[i], c_count[j], len(uniques))[1],
        }
    )
    links = links[(links["n_docs"] >= min_docs) & (links["score"] > 0)]
    return links.sort_values(
        ["score", "n_docs", "problem_term", "countermeasure_term"],
        ascending=[False, False, True, True],
        kind="stable",
    ).reset_index(drop=True)
