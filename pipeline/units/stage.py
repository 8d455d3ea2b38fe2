"""The ``units`` stage: compare what units (and unit types) write about themselves."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd

from ..segment import StopWords
from .composition import body_sentences, role_composition, topic_prevalence
from .counts import TermCounts
from .groups import check_level, group_labels, is_known, kept_documents, sentence_groups
from .similarity import group_similarity
from .substance import DEFAULT_FORMULAIC_MIN_SHARE, sentence_substance, substance_summary
from .terms import ROLE_SCOPES, distinctive_terms

DOC_COLUMNS: tuple[str, ...] = ("doc_id", "title", "unit", "unit_type", "region", "year", "dup_of")


class UnitResult(NamedTuple):
    """What the units stage returns; the lead writes the tables.

    * ``units``: one row per group at each level (``unit``, ``unit_type``): level, name, known,
      unit_type, region, year_min, year_max, n_docs, n_duplicates, n_sentences, n_tokens,
      share_<role> (body-sentence role composition), n_body, n_concrete, n_formulaic,
      concrete_share, formulaic_share, substance, top_terms (list[str]), topic_<n> (mean
      topic share, only when doc_topics is given).
    * ``unit_terms``: level, name, role ('all' or a role), rank, term, count, count_rest,
      delta, z — the terms setting each group apart from the other groups.
    * ``unit_similarity``: level, unit_a, unit_b, similarity (every ordered pair).
    * ``doc_substance``: one row per article: doc_id, title, unit, unit_type, region, year,
      dup_of, n_body … substance (the substance rule applied to one article).

    Example::

        >>> result = units(documents, sentences, doc_topics)
        >>> result.units.query("level == 'unit_type'").set_index("name")["share_problem"]  # 问题句占比
    """

    units: pd.DataFrame
    unit_terms: pd.DataFrame
    unit_similarity: pd.DataFrame
    doc_substance: pd.DataFrame


def _joined(values: pd.Series) -> str:
    """Distinct non-empty values, sorted and joined with '、'."""
    kept = sorted({str(v).strip() for v in values.dropna() if str(v).strip()})
    return "、".join(kept)


def _slim(sentences: pd.DataFrame) -> pd.DataFrame:
    """The sentence columns the units table needs, with ``n_tokens`` for the token lists."""
    columns = [c for c in ("doc_id", "role", "is_heading") if c in sentences]
    n_tokens = np.fromiter(map(len, sentences["tokens"]), dtype=np.int64, count=len(sentences))
    return sentences[columns].assign(n_tokens=n_tokens)


def _group_facts(documents: pd.DataFrame, sentences: pd.DataFrame, by: str) -> pd.DataFrame:
    """Descriptive columns of each group: what it is, how much it wrote (``sentences`` as
    :func:`_slim` gives them)."""
    labels = group_labels(documents, by)
    docs = documents.assign(_group=labels.to_numpy())
    years = pd.to_numeric(docs["year"], errors="coerce") if "year" in docs else np.nan
    docs = docs.assign(_year=years)
    dup = docs["dup_of"].notna() if "dup_of" in docs else pd.Series(False, index=docs.index)
    grouped = docs.groupby("_group", sort=True)
    kept = sentences.assign(_group=sentence_groups(sentences, labels).to_numpy())
    facts = pd.DataFrame(
        {
            "unit_type": grouped["unit_type"].agg(_joined) if "unit_type" in docs else "",
            "region": grouped["region"].agg(_joined) if "region" in docs else "",
            "year_min": grouped["_year"].min().astype("Int64"),
            "year_max": grouped["_year"].max().astype("Int64"),
            "n_docs": (~dup).groupby(docs["_group"]).sum(),
            "n_duplicates": dup.groupby(docs["_group"]).sum(),
            "n_sentences": kept.groupby("_group").size(),
            "n_tokens": kept.groupby("_group")["n_tokens"].sum(),
        }
    )
    counts = ["n_docs", "n_duplicates", "n_sentences", "n_tokens"]
    facts[counts] = facts[counts].fillna(0).astype("int64")
    return facts


def _level_table(
    documents: pd.DataFrame,
    kept: pd.DataFrame,
    flags: pd.DataFrame,
    doc_topics: pd.DataFrame | None,
    terms: pd.DataFrame,
    by: str,
) -> pd.DataFrame:
    """The units-table rows of one level."""
    labels = group_labels(documents, by)
    facts = _group_facts(documents, kept, by)
    body = body_sentences(kept)
    parts = [
        facts,
        role_composition(body["role"], sentence_groups(body, labels)),
        substance_summary(flags, sentence_groups(flags, labels)),
    ]
    top = (
        terms[terms["role"] == "all"]
        .groupby("name", sort=True)["term"]
        .agg(lambda t: t.head(5).tolist())
    )
    parts.append(top.rename("top_terms").to_frame())
    if doc_topics is not None:
        kept_labels = group_labels(kept_documents(documents), by)
        parts.append(topic_prevalence(doc_topics, kept_labels))
    table = pd.concat(parts, axis=1).reindex(facts.index)
    table["top_terms"] = [v if isinstance(v, list) else [] for v in table["top_terms"]]
    if by == "unit_type":
        table["unit_type"] = table.index
    table.insert(0, "known", [is_known(name, by) for name in table.index])
    table.insert(0, "name", table.index)
    table.insert(0, "level", by)
    order = np.lexsort((table["name"].to_numpy(), ~table["known"].to_numpy()))
    return table.iloc[order].reset_index(drop=True)


def _doc_substance(documents: pd.DataFrame, flags: pd.DataFrame) -> pd.DataFrame:
    summary = substance_summary(flags, flags["doc_id"])
    docs = documents.reindex(columns=list(DOC_COLUMNS)).set_index("doc_id", drop=False)
    table = pd.concat([docs, summary.reindex(docs.index)], axis=1).reset_index(drop=True)
    table[["n_body", "n_concrete", "n_formulaic"]] = (
        table[["n_body", "n_concrete", "n_formulaic"]].fillna(0).astype("int64")
    )
    return table.sort_values("doc_id", kind="stable").reset_index(drop=True)


def units(
    documents: pd.DataFrame,
    sentences: pd.DataFrame,
    doc_topics: pd.DataFrame | None = None,
    *,
    stopwords: StopWords | None = None,
    levels: Sequence[str] = ("unit", "unit_type"),
    roles: Sequence[str] = ROLE_SCOPES,
    top_n: int = 20,
    alpha0: float = 1000.0,
    formulaic_min_share: float = DEFAULT_FORMULAIC_MIN_SHARE,
) -> UnitResult:
    """Compare units: role composition, topics, distinctive terms, similarity and substance.

    Near-duplicate articles (``dup_of`` set) are counted in ``n_duplicates`` and left out of
    everything else. Articles without a unit (or type, region, year) form an explicit unknown
    group such as ``（未知单位）`` (``known`` = False). ``stopwords`` supplies the formulaic
    phrases for the substance score (``StopWords.load(None, "models/stopwords_formulaic.txt")``);
    ``levels`` may add ``region`` and ``year``. See :class:`UnitResult` for the tables.

    Example::

        >>> from pipeline.segment import StopWords
        >>> stop = StopWords.load(None, "models/stopwords_formulaic.txt")
        >>> result = units(documents, sentences, doc_topics, stopwords=stop)   # 单位比较
        >>> result.units.query("level == 'unit'")[["name", "n_docs", "substance"]]
        >>> result.unit_terms.query("name == '国企' and role == 'countermeasure'")["term"].head()
    """
    if top_n < 1 or alpha0 <= 0:
        raise ValueError(f"top_n = {top_n} must be >= 1 and alpha0 = {alpha0} positive")
    kept_ids = pd.unique(kept_documents(documents)["doc_id"])
    slim = _slim(sentences)
    kept = slim[slim["doc_id"].isin(kept_ids)]
    texts = sentences[[c for c in ("sent_id", "doc_id", "text", "is_heading") if c in sentences]]
    flags = sentence_substance(
        body_sentences(texts), stopwords=stopwords, formulaic_min_share=formulaic_min_share
    )
    kept_flags = flags[flags["doc_id"].isin(kept_ids)]
    tables, term_frames, sim_frames = [], [], []
    levels = [check_level(by) for by in levels]
    base = TermCounts.build(sentences, documents, by=levels[0]) if levels else None
    for by in levels:
        counts = base.regroup(documents, by=by)  # tokens counted once for every level
        terms = distinctive_terms(counts, level=by, roles=roles, alpha0=alpha0, top_n=top_n)
        term_frames.append(terms)
        sim_frames.append(group_similarity(counts, level=by))
        tables.append(_level_table(documents, kept, kept_flags, doc_topics, terms, by))
    return UnitResult(
        units=pd.concat(tables, ignore_index=True),
        unit_terms=pd.concat(term_frames, ignore_index=True),
        unit_similarity=pd.concat(sim_frames, ignore_index=True),
        doc_substance=_doc_substance(documents, flags),
    )
