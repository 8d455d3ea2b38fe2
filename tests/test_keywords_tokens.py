"""Keywords on a TokenIndex: the same figures as the vectorizer and one-pass formulations."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from pipeline.keywords import (
    keywords,
    log_odds_dirichlet,
    ranking,
    role_log_odds_rows,
    textrank,
    tfidf_rows,
)
from pipeline.keywords.analysed import analysed_index, run_counts, take_rows
from pipeline.keywords.log_odds import dirichlet_prior
from pipeline.tokens import TokenIndex
from pipeline.topics.units import ROLES, analysed_sentences


@pytest.fixture(scope="module")
def tables(sample_tables) -> dict[str, pd.DataFrame]:
    return {"sentences": sample_tables["sentences"], "documents": sample_tables["documents"]}


@pytest.fixture(scope="module")
def analysed(tables):
    """Sentences without the sample's duplicate document, with their rows and TokenIndex."""
    s, docs = tables["sentences"], tables["documents"]
    rows, index = analysed_index(s, docs)
    return analysed_sentences(s, docs), rows, index


def test_analysed_index_holds_the_analysed_sentences_tokens(tables, analysed):
    kept, rows, index = analysed
    assert tables["documents"]["dup_of"].notna().sum() == 1  # something is left out
    assert tables["sentences"]["sent_id"].take(rows).tolist() == kept["sent_id"].tolist()
    assert [index.tokens(i) for i in range(len(index))] == [list(t) for t in kept["tokens"]]
    assert index.vocab.tolist() == sorted({t for tokens in kept["tokens"] for t in tokens})


def test_take_rows_and_run_counts_equal_a_fresh_index(analysed):
    kept, _, index = analysed
    rows = np.arange(len(kept))[::-3]
    taken, fresh = take_rows(index, rows), TokenIndex.build(kept["tokens"].take(rows).tolist())
    assert taken.vocab.tolist() == fresh.vocab.tolist()
    np.testing.assert_array_equal(taken.codes, fresh.codes)
    docs = pd.factorize(kept["doc_id"], sort=True)[0]
    for groups, binary in ((None, True), (docs, False), (docs.max() - docs, False)):
        ours, theirs = run_counts(index, groups, binary=binary), index.counts(groups, binary=binary)
        assert ours.dtype == theirs.dtype and ours.has_canonical_format
        assert (ours != theirs).nnz == 0 and (ours.indices == theirs.indices).all()


def test_document_ids_out_of_sent_id_order():
    """'d-2:…' sorts before 'd:…': documents need not come in doc_id order."""
    s = pd.DataFrame(
        {
            "doc_id": ["d", "d", "d-2"],
            "sent_id": ["d:0000", "d:0001", "d-2:0000"],
            "tokens": [["两张皮", "考核机制"], ["两张皮"], ["考核机制", "党务干部"]],
            "role": ["problem", "other", "countermeasure"],
        }
    )
    table = keywords(s, pd.DataFrame({"doc_id": ["d", "d-2"], "dup_of": None}), top_n=5)
    counts = table.query("method == 'tfidf' and scope == 'document'")
    assert dict(zip(counts["key"] + counts["term"], counts["count"], strict=True)) == {
        "d两张皮": 2,
        "d考核机制": 1,
        "d-2考核机制": 1,
        "d-2党务干部": 1,
    }
    ranked = table.query("method == 'textrank' and scope == 'document' and key == 'd'")
    assert sorted(ranked["term"]) == ["两张皮", "考核机制"]


def test_tfidf_rows_equal_a_fitted_tfidf_vectorizer(analysed):
    kept, _, index = analysed
    docs, keys = pd.factorize(kept["doc_id"], sort=True)
    fit = np.arange(len(keys)) % 4 > 0  # the IDF learned on three quarters of the reports
    table = tfidf_rows(run_counts(index, docs), index.vocab, keys.to_numpy(), fit, top_n=5)
    tokens = kept.groupby("doc_id", sort=True)["tokens"].agg(lambda t: [w for s in t for w in s])
    vectorizer = TfidfVectorizer(analyzer=lambda t: t, lowercase=False).fit(tokens[fit].tolist())
    scores = vectorizer.transform(tokens.tolist())
    column = {term: j for j, term in enumerate(vectorizer.get_feature_names_out())}
    per_doc = table.query("scope == 'document'")
    expected = [
        scores[keys.get_loc(k), column[t]]
        for k, t in zip(per_doc["key"], per_doc["term"], strict=True)
    ]
    assert len(per_doc) == 5 * len(keys) and per_doc["score"].tolist() == expected


def test_pagerank_pieces_are_the_slices_of_all_edges(analysed, monkeypatch):
    """Streaming the edges block by block cuts the same PageRank pieces as one pass."""
    kept, _, index = analysed
    docs = pd.factorize(kept["doc_id"], sort=True)[0]
    monkeypatch.setattr(textrank, "BLOCK_TOKENS", 1)  # one document per block
    blocks = list(textrank._document_edges(index, docs, 5))
    whole = [np.concatenate(column) for column in zip(*blocks, strict=True)]
    assert len(blocks) == len(np.unique(docs)) > 10
    slices = textrank._slices(textrank._starts(whole[0]), len(whole[0]), 7_000)
    pieces = list(textrank._pagerank_pieces(blocks, 7_000))
    assert len(pieces) == len(slices) > 3
    for piece, cut in zip(pieces, slices, strict=True):
        for column, full in zip(piece, whole, strict=True):
            np.testing.assert_array_equal(column, full[cut])


def test_block_pagerank_lays_out_sorted_edges_as_coo_would(analysed):
    kept, _, index = analysed
    docs = pd.factorize(kept["doc_id"], sort=True)[0]
    group, lo, hi, weight = next(textrank._document_edges(index, docs, 5))
    shuffled = np.random.default_rng(0).permutation(len(lo))  # takes the COO path
    n = len(index.vocab)
    fast = textrank.block_pagerank(group, lo, hi, weight, n_nodes=n)
    slow = textrank.block_pagerank(
        group[shuffled], lo[shuffled], hi[shuffled], weight[shuffled], n_nodes=n
    )
    for one, other in zip(fast, slow, strict=True):
        np.testing.assert_array_equal(one, other)


def test_power_iteration_in_parts_equals_one_pass(analysed, monkeypatch):
    """Iterating cache-sized parts stops at the same iteration with the same figures."""
    kept, _, index = analysed
    docs = pd.factorize(kept["doc_id"], sort=True)[0]
    monkeypatch.setattr(textrank, "BLOCK_TOKENS", 10**9)
    edges = next(textrank._document_edges(index, docs, 5))
    runs = []
    for part in (10**12, 2_000, 1):  # one part, some parts, one graph per part
        monkeypatch.setattr(textrank, "PART_NNZ", part)
        runs.append(textrank.block_pagerank(*edges, n_nodes=len(index.vocab), tol=1e-12))
    assert len(np.unique(runs[0][0])) == len(np.unique(docs)) > 10
    for run in runs[1:]:
        for one, other in zip(runs[0], run, strict=True):
            np.testing.assert_array_equal(one, other)


def test_top_entries_in_chunks_equal_one_lexsort(monkeypatch):
    rng = np.random.default_rng(1)
    scores = sparse.random(300, 80, density=0.3, format="csr", random_state=2)
    scores.data = np.round(rng.random(scores.nnz), 2)  # many ties, broken by column
    whole = ranking.top_entries(scores, 7)
    monkeypatch.setattr(ranking, "CHUNK", 500)
    chunked = ranking.top_entries(scores, 7)
    coo = scores.tocoo()
    order = np.lexsort((coo.col, -coo.data, coo.row))
    row, col = coo.row[order], coo.col[order]
    rank = np.concatenate([np.arange(n) for n in np.bincount(row, minlength=300)])
    for entries in (whole, chunked):
        np.testing.assert_array_equal(entries[0], row[rank < 7])
        np.testing.assert_array_equal(entries[1], col[rank < 7])
        np.testing.assert_array_equal(entries[3], rank[rank < 7] + 1)


def test_role_log_odds_rows_follow_log_odds_dirichlet(analysed):
    kept, _, index = analysed
    table = role_log_odds_rows(index, kept["role"], alpha0=500, top_n=10)
    tokens = kept["tokens"].explode().dropna()
    roles = kept["role"].loc[tokens.index]
    total = tokens.value_counts()
    prior = dirichlet_prior(total, 500)
    for role in ROLES[:4]:
        mine = tokens[roles == role].value_counts()
        expected = log_odds_dirichlet(mine, total.sub(mine, fill_value=0), prior)
        expected = expected[(expected["z"] > 0) & (expected["count_a"] > 0)].head(10)
        got = table.query("key == @role")
        assert got["term"].tolist() == expected["term"].tolist()
        np.testing.assert_allclose(got["z"], expected["z"], rtol=1e-12)


def test_a_shared_index_gives_the_runs_table(tables, sample_tables):
    index = TokenIndex.build(tables["sentences"]["tokens"])
    table = keywords(tables["sentences"], tables["documents"], index=index)
    pd.testing.assert_frame_equal(table, sample_tables["keywords"], check_dtype=False)
    with pytest.raises(ValueError, match="TokenIndex"):
        keywords(tables["sentences"].iloc[1:], tables["documents"], index=index)
