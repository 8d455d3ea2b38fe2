"""Role accuracy against hand labels (tests/data/role_labels.csv), with and without headings.

The labels were given by reading each sentence in its report: what the sentence says
(reports done work, states a shortfall, explains why, prescribes, or is background), not
which section it sits in. Sentences are copied verbatim from corpus/sample (001 converted
with OpenCC t2s). Run with ``-s`` to see the confusion matrices.
"""

from __future__ import annotations

from pathlib import Path

import opencc
import pandas as pd
import pytest
from sklearn.metrics import confusion_matrix

from pipeline.structure import RoleClassifier, structure
from pipeline.structure.roles import ROLES

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "tests" / "data" / "structure" / "docs"
LABELS = ROOT / "tests" / "data" / "role_labels.csv"
SAMPLE = ROOT / "corpus" / "sample"


@pytest.fixture(scope="module")
def labels() -> pd.DataFrame:
    table = pd.read_csv(LABELS, dtype=str, keep_default_na=False)
    return table.assign(report=table["doc_file"].str[:3])


@pytest.fixture(scope="module")
def corpus() -> pd.DataFrame:
    rows = []
    for path in sorted(DOCS.glob("*.txt")):
        title, text = path.read_text(encoding="utf-8").split("\n", 1)
        rows.append((path.stem, title, text))
    return pd.DataFrame(rows, columns=["doc_id", "title", "text"])


@pytest.fixture(scope="module")
def headed(corpus: pd.DataFrame) -> pd.DataFrame:
    return structure(corpus)


def without_headings(sentences: pd.DataFrame) -> pd.DataFrame:
    """The same articles with every heading line and heading prefix (and the title) deleted."""
    body = sentences[~sentences["is_heading"]]
    rows = [
        (doc_id, "", "\n".join(group.groupby("para_index")["text"].apply("".join)))
        for doc_id, group in body.groupby("doc_id", sort=True)
    ]
    return pd.DataFrame(rows, columns=["doc_id", "title", "text"])


def accuracy(labels: pd.DataFrame, sentences: pd.DataFrame, name: str) -> tuple[float, float]:
    """(share of labels found in the output, accuracy on those), printing a confusion matrix."""
    first = sentences.assign(report=sentences["doc_id"].str[:3]).drop_duplicates(["report", "text"])
    merged = labels.merge(first[["report", "text", "role"]], on=["report", "text"], how="left",
                          suffixes=("", "_predicted"))  # fmt: skip
    found = merged.dropna(subset=["role_predicted"])
    matrix = pd.DataFrame(
        confusion_matrix(found["role"], found["role_predicted"], labels=list(ROLES)),
        index=[f"true {r}" for r in ROLES],
        columns=[r[:7] for r in ROLES],
    )
    score = float((found["role"] == found["role_predicted"]).mean())
    print(f"\n{name}: accuracy {score:.3f} on {len(found)} of {len(labels)} labels\n{matrix}")
    return len(found) / len(labels), score


def test_labelled_set_is_spread_and_verbatim(labels: pd.DataFrame) -> None:
    assert list(labels.columns[:3]) == ["doc_file", "text", "role"]
    assert len(labels) >= 100
    assert labels["role"].value_counts().reindex(ROLES).min() >= 12
    assert labels["report"].nunique() == 5 and labels["report"].value_counts().min() >= 20
    assert not labels.duplicated(["doc_file", "text"]).any()
    convert = opencc.OpenCC("t2s").convert
    for doc_file, group in labels.groupby("doc_file"):
        source = convert((SAMPLE / doc_file).read_text(encoding="utf-8"))
        missing = [t for t in group["text"] if t not in source]
        assert not missing, f"{doc_file}: not verbatim: {missing[:3]}"


def test_role_accuracy_with_headings(labels: pd.DataFrame, headed: pd.DataFrame) -> None:
    found, score = accuracy(labels, headed, "with headings")
    assert found == 1.0
    assert score >= 0.90, f"accuracy {score:.3f} < 0.90 (run with -s for the confusion matrix)"


@pytest.mark.slow
def test_role_accuracy_without_headings(labels: pd.DataFrame, headed: pd.DataFrame) -> None:
    plain = without_headings(headed)
    trained = headed[headed["role_source"] == "heading"]
    classifier = RoleClassifier().fit(trained["text"], trained["role"])
    out = structure(plain, classifier=classifier)
    assert (out["role_source"] == "sentence").all()  # no heading is left to give a role
    found, score = accuracy(
        labels, out, "without headings, classifier trained on the headed corpus"
    )
    assert found >= 0.8  # labelled headings are gone with the headings
    assert score >= 0.75, f"accuracy {score:.3f} < 0.75 (run with -s for the confusion matrix)"
    # Default: nothing to self-train on, so the classifier learns from cue words alone.
    _, cue_score = accuracy(labels, structure(plain), "without headings, trained on cue words")
    assert cue_score >= 0.55, f"cue-trained accuracy fell to {cue_score:.3f}"


def test_role_accuracy_on_the_real_pipeline_run(labels: pd.DataFrame, sample_run) -> None:
    """The same labels against the sentences of a real run (real ingest, not the fixtures).

    Ingest makes punctuation consistent (ASCII ``,`` becomes ``，``), so sentences are matched
    on their Chinese characters and digits only.
    """
    import re

    def key(text: pd.Series) -> pd.Series:
        return text.map(lambda t: re.sub(r"[^\u4e00-\u9fff0-9A-Za-z]", "", t))

    docs = sample_run.tables["documents"]
    report = docs.set_index("doc_id")["source_file"].str[:3]
    sentences = sample_run.tables["sentences"]
    sentences = sentences.assign(
        doc_id=sentences["doc_id"].map(report), text=key(sentences["text"])
    )
    found, score = accuracy(labels.assign(text=key(labels["text"])), sentences, "real pipeline run")
    assert found >= 0.9, f"only {found:.1%} of labelled sentences found in the run"
    assert score >= 0.90, f"accuracy {score:.3f} < 0.90 (run with -s for the confusion matrix)"
