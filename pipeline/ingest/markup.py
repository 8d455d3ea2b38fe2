"""Plain text lines out of Markdown and HTML."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString
from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

# Elements that never carry report text.
DROP_TAGS = [
    "script", "style", "nav", "header", "footer", "noscript", "template",
    "iframe", "object", "embed", "svg", "head", "title",
]  # fmt: skip
# Elements that start a new line.
BLOCK_TAGS = [
    "address", "article", "aside", "blockquote", "caption", "dd", "details", "div", "dl",
    "dt", "figcaption", "figure", "form", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li",
    "main", "ol", "p", "pre", "section", "summary", "table", "td", "th", "tr", "ul",
]  # fmt: skip
_NOT_TEXT = (Comment, Declaration, Doctype, ProcessingInstruction)

_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)"""
    rb"""|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""",
    re.IGNORECASE,
)

_MD_RULES = [
    (re.compile(r"^\s{0,3}(?:[-*_]\s*){3,}$"), ""),  # horizontal rule
    (re.compile(r"^\s{0,3}(?:=+|```.*|~~~.*)\s*$"), ""),  # setext underline, code fence
    (re.compile(r"^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$"), r"\1"),  # ATX heading
    (re.compile(r"^\s{0,3}(?:>\s?)+"), ""),  # block quote
    (re.compile(r"^\s*[-*+]\s+"), ""),  # bullet
    (re.compile(r"^\s*\|?(?:\s*:?-+:?\s*\|)+\s*:?-*:?\s*$"), ""),  # table separator row
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # image
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # link
    (re.compile(r"(\*\*|__|~~)(.+?)\1"), r"\2"),  # strong, strike-through
    (re.compile(r"\*(?!\s)(.+?)(?<!\s)\*"), r"\1"),  # emphasis
    (re.compile(r"(?<!\w)_(?!\s)(.+?)(?<!\s)_(?!\w)"), r"\1"),  # emphasis, not in_words
    (re.compile(r"`([^`]*)`"), r"\1"),  # inline code
    (re.compile(r"^\s*\||\|\s*$"), ""),  # table row edges
    (re.compile(r"\s*\|\s*"), " "),  # table cell separators
]


def markdown_to_text(markdown: str) -> str:
    """Strip Markdown markup (headings, emphasis, links, lists, tables), keeping the lines.

    Example::

        >>> markdown_to_text("## 一、工作成效\\n**党建**引领")
        '一、工作成效\\n党建引领'
    """
    lines = []
    for line in markdown.splitlines():
        for pattern, replacement in _MD_RULES:
            line = pattern.sub(replacement, line)
        lines.append(line)
    return "\n".join(lines)


def declared_charset(data: bytes) -> str | None:
    """The charset named by an HTML ``<meta>`` (or XML declaration) near the top, if any.

    Example::

        >>> declared_charset(b'<meta charset="gb2312"><p>\\xb5\\xb3</p>')
        'gb2312'
    """
    found = _CHARSET.search(data[:4096])
    if not found:
        return None
    return (found.group(1) or found.group(2)).decode("ascii")


def html_to_text(markup: str) -> tuple[str, str | None]:
    """Visible text of an HTML page, one block element per line, and the page ``<title>``.

    Scripts, styles, navigation, page header and footer are dropped.

    Example::

        >>> html_to_text("<title>调研报告</title><p>机关<b>党建</b></p><footer>版权</footer>")
        ('\\n机关党建\\n', '调研报告')
    """
    soup = BeautifulSoup(markup, "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else None
    for tag in soup.find_all(DROP_TAGS):
        tag.decompose()
    for string in soup.find_all(string=True):
        if isinstance(string, _NOT_TEXT):
            string.extract()
        elif string.find_parent("pre") is None:
            string.replace_with(NavigableString(re.sub(r"\s+", " ", string)))
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for tag in soup.find_all(BLOCK_TAGS):
        tag.insert_before("\n")
        tag.append("\n")
    return soup.get_text(), title or None
