"""Topics from streamed sentences: same tables from a Parquet path (in batches) as from a table,
and the pieces that replaced CountVectorizer and per-run NMF fits give their exact results."""

from __future__ import annotations

import logging
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.decomposition import NMF
from sklearn.decomposition._nmf import _initialize_nmf
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer

from pipeline.tokens import TokenIndex
from pipeline.topics import TopicModel, topics
from pipeline.topics import model as model_module
from pipeline.topics.coherence import sample_rows
from pipeline.topics.corpus import SentenceTokens, take_rows
from pipeline.topics.model import unit_term_counts
from pipeline.topics.selection import nmf_components
from pipeline.topics.units import analysed_sentences, analysis_units, identity

TABLES = ("topics", "doc_topics", "sentence_topics", "model_selection", "topic_labels")


@pytest.fixture(scope="module")
def claim_lists(sample_run) -> list[list[str]]:
    tables = sample_run.tables
    kept = analysed_sentences(tables["sentences"], tables["documents"])
    return [list(t) for t in analysis_units(kept, unit="claim")["tokens"] if len(t)]


def test_parquet_batches_and_shuffled_table_give_the_same_tables(sample_run):
    docs = sample_run.tables["documents"]
    options = {"unit": "claim", "k_range": (3, 5), "n_seeds": 2}
    streamed = topics(sample_run.out / "sentences.parquet", docs, batch_rows=97, **options)
    shuffled = sample_run.tables["sentences"].sample(frac=1.0, random_state=0)
    in_memory = topics(shuffled, docs, **options)
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(streamed, name), getattr(in_memory, name))
    assert streamed.model.vocabulary_.tolist() == in_memory.model.vocabulary_.tolist()
    assert len(streamed.sentence_topics) == streamed.model.k_ * len(shuffled)


def test_sentences_are_read_in_sent_id_order_with_one_vocabulary(sample_run):
    path = sample_run.out / "sentences.parquet"
    one = SentenceTokens.read(path)
    batched = SentenceTokens.read(path, batch_rows=50)
    sentences = sample_run.tables["sentences"].sort_values("sent_id", kind="stable")
    assert batched.sent_id.to_pylist() == sentences["sent_id"].tolist()
    assert np.array_equal(batched.tokens.codes, one.tokens.codes)
    row = int(np.argmax(batched.tokens.lengths()))
    assert batched.tokens.tokens(row) == list(sentences["tokens"].iloc[row])
    assert batched.doc.values().tolist() == sentences["doc_id"].tolist()


def test_unit_counts_are_count_vectorizer_counts_in_its_storage_order(claim_lists):
    vectorizer = CountVectorizer(analyzer=identity, lowercase=False, min_df=2, max_df=0.95)
    expected = vectorizer.fit_transform(claim_lists).tocsr()
    counts, vocabulary = unit_term_counts(TokenIndex.build(claim_lists), min_df=2, max_df=0.95)
    assert vocabulary.tolist() == vectorizer.get_feature_names_out().tolist()
    assert not expected.has_sorted_indices  # the order LDA's sums follow
    for part in ("indptr", "indices", "data"):
        assert np.array_equal(getattr(counts, part), getattr(expected, part)), part
    tm = TopicModel(k=3).fit(claim_lists)
    transformed = tm.counts(claim_lists[:40] + [["不存在的词"], []])
    reference = CountVectorizer(analyzer=identity, lowercase=False, vocabulary=tm.vocabulary_)
    assert (transformed != reference.transform(claim_lists[:40] + [["不存在的词"], []])).nnz == 0


def test_batched_search_runs_are_scikit_learn_nmf_runs(claim_lists):
    counts, _ = unit_term_counts(TokenIndex.build(claim_lists))
    weighted = TfidfTransformer().fit_transform(counts)
    keys = [(k, seed) for k in (3, 6) for seed in (42, 43)]
    starts = [_initialize_nmf(weighted, k, init="random", random_state=s) for k, s in keys]
    batched = nmf_components(weighted, starts)
    for (k, seed), components in zip(keys, batched, strict=True):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            single = NMF(n_components=k, init="random", random_state=seed, max_iter=100)
            single.fit(weighted)
        assert np.array_equal(components, single.components_), (k, seed)


def test_search_sample_is_bounded_by_units_and_tokens():
    lengths = np.array([40, 10, 10, 10, 300, 10])
    assert sample_rows(lengths, max_rows=None, max_tokens=None, seed=42).tolist() == list(range(6))
    assert sample_rows(lengths, max_rows=10, max_tokens=500, seed=42).size == 6  # under the caps
    capped = sample_rows(lengths, max_rows=None, max_tokens=60, seed=42)
    assert 1 <= capped.size < 6 and (lengths[capped].sum() <= 60 or capped.size == 1)
    assert sample_rows(lengths, max_rows=2, max_tokens=None, seed=42).size == 2


def test_lda_inference_in_chunks_equals_one_call(claim_lists, monkeypatch):
    logging.getLogger("gensim").setLevel(logging.WARNING)
    tm = TopicModel(model="lda", k=3, passes=2, unit="claim").fit(claim_lists)
    sentences = take_rows(TokenIndex.build(claim_lists), np.arange(len(claim_lists)))
    whole = tm.transform(sentences)
    monkeypatch.setattr(model_module, "LDA_CHUNK", 7)
    assert np.array_equal(tm.transform(sentences), whole, equal_nan=True)
