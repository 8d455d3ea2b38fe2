"""Extreme sizes, odd names and links: empty files, a 50 MB line, thousands of files, symlinks.

Each case finishes (a generous hang guard, not a speed test) and every file is in the
ingest report, 'ok' or 'skipped' with a reason.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from pipeline.ingest import ingest
from pipeline.structure import structure

from ._build import NAME_MAX, ROLES, check_report, sample_docx, sample_texts, within

MIB = 1024 * 1024
LINE = "".join(sample_texts()[3].split())  # report 003 as one line without white space


def _one_line(size: int) -> bytes:
    """``size`` bytes (give or take one character) of real report text with no line break."""
    unit = LINE.encode("utf-8")
    data = unit * (size // len(unit) + 1)
    return data[:size].decode("utf-8", "ignore").encode("utf-8")


@pytest.mark.parametrize("ext", [".txt", ".md", ".html", ".docx", ".pdf"])
def test_empty_file_is_skipped_as_empty(tmp_path: Path, ext: str) -> None:
    (tmp_path / f"空{ext}").write_bytes(b"")
    result = ingest(tmp_path)
    check_report(result.report, result.documents, {f"空{ext}"})
    assert result.report.loc[0, "reason"] == "empty file"


def test_whitespace_only_files_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "spaces.txt").write_bytes(b" \n\t\r\n" * 1000)
    (tmp_path / "ideographic.txt").write_text("\u3000\u200b\ufeff\n" * 500, encoding="utf-8")
    (tmp_path / "markup.html").write_text("<html><body><script>x</script></body></html>")
    result = ingest(tmp_path)
    check_report(result.report, result.documents, {"spaces.txt", "ideographic.txt", "markup.html"})
    assert (result.report["status"] == "skipped").all()


@pytest.mark.slow
def test_a_50_mb_line_over_the_limit_is_refused_unread(tmp_path: Path) -> None:
    """One line just over the default max_file_mb=50: refused by its size, not read."""
    (tmp_path / "one_line.txt").write_bytes(_one_line(50 * MIB + 3))
    (tmp_path / "good.txt").write_text(sample_texts()[3], encoding="utf-8")
    result = within(60, ingest, tmp_path)
    check_report(result.report, result.documents, {"one_line.txt", "good.txt"})
    row = result.report.set_index("source_file").loc["one_line.txt"]
    assert row["status"] == "skipped" and "over max_file_mb=50" in row["reason"]
    assert row["n_bytes"] >= 50 * MIB


@pytest.mark.slow
def test_a_long_line_under_the_limit_is_read_and_structured(tmp_path: Path) -> None:
    """A 2 MB one-line report is read as one article; structure splits it into sentences.

    Ingest and structure are linear in the length (about 1 s per MB each); the hang guard
    catches a quadratic step, which would take hours on 700,000 characters.
    """
    data = _one_line(2 * MIB)
    (tmp_path / "one_line.txt").write_bytes(data)
    result = within(120, ingest, tmp_path)
    check_report(result.report, result.documents, {"one_line.txt"})
    assert result.report.loc[0, "status"] == "ok"
    documents = result.documents
    assert len(documents) == 1 and documents.loc[0, "n_chars"] > 600_000
    sentences = within(120, structure, documents)
    assert len(sentences) > 5_000 and set(sentences["role"]) <= ROLES
    assert "".join(sentences["text"]).count("党") >= documents.loc[0, "text"].count("党") * 0.99


@pytest.mark.slow
def test_thousands_of_files_with_long_unicode_names_in_deep_folders(tmp_path: Path) -> None:
    """3,000 small reports, half of them 12 folders deep, names near the 255-byte limit."""
    root = tmp_path / "corpus"
    deep = root
    for depth in range(12):
        deep = deep / f"{'党建调研目录' * 10}{depth:02d}"  # 182 bytes per folder name
    deep.mkdir(parents=True)
    text = sample_texts()[3]
    expected = set()
    for i in range(3000):
        folder = deep if i % 2 else root
        stem = f"{'报告文件名称很长的😀' * 7}_{i:05d}"[:80]
        name = stem + ".txt"
        assert len(name.encode("utf-8")) <= NAME_MAX
        (folder / name).write_text(
            f"第{i}号报告。" + text[i % 5000 : i % 5000 + 60], encoding="utf-8"
        )
        expected.add((folder / name).relative_to(root).as_posix())
    result = within(180, ingest, root)
    check_report(result.report, result.documents, expected)
    assert (result.report["status"] == "ok").all()
    assert result.documents["source_file"].nunique() == 3000


def test_odd_but_valid_names_are_read(tmp_path: Path) -> None:
    """Newlines, tabs, RTL marks, emoji, combining marks, shell characters, a 255-byte name."""
    names = [
        "a\nb.txt", "tab\there.txt", " lead and trail .txt", "עברית-عربي\u202e.txt",
        "e\u0301\u0301\u0301.txt", "😀👨\u200d👩\u200d👧.txt", "-rf *.txt", "$(reboot);`id`.txt",
        "back\\slash.txt", "CON.txt", "x" * (NAME_MAX - 4) + ".txt", "党" * 83 + ".txt",
        "\u00e9.txt", "e\u0301.txt",  # NFC and NFD: two different files
    ]  # fmt: skip
    text = sample_texts()[3][:400]
    for name in names:
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = ingest(tmp_path)
    check_report(result.report, result.documents, set(names))
    assert (result.report["status"] == "ok").all()


def test_names_that_are_not_utf8_are_reported_not_crashed(tmp_path: Path) -> None:
    """A GBK-encoded file name (not valid UTF-8) and a folder of that kind: skipped, named."""
    root = os.fsencode(tmp_path)
    text = sample_texts()[3][:400].encode("utf-8")
    with open(root + b"/" + "调研报告".encode("gbk") + b".txt", "wb") as handle:
        handle.write(text)
    os.mkdir(root + b"/\xff\xfe folder")
    with open(root + b"/\xff\xfe folder/in.txt", "wb") as handle:
        handle.write(text)
    (tmp_path / "good.txt").write_bytes(text)
    result = ingest(tmp_path)
    report = result.report
    assert len(report) == 3 and report["source_file"].is_unique
    bad = report[report["source_file"] != "good.txt"]
    assert (bad["status"] == "skipped").all()
    assert bad["reason"].str.contains("file name is not valid UTF-8").all()
    assert all(name.isprintable() for name in bad["source_file"])  # escaped, writable to CSV
    report.to_csv(tmp_path.parent / "report.csv")  # no UnicodeEncodeError
    assert set(result.documents["source_file"]) == {"good.txt"}


def test_symlinks_out_of_the_corpus_or_in_loops_are_not_followed(tmp_path: Path) -> None:
    """Links to a folder outside, to /etc/passwd, to /dev/zero, relative ../ links, loops."""
    root = tmp_path / "corpus"
    (root / "sub").mkdir(parents=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = "机密材料不得外传，" * 20
    (outside / "secret.txt").write_text(secret, encoding="utf-8")
    (root / "good.txt").write_text(sample_texts()[3], encoding="utf-8")
    links = {
        "outdir": outside,
        "passwd.txt": Path("/etc/passwd"),
        "zero.txt": Path("/dev/zero"),
        "sub/up.txt": Path("../../outside/secret.txt"),
        "sub/parent": Path(".."),
        "self": Path("."),
        "a.txt": Path("b.txt"),
        "b.txt": Path("a.txt"),
        "alias.txt": Path("good.txt"),  # inside the corpus: read (a duplicate of good.txt)
        "insidedir": Path("sub"),  # a folder inside: its files are read under sub/
    }
    for rel, target in links.items():
        (root / rel).symlink_to(target)
    result = within(60, ingest, root)
    check_report(result.report, result.documents, {"good.txt", *links})
    report = result.report.set_index("source_file")
    assert report.loc["alias.txt", "status"] == "ok" and report.loc["good.txt", "status"] == "ok"
    for rel in set(links) - {"alias.txt"}:
        assert report.loc[rel, "status"] == "skipped", rel
        assert "symlink" in report.loc[rel, "reason"], (rel, report.loc[rel, "reason"])
    for rel in ("outdir", "passwd.txt", "zero.txt", "sub/up.txt"):
        assert "outside the corpus" in report.loc[rel, "reason"]
    for rel in ("sub/parent", "self", "a.txt"):
        assert "loop" in report.loc[rel, "reason"]
    texts = "".join(result.documents["text"])
    assert "机密材料" not in texts and "root:" not in texts


def test_corpus_given_through_a_symlink_is_read(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (real / "good.txt").write_text(sample_texts()[3], encoding="utf-8")
    (tmp_path / "link").symlink_to(real, target_is_directory=True)
    result = ingest(tmp_path / "link")
    check_report(result.report, result.documents, {"good.txt"})
    assert result.report.loc[0, "status"] == "ok"


def test_docx_inside_deep_unicode_folder(tmp_path: Path) -> None:
    folder = tmp_path / "二〇二四" / "第一季度 (终稿)" / "😀"
    folder.mkdir(parents=True)
    (folder / "报告.docx").write_bytes(sample_docx())
    result = ingest(tmp_path)
    check_report(result.report, result.documents, {"二〇二四/第一季度 (终稿)/😀/报告.docx"})
    assert result.report.loc[0, "status"] == "ok"
    assert isinstance(result.documents, pd.DataFrame) and len(result.documents) >= 1


@pytest.mark.slow
def test_ten_thousand_empty_files_are_each_reported(tmp_path: Path) -> None:
    """Names by the thousand: every one gets its own 'skipped' row, nothing is lost."""
    names = {f"{i:05d}_空白报告.txt" for i in range(10_000)}
    for name in names:
        (tmp_path / name).touch()
    result = within(120, ingest, tmp_path)
    check_report(result.report, result.documents, names)
    assert (result.report["reason"] == "empty file").all()
