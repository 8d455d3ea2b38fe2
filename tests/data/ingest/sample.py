"""The sample corpus as the ingest cleaning functions receive it, for the ingest tests.

``normalised_pages()`` imitates the colleague's normaliser (OpenCC t2s; ASCII ``,;:?!()``
next to a CJK character made full-width; lines stripped; blank lines dropped) so these
tests do not depend on it. ``sample_articles()`` runs strip_chrome -> split_articles ->
split_references over every page, the order the ingest stage uses.

Imported by the tests as ``data.ingest.sample`` (``tests/`` is on ``sys.path`` under pytest).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import opencc

from pipeline.ingest.chrome import strip_chrome
from pipeline.ingest.references import split_references
from pipeline.ingest.split import split_articles

SAMPLE = Path(__file__).resolve().parents[3] / "corpus" / "sample"
_CJK = r"[\u3400-\u9fff]"
_HALF_TO_FULL = str.maketrans(",;:?!()", "，；：？！（）")
_ASCII_NEAR_CJK = re.compile(rf"(?<={_CJK})[,;:?!()]|[,;:?!()](?={_CJK})")


def normalise(raw: str) -> str:
    """Normalise one page the way the ingest stage does before cleaning it."""
    text = opencc.OpenCC("t2s").convert(raw)
    text = _ASCII_NEAR_CJK.sub(lambda m: m.group().translate(_HALF_TO_FULL), text)
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


@cache
def normalised_pages() -> dict[str, str]:
    """Normalised text of each sample page, keyed by its 3-digit prefix ('000'...'004')."""
    return {
        path.name[:3]: normalise(path.read_text(encoding="utf-8"))
        for path in sorted(SAMPLE.glob("*.txt"))
    }


@cache
def sample_articles() -> tuple[tuple[str, int, str, str, str], ...]:
    """(page, article_index, title, body, references) for every article of the sample."""
    rows = []
    for page, text in normalised_pages().items():
        cleaned, _ = strip_chrome(text)
        for index, (title, article) in enumerate(split_articles(cleaned)):
            body, references = split_references(article)
            rows.append((page, index, title, body, references))
    return tuple(rows)
