"""Graph on a TokenIndex: the same matrices as the vectorizer, the same mentions as every pair."""

from __future__ import annotations

import pandas as pd
import pytest
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer

from pipeline.graph import build_graph, problem_countermeasure_links
from pipeline.graph.mentions import PROBLEM_NOUNS, PROBLEM_VERBS, _Framing, problem_mentions
from pipeline.graph.views import term_columns
from pipeline.keywords.analysed import analysed_index, run_counts
from pipeline.tokens import TokenIndex
from pipeline.topics.units import analysed_sentences


@pytest.fixture(scope="module")
def kept(sample_tables) -> pd.DataFrame:
    return analysed_sentences(sample_tables["sentences"], sample_tables["documents"])


def test_term_columns_equal_a_binary_count_vectorizer(kept):
    index = TokenIndex.build(kept["tokens"])
    terms = ["考核机制", "两张皮", "不在词表里的词", "党建"]
    ours = term_columns(index, terms)
    vectorizer = CountVectorizer(analyzer=lambda t: t, lowercase=False, binary=True)
    theirs = vectorizer.set_params(vocabulary=terms).transform(kept["tokens"].tolist())
    assert ours.dtype == theirs.dtype and ours.nnz > 100
    assert (ours != theirs).nnz == 0 and (ours.indices == theirs.indices).all()


def test_problem_mentions_pretest_keeps_every_framed_pair(kept):
    """The cheap pre-test only skips pairs that framed_share scores 0."""
    index = TokenIndex.build(kept["tokens"])
    every = run_counts(index, binary=True)
    vocab = index.vocab.tolist()
    framed = problem_mentions(kept["text"], every, vocab)
    framing, texts = _Framing(PROBLEM_NOUNS, PROBLEM_VERBS, 6), kept["text"]
    rows, cols = every.nonzero()
    shares = [framing.framed_share(texts.iat[r], vocab[c]) for r, c in zip(rows, cols, strict=True)]
    brute = sparse.csr_matrix((shares, (rows, cols)), shape=every.shape)
    brute.eliminate_zeros()
    assert framed.nnz > 100 and (framed != brute).nnz == 0


def test_suffixes_cover_quotes_and_de_between_term_and_noun():
    framing = _Framing(("问题",), ("破解",), 6)
    text = "破解“两张皮”的问题，平等问题"
    ends = framing.suffixes(text, 3)
    assert "两张皮\0" in ends and "平等\0" in ends and "破解\0" not in ends
    assert framing.framed_share(text, "两张皮") == 1.0


def test_a_shared_index_gives_the_runs_graph(sample_tables):
    s, docs = sample_tables["sentences"], sample_tables["documents"]
    index = TokenIndex.build(s["tokens"])
    rows, _ = analysed_index(s, docs, index=index)
    assert len(rows) < len(s)  # the duplicate document is left out
    nodes, edges = build_graph(s, documents=docs, index=index, priority_terms=["两张皮"])
    again, _ = build_graph(s, documents=docs, priority_terms=["两张皮"])
    pd.testing.assert_frame_equal(nodes, again)
    links = problem_countermeasure_links(s, nodes, documents=docs, index=index)
    pd.testing.assert_frame_equal(links, problem_countermeasure_links(s, nodes, documents=docs))
    assert len(edges) and len(links)
