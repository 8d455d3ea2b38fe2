"""The same real report saved in other encodings and formats gives the same documents.

Variants are written at test time: GB18030, UTF-16 LE/BE and UTF-8 with BOM, .docx
(python-docx), .html and .md of report 003; Big5 of the Big5-encodable lines of the
Traditional report 001 (Simplified text has no Big5 form); a text-layer PDF (reportlab,
CID font STSong-Light, no font file needed).
"""

from __future__ import annotations

import codecs
import html
import io
import re
import shutil
from pathlib import Path

import docx
import pandas as pd
import pytest

from pipeline.ingest import IngestResult, ingest
from pipeline.ingest.process import doc_id
from pipeline.ingest.readers import read_document

SAMPLE = Path(__file__).resolve().parent.parent / "corpus" / "sample"
REPORT = next(SAMPLE.glob("003_*.txt"))
HUBEI = next(SAMPLE.glob("001_*.txt"))
CJK = re.compile(r"[\u4e00-\u9fff]")


def _big5_lines(text: str) -> str:
    keep = []
    for line in text.split("\n"):
        try:
            line.encode("big5")
        except UnicodeEncodeError:
            continue
        keep.append(line)
    return "\n".join(keep)


def _docx(text: str) -> bytes:
    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _html(text: str) -> bytes:
    paragraphs = "".join(f"<p>{html.escape(line)}</p>\n" for line in text.split("\n"))
    page = (
        '<!DOCTYPE html><html><head><meta charset="gbk"><title>石家庄市直机关工委</title>'
        "<script>var site = '人民网';</script></head><body><header>首页 &gt; 理论</header>"
        f"<nav><a href='/'>返回首页</a></nav><article>{paragraphs}</article>"
        "<footer>人民网版权所有</footer></body></html>"
    )
    return page.encode("gb18030")


def _markdown(text: str) -> bytes:
    lines = text.split("\n")
    lines[0] = f"# {lines[0]}"
    return "\n\n".join(lines).replace("一、工作成效", "## 一、工作成效").encode("utf-8")


@pytest.fixture(scope="module")
def variants(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("formats")
    text = REPORT.read_text(encoding="utf-8").replace("\u00a0", " ")  # NBSP: no GB code
    (root / "utf8.txt").write_text(text, encoding="utf-8")
    (root / "gb18030.txt").write_bytes(text.encode("gb18030"))
    (root / "utf16le.txt").write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    (root / "utf16be.txt").write_bytes(codecs.BOM_UTF16_BE + text.encode("utf-16-be"))
    (root / "utf8bom.txt").write_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))
    (root / "report.docx").write_bytes(_docx(text))
    (root / "report.html").write_bytes(_html(text))
    (root / "report.md").write_bytes(_markdown(text))
    traditional = _big5_lines(HUBEI.read_text(encoding="utf-8"))
    (root / "hubei").mkdir()
    (root / "hubei" / "utf8.txt").write_text(traditional, encoding="utf-8")
    (root / "hubei" / "big5.txt").write_bytes(traditional.encode("big5"))
    return root


@pytest.fixture(scope="module")
def result(variants: Path) -> IngestResult:
    return ingest(variants)


def _article(result: IngestResult, name: str) -> pd.Series:
    docs = result.documents
    rows = docs[docs["source_file"] == name]
    assert len(rows) == 1, name
    return rows.iloc[0]


@pytest.mark.parametrize(
    ("name", "encoding", "fmt"),
    [
        ("gb18030.txt", "gb18030", "txt"),
        ("utf16le.txt", "utf-16-le", "txt"),
        ("utf16be.txt", "utf-16-be", "txt"),
        ("utf8bom.txt", "utf-8-sig", "txt"),
        ("report.docx", "", "docx"),
        ("report.html", "gb18030", "html"),
        ("report.md", "utf-8", "md"),
    ],
)
def test_variant_gives_the_same_text_as_the_utf8_file(
    result: IngestResult, name: str, encoding: str, fmt: str
) -> None:
    original, variant = _article(result, "utf8.txt"), _article(result, name)
    assert len(original["text"]) > 3000
    assert variant["text"] == original["text"]
    assert variant["title"] == original["title"]
    assert variant["unit"] == original["unit"] == "石家庄市直机关工委课题组"
    assert (variant["encoding"], variant["format"]) == (encoding, fmt)


def test_copies_are_exact_duplicates_of_the_first_one(result: IngestResult) -> None:
    docs = result.documents
    copies = docs[docs["text"] == _article(result, "utf8.txt")["text"]]
    assert len(copies) == 8
    kept = copies.iloc[0]  # the first file in sorted order
    assert kept["source_file"] == "gb18030.txt" and pd.isna(kept["dup_of"])
    assert (copies["dup_of"].iloc[1:] == kept["doc_id"]).all()


def test_big5_traditional_report_matches_its_utf8_copy(result: IngestResult) -> None:
    original, variant = _article(result, "hubei/utf8.txt"), _article(result, "hubei/big5.txt")
    assert variant["encoding"] == "big5"
    assert variant["text"] == original["text"]
    assert variant["script"] == original["script"] == "traditional"
    assert "坚持问题导向" in variant["title"] + variant["text"]


def test_html_page_furniture_is_not_in_the_text(result: IngestResult) -> None:
    text = _article(result, "report.html")["text"]
    assert "人民网" not in text and "返回首页" not in text


def test_report_lists_every_variant_as_ok(result: IngestResult) -> None:
    report = result.report
    assert (report["status"] == "ok").all(), report[report["status"] != "ok"]
    assert report["source_file"].tolist() == sorted(report["source_file"])
    assert (report["articles"] == 1).all()


def _pdf(lines: list[str]) -> bytes:
    """A text-layer PDF drawn with reportlab's built-in Chinese CID font."""
    pytest.importorskip("reportlab")
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=(595, 842))
    y = 800
    for line in lines:
        for start in range(0, len(line), 38):  # 38 characters of 12 pt fit the width
            if y < 50:
                page.showPage()
                y = 800
            page.setFont("STSong-Light", 12)
            page.drawString(40, y, line[start : start + 38])
            y -= 18
    page.save()
    return buffer.getvalue()


def test_text_layer_pdf_gives_the_text_back(tmp_path: Path) -> None:
    lines = [line for line in REPORT.read_text(encoding="utf-8").split("\n") if line.strip()][:8]
    (tmp_path / "report.pdf").write_bytes(_pdf(lines))
    raw = read_document(tmp_path / "report.pdf", name="report.pdf", fmt="pdf")
    assert CJK.findall(raw.text) == CJK.findall("".join(lines))
    result = ingest(tmp_path)
    assert result.report.loc[0, ["status", "format"]].tolist() == ["ok", "pdf"]
    article = result.documents.iloc[0]
    assert "石家庄市直机关工委课题组" in article["title"] + article["text"] + str(article["unit"])
    assert "破解“两张皮”工作的关键因素" in re.sub(r"\s", "", article["text"])


def test_workers_give_identical_tables(variants: Path, result: IngestResult) -> None:
    parallel = ingest(variants, workers=2)
    pd.testing.assert_frame_equal(parallel.documents, result.documents)
    pd.testing.assert_frame_equal(parallel.report, result.report)


def test_doc_ids_are_stable_and_documented(result: IngestResult) -> None:
    row = _article(result, "hubei/big5.txt")
    assert row["doc_id"] == doc_id("hubei/big5.txt", 0)
    assert (
        doc_id("hubei/big5.txt", 0)
        == "d" + __import__("hashlib").sha1(b"hubei/big5.txt#0").hexdigest()[:15]
    )


def test_documents_columns_and_types(result: IngestResult) -> None:
    docs = result.documents
    assert docs.columns.tolist()[:15] == [
        "doc_id", "source_file", "article_index", "title", "unit", "unit_type", "region",
        "year", "date", "source", "script", "n_chars", "text", "references", "dup_of",
    ]  # fmt: skip
    extra = ["encoding", "format", "file_sha256", "n_mojibake", "mojibake", "removed_lines"]
    assert docs.columns.tolist()[15:] == extra
    assert (docs["n_chars"] == docs["text"].str.len()).all()
    assert docs["file_sha256"].str.fullmatch(r"[0-9a-f]{64}").all()
    assert all(isinstance(m, list) for m in docs["mojibake"])
    assert (docs["n_mojibake"] == docs["mojibake"].map(len)).all()
    assert (docs["removed_lines"] >= 1).all()  # '文字缩放:' and friends are page chrome


def test_metadata_wins_over_the_byline(tmp_path: Path) -> None:
    shutil.copy(REPORT, tmp_path / "report.txt")
    (tmp_path / "汇编").mkdir()
    shutil.copy(next(SAMPLE.glob("000_*.txt")), tmp_path / "汇编" / "合集.txt")
    metadata = pd.DataFrame(
        {
            "file": ["report.txt", "汇编/合集.txt", "汇编/合集.txt"],
            "article_index": ["", "", "1"],
            "title": ["石家庄调研报告", "合集标题", "九江分局报告"],
            "unit": ["石家庄市委", "", "长江水利委员会水文局九江分局党支部"],
            "unit_type": ["市直机关", "支部", ""],
            "region": ["河北", "", "江西"],
            "year": ["2019", "2018", "2019"],
            "source": ["机关党建研究", "", ""],
        }
    )
    docs = ingest(tmp_path, metadata=metadata).documents.set_index(["source_file", "article_index"])
    single = docs.loc[("report.txt", 0)]
    assert (single["title"], single["unit"], single["unit_type"]) == (
        "石家庄调研报告",
        "石家庄市委",
        "市直机关",
    )
    assert (single["region"], single["year"], single["source"]) == ("河北", 2019, "机关党建研究")
    assert single["date"] == "2020-06-23"  # from the byline: metadata has no date
    second = docs.loc[("汇编/合集.txt", 1)]
    assert (second["title"], second["unit_type"], second["year"]) == ("九江分局报告", "支部", 2019)
    first = docs.loc[("汇编/合集.txt", 0)]
    assert (first["unit_type"], first["year"]) == ("支部", 2018)
    assert first["title"] != "合集标题"  # a whole-file title does not rename each article


def test_metadata_naming_unknown_files_warns(tmp_path: Path) -> None:
    shutil.copy(REPORT, tmp_path / "report.txt")
    metadata = pd.DataFrame({"file": ["missing.txt"], "article_index": [""], "unit": ["某单位"]})
    with pytest.warns(UserWarning, match="missing.txt#\\*"):
        ingest(tmp_path, metadata=metadata)


def test_metadata_without_file_column_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no 'file' column"):
        ingest(tmp_path, metadata=pd.DataFrame({"unit": ["某单位"]}))
