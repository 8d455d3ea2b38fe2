"""Caching and incremental runs: what a rerun reuses, and that reuse never changes the outputs.

Each scenario works on copies of corpus/sample in tmp folders. The full run of the sample is
made once per module (``full``) and serves as the reference every other scenario's outputs
must match byte for byte.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from pipeline import load_config, run
from pipeline.cache import CACHE_FILE, Cache, pack, unpack
from pipeline.tables import read_parquet

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "corpus" / "sample"
PER_DOC = ("ingest", "structure", "segment")
CORPUS_LEVEL = ("keywords", "topics", "graph", "units", "report")
OLD_FILES = ("000_d9d459ff6e47eae7.txt", "001_5d6fb8c6b03e9a71.txt", "003_22f7e5d0ba2c37b3.txt")
NEW_FILES = ("002_31acb1911a78a401.txt", "004_a79e94ede59e9453.txt")

pytestmark = pytest.mark.slow


def output_hashes(out: Path) -> dict[str, str]:
    """SHA-256 of every output file of a run folder (not manifest.json, not the cache)."""
    hashes = {}
    for path in sorted(out.rglob("*")):
        rel = path.relative_to(out)
        if path.is_file() and rel.parts[0] != "cache" and rel.name != "manifest.json":
            hashes[rel.as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return hashes


def assert_same_outputs(out: Path, expected: dict[str, str]) -> None:
    got = output_hashes(out)
    assert sorted(got) == sorted(expected), "a different set of output files"
    different = sorted(rel for rel in expected if got[rel] != expected[rel])
    assert not different, f"outputs differ from the reference run: {different}"


def assert_clean_folder(out: Path) -> None:
    """A finished run leaves no staging folder and no commit journal behind."""
    assert not (out / ".staging").exists()
    assert not (out / ".commit.json").exists()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for rel, digest in manifest["files"].items():
        assert hashlib.sha256((out / rel).read_bytes()).hexdigest() == digest, rel


def copy_corpus(target: Path, files: tuple[str, ...] | None = None) -> Path:
    target.mkdir(parents=True)
    for path in SAMPLE.iterdir():
        if files is None or path.name in files or path.name == "metadata.csv":
            shutil.copy2(path, target / path.name)
    return target


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """One complete run of the 5-file sample: its corpus, folder, result and output hashes."""
    base = tmp_path_factory.mktemp("cache_full")
    corpus = copy_corpus(base / "corpus")
    result = run(corpus, base / "out", config=load_config(None))
    return {
        "corpus": corpus,
        "out": base / "out",
        "result": result,
        "hashes": output_hashes(base / "out"),
        "manifest_files": dict(result.manifest["files"]),
    }


def copy_run(full: dict, target: Path) -> Path:
    """A copy of the reference run folder (cache included) to rerun without touching it."""
    shutil.copytree(full["out"], target)
    return target


def test_first_run_computes_everything(full: dict) -> None:
    reuse = full["result"].manifest["reuse"]
    counts = full["result"].manifest["counts"]
    assert reuse["ingest"] == {"mode": "computed", "items_reused": 0, "items_computed": 5}
    for stage in ("structure", "segment"):
        assert reuse[stage] == {
            "mode": "computed",
            "items_reused": 0,
            "items_computed": counts["articles"],
        }
    for stage in CORPUS_LEVEL:
        assert reuse[stage] == {"mode": "computed"}
    assert_clean_folder(full["out"])


def test_unchanged_rerun_reuses_every_stage(full: dict) -> None:
    again = run(full["corpus"], full["out"], config=load_config(None))
    assert again.manifest["reuse"] == {
        stage: {"mode": "reused outputs"} for stage in (*PER_DOC, *CORPUS_LEVEL)
    }
    assert_same_outputs(full["out"], full["hashes"])
    assert again.manifest["files"] == full["manifest_files"]
    assert again.manifest["counts"] == full["result"].manifest["counts"]
    assert again.manifest["stage_keys"] == full["result"].manifest["stage_keys"]
    # the tables of a reused run are readable from the committed folder
    assert len(again.tables["documents"]) == full["result"].manifest["counts"]["articles"]
    assert len(again.tables["topics"]) > 0
    assert_clean_folder(full["out"])


@pytest.fixture(scope="module")
def incremental(full: dict, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A run of 3 of the 5 files (with the whole metadata.csv), then a rerun with all 5."""
    base = tmp_path_factory.mktemp("cache_incremental")
    corpus = copy_corpus(base / "corpus", OLD_FILES)
    out = base / "out"
    with pytest.warns(UserWarning, match="metadata rows match no document: 002_31acb"):
        first = run(corpus, out, config=load_config(None))
    first_docs = read_parquet(out / "documents.parquet")
    first_docs_bytes = (out / "documents.parquet").read_bytes()
    for name in NEW_FILES:
        shutil.copy2(SAMPLE / name, corpus / name)
    second = run(corpus, out, config=load_config(None))
    return {
        "out": out,
        "first": first,
        "first_docs": first_docs,
        "first_docs_bytes": first_docs_bytes,
        "second": second,
        "base": base,
    }


def test_metadata_rows_of_absent_files_are_harmless(incremental: dict, full: dict) -> None:
    docs = incremental["first_docs"]
    assert sorted(set(docs["source_file"])) == sorted(OLD_FILES)
    assert incremental["first"].manifest["counts"]["files_skipped"] == 0
    # the metadata of the present files is the same as in the full run
    columns = ["source_file", "article_index", "unit", "unit_type", "region", "year", "source"]
    reference = read_parquet(full["out"] / "documents.parquet")
    reference = reference[reference["source_file"].isin(OLD_FILES)]
    assert docs[columns].reset_index(drop=True).equals(reference[columns].reset_index(drop=True))
    # and a metadata.csv cut down to the present files gives the same documents table
    corpus = copy_corpus(incremental["base"] / "filtered", OLD_FILES)
    lines = (SAMPLE / "metadata.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [lines[0], *(line for line in lines[1:] if line.split(",")[0] in OLD_FILES)]
    assert len(kept) < len(lines)
    (corpus / "metadata.csv").write_text("".join(kept), encoding="utf-8")
    filtered = run(corpus, incremental["base"] / "filtered_out", stages=["ingest"])
    filtered_bytes = (filtered.out / "documents.parquet").read_bytes()
    assert filtered_bytes == incremental["first_docs_bytes"]


def test_added_files_compute_only_the_new_items(incremental: dict) -> None:
    reuse = incremental["second"].manifest["reuse"]
    assert reuse["ingest"] == {"mode": "computed", "items_reused": 3, "items_computed": 2}
    docs = read_parquet(incremental["out"] / "documents.parquet")
    old = int(docs["source_file"].isin(OLD_FILES).sum())
    assert old == len(incremental["first_docs"]) and 0 < old < len(docs)
    for stage in ("structure", "segment"):
        assert reuse[stage] == {
            "mode": "computed",
            "items_reused": old,
            "items_computed": len(docs) - old,
        }, stage
    for stage in CORPUS_LEVEL:
        assert reuse[stage] == {"mode": "computed"}, stage
    assert_clean_folder(incremental["out"])


def test_incremental_outputs_equal_a_fresh_full_run(incremental: dict, full: dict) -> None:
    assert_same_outputs(incremental["out"], full["hashes"])
    assert incremental["second"].manifest["counts"] == full["result"].manifest["counts"]
    assert incremental["second"].manifest["files"] == full["manifest_files"]


def test_cache_entries_of_removed_items_are_pruned(incremental: dict) -> None:
    """After the rerun the cache holds exactly the current corpus's items (no growth)."""
    db = sqlite3.connect(incremental["out"] / "cache" / CACHE_FILE)
    try:
        counts = dict(db.execute("SELECT stage, COUNT(*) FROM entries GROUP BY stage"))
    finally:
        db.close()
    articles = incremental["second"].manifest["counts"]["articles"]
    assert counts["ingest"] == 5
    assert counts["structure"] <= articles and counts["segment"] <= articles


def test_corpus_level_option_reuses_every_item(full: dict, tmp_path: Path) -> None:
    out = copy_run(full, tmp_path / "out")
    result = run(full["corpus"], out, config=load_config(None).replace(keywords_top_n=5))
    reuse = result.manifest["reuse"]
    for stage in PER_DOC:
        assert reuse[stage]["mode"] == "computed", stage
        assert reuse[stage]["items_computed"] == 0, stage
        assert reuse[stage]["items_reused"] > 0, stage
    for stage in CORPUS_LEVEL:
        assert reuse[stage] == {"mode": "computed"}, stage
    new = output_hashes(out)
    # recomputed from cached items, the per-document tables come out the same bytes...
    for rel in ("documents.parquet", "ingest_report.csv", "sentences.parquet", "terms.csv"):
        assert new[rel] == full["hashes"][rel], rel
    # ...and the option did change what it governs
    assert new["keywords.parquet"] != full["hashes"]["keywords.parquet"]
    keywords = read_parquet(out / "keywords.parquet")
    assert keywords["rank"].max() == 5
    assert_clean_folder(out)


def test_tampered_cache_entry_is_rejected_and_recomputed(full: dict, tmp_path: Path) -> None:
    out = copy_run(full, tmp_path / "out")
    db = sqlite3.connect(out / "cache" / CACHE_FILE)
    try:
        forged = pack(json.dumps([["伪造", "条目"]], ensure_ascii=False))
        forged_keys = []
        for stage in PER_DOC:
            (key,) = db.execute(
                "SELECT key FROM entries WHERE stage = ? ORDER BY key LIMIT 1", [stage]
            ).fetchone()
            db.execute(
                "UPDATE entries SET value = ? WHERE stage = ? AND key = ?", [forged, stage, key]
            )
            forged_keys.append((stage, key))
        db.commit()
    finally:
        db.close()
    # Without manifest.json the folder is not a finished run: every stage runs, via the cache.
    (out / "manifest.json").unlink()
    result = run(full["corpus"], out, config=load_config(None), force=True)
    assert result.manifest["cache"]["rejected_entries"] >= len(forged_keys)
    reuse = result.manifest["reuse"]
    for stage in PER_DOC:
        assert reuse[stage]["items_computed"] >= 1, stage
        assert reuse[stage]["items_reused"] >= 1, stage
    assert_same_outputs(out, full["hashes"])
    # the recomputed entries replaced the forged ones: reading them back rejects nothing
    cache = Cache(out / "cache")
    try:
        for stage, key in forged_keys:
            assert key in cache.get_many(stage, [key]), stage
        assert cache.rejected == 0
    finally:
        cache.close()


def test_tampered_output_is_not_reused(full: dict, tmp_path: Path) -> None:
    out = copy_run(full, tmp_path / "out")
    with open(out / "documents.parquet", "ab") as handle:
        handle.write(b"tampered")
    result = run(full["corpus"], out, config=load_config(None))
    reuse = result.manifest["reuse"]
    assert reuse["ingest"] == {"mode": "computed", "items_reused": 5, "items_computed": 0}
    for stage in CORPUS_LEVEL:
        assert reuse[stage] == {"mode": "computed"}, stage
    assert_same_outputs(out, full["hashes"])
    assert_clean_folder(out)


def test_tampered_late_output_reuses_the_stages_before_it(full: dict, tmp_path: Path) -> None:
    out = copy_run(full, tmp_path / "out")
    with open(out / "graph.gexf", "ab") as handle:
        handle.write(b"<!-- tampered -->")
    result = run(full["corpus"], out, config=load_config(None))
    reuse = result.manifest["reuse"]
    for stage in ("ingest", "structure", "segment", "keywords", "topics"):
        assert reuse[stage] == {"mode": "reused outputs"}, stage
    for stage in ("graph", "units", "report"):
        assert reuse[stage] == {"mode": "computed"}, stage
    assert_same_outputs(out, full["hashes"])


def test_cache_holds_json_never_pickles(full: dict) -> None:
    db = sqlite3.connect(full["out"] / "cache" / CACHE_FILE)
    try:
        rows = db.execute("SELECT stage, key, digest, value FROM entries").fetchall()
        (integrity,) = db.execute("PRAGMA integrity_check").fetchone()
    finally:
        db.close()
    assert integrity == "ok"
    assert {stage for stage, *_ in rows} == set(PER_DOC)
    for stage, key, digest, value in rows:
        assert hashlib.sha256(value).hexdigest() == digest, (stage, key)
        raw = unpack(value)
        assert not raw.startswith(b"\x80"), f"{stage}/{key} looks like a pickle"
        json.loads(raw.decode("utf-8"))  # raises if not JSON
