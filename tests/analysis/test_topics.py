"""Topics stage: TopicModel estimator, k selection by coherence, shares, roles, save/load."""

from __future__ import annotations

import pickle
from pathlib import Path

import jieba
import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

from pipeline.tables import write_parquet
from pipeline.topics import ROLES, ModelIntegrityError, TopicModel, topics
from pipeline.topics.baseline import compare_with_plain_lda
from pipeline.topics.units import analysed_sentences, analysis_units


@pytest.fixture(scope="module")
def result(segmented_sample):
    return topics(
        segmented_sample["sentences"], segmented_sample["documents"], model="nmf", unit="document"
    )


@pytest.fixture(scope="module")
def claim_units(segmented_sample):
    kept = analysed_sentences(segmented_sample["sentences"], segmented_sample["documents"])
    return analysis_units(kept, unit="claim")


def test_estimator_follows_sklearn_rules(claim_units):
    tm = TopicModel(model="nmf", k_range=(3, 5), n_seeds=2, unit="claim")
    assert not [a for a in vars(tm) if a.endswith("_")]  # __init__ only stores parameters
    assert clone(tm).get_params() == tm.get_params()
    fitted = tm.fit(claim_units["tokens"].tolist())
    assert fitted is tm
    for name in ("k_", "model_", "vocabulary_", "dictionary_", "selection_", "topics_", "labels_"):
        assert hasattr(tm, name)
    with pytest.raises(ValueError, match="model = 'hdp' is not one of nmf, lda"):
        TopicModel(model="hdp").fit(claim_units["tokens"].tolist())


def test_k_is_chosen_by_coherence_with_stability(result):
    sel = result.model_selection
    assert sel.columns.tolist()[:4] == ["k", "c_npmi", "c_v", "stability"]
    assert sel["k"].tolist() == list(range(3, 11))
    assert sel["c_npmi"].between(-1, 1).all() and sel["c_v"].between(0, 1).all()
    assert sel["stability"].between(0, 1).all()
    best = sel.loc[sel["c_npmi"].idxmax(), "k"]
    assert result.model.k_ == best == sel.loc[sel["chosen"], "k"].item()


def test_fixed_k_skips_the_search(claim_units):
    tm = TopicModel(k=4).fit(claim_units["tokens"].tolist())
    assert tm.k_ == 4 and tm.selection_.empty
    assert tm.topics_.groupby("topic").size().tolist() == [10] * 4


def test_topic_tables(result, segmented_sample):
    k = result.model.k_
    assert result.topics.columns.tolist() == ["topic", "rank", "term", "weight"]
    assert (
        result.topics.groupby("topic")["weight"].apply(lambda w: w.is_monotonic_decreasing)
    ).all()
    labels = result.topic_labels
    assert labels["topic"].tolist() == list(range(k))
    for label in labels["label"]:
        parts = label.split("·")
        assert len(parts) == 3 and all(p in result.model.vocabulary_ for p in parts)
    shares = labels[[f"share_{r}" for r in ROLES]]
    assert np.allclose(shares.sum(axis=1), 1.0)
    assert labels["dominant_role"].isin(ROLES).all()
    assert labels["prevalence"].sum() == pytest.approx(1.0)
    doc_topics = result.doc_topics
    assert doc_topics.columns.tolist() == ["doc_id", "topic", "share"]
    assert len(doc_topics) == k * len(segmented_sample["documents"])
    assert np.allclose(doc_topics.groupby("doc_id")["share"].sum(), 1.0)


def test_sentence_shares_and_empty_units_get_nan(result, segmented_sample):
    st = result.sentence_topics
    s = segmented_sample["sentences"]
    assert len(st) == result.model.k_ * len(s)
    sums = st.groupby("sent_id")["share"].sum(min_count=1)
    no_tokens = s.loc[s["tokens"].map(len) == 0, "sent_id"]
    assert len(no_tokens) and sums.loc[no_tokens].isna().all()
    assert np.allclose(sums.dropna(), 1.0)
    shares = result.model.transform([[], ["两张皮", "党务干部"], ["不存在的词"]])
    assert np.isnan(shares[0]).all() and np.isnan(shares[2]).all()
    assert shares[1].sum() == pytest.approx(1.0)


def test_document_without_tokens_never_reaches_the_model(segmented_sample):
    docs = pd.concat(
        [segmented_sample["documents"], pd.DataFrame({"doc_id": ["999-00"], "dup_of": [None]})],
        ignore_index=True,
    )
    empty = pd.DataFrame(
        {
            "doc_id": ["999-00"],
            "sent_id": ["999-00:0000"],
            "section_id": ["999-00:s01"],
            "claim_index": [-1],
            "role": ["other"],
            "text": ["。"],
            "tokens": [[]],
        }
    )
    sentences = pd.concat([segmented_sample["sentences"], empty], ignore_index=True)
    out = topics(sentences, docs, k=3)
    assert out.model.n_units_ == docs["dup_of"].isna().sum() - 1
    assert out.doc_topics.query("doc_id == '999-00'")["share"].isna().all()


def test_lda_and_claim_units(segmented_sample, tmp_path):
    out = topics(
        segmented_sample["sentences"],
        segmented_sample["documents"],
        model="lda",
        unit="claim",
        k=4,
        passes=3,
    )
    assert out.model.model_.__class__.__name__ == "LdaModel" and out.model.unit == "claim"
    docs = analysis_units(segmented_sample["sentences"], unit="document")["tokens"].tolist()
    first, again = out.model.transform(docs), out.model.transform(docs)
    assert np.array_equal(first, again)  # LDA inference is re-seeded: same input, same shares
    loaded = TopicModel.load(out.model.save(tmp_path / "lda"))
    assert np.array_equal(loaded.transform(docs), first)


def test_save_load_gives_the_same_shares(result, tmp_path, claim_units):
    folder = result.model.save(tmp_path / "topics")
    assert sorted(p.name for p in folder.iterdir()) == [
        "hashes.json",
        "model.pkl",
        "params.json",
        "vocabulary.txt",
    ]
    loaded = TopicModel.load(folder)
    tokens = claim_units["tokens"].tolist()
    assert np.array_equal(loaded.transform(tokens), result.model.transform(tokens), equal_nan=True)
    assert loaded.labels_ == result.model.labels_


def test_tampered_pickle_is_never_unpickled(result, tmp_path):
    folder = result.model.save(tmp_path / "topics")
    marker = tmp_path / "pwned"

    class Payload:
        def __reduce__(self):
            return (Path.touch, (marker,))

    (folder / "model.pkl").write_bytes(pickle.dumps(Payload()))
    with pytest.raises(ModelIntegrityError, match="does not match"):
        TopicModel.load(folder)
    assert not marker.exists()
    (folder / "hashes.json").unlink()
    with pytest.raises(ModelIntegrityError, match="hashes.json not found"):
        TopicModel.load(folder)


@pytest.mark.slow
def test_selected_model_beats_plain_jieba_lda(result, segmented_sample):
    kept = analysed_sentences(segmented_sample["sentences"], segmented_sample["documents"])
    units = analysis_units(kept, unit=result.model.unit)
    table = compare_with_plain_lda(result.model, units, tokenizer=jieba.Tokenizer()).set_index(
        "model"
    )
    assert table.loc["selected nmf", "c_npmi"] > table.loc["plain jieba LDA", "c_npmi"]
    assert (
        table.loc["plain jieba LDA", "skipped_top_terms"] > 0.3
    )  # its raw top terms are mostly 的/，


@pytest.mark.parametrize("model", ["nmf", "lda"])
def test_same_input_gives_identical_bytes(segmented_sample, tmp_path, model):
    options = {"k_range": (3, 5), "n_seeds": 2} if model == "nmf" else {"k": 3, "passes": 2}
    outs = [
        topics(segmented_sample["sentences"], segmented_sample["documents"], model=model, **options)
        for _ in range(2)
    ]
    for name in ("topics", "doc_topics", "sentence_topics", "model_selection", "topic_labels"):
        a = write_parquet(getattr(outs[0], name), tmp_path / f"{name}0.parquet").read_bytes()
        b = write_parquet(getattr(outs[1], name), tmp_path / f"{name}1.parquet").read_bytes()
        assert a == b, name
