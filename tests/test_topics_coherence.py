"""Coherence counted with array operations equals gensim's CoherenceModel on the sample."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pytest
from gensim.corpora import Dictionary
from gensim.models.coherencemodel import CoherenceModel
from gensim.topic_coherence.text_analysis import WordOccurrenceAccumulator

from pipeline.tokens import TokenIndex
from pipeline.topics.coherence import WINDOW, CoherenceScorer, WindowPresence
from pipeline.topics.units import analysed_sentences, analysis_units


@pytest.fixture(scope="module")
def texts(sample_run) -> list[list[str]]:
    """Claim units of the sample, plus a repeated piece (words recurring inside a window) and
    a text shorter than every window."""
    tables = sample_run.tables
    kept = analysed_sentences(tables["sentences"], tables["documents"])
    units = [list(t) for t in analysis_units(kept, unit="claim")["tokens"] if len(t)]
    return [*units, units[0][:6] * 3, units[1][:4]]


@pytest.fixture(scope="module")
def topic_lists(texts) -> list[list[str]]:
    counts = pd.Series([t for text in texts for t in text]).value_counts()
    frequent = counts.index[:150].to_numpy()
    rng = np.random.default_rng(0)
    topics = [list(rng.choice(frequent, size=10, replace=False)) for _ in range(25)]
    topics += [list(counts.index[:10]), [counts.index[0], "不存在的词", counts.index[3]]]
    return [*topics, list(counts.index[-10:]), [counts.index[5]]]


def test_window_counts_are_gensims_accumulator(texts):
    dictionary = Dictionary(texts)
    index = TokenIndex.build(texts)
    words = np.arange(0, len(index.vocab), 7)
    ids = {dictionary.token2id[str(index.vocab[w])] for w in words}
    for window in (3, WINDOW["c_npmi"], WINDOW["c_v"]):
        gensim_counts = WordOccurrenceAccumulator(ids, dictionary).accumulate(texts, window)
        presence = WindowPresence.build(index, words, window)
        co = presence.co_occurrences()
        assert presence.n_windows == gensim_counts.num_docs
        terms = [dictionary.token2id[str(index.vocab[w])] for w in words]
        expected_occ = [gensim_counts[t] for t in terms]
        assert presence.occurrences().tolist() == expected_occ
        pairs = [(0, 1), (2, 5), (3, 3), (10, 40), (len(words) - 1, 1)]
        for a, b in pairs:
            assert co[a, b] == gensim_counts[terms[a], terms[b]], (window, a, b)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_c_npmi_and_c_v_equal_gensim_coherence_model(texts, topic_lists):
    logging.getLogger("gensim").setLevel(logging.WARNING)
    ours = CoherenceScorer(TokenIndex.build(texts)).score(topic_lists)
    dictionary = Dictionary(texts)
    for measure in ("c_npmi", "c_v"):
        model = CoherenceModel(
            topics=topic_lists,
            texts=texts,
            dictionary=dictionary,
            coherence=measure,
            topn=10,
            processes=1,
        )
        expected = np.asarray(model.get_coherence_per_topic(), dtype=float)
        got = ours[measure].to_numpy()
        assert np.array_equal(np.isnan(got), np.isnan(expected)), measure
        assert np.nanmax(np.abs(got - expected)) <= 1e-9, measure
    assert np.isnan(ours["c_npmi"].iloc[-1])  # one word: no pair to score
    assert ours["c_npmi"].between(-1, 1).sum() == len(topic_lists) - 1


def test_terms_outside_the_known_vocabulary_are_skipped(texts):
    index = TokenIndex.build(texts)
    first, second = str(index.vocab[0]), str(index.vocab[1])
    scorer = CoherenceScorer(index, known=[first, second])
    both = scorer.score([[first, second]])
    with_unknown = scorer.score([[first, str(index.vocab[2]), second]])
    pd.testing.assert_frame_equal(both, with_unknown)
    assert scorer.score([["不存在的词"]]).isna().all(axis=None)
