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
    splits = [split_sentences(line) for line in lines]
    headings = find_headings(lines, sentences=splits)
    for para, (line, heading) in enumerate(zip(lines, headings, strict=True)):
        sentences = splits[para]
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
            sentences = split_sentences(heading.body)
        elif outline.leadin_open and claims.in_enumeration and claim_marker(line) is None:
            outline.close_leadin()  # the paragraph after a lead-in's items
        for sentence in sentences:
            rows.append(_in_outline(sentence, para, outline))
            rows[-1].claim = claims.sentence(sentence)
        claims.paragraph_end()
    return rows


def _claim_texts(claims: tuple[int, ...], texts: tuple[str, ...]) -> list[str]:
    """Per row of one article, the whole text of its claim ("" outside claims)."""
    joined: dict[int, list[str]] = {}
    for claim, text in zip(claims, texts, strict=True):
        if claim >= 0:
            joined.setdefault(claim, []).append(text)
    whole = {claim: "".join(parts) for claim, parts in joined.items()}
    return [whole[claim] if claim >= 0 else "" for claim in claims]


def _table(doc_ids: list[str], walked: list[list[list]]) -> dict[str, list]:
    """The sentences of all articles as columns (roles still to fill), built column-wise."""
    names = ("doc_id", "sent_id", "section_id", "para_index", "heading_path", "heading_level",
             "is_heading", "claim_index", "claim_id", "claim_text", "text", "_cues", "_part")  # fmt: skip
    columns: dict[str, list] = {name: [] for name in names}
    for doc_id, rows in zip(doc_ids, walked, strict=True):
        if not rows:
            continue
        texts, paras, sections, parts, paths, levels, indexes, claims, cues = zip(
            *rows, strict=True
        )
        columns["doc_id"] += [doc_id] * len(rows)
        columns["sent_id"] += [f"{doc_id}:{n:04d}" for n in range(len(rows))]
        columns["section_id"] += [f"{doc_id}:s{section:03d}" for section in sections]
        columns["para_index"] += paras
        columns["heading_path"] += paths
        columns["heading_level"] += levels
        columns["is_heading"] += [level >= 0 for level in levels]
        columns["claim_index"] += indexes
        columns["claim_id"] += [f"{doc_id}:c{c:03d}" if c >= 0 else "" for c in claims]
        columns["claim_text"] += _claim_texts(claims, texts)
        columns["text"] += texts
        columns["_cues"] += map(frozenset, cues)
        columns["_part"] += parts
    return columns


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
    columns = _table(doc_ids, walked)
    if not columns["text"]:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS})
    table = pd.DataFrame(columns)
    table = assign_roles(
        table, classifier, use_headings=use_headings, use_classifier=use_classifier, seed=seed
    )
    return table[list(COLUMNS)]
