"""Graph stage: co-occurrence backbone, communities, roles, problem -> countermeasure, GEXF."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from pipeline.graph import (
    EDGE_COLUMNS,
    NODE_COLUMNS,
    build_graph,
    problem_countermeasure_links,
    to_gexf,
)
from pipeline.graph.mentions import mention_role_mass, problem_mentions
from pipeline.graph.views import term_incidence
from pipeline.tables import write_parquet
from pipeline.topics.profiles import role_onehot
from pipeline.topics.units import ROLES, analysed_sentences

ROLE_SHARES = [
    "share_achievement",
    "share_problem",
    "share_cause",
    "share_countermeasure",
    "share_other",
]


@pytest.fixture(scope="module")
def kept(segmented_sample):
    return analysed_sentences(segmented_sample["sentences"], segmented_sample["documents"])


@pytest.fixture(scope="module")
def graph(segmented_sample):
    return build_graph(segmented_sample["sentences"], documents=segmented_sample["documents"])


@pytest.fixture(scope="module")
def wide(segmented_sample):
    """All terms seen in >= 3 sentences (the sample has ~780; the default keeps 300)."""
    return build_graph(
        segmented_sample["sentences"], documents=segmented_sample["documents"], max_nodes=2000
    )


@pytest.fixture(scope="module")
def run_graph(segmented_sample, priority_terms):
    """The graph as the run builds it: default options, lexicon + accepted terms as priority."""
    return build_graph(
        segmented_sample["sentences"],
        documents=segmented_sample["documents"],
        priority_terms=priority_terms,
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
    assert np.allclose(nodes[[f"sent_{c}" for c in ROLE_SHARES]].sum(axis=1), 1.0)
    row = nodes.set_index("term").loc["党务干部"]
    roles = kept.set_index("sent_id").loc[row["sent_ids"], "role"]
    assert row["sent_share_problem"] == pytest.approx((roles == "problem").mean())


def test_mention_roles_and_lift_over_the_corpus_mention_mix(graph, kept):
    """share_* count framed mentions as problem; dominant_role = largest lift over all terms."""
    nodes, _ = graph
    vocab = sorted(set(kept["tokens"].explode().dropna()))
    marks = term_incidence(kept, vocab)
    framed = problem_mentions(kept["text"].tolist(), marks, vocab)
    mass = mention_role_mass(marks, framed, role_onehot(kept["role"]), ROLES.index("problem"))
    base = mass.sum(axis=0) / mass.sum()
    columns = [vocab.index(t) for t in nodes["term"]]
    shares = mass[columns] / mass[columns].sum(axis=1, keepdims=True)
    assert np.allclose(nodes[ROLE_SHARES].to_numpy(), shares)
    lift = nodes[ROLE_SHARES].to_numpy() / base
    assert nodes["dominant_role"].tolist() == [ROLES[i] for i in lift.argmax(axis=1)]
    # a term never framed as a problem keeps its sentence-role profile
    unframed = np.asarray(framed[:, columns].sum(axis=0)).ravel() == 0
    assert unframed.sum() > 100
    sent = nodes[[f"sent_{c}" for c in ROLE_SHARES]].to_numpy()
    assert np.allclose(nodes[ROLE_SHARES].to_numpy()[unframed], sent[unframed])
    two = nodes.set_index("term").loc["两张皮"]
    assert two["share_problem"] > 2 * two["sent_share_problem"]


def test_must_show_on_the_sample(run_graph):
    """Issue must-show: 两张皮 problem-dominant; 考核机制, 专职化 cause/countermeasure side;
    at least three communities -- on the graph as the run builds it (default max_nodes)."""
    nodes = run_graph[0].set_index("term")
    assert nodes.loc["两张皮", "dominant_role"] == "problem"
    for term in ("考核机制", "专职化"):
        assert nodes.loc[term, "dominant_role"] in ("cause", "countermeasure")
        assert nodes.loc[term, "community"] >= 0
    assert nodes.loc[nodes["community"] >= 0, "community"].nunique() >= 3


def test_priority_terms_are_nodes_before_the_frequency_ranking(graph, run_graph, priority_terms):
    plain, nodes = graph[0], run_graph[0]
    assert "考核机制" not in set(plain["term"]) and "专职化" not in set(plain["term"])
    assert len(nodes) == 300 and nodes["node_id"].tolist() == list(range(300))
    assert nodes["freq"].is_monotonic_decreasing and (nodes["freq"] >= 3).all()
    flagged = nodes["term"].isin(priority_terms)
    assert 0 < flagged.sum() < 300
    # the other places go to the most frequent other terms
    others = plain.loc[~plain["term"].isin(priority_terms)]
    cut = nodes.loc[~flagged, "freq"].min()
    assert set(others.loc[others["freq"] > cut, "term"]) <= set(nodes["term"])


def test_priority_nodes_without_backbone_edges_keep_two_weak_ones(run_graph, priority_terms):
    nodes, edges = run_graph
    weak = edges[edges["count"] < 3]
    assert len(weak) and (weak["count"] >= 2).all() and (weak["npmi"] > 0).all()
    strong = edges[edges["count"] >= 3]
    backbone = set(strong["source"]) | set(strong["target"])
    term = nodes.set_index("node_id")["term"]
    for s, t in weak[["source", "target"]].itertuples(index=False):
        # a weak edge belongs to a priority node that has no backbone edge
        assert any(n not in backbone and term[n] in priority_terms for n in (s, t))
    ends = pd.concat([weak["source"], weak["target"]])
    ends = ends[~ends.isin(backbone)]
    assert ends.value_counts().max() <= 2


def test_duplicate_documents_are_left_out(graph, segmented_sample):
    docs = segmented_sample["documents"]
    dups = set(docs.loc[docs["dup_of"].notna(), "doc_id"])
    assert len(dups) == 1
    nodes = graph[0].set_index("term")
    all_ids = set().union(*nodes["sent_ids"])
    assert not {i.rsplit(":", 1)[0] for i in all_ids} & dups
    with_dups = build_graph(segmented_sample["sentences"])[0].set_index("term")
    s = segmented_sample["sentences"]
    in_dup = s.loc[s["doc_id"].isin(dups), "tokens"].map(lambda t: "两张皮" in t).sum()
    assert in_dup > 0
    assert with_dups.loc["两张皮", "freq"] == nodes.loc["两张皮", "freq"] + in_dup


def test_problem_countermeasure_links(wide, segmented_sample, kept):
    nodes = wide[0]
    links = problem_countermeasure_links(
        segmented_sample["sentences"], nodes, documents=segmented_sample["documents"]
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
    docs_p = set(
        kept.loc[
            kept["role"].isin(["problem", "cause"])
            & kept["tokens"].map(lambda t: first["problem_term"] in t),
            "doc_id",
        ]
    )
    docs_c = set(
        kept.loc[
            (kept["role"] == "countermeasure")
            & kept["tokens"].map(lambda t: first["countermeasure_term"] in t),
            "doc_id",
        ]
    )
    assert first["n_docs"] == len(docs_p & docs_c)
    n = kept["doc_id"].nunique()
    p_both, p_p, p_c = len(docs_p & docs_c) / n, len(docs_p) / n, len(docs_c) / n
    expected = 1.0 if p_both == 1 else np.log(p_both / (p_p * p_c)) / -np.log(p_both)
    assert first["score"] == pytest.approx(expected)
    by_section = problem_countermeasure_links(kept, nodes, level="section", min_docs=1)
    assert len(by_section) and (by_section["n_docs"] <= by_section["n_pairs"]).all()


def test_claim_units(segmented_sample):
    nodes, edges = build_graph(
        segmented_sample["sentences"], unit="claim", documents=segmented_sample["documents"]
    )
    sentence_nodes, _ = build_graph(
        segmented_sample["sentences"], unit="sentence", documents=segmented_sample["documents"]
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
    assert back.nodes["0"]["sent_share_problem"] == pytest.approx(
        nodes.loc[0, "sent_share_problem"]
    )


def build_graph_again(graph):
    nodes, edges = graph
    return nodes.sample(frac=1, random_state=1), edges.sample(frac=1, random_state=1)


def test_same_input_gives_identical_bytes(segmented_sample, priority_terms, tmp_path):
    runs = [
        build_graph(
            segmented_sample["sentences"],
            documents=segmented_sample["documents"],
            priority_terms=reversed(priority_terms) if n else priority_terms,
        )
        for n in range(2)
    ]
    for i, name in enumerate(("nodes", "edges")):
        a = write_parquet(runs[0][i], tmp_path / f"{name}0.parquet").read_bytes()
        b = write_parquet(runs[1][i], tmp_path / f"{name}1.parquet").read_bytes()
        assert a == b
