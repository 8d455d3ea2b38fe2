"""Term counts and pair rankings on arrays agree with the plain DataFrame versions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.feature_extraction.text import CountVectorizer

from pipeline.keywords import dirichlet_prior
from pipeline.topics.units import analysed_sentences
from pipeline.units import TermCounts
from pipeline.units.groups import group_labels, sentence_groups
from pipeline.units.page_data import _pair_terms
from pipeline.units.terms import score_pair


@pytest.fixture(scope="module")
def counts(sample_tables) -> TermCounts:
    return TermCounts.build(sample_tables["sentences"], sample_tables["documents"], by="unit")


def test_group_counts_equal_a_count_vectorizer_over_each_group(counts, sample_tables):
    docs = sample_tables["documents"]
    kept = analysed_sentences(sample_tables["sentences"], docs)
    regrouped = counts.regroup(docs, by="unit_type")
    labels = sentence_groups(kept, group_labels(docs, "unit_type"))
    vectorizer = CountVectorizer(analyzer=lambda tokens: tokens, lowercase=False)
    matrix = vectorizer.fit_transform(kept["tokens"])
    assert regrouped.vocab.tolist() == vectorizer.get_feature_names_out().tolist()
    for role in (None, "problem"):
        got = regrouped.by_group(role).toarray()
        for k, group in enumerate(regrouped.groups()):
            rows = (labels == group).to_numpy()
            if role is not None:
                rows = rows & (kept["role"] == role).to_numpy()
            assert np.array_equal(got[k], np.asarray(matrix[rows].sum(axis=0)).ravel())
    assert regrouped.rows["sent_id"].equals(counts.rows["sent_id"])


def test_pair_ranking_equals_score_pair_with_ties(counts):
    terms = np.asarray(counts.vocab, dtype=object)
    prior = dirichlet_prior(pd.Series(1, index=terms), 1000.0)  # flat: equal counts tie
    groups = counts.groups()
    a, b = np.zeros(len(terms)), np.zeros(len(terms))
    a[:40], b[:40] = 3.0, 1.0  # 40 terms with one z favouring a: ties ranked by term
    a[40:80], b[40:80] = 0.0, 2.0  # and 40 favouring b
    a[80:90], b[80:90] = 1.0, 1.0  # and some neither
    used = (a > 0) | (b > 0)
    favours_a, favours_b = _pair_terms(
        a, b, used, prior.to_numpy(), float(prior.sum()), terms, top_n=10
    )
    ranked = score_pair(
        pd.Series(a, index=terms), pd.Series(b, index=terms), prior, groups[0], groups[1], top_n=10
    )
    assert [r.term for r in favours_a] == ranked["term"].head(10).tolist()
    assert [r.term for r in favours_b] == ranked["term"].tail(10).tolist()[::-1]
    assert [r.count_a for r in favours_a] == ["3"] * 10 and [r.count_b for r in favours_b] == [
        "2"
    ] * 10
