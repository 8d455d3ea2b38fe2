"""File discovery, encoding detection and the per-format readers of the ingest stage."""

from __future__ import annotations

import codecs
import io
import os
import zipfile
from pathlib import Path

import docx
import pytest

from pipeline.ingest import IngestError
from pipeline.ingest.decode import common_share, decode_bytes
from pipeline.ingest.files import discover
from pipeline.ingest.markup import declared_charset, html_to_text, markdown_to_text
from pipeline.ingest.office import check_docx_zip, read_docx, read_pdf
from pipeline.ingest.readers import read_bytes, read_document

SAMPLE = Path(__file__).resolve().parent.parent / "corpus" / "sample"


def _sample(prefix: str) -> str:
    (path,) = SAMPLE.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def _encodable(text: str, encoding: str) -> str:
    """The lines of ``text`` that ``encoding`` can represent."""
    keep = []
    for line in text.split("\n"):
        try:
            line.encode(encoding)
        except UnicodeEncodeError:
            continue
        keep.append(line)
    return "\n".join(keep)


HUBEI_BIG5 = _encodable(_sample("001"), "big5")  # the Traditional report, Big5-encodable lines
SHIJIAZHUANG = _sample("003")


# -- discovery -------------------------------------------------------------------------


def test_discovery_is_recursive_sorted_and_unicode_safe(tmp_path: Path) -> None:
    (tmp_path / "b 子目录").mkdir()
    (tmp_path / "b 子目录" / "调研 报告（二）.TXT").write_text("党建", encoding="utf-8")
    (tmp_path / "a.md").write_text("党建", encoding="utf-8")
    (tmp_path / "b-c.htm").write_text("<p>党建</p>", encoding="utf-8")
    (tmp_path / "metadata.csv").write_text("file,article_index\n", encoding="utf-8")
    entries = discover(tmp_path)
    assert [e.rel for e in entries] == ["a.md", "b 子目录/调研 报告（二）.TXT", "b-c.htm"]
    assert [e.fmt for e in entries] == ["md", "txt", "html"]
    assert all(e.skip_reason == "" for e in entries)


def test_unknown_extension_and_hidden_files_are_listed_as_skipped(tmp_path: Path) -> None:
    (tmp_path / "notes.xyz").write_text("党建", encoding="utf-8")
    (tmp_path / "README").write_text("党建", encoding="utf-8")
    (tmp_path / ".draft.txt").write_text("党建", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("党建", encoding="utf-8")
    reasons = {e.rel: e.skip_reason for e in discover(tmp_path)}
    assert reasons["notes.xyz"] == (
        "unsupported extension .xyz; supported: .docx, .htm, .html, .md, .pdf, .txt"
    )
    assert reasons["README"].startswith("unsupported extension (none)")
    assert reasons[".draft.txt"].startswith("hidden file")
    assert reasons[".git"].startswith("hidden file or folder")
    assert ".git/x.txt" not in reasons


def test_symlinks_are_followed_only_to_files_inside_the_corpus(tmp_path: Path) -> None:
    corpus, outside = tmp_path / "corpus", tmp_path / "elsewhere"
    (corpus / "sub").mkdir(parents=True)
    outside.mkdir()
    (corpus / "real.txt").write_text("党建", encoding="utf-8")
    (outside / "secret.txt").write_text("党建", encoding="utf-8")
    (corpus / "alias.txt").symlink_to(corpus / "real.txt")
    (corpus / "out.txt").symlink_to(outside / "secret.txt")
    (corpus / "outdir").symlink_to(outside, target_is_directory=True)
    (corpus / "sub" / "up").symlink_to(corpus, target_is_directory=True)
    (corpus / "loop1.txt").symlink_to(corpus / "loop2.txt")
    (corpus / "loop2.txt").symlink_to(corpus / "loop1.txt")
    (corpus / "subalias").symlink_to(corpus / "sub", target_is_directory=True)
    reasons = {e.rel: e.skip_reason for e in discover(corpus)}
    assert reasons["alias.txt"] == "" and reasons["real.txt"] == ""
    assert reasons["out.txt"].startswith("symlink points outside the corpus")
    assert reasons["outdir"].startswith("symlink points outside the corpus")
    assert reasons["sub/up"].startswith("symlink loop")
    assert reasons["loop1.txt"].startswith("symlink loop")
    assert reasons["subalias"].startswith("symlink to a folder inside the corpus")
    assert not any(rel.startswith("outdir/") or "up/" in rel for rel in reasons)


def test_missing_corpus_folder_is_an_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="nowhere: corpus folder not found"):
        discover(tmp_path / "nowhere")


# -- encodings ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("gb18030", "gb18030"), ("gbk", "gb18030"), ("utf-8", "utf-8")],
)
def test_simplified_report_decodes_in_its_encoding(encoding: str, expected: str) -> None:
    text = SHIJIAZHUANG.replace("\u00a0", " ")  # NBSP has no GBK code
    decoded = decode_bytes(text.encode(encoding), name="003.txt")
    assert (decoded.text, decoded.encoding) == (text, expected)


def test_gb2312_report_decodes_as_gb18030() -> None:
    text = _encodable(SHIJIAZHUANG, "gb2312")
    assert len(text) > 3000
    assert decode_bytes(text.encode("gb2312"), name="003.txt").text == text


@pytest.mark.parametrize(
    ("bom", "encoding", "expected"),
    [
        (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
    ],
)
def test_byte_order_marks_decide_the_encoding(bom: bytes, encoding: str, expected: str) -> None:
    decoded = decode_bytes(bom + SHIJIAZHUANG.encode(encoding), name="003.txt")
    assert (decoded.text, decoded.encoding) == (SHIJIAZHUANG, expected)


def test_big5_and_gbk_copies_of_the_same_traditional_text_both_decode_right() -> None:
    assert len(HUBEI_BIG5) > 4000
    as_big5 = decode_bytes(HUBEI_BIG5.encode("big5"), name="001-big5.txt")
    as_gbk = decode_bytes(HUBEI_BIG5.encode("gbk"), name="001-gbk.txt")
    assert (as_big5.text, as_big5.encoding) == (HUBEI_BIG5, "big5")
    assert (as_gbk.text, as_gbk.encoding) == (HUBEI_BIG5, "gb18030")
    # The wrong codec gives rare characters: that is what decides.
    wrong = HUBEI_BIG5.encode("big5").decode("gb18030", errors="replace")
    assert common_share(wrong) < 0.6 < 0.95 < common_share(HUBEI_BIG5)


def test_short_texts_in_big5_and_gbk() -> None:
    title = "堅持問題導向全面提高機關黨建質量研究"
    assert decode_bytes(title.encode("big5"), name="t.txt").text == title
    assert decode_bytes(title.encode("gbk"), name="t.txt").text == title


def test_binary_data_is_refused_not_decoded() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    with pytest.raises(IngestError, match=r"logo\.txt: binary data \(NUL bytes\)"):
        decode_bytes(png, name="logo.txt")


def test_undecidable_bytes_are_refused_not_turned_into_mojibake() -> None:
    noise = bytes((i * 97 + 131) % 128 + 128 for i in range(3000))  # high bytes, no NUL
    with pytest.raises(IngestError, match="encoding could not be determined"):
        decode_bytes(noise, name="noise.txt")


def test_bad_utf16_after_a_bom_is_refused() -> None:
    with pytest.raises(IngestError, match="utf-16-le byte-order mark but is not valid"):
        decode_bytes(codecs.BOM_UTF16_LE + "党建".encode("utf-16-le") + b"\x00\xd8", name="x.txt")


# -- readers -----------------------------------------------------------------------------


def test_markdown_markup_is_stripped_and_lines_kept() -> None:
    markdown = (
        "# 当好“助推剂” 形成“一盘棋”\n\n石家庄市直机关工委课题组\n\n## 一、工作成效\n"
        "**政治站位**进一步*提升*，见[人民网](http://www.people.com.cn)。\n"
        "- 提高认识\n> 统筹谋划\n---\n`落实`责任 ![图](a.png)"
    )
    assert markdown_to_text(markdown).split("\n") == [
        "当好“助推剂” 形成“一盘棋”", "", "石家庄市直机关工委课题组", "", "一、工作成效",
        "政治站位进一步提升，见人民网。", "提高认识", "统筹谋划", "", "落实责任 ",
    ]  # fmt: skip


def test_html_keeps_blocks_as_lines_and_drops_page_furniture() -> None:
    page = (
        "<html><head><title>调研报告</title><style>p{color:red}</style></head><body>"
        "<header>首页</header><nav><a href='/'>返回首页</a></nav>"
        "<h1>当好“助推剂”</h1><div><p>石家庄市直机关工委\n  课题组</p>"
        "<p>一是<b>提高</b>认识<br>二是统筹谋划</p></div>"
        "<script>var x = '党建';</script><!-- 注释 --><footer>版权所有</footer></body></html>"
    )
    text, title = html_to_text(page)
    assert title == "调研报告"
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    assert lines == ["当好“助推剂”", "石家庄市直机关工委 课题组", "一是提高认识", "二是统筹谋划"]


def test_html_meta_charset_is_honoured(tmp_path: Path) -> None:
    body = "<p>機關黨建</p>"
    page = f'<html><head><meta charset="big5"></head><body>{body}</body></html>'
    path = tmp_path / "page.html"
    path.write_bytes(page.encode("big5"))
    assert declared_charset(path.read_bytes()) == "big5"
    raw = read_document(path, name="page.html", fmt="html")
    assert (raw.encoding, raw.text.strip()) == ("big5", "機關黨建")
    legacy = b'<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
    assert declared_charset(legacy) == "gb2312"


def test_docx_paragraphs_and_table_cells_in_order() -> None:
    document = docx.Document()
    document.add_paragraph("一、工作成效")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "单位", "人数"
    table.cell(1, 0).merge(table.cell(1, 1)).text = "市直机关"
    document.add_paragraph("二、存在问题")
    document.core_properties.title = "调研报告"
    buffer = io.BytesIO()
    document.save(buffer)
    text, title = read_docx(buffer.getvalue(), name="a.docx", max_unzipped_mb=200)
    assert text.split("\n") == ["一、工作成效", "单位", "人数", "市直机关", "二、存在问题"]
    assert title == "调研报告"


def test_docx_member_with_absurd_compression_ratio_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/media/image1.png", bytes(8 * 1024 * 1024))
    with pytest.raises(IngestError, match=r"member word/media/image1\.png expands \d+:1"):
        check_docx_zip(buffer.getvalue(), name="bomb.docx", max_unzipped_mb=200)


def test_zip_without_word_document_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("content.xml", "<office/>")
    with pytest.raises(IngestError, match="not a Word document"):
        check_docx_zip(buffer.getvalue(), name="odt.docx", max_unzipped_mb=200)


def test_encrypted_pdf_is_refused() -> None:
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(IngestError, match=r"locked\.pdf: encrypted PDF \(password required\)"):
        read_pdf(buffer.getvalue(), name="locked.pdf")


def test_read_bytes_refuses_a_folder_and_names_the_limit(tmp_path: Path) -> None:
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    with pytest.raises(IngestError, match="not a regular file"):
        read_bytes(folder, name="folder.txt", max_file_mb=1)
    big = tmp_path / "big.txt"
    big.write_text(SHIJIAZHUANG * 10, encoding="utf-8")
    with pytest.raises(IngestError, match=r"118,480 bytes .* over max_file_mb=0\.1 \(104,857"):
        read_bytes(big, name="big.txt", max_file_mb=0.1)


def test_read_document_reports_format_encoding_and_hash() -> None:
    path = next(SAMPLE.glob("003_*.txt"))
    raw = read_document(path, name=path.name, fmt="txt")
    assert (raw.format, raw.encoding, raw.n_bytes) == ("txt", "utf-8", os.path.getsize(path))
    assert len(raw.sha256) == 64 and raw.text == SHIJIAZHUANG
