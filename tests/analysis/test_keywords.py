"""Keywords stage: TF-IDF / TextRank on the run's tokens, log-odds per role."""

from __future__ import annotations

import math
import time

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from pipeline.keywords import keywords, log_odds_dirichlet, textrank_keywords, tfidf_keywords
from pipeline.keywords.log_odds import dirichlet_prior
from pipeline.keywords.textrank import block_pagerank, edges_by_block, window_edges
from pipeline.tables import write_parquet

COLUMNS = ["scope", "key", "method", "rank", "term", "score", "z", "count"]


@pytest.fixture(scope="module")
def table(segmented_sample) -> pd.DataFrame:
    return keywords(segmented_sample["sentences"], segmented_sample["documents"], top_n=15)


def test_columns_scopes_and_methods(table, segmented_sample):
    assert table.columns.tolist() == COLUMNS
    combos = set(map(tuple, table[["scope", "method"]].drop_duplicates().values))
    assert combos == {
        ("document", "tfidf"),
        ("document", "textrank"),
        ("corpus", "tfidf"),
        ("corpus", "textrank"),
        ("role", "log_odds"),
    }
    docs = set(segmented_sample["documents"]["doc_id"])
    assert set(table.query("scope == 'document'")["key"]) == docs
    assert set(table.query("scope == 'role'")["key"]) == {
        "achievement",
        "problem",
        "cause",
        "countermeasure",
    }
    ranks = table.groupby(["scope", "key", "method"])["rank"].agg(list)
    assert all(r == list(range(1, len(r) + 1)) and len(r) <= 15 for r in ranks)
    assert table.query("method != 'log_odds'")["z"].isna().all()
    assert np.isfinite(table.query("method == 'log_odds'")["z"]).all()


def test_terms_come_from_the_runs_own_tokens(table, segmented_sample):
    sentences = segmented_sample["sentences"]
    per_doc = sentences.groupby("doc_id")["tokens"].agg(lambda t: set().union(*map(set, t)))
    docs = table.query("scope == 'document'")
    assert all(term in per_doc[key] for key, term in zip(docs["key"], docs["term"], strict=True))
    # counts are the term's real occurrences in the document
    row = docs.query("method == 'tfidf'").iloc[0]
    tokens = sentences.loc[sentences["doc_id"] == row["key"], "tokens"].explode()
    assert row["count"] == (tokens == row["term"]).sum()


def test_tfidf_idf_is_learned_from_the_corpus():
    docs = pd.Series({"a": ["两张皮", "两张皮", "党建"], "b": ["党建", "考核机制"]})
    out = tfidf_keywords(docs, top_n=5).query("key == 'a'").set_index("term")["score"]
    idf_rare = math.log(3 / 2) + 1  # smooth idf: ln((1 + n) / (1 + df)) + 1
    raw = np.array([2 * idf_rare, 1.0])
    expected = raw / np.linalg.norm(raw)
    assert out["两张皮"] == pytest.approx(expected[0])
    assert out["党建"] == pytest.approx(expected[1])


def test_duplicates_are_left_out_of_the_idf():
    docs = pd.Series({"a": ["两张皮", "党建"], "b": ["党建"], "c": ["两张皮", "党建"]})
    with_dup = tfidf_keywords(docs, top_n=5)
    without = tfidf_keywords(docs, fit_ids=pd.Index(["a", "b"]), top_n=5)
    corpus = without.query("scope == 'corpus'").set_index("term")["count"]
    assert corpus["两张皮"] == 1  # c is not counted in the corpus rows
    assert not with_dup.equals(without)


def test_textrank_ranks_the_hub_of_a_window_graph_first():
    s = pd.DataFrame(
        {
            "doc_id": ["a", "a"],
            "sent_id": ["a:0000", "a:0001"],
            "tokens": [["两张皮", "考核机制", "党务干部"], ["专职化", "考核机制"]],
        }
    )
    out = textrank_keywords(s, window=2, top_n=4).query("scope == 'document'")
    assert out["term"].iloc[0] == "考核机制"
    assert out["count"].iloc[0] == 2
    # the window never crosses sentences: 党务干部 and 专职化 are not linked, so they tie
    scores = out.set_index("term")["score"]
    assert scores["党务干部"] == pytest.approx(scores["专职化"])


def test_document_textrank_equals_networkx_pagerank_per_document(table, segmented_sample):
    """All documents are ranked in one block_pagerank call; each gets its own nx.pagerank."""
    s = segmented_sample["sentences"].sort_values("sent_id")
    docs = segmented_sample["documents"]
    doc_id = docs.loc[docs["source_file"].str.contains("003_"), "doc_id"].iloc[0]
    graph = _window_graph(s.loc[s["doc_id"] == doc_id, "tokens"])
    alone = pd.Series(nx.pagerank(graph, weight="weight", tol=1e-12, max_iter=1000))
    ours = table.query("key == @doc_id and method == 'textrank'").set_index("term")["score"]
    assert ours.index.tolist() == alone.sort_values(ascending=False).index[: len(ours)].tolist()
    assert np.allclose(ours, alone[ours.index], rtol=1e-6)


def _window_graph(token_lists, window=5) -> nx.Graph:
    graph = nx.Graph()
    for tokens in token_lists:
        for i, a in enumerate(tokens):
            for b in tokens[i + 1 : i + window]:
                if a != b:
                    old = graph.get_edge_data(a, b, {"weight": 0})["weight"]
                    graph.add_edge(a, b, weight=old + 1)
    return graph


def test_corpus_textrank_equals_networkx_pagerank_of_the_summed_graph(table, segmented_sample):
    s = segmented_sample["sentences"].sort_values("sent_id")
    docs = segmented_sample["documents"]
    s = s[~s["doc_id"].isin(docs.loc[docs["dup_of"].notna(), "doc_id"])]
    graph = nx.Graph()
    for _, doc in s.groupby("doc_id"):  # windows never cross documents
        for a, b, w in _window_graph(doc["tokens"]).edges(data="weight"):
            graph.add_edge(a, b, weight=graph.get_edge_data(a, b, {"weight": 0})["weight"] + w)
    alone = pd.Series(nx.pagerank(graph, weight="weight", tol=1e-12, max_iter=1000))
    ours = table.query("scope == 'corpus' and method == 'textrank'").set_index("term")["score"]
    assert ours.index.tolist() == alone.sort_values(ascending=False).index[: len(ours)].tolist()
    assert np.allclose(ours, alone[ours.index], rtol=1e-6)


def test_block_pagerank_ranks_each_graph_alone():
    """Two disjoint graphs of different sizes in one call: each gets its own nx.pagerank."""
    rng = np.random.default_rng(0)
    graphs = [nx.gnm_random_graph(n, 3 * n, seed=n) for n in (12, 40)]
    block, lo, hi, weight = [], [], [], []
    for b, g in enumerate(graphs):
        for u, v in g.edges:
            g[u][v]["weight"] = float(rng.integers(1, 5))
            block.append(b), lo.append(min(u, v)), hi.append(max(u, v))
            weight.append(g[u][v]["weight"])
    rows, nodes, scores = block_pagerank(
        np.array(block), np.array(lo), np.array(hi), np.array(weight), n_nodes=40
    )
    for b, g in enumerate(graphs):
        g.remove_nodes_from([n for n in list(g) if g.degree(n) == 0])
        expected = nx.pagerank(g, weight="weight", tol=1e-13, max_iter=1000)
        got = dict(zip(nodes[rows == b].tolist(), scores[rows == b], strict=True))
        assert got.keys() == expected.keys()
        assert np.allclose([got[n] for n in g], [expected[n] for n in g], rtol=1e-7)
    with pytest.raises(nx.PowerIterationFailedConvergence):
        block_pagerank(
            np.array(block), np.array(lo), np.array(hi), np.array(weight), n_nodes=40, max_iter=3
        )


def test_duplicates_are_left_out_of_the_corpus_rows(table, segmented_sample):
    s, docs = segmented_sample["sentences"], segmented_sample["documents"]
    dups = docs.loc[docs["dup_of"].notna(), "doc_id"]
    assert len(dups) == 1
    kept = s.loc[~s["doc_id"].isin(dups), "tokens"].explode().value_counts()
    every = s["tokens"].explode().value_counts()
    corpus = table.query("scope == 'corpus'")
    assert (corpus["count"].to_numpy() == kept[corpus["term"]].to_numpy()).all()
    assert (corpus["count"].to_numpy() < every[corpus["term"]].to_numpy()).any()
    # the duplicate still gets its own document rows
    assert set(dups) <= set(table.query("scope == 'document'")["key"])


def test_log_odds_matches_monroe_formula_and_is_antisymmetric():
    a = pd.Series({"两张皮": 10, "考核机制": 2, "党建": 30})
    b = pd.Series({"两张皮": 1, "考核机制": 9, "党建": 28})
    prior = dirichlet_prior(a + b, alpha0=50)
    ab = log_odds_dirichlet(a, b, prior).set_index("term")
    ba = log_odds_dirichlet(b, a, prior).set_index("term")
    assert np.allclose(ab["delta"], -ba.loc[ab.index, "delta"])
    assert np.allclose(ab["z"], -ba.loc[ab.index, "z"])
    w, aw, a0 = "两张皮", prior["两张皮"], 50.0
    delta = math.log((10 + aw) / (42 + a0 - 10 - aw)) - math.log((1 + aw) / (38 + a0 - 1 - aw))
    assert ab.loc[w, "delta"] == pytest.approx(delta)
    assert ab.loc[w, "z"] == pytest.approx(delta / math.sqrt(1 / (10 + aw) + 1 / (1 + aw)))
    assert ab.index[0] == "两张皮" and ab.index[-1] == "考核机制"


def test_log_odds_compares_two_units_problem_sentences(segmented_sample):
    s, docs = segmented_sample["sentences"], segmented_sample["documents"]
    source = s["doc_id"].map(docs.set_index("doc_id")["source_file"]).astype(str)
    problems = s[s["role"].isin(["problem", "cause"])]
    count = {
        unit: problems.loc[source.str.startswith(unit), "tokens"].explode().value_counts()
        for unit in ("002", "003")
    }
    prior = dirichlet_prior(s["tokens"].explode().value_counts(), alpha0=500)
    out = log_odds_dirichlet(count["002"], count["003"], prior)
    assert out["z"].is_monotonic_decreasing
    n_a, n_b = count["002"].sum(), count["003"].sum()
    top_a, top_b = out.head(5), out.tail(5)  # most characteristic of unit 002 / unit 003
    assert (top_a["count_a"] / n_a > top_a["count_b"] / n_b).all()
    assert (top_b["count_b"] / n_b > top_b["count_a"] / n_a).all()


def test_log_odds_rejects_a_prior_that_misses_terms():
    with pytest.raises(ValueError, match="prior has no positive pseudo-count"):
        log_odds_dirichlet({"两张皮": 1}, {"党建": 2}, {"两张皮": 1.0})


def test_log_odds_is_vectorised():
    rng = np.random.default_rng(0)
    terms = [f"词{i}" for i in range(200_000)]
    a = pd.Series(rng.poisson(3, len(terms)), index=terms)
    b = pd.Series(rng.poisson(3, len(terms)), index=terms)
    start = time.perf_counter()
    log_odds_dirichlet(a, b, dirichlet_prior(a + b + 1))
    assert time.perf_counter() - start < 3.0


def test_role_keywords_are_characteristic(table, segmented_sample):
    s, docs = segmented_sample["sentences"], segmented_sample["documents"]
    s = s[~s["doc_id"].isin(docs.loc[docs["dup_of"].notna(), "doc_id"])]  # as the stage does
    for role, rows in table.query("scope == 'role'").groupby("key"):
        assert (rows["z"] > 0).all() and rows["z"].is_monotonic_decreasing
        top = rows.iloc[0]
        in_role = s.loc[s["role"] == role, "tokens"].explode()
        rest = s.loc[s["role"] != role, "tokens"].explode()
        # the top term is relatively more frequent inside the role than outside it
        assert (in_role == top["term"]).mean() > (rest == top["term"]).mean()
        assert top["count"] == (in_role == top["term"]).sum()


def test_same_input_gives_identical_bytes(segmented_sample, tmp_path):
    paths = []
    for n in range(2):
        out = keywords(segmented_sample["sentences"], segmented_sample["documents"], top_n=10)
        paths.append(write_parquet(out, tmp_path / f"kw{n}.parquet"))
    assert paths[0].read_bytes() == paths[1].read_bytes()


def test_edges_in_blocks_of_documents_equal_one_pass(segmented_sample) -> None:
    """Bounded memory: edges counted block by block are exactly those of one pass."""
    ordered = segmented_sample["sentences"].sort_values("sent_id", kind="stable")
    ordered = ordered[ordered["tokens"].map(len) > 0]
    lengths = ordered["tokens"].map(len).to_numpy()
    tokens = np.concatenate(ordered["tokens"].to_numpy())
    token_ids = pd.factorize(tokens)[0]
    groups = np.repeat(pd.factorize(ordered["doc_id"], sort=True)[0], lengths)
    sent_pos = np.repeat(np.arange(len(ordered)), lengths)
    whole = window_edges(token_ids, sent_pos, groups, 5)
    blocked = edges_by_block(token_ids, sent_pos, groups, 5, block=500)
    assert len(whole[0]) > 1000
    for one, other in zip(whole, blocked, strict=True):
        np.testing.assert_array_equal(one, other)
