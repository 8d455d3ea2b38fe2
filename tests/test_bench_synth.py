"""The synthetic corpus of the scale benchmarks (benchmarks/synth.py) on a ~0.2 MB build."""

from __future__ import annotations

import csv
import itertools
import sys
from pathlib import Path

import pytest

from pipeline.ingest import ingest
from pipeline.ingest.dedup import canonical, jaccard, shingles
from pipeline.stages import read_metadata
from pipeline.structure import structure
from pipeline.structure.roles import heading_roles

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import synth  # noqa: E402

MEGABYTES = 0.2


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synth.make_corpus(tmp_path_factory.mktemp("synth") / "c", megabytes=MEGABYTES, seed=0)


@pytest.fixture(scope="module")
def ingested(corpus: Path):
    return ingest(corpus, metadata=read_metadata(corpus))


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _metadata(folder: Path) -> list[dict[str, str]]:
    with (folder / "metadata.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_same_seed_gives_the_same_bytes_and_another_seed_does_not(corpus, tmp_path):
    again = synth.make_corpus(tmp_path / "again", megabytes=MEGABYTES, seed=0)
    other = synth.make_corpus(tmp_path / "other", megabytes=MEGABYTES, seed=1)
    assert _files(again) == _files(corpus)
    assert _files(other)["part_000/r000000.txt"] != _files(corpus)["part_000/r000000.txt"]


def test_size_and_report_lengths(corpus):
    sizes = [p.stat().st_size for p in corpus.rglob("*.txt")]
    assert MEGABYTES * 1e6 <= sum(sizes) < MEGABYTES * 1e6 + 12_000
    assert min(sizes) >= 2_000 and max(sizes) <= 12_000
    assert 2_500 <= sum(sizes) / len(sizes) <= 10_000


def test_metadata_rows_match_the_files(corpus):
    rows = _metadata(corpus)
    header = (ROOT / "corpus" / "sample" / "metadata.csv").read_text(encoding="utf-8")
    assert list(rows[0]) == header.splitlines()[0].split(",")
    files = {p.relative_to(corpus).as_posix() for p in corpus.rglob("*.txt")}
    assert [row["file"] for row in rows] == sorted(files)
    assert {row["article_index"] for row in rows} == {"0"}
    assert len({row["unit"] for row in rows}) >= 10
    assert all(2015 <= int(row["year"]) <= 2024 and row["region"] for row in rows)


def test_ingest_reads_every_file_with_few_duplicates(corpus, ingested):
    report, documents = ingested.report, ingested.documents
    n_files = sum(1 for _ in corpus.rglob("*.txt"))
    assert (report["status"] == "ok").sum() == n_files == len(report)
    assert (report["articles"] == 1).all()
    assert documents["dup_of"].notna().sum() < 0.05 * len(documents)
    # metadata rows match the documents: the unit column is the metadata's
    units = {row["file"]: row["unit"] for row in _metadata(corpus)}
    assert documents["unit"].tolist() == [units[f] for f in documents["source_file"]]


def test_bylines_name_the_unit_and_date_without_metadata(corpus):
    documents = ingest(corpus).documents
    rows = {row["file"]: row for row in _metadata(corpus)}
    assert documents["unit"].tolist() == [rows[f]["unit"] for f in documents["source_file"]]
    years = [str(d)[:4] for d in documents["date"]]
    assert years == [rows[f]["year"] for f in documents["source_file"]]


def test_reports_are_far_from_near_duplicates(corpus):
    texts = [canonical(p.read_text(encoding="utf-8")) for p in sorted(corpus.rglob("*.txt"))]
    sets = [shingles(text, 5) for text in texts]
    worst = max(jaccard(a, b) for a, b in itertools.combinations(sets, 2))
    assert worst < 0.3


def test_reports_draw_from_the_whole_pool_in_random_order(corpus):
    pool = synth.sentence_pool()
    body = {s for role in ("problem", "cause", "countermeasure") for s in pool.body[role]}
    assert len(body) > 500
    texts = [p.read_text(encoding="utf-8") for p in sorted(corpus.rglob("*.txt"))]
    used = {s for s in body if any(s in t for t in texts)}
    assert len(used) > 0.5 * len(body)  # ~0.2 MB already reaches most of the pool
    # the first countermeasure sentence differs between reports (a fresh order each)
    firsts = []
    for text in texts:
        section = text.split("对策", 1)[-1] if "对策" in text else text
        firsts.append(next((s for s in pool.body["countermeasure"] if s in section), None))
    assert len(set(firsts)) > 0.5 * len(firsts)


@pytest.mark.parametrize("role", sorted(synth.SECTION_HEADINGS))
def test_section_headings_name_their_role(role):
    assert all(heading_roles(h) == {role} for h in synth.SECTION_HEADINGS[role])


def test_structure_finds_problems_causes_and_countermeasures(ingested):
    sentences = structure(ingested.documents)
    roles = sentences.groupby("doc_id")["role"].agg(set)
    wanted = {"problem", "cause", "countermeasure"}
    assert (roles.map(lambda found: wanted <= found)).mean() >= 0.9
    shares = sentences["role"].value_counts(normalize=True)
    assert shares.get("other", 0.0) < 0.1
    assert shares["countermeasure"] > shares["cause"]
