"""Hostile .docx and .pdf files: zip bombs are refused before they are expanded; links,
templates, embedded objects, XML entities and PDF actions are never followed or run.

Network: a local TCP listener stands in for every remote target (hyperlinks, linked images,
attached templates, XXE entities, PDF URI actions); the tests assert it got no connection.
"""

from __future__ import annotations

import io
import socket
import struct
import threading
import time
import tracemalloc
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.ingest import ingest

from ._build import check_report, rezip, sample_docx, sample_pdf, within

R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PASSWD_MARK = "root:x:0:0"  # the first line of /etc/passwd on every Linux system


class Listener:
    """A TCP server on a free local port that records every connection it accepts."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.1)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.hits: list[tuple[str, int]] = []
        self._stop = False
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop:
            try:
                conn, address = self.sock.accept()
            except OSError:
                continue
            self.hits.append(address)
            conn.close()

    def close(self) -> None:
        time.sleep(0.3)  # a late connection attempt would still be seen
        self._stop = True
        self._thread.join()
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    # The listener works: a real connection is seen (so "no hits" below means something).
    socket.create_connection(("127.0.0.1", int(server.url.rsplit(":", 1)[1]))).close()
    deadline = time.time() + 5
    while not server.hits and time.time() < deadline:
        time.sleep(0.01)
    assert server.hits, "the test listener does not accept connections"
    server.hits.clear()
    yield server
    server.close()


def _declare_size(data: bytes, member: str, size: int) -> bytes:
    """Rewrite the uncompressed size that the zip headers declare for ``member``."""
    buf, name = bytearray(data), member.encode("utf-8")
    for signature, name_at, size_at in ((b"PK\x03\x04", 30, 22), (b"PK\x01\x02", 46, 24)):
        start = 0
        while (i := buf.find(signature, start)) >= 0:
            if buf[i + name_at : i + name_at + len(name)] == name:
                buf[i + size_at : i + size_at + 4] = struct.pack("<I", size)
            start = i + 4
    return bytes(buf)


def _ingest_one(tmp_path: Path, name: str, data: bytes, **limits: float):
    (tmp_path / name).write_bytes(data)
    result = within(60, ingest, tmp_path, **limits)
    check_report(result.report, result.documents, {name})
    return result, result.report.iloc[0]


# -- zip bombs -----------------------------------------------------------------------------


def test_member_inflating_past_the_limit_is_refused(tmp_path: Path) -> None:
    bomb = rezip(sample_docx(), extra=[("word/media/zeros.bin", bytes(8 * 1024 * 1024))])
    assert len(bomb) < 200_000  # 8 MB of zeros deflate to a few KB
    _, row = _ingest_one(tmp_path, "bomb.docx", bomb, max_docx_unzipped_mb=2)
    assert row.status == "skipped"
    assert "exceeds max_docx_unzipped_mb=2 (zip bomb?)" in row.reason


def test_member_with_a_bomb_ratio_is_refused_under_a_high_limit(tmp_path: Path) -> None:
    bomb = rezip(sample_docx(), extra=[("word/media/zeros.bin", bytes(32 * 1024 * 1024))])
    _, row = _ingest_one(tmp_path, "ratio.docx", bomb)  # default limit 200 MB
    assert row.status == "skipped" and "expands" in row.reason and "zip bomb?" in row.reason


def test_member_declaring_gigabytes_is_refused_before_expanding(tmp_path: Path) -> None:
    declared = _declare_size(sample_docx(), "word/document.xml", 0xF000_0000)  # 3.75 GB
    tracemalloc.start()
    _, row = _ingest_one(tmp_path, "declared.docx", declared)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert row.status == "skipped" and "zip bomb?" in row.reason
    assert peak < 20 * 1024 * 1024  # nothing near the declared size


def test_member_hiding_its_real_size_is_not_expanded(tmp_path: Path) -> None:
    """Declares 1 KB, inflates to 64 MB: zipfile stops at the declared size, CRC fails."""
    liar = rezip(sample_docx(), extra=[("word/media/liar.bin", bytes(64 * 1024 * 1024))])
    liar = _declare_size(liar, "word/media/liar.bin", 1024)
    tracemalloc.start()
    _, row = _ingest_one(tmp_path, "liar.docx", liar)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert row.status == "skipped" and "corrupt or truncated .docx" in row.reason
    assert peak < 20 * 1024 * 1024  # nothing near the declared size


def test_many_members_summing_over_the_limit_are_refused(tmp_path: Path) -> None:
    filler = [(f"word/media/part{i:03d}.bin", bytes(100_000)) for i in range(40)]  # 4 MB
    many = rezip(sample_docx(), extra=filler)
    _, row = _ingest_one(tmp_path, "many.docx", many, max_docx_unzipped_mb=3)
    assert row.status == "skipped" and "exceeds max_docx_unzipped_mb=3" in row.reason


def test_nested_zip_member_is_not_opened(tmp_path: Path) -> None:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("inner.txt", "嵌套压缩包的秘密内容" * 50)
    nested = rezip(sample_docx(), extra=[("word/embeddings/nested.zip", inner.getvalue())])
    result, row = _ingest_one(tmp_path, "nested.docx", nested)
    assert row.status == "ok"
    assert "嵌套压缩包" not in "".join(result.documents["text"])


# -- links, templates, embedded objects ----------------------------------------------------


def _external(rid: str, kind: str, target: str) -> str:
    return f'<Relationship Id="{rid}" Type="{R}/{kind}" Target="{target}" TargetMode="External"/>'


def _image(rid: str, n: int) -> str:
    return (
        f'<w:p><w:r><w:drawing><wp:inline><wp:extent cx="100" cy="100"/><wp:docPr id="{n}" '
        'name="p"/><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        '<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        f'<pic:nvPicPr><pic:cNvPr id="0" name="x{n}.png"/><pic:cNvPicPr/></pic:nvPicPr>'
        f'<pic:blipFill><a:blip r:link="{rid}"/></pic:blipFill><pic:spPr/></pic:pic>'
        "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
    )


def _linked_docx(url: str) -> bytes:
    """Hyperlink, two linked images (http and file:///etc/passwd), an attached template, a
    linked sub-document, an INCLUDETEXT field, an embedded OLE object and an altChunk."""
    rels = "".join(
        [
            _external("rIdX1", "hyperlink", f"{url}/hyperlink"),
            _external("rIdX2", "image", f"{url}/image.png"),
            _external("rIdX3", "image", "file:///etc/passwd"),
            f'<Relationship Id="rIdX4" Type="{R}/oleObject" Target="embeddings/oleObject1.bin"/>',
            f'<Relationship Id="rIdX5" Type="{R}/aFChunk" Target="afchunk.html"/>',
            _external("rIdX6", "subDocument", "file:///etc/passwd"),
        ]
    )
    body = (
        '<w:p><w:hyperlink r:id="rIdX1"><w:r><w:t>外部链接文字</w:t></w:r></w:hyperlink></w:p>'
        + _image("rIdX2", 1)
        + _image("rIdX3", 2)
        + '<w:p><w:r><w:object><o:OLEObject Type="Embed" ProgID="Package" ShapeID="s1" '
        'DrawAspect="Icon" ObjectID="_1" r:id="rIdX4"/></w:object></w:r></w:p>'
        '<w:altChunk r:id="rIdX5"/>'
        '<w:p><w:fldSimple w:instr="INCLUDETEXT &quot;/etc/passwd&quot;"><w:r><w:t>域结果</w:t>'
        '</w:r></w:fldSimple></w:p><w:p><w:subDoc r:id="rIdX6"/></w:p>'
    )
    settings_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns='
        '"http://schemas.openxmlformats.org/package/2006/relationships">'
        + _external("rId1", "attachedTemplate", f"{url}/template.dotm")
        + "</Relationships>"
    )

    def settings(xml: str) -> str:
        if "xmlns:r=" not in xml:
            xml = xml.replace("<w:settings ", f'<w:settings xmlns:r="{R}" ', 1)
        return xml.replace("</w:settings>", '<w:attachedTemplate r:id="rId1"/></w:settings>')

    return rezip(
        sample_docx(),
        edits={
            "word/_rels/document.xml.rels": lambda x: x.replace(
                "</Relationships>", rels + "</Relationships>"
            ),
            "word/document.xml": lambda x: x.replace("<w:sectPr", body + "<w:sectPr", 1),
            "word/settings.xml": settings,
            "[Content_Types].xml": lambda x: x.replace(
                "<Default ",
                '<Default Extension="bin" ContentType="application/vnd.openxmlformats-'
                'officedocument.oleObject"/><Default Extension="html" ContentType="text/html"/>'
                "<Default ",
                1,
            ),
        },
        extra=[
            ("word/_rels/settings.xml.rels", settings_rels),
            ("word/embeddings/oleObject1.bin", b"\xd0\xcf\x11\xe0OLE-SECRET-PAYLOAD" * 10),
            ("word/afchunk.html", f"<p>ALTCHUNK-SECRET</p><img src='{url}/alt.png'>"),
        ],
    )


def test_links_templates_and_embedded_objects_are_not_followed(
    tmp_path: Path, listener: Listener
) -> None:
    result, row = _ingest_one(tmp_path, "links.docx", _linked_docx(listener.url))
    assert row.status == "ok", row.reason  # the text is still read
    text = "".join(result.documents["text"]) + "".join(result.documents["title"])
    assert "外部链接文字" in text and "当好" in text
    for secret in (PASSWD_MARK, "OLE-SECRET", "ALTCHUNK-SECRET", "/etc/passwd"):
        assert secret not in text, secret
    listener.close()
    assert listener.hits == []


XXE_DTD = (
    '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">'
    '<!ENTITY net SYSTEM "{url}/xxe">]>'
)
LAUGHS_DTD = (
    '<!DOCTYPE w:document [<!ENTITY a0 "哈哈哈哈哈哈哈哈哈哈">'
    + "".join(f'<!ENTITY a{k} "{f"&a{k - 1};" * 10}">' for k in range(1, 10))
    + "]>"
)


@pytest.mark.parametrize("kind", ["xxe", "laughs", "core_xxe", "comment_then_xxe"])
def test_xml_entities_are_refused(tmp_path: Path, listener: Listener, kind: str) -> None:
    """External entities (file and network) and entity expansion bombs: a DTD is refused."""
    dtd = LAUGHS_DTD if kind == "laughs" else XXE_DTD.format(url=listener.url)
    use = "&a9;" if kind == "laughs" else "&xxe;&net;"
    if kind == "comment_then_xxe":
        dtd = "<!-- " + "注释" * 200 + " -->" + dtd
    if kind == "core_xxe":
        edits = {
            "docProps/core.xml": lambda x: x.replace(
                "?>", "?>" + dtd.replace("w:document", "cp:coreProperties"), 1
            ).replace("</cp:coreProperties>", f"<dc:title>{use}</dc:title></cp:coreProperties>")
        }
    else:
        edits = {
            "word/document.xml": lambda x: x.replace("?>", "?>" + dtd, 1).replace(
                "<w:t>", f"<w:t>{use}", 1
            )
        }
    result, row = _ingest_one(tmp_path, f"{kind}.docx", rezip(sample_docx(), edits=edits))
    assert row.status == "skipped" and "declares a DTD" in row.reason
    assert result.documents.empty
    listener.close()
    assert listener.hits == []


def _hostile_pdf(url: str) -> bytes:
    """The sample PDF plus a URI link, a Launch action, JavaScript and an attached file."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.annotations import Link
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(sample_pdf())))
    writer.add_annotation(0, Link(rect=(50, 50, 200, 80), url=f"{url}/pdf-link"))
    script = f"app.launchURL('{url}/pdf-js', true); app.alert('PDF-JS-RAN');"
    javascript = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject(script)}
    )
    writer._root_object[NameObject("/AA")] = DictionaryObject(
        {NameObject("/WC"): writer._add_object(javascript)}
    )
    writer.add_attachment("secret.txt", "附件中的秘密内容不应出现".encode())
    launch = DictionaryObject(
        {
            NameObject("/S"): NameObject("/Launch"),
            NameObject("/F"): TextStringObject("/bin/sh"),
        }
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(launch)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_pdf_actions_links_and_attachments_are_not_followed(
    tmp_path: Path, listener: Listener
) -> None:
    result, row = _ingest_one(tmp_path, "actions.pdf", _hostile_pdf(listener.url))
    assert row.status == "ok", row.reason
    text = "".join(result.documents["text"])
    assert "当好" in text
    for secret in ("附件中的秘密", "PDF-JS-RAN", "pdf-link", "/bin/sh"):
        assert secret not in text, secret
    listener.close()
    assert listener.hits == []
