"""The structure stage: documents table in, sentences table out."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .assign import assign_roles
from .claims import ClaimTracker, claim_marker
from .classifier import RoleClassifier
from .headings import find_headings
from .outline import Outline
from .paragraphs import article_lines
from .roles import heading_roles
from .sentences import split_sentences

COLUMNS: tuple[str, ...] = (
    "doc_id", "sent_id", "section_id", "para_index", "heading_path", "heading_level",
    "is_heading", "claim_index", "claim_id", "claim_text", "role", "role_source",
    "role_confidence", "text",
)  # fmt: skip


@dataclass
class _Row:
    text: str
    para: int
    section: int
    part: int
    path: list[str]
    level: int = -1
    claim: tuple[int, int] = (-1, -1)
    cues: frozenset[str] = field(default_factory=frozenset)


def _in_outline(text: str, para: int, outline: Outline, level: int = -1) -> _Row:
    """A row placed in the current outline: its section, path and the roles they name."""
    return _Row(text, para, outline.section, outline.part, outline.path, level, cues=outline.roles)


def _titled(text: str, para: int, outline: Outline) -> _Row:
    """A title or subtitle row: level 0, outside the outline, named roles of its own."""
    return _Row(text, para, outline.section, outline.part, [], 0, cues=heading_roles(text))


def _walk(title: str, text: str) -> list[_Row]:
    """Rows of one article in reading order, with structure but no roles yet."""
    lines = article_lines(text)
    if lines and lines[0] == title.strip():
        lines = lines[1:]
    if not lines:
        return []
    outline, claims, sections = Outline(), ClaimTracker(), 0
    rows = [_titled(title, -1, outline)] if title.strip() else []
    for para, (line, heading) in enumerate(zip(lines, find_headings(lines), strict=True)):
        body = line
        if heading is not None and heading.kind == "subtitle":
            rows.append(_titled(line, para, outline))
            continue
        if heading is not None:
            sections += 1
            cues = frozenset() if heading.kind == "claim" else heading_roles(heading.text)
            level = outline.place(heading, sections, cues)
            if heading.kind == "claim":
                claim = claims.heading_claim(heading.marker)
            else:
                claims.section()
                claim = (-1, -1)
            rows.append(_in_outline(heading.text, para, outline, level))
            rows[-1].claim = claim
            body = heading.body
        elif outline.leadin_open and claims.in_enumeration and claim_marker(line) is None:
            outline.close_leadin()  # the paragraph after a lead-in's items
        for sentence in split_sentences(body):
            rows.append(_in_outline(sentence, para, outline))
            rows[-1].claim = claims.sentence(sentence)
        claims.paragraph_end()
    return rows


def _frame(doc_id: str, rows: list[_Row]) -> pd.DataFrame:
    """The sentences of one article as a table (roles still to fill)."""
    claim_ids = [f"{doc_id}:c{r.claim[1]:03d}" if r.claim[1] >= 0 else "" for r in rows]
    texts: dict[str, list[str]] = {}
    for claim_id, row in zip(claim_ids, rows, strict=True):
        if claim_id:
            texts.setdefault(claim_id, []).append(row.text)
    return pd.DataFrame(
        {
            "doc_id": doc_id,
            "sent_id": [f"{doc_id}:{n:04d}" for n in range(len(rows))],
            "section_id": [f"{doc_id}:s{r.section:03d}" for r in rows],
            "para_index": [r.para for r in rows],
            "heading_path": [list(r.path) for r in rows],
            "heading_level": [r.level for r in rows],
            "is_heading": [r.level >= 0 for r in rows],
            "claim_index": [r.claim[0] for r in rows],
            "claim_id": claim_ids,
            "claim_text": ["".join(texts[c]) if c else "" for c in claim_ids],
            "text": [r.text for r in rows],
            "_cues": [r.cues for r in rows],
            "_part": [r.part for r in rows],
        }
    )


def structure(
    documents: pd.DataFrame,
    *,
    classifier: RoleClassifier | None = None,
    use_headings: bool = True,
    use_classifier: bool = True,
    seed: int = 0,
) -> pd.DataFrame:
    r"""Split documents into sentences with headings, sections, claims and roles.

    ``classifier``: a fitted :class:`RoleClassifier` is used as is; an unfitted one (or
    None, meaning ``RoleClassifier(random_state=seed)``) is trained on the sentences whose
    role a heading gave, or on cue words when the corpus has too few of them.
    ``use_headings=False`` ignores heading cue words for roles (the outline is still built);
    ``use_classifier=False`` decides sentence roles by cue words alone.

    Example::

        >>> docs = pd.DataFrame({"doc_id": ["d1"], "title": ["调研报告"],
        ...     "text": ["二、存在问题\n（一）工作态度上热情不高。一是主动性不够足。二是积极性不够高。"]})
        >>> out = structure(docs)
        >>> out[["text", "claim_index", "role"]].values.tolist()[-2:]
        [['一是主动性不够足。', 0, 'problem'], ['二是积极性不够高。', 1, 'problem']]
    """
    missing = {"doc_id", "text"} - set(documents.columns)
    if missing:
        raise ValueError(
            f"structure: documents table lacks column(s) {', '.join(sorted(missing))}; "
            "pass the documents table made by the ingest stage"
        )
    titles = documents["title"] if "title" in documents else pd.Series([""] * len(documents))
    walked = [
        walk_document(None, (str(title or ""), str(text or "")))
        for title, text in zip(titles, documents["text"], strict=True)
    ]
    return assemble_sentences(
        documents["doc_id"].astype(str).tolist(),
        walked,
        classifier=classifier,
        use_headings=use_headings,
        use_classifier=use_classifier,
        seed=seed,
    )


def walk_document(shared: object, item: tuple[str, str]) -> list[list]:
    r"""The per-document work: rows of one ``(title, text)`` article as plain lists (JSON-safe).

    Example::

        >>> rows = walk_document(None, ("调研报告", "一、存在问题\n工作不够扎实。"))
        >>> [row[0] for row in rows]   # 标题、标题行、句子
        ['调研报告', '一、存在问题', '工作不够扎实。']
    """
    title, text = item
    return [
        [r.text, r.para, r.section, r.part, list(r.path), r.level, *r.claim, sorted(r.cues)]
        for r in _walk(title, text)
    ]


def _rows(walked: list[list]) -> list[_Row]:
    return [
        _Row(text, para, section, part, path, level, (c0, c1), frozenset(cues))
        for text, para, section, part, path, level, c0, c1, cues in walked
    ]


def assemble_sentences(
    doc_ids: list[str],
    walked: list[list[list]],
    *,
    classifier: RoleClassifier | None = None,
    use_headings: bool = True,
    use_classifier: bool = True,
    seed: int = 0,
) -> pd.DataFrame:
    r"""The corpus-level part: one sentences table, roles from headings and the classifier.

    ``walked`` holds :func:`walk_document`'s rows for each of ``doc_ids``.

    Example::

        >>> walked = [walk_document(None, ("调研报告", "一、存在问题\n工作不够扎实。"))]
        >>> assemble_sentences(["d1"], walked)["role"].tolist()[-1]   # 句子角色
        'problem'
    """
    frames = [_frame(doc_id, _rows(rows)) for doc_id, rows in zip(doc_ids, walked, strict=True)]
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS})
    table = pd.concat(frames, ignore_index=True)
    table = assign_roles(
        table, classifier, use_headings=use_headings, use_classifier=use_classifier, seed=seed
    )
    return table[list(COLUMNS)]
