"""Graph stage: co-occurrence backbone, communities, roles, problem -> countermeasure, GEXF."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from pipeline.graph import (
    EDGE_COLUMNS,
    NODE_COLUMNS,
    build_graph,
    problem_countermeasure_links,
    to_gexf,
)
from pipeline.tables import write_parquet
from pipeline.topics.units import analysed_sentences

ROLE_SHARES = [
    "share_achievement",
    "share_problem",
    "share_cause",
    "share_countermeasure",
    "share_other",
]


@pytest.fixture(scope="module")
def kept(sample_tables):
    return analysed_sentences(sample_tables["sentences"], sample_tables["documents"])


@pytest.fixture(scope="module")
def graph(sample_tables):
    return build_graph(sample_tables["sentences"], documents=sample_tables["documents"])


@pytest.fixture(scope="module")
def wide(sample_tables):
    """All terms seen in >= 3 sentences (the sample has ~780; the default keeps 300)."""
    return build_graph(
        sample_tables["sentences"], documents=sample_tables["documents"], max_nodes=2000
    )


def _sentences_with(kept, term):
    return sorted(kept.loc[kept["tokens"].map(lambda t: term in t), "sent_id"])


def test_tables_and_pruning(graph):
    nodes, edges = graph
    assert nodes.columns.tolist() == NODE_COLUMNS and edges.columns.tolist() == EDGE_COLUMNS
    assert 0 < len(nodes) <= 300 and nodes["node_id"].tolist() == list(range(len(nodes)))
    assert nodes["freq"].is_monotonic_decreasing and (nodes["freq"] >= 3).all()
    assert (edges["source"] < edges["target"]).all() and (edges["count"] >= 3).all()
    assert (edges["npmi"] > 0).all() and (edges["npmi"] <= 1).all()
    assert not edges.duplicated(["source", "target"]).any()
    linked = set(edges["source"]) | set(edges["target"])
    assert (nodes["community"] == -1).tolist() == [n not in linked for n in nodes["node_id"]]
    # every edge is among the top 8 (by NPMI) of at least one of its ends
    both = np.concatenate([edges["source"], edges["target"]])
    npmi = np.concatenate([edges["npmi"], edges["npmi"]])
    rank = {}
    for node in np.unique(both):
        values = np.sort(npmi[both == node])[::-1]
        rank[node] = values[min(7, len(values) - 1)]
    assert all(
        max(n - rank[s], n - rank[t]) >= -1e-12
        for s, t, n in edges[["source", "target", "npmi"]].itertuples(index=False)
    )


def test_counts_and_association_match_the_sentences(graph, kept):
    nodes, edges = graph
    edge = edges.query("source_term == '两张皮' or target_term == '两张皮'").iloc[0]
    a, b = (
        set(_sentences_with(kept, edge["source_term"])),
        set(_sentences_with(kept, edge["target_term"])),
    )
    n = (kept["tokens"].map(len) >= 0).sum()
    assert edge["count"] == len(a & b)
    pmi = np.log(len(a & b) * n / (len(a) * len(b)))
    assert edge["pmi"] == pytest.approx(pmi)
    assert edge["npmi"] == pytest.approx(pmi / -np.log(len(a & b) / n))
    row = nodes.set_index("term").loc["两张皮"]
    assert row["sent_ids"] == _sentences_with(kept, "两张皮")
    assert row["freq"] == len(row["sent_ids"])
    assert row["n_docs"] == kept.set_index("sent_id").loc[row["sent_ids"], "doc_id"].nunique()


def test_communities_and_centrality(graph):
    nodes, _ = graph
    sizes = nodes.loc[nodes["community"] >= 0, "community"].value_counts().sort_index()
    assert len(sizes) >= 3
    assert sizes.is_monotonic_decreasing  # 0 = largest
    assert (nodes["pagerank"] > 0).all() and nodes["pagerank"].sum() == pytest.approx(1.0)
    assert nodes["betweenness"].between(0, 1).all()
    assert ((nodes["strength"] > 0) == (nodes["community"] >= 0)).all()


def test_role_profiles(graph, kept):
    nodes, _ = graph
    assert np.allclose(nodes[ROLE_SHARES].sum(axis=1), 1.0)
    row = nodes.set_index("term").loc["党务干部"]
    roles = kept.set_index("sent_id").loc[row["sent_ids"], "role"]
    assert row["share_problem"] == pytest.approx((roles == "problem").mean())


def test_must_show_roles(wide):
    nodes = wide[0].set_index("term")
    assert nodes.loc["两张皮", "dominant_role"] in ("problem", "cause")
    assert (
        nodes.loc["两张皮", "share_problem"] + nodes.loc["两张皮", "share_cause"]
        > nodes.loc["两张皮", "share_countermeasure"]
    )
    for term in ("考核机制", "专职化"):
        assert nodes.loc[term, "dominant_role"] in ("cause", "countermeasure")


def test_problem_countermeasure_links(wide, sample_tables, kept):
    nodes = wide[0]
    links = problem_countermeasure_links(
        sample_tables["sentences"], nodes, documents=sample_tables["documents"]
    )
    assert links.columns.tolist() == [
        "problem_term",
        "countermeasure_term",
        "n_docs",
        "n_pairs",
        "score",
    ]
    role = nodes.set_index("term")["dominant_role"]
    assert role[links["problem_term"]].isin(["problem", "cause"]).all()
    assert (role[links["countermeasure_term"]] == "countermeasure").all()
    assert (
        (links["n_docs"] >= 2).all() and (links["score"] > 0).all() and (links["score"] <= 1).all()
    )
    assert links["score"].is_monotonic_decreasing
    first = links.iloc[0]
    docs_p = {
        s[:6]
        for s in kept.loc[
            kept["role"].isin(["problem", "cause"])
            & kept["tokens"].map(lambda t: first["problem_term"] in t),
            "sent_id",
        ]
    }
    docs_c = {
        s[:6]
        for s in kept.loc[
            (kept["role"] == "countermeasure")
            & kept["tokens"].map(lambda t: first["countermeasure_term"] in t),
            "sent_id",
        ]
    }
    assert first["n_docs"] == len(docs_p & docs_c)
    n = kept["doc_id"].nunique()
    p_both, p_p, p_c = len(docs_p & docs_c) / n, len(docs_p) / n, len(docs_c) / n
    expected = 1.0 if p_both == 1 else np.log(p_both / (p_p * p_c)) / -np.log(p_both)
    assert first["score"] == pytest.approx(expected)
    by_section = problem_countermeasure_links(kept, nodes, level="section", min_docs=1)
    assert len(by_section) and (by_section["n_docs"] <= by_section["n_pairs"]).all()


def test_claim_units(sample_tables):
    nodes, edges = build_graph(
        sample_tables["sentences"], unit="claim", documents=sample_tables["documents"]
    )
    sentence_nodes, _ = build_graph(
        sample_tables["sentences"], unit="sentence", documents=sample_tables["documents"]
    )
    assert (
        len(edges)
        and nodes.set_index("term").loc["党建", "freq"]
        < sentence_nodes.set_index("term").loc["党建", "freq"]
    )


def test_gexf_is_deterministic_and_readable(graph, tmp_path):
    nodes, edges = graph
    a = to_gexf(nodes, edges, tmp_path / "a.gexf").read_bytes()
    b = to_gexf(*build_graph_again(graph), tmp_path / "b.gexf").read_bytes()
    assert a == b and b"lastmodifieddate" not in a
    back = nx.read_gexf(tmp_path / "a.gexf")
    assert back.number_of_nodes() == len(nodes) and back.number_of_edges() == len(edges)
    assert back.nodes["0"]["label"] == nodes.loc[0, "term"]


def build_graph_again(graph):
    nodes, edges = graph
    return nodes.sample(frac=1, random_state=1), edges.sample(frac=1, random_state=1)


def test_same_input_gives_identical_bytes(sample_tables, tmp_path):
    runs = [
        build_graph(sample_tables["sentences"], documents=sample_tables["documents"])
        for _ in range(2)
    ]
    for i, name in enumerate(("nodes", "edges")):
        a = write_parquet(runs[0][i], tmp_path / f"{name}0.parquet").read_bytes()
        b = write_parquet(runs[1][i], tmp_path / f"{name}1.parquet").read_bytes()
        assert a == b
