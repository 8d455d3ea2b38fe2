"""Move an article's reference list (参考文献) out of its text."""

from __future__ import annotations

import re

# The heading of a reference list, alone or followed by the first item on the same line.
_HEADING = re.compile(
    r"^(?:主要)?(?:参考文献|参考资料|参考书目|引用文献)\s*[：:]?\s*(?P<rest>.*)$"
    r"|^References\s*:?\s*(?P<rest2>.*)$",
    re.IGNORECASE,
)
# A numbered item: "[1]…", "［2］…", "【3】…", "(4)…", "5.…" / "6、…" with a document-type code.
_NUMBERED = re.compile(r"^(?:[\[［【]\s*\d{1,3}\s*[\]］】]|[（(]\d{1,3}[）)])\s*\S")
_NUMBERED_PLAIN = re.compile(r"^\d{1,3}\s*[.．、]\s*\S")
# GB/T 7714 document-type codes: [J] journal, [M] book, [N] newspaper, [EB/OL] web page, …
_DOC_TYPE = re.compile(r"\[(?:[JMNCDRSPGZ]|EB|DB|CP|A)(?:/(?:OL|CD|MT|DK))?\]")
_TRAILING_MIN = 2  # an unheaded list at the very end needs this many typed items


def split_references(text: str) -> tuple[str, str]:
    """Split article text into ``(body, references)``; references are the item lines.

    The heading (参考文献 / 参考文献：) is dropped; items follow it until the first line
    that is not an item. Without a heading, a block of at least two numbered items with
    document-type codes ([J], [M], …) ending the article is taken. ``结语``/``结束语`` and
    any text after the list stay in the body.

    Example::

        >>> split_references("结语\\n总之……。\\n参考文献：\\n[1]刘博.党建[J].支部建设,2020(9).")
        ('结语\\n总之……。', '[1]刘博.党建[J].支部建设,2020(9).')
    """
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    for start, line in enumerate(lines):
        heading = _HEADING.match(line)
        if heading:
            first = (heading["rest"] or heading["rest2"] or "").strip()
            end = start + 1
            while end < len(lines) and _is_item(lines[end]):
                end += 1
            items = ([first] if first else []) + lines[start + 1 : end]
            return "\n".join(lines[:start] + lines[end:]), "\n".join(items)
    start = len(lines)
    while start > 0 and _is_item(lines[start - 1]) and _DOC_TYPE.search(lines[start - 1]):
        start -= 1
    if len(lines) - start >= _TRAILING_MIN:
        return "\n".join(lines[:start]), "\n".join(lines[start:])
    return "\n".join(lines), ""


def _is_item(line: str) -> bool:
    return bool(_NUMBERED.match(line) or (_NUMBERED_PLAIN.match(line) and _DOC_TYPE.search(line)))
