"""TokenIndex gives the same count matrices as CountVectorizer on the sample's tokens."""

from __future__ import annotations

import numpy as np
import pyarrow.parquet as pq
from sklearn.feature_extraction.text import CountVectorizer

from pipeline.tokens import TokenIndex
from pipeline.topics.units import identity


def test_token_index_matches_count_vectorizer(sample_run):
    path = sample_run.out / "sentences.parquet"
    tokens = sample_run.tables["sentences"]["tokens"]
    from_lists = TokenIndex.build(tokens)
    from_arrow = TokenIndex.build(pq.read_table(path, columns=["tokens"])["tokens"])
    vectorizer = CountVectorizer(analyzer=identity, lowercase=False)
    expected = vectorizer.fit_transform(list(tokens))
    assert from_lists.vocab.tolist() == vectorizer.get_feature_names_out().tolist()
    assert np.array_equal(from_lists.codes, from_arrow.codes)
    assert (from_lists.counts() != expected).nnz == 0
    assert from_lists.tokens(int(np.argmax(from_lists.lengths()))) == list(
        tokens.iloc[int(np.argmax(from_lists.lengths()))]
    )


def test_grouped_and_binary_counts():
    index = TokenIndex.build([["两张皮", "两张皮"], ["考核机制"], None, ["专职化", "两张皮"]])
    grouped = index.counts(np.array([1, 1, 0, -1]), n_groups=2).toarray()
    assert grouped.tolist() == [[0, 0, 0], [0, 2, 1]]
    assert index.counts(binary=True).toarray()[0].tolist() == [0, 1, 0]
    assert index.lengths().tolist() == [2, 1, 0, 2]
