"""Role composition and topic prevalence of each group of articles."""

from __future__ import annotations

import pandas as pd

from ..topics.units import ROLES


def body_sentences(sentences: pd.DataFrame) -> pd.DataFrame:
    """Sentences that are not headings (all of them when there is no ``is_heading`` column).

    Example::

        >>> body_sentences(sentences)["is_heading"].any()   # 去掉标题句
        False
    """
    if "is_heading" not in sentences.columns:
        return sentences
    return sentences[~sentences["is_heading"].astype(bool)]


def role_composition(roles: pd.Series, groups: pd.Series) -> pd.DataFrame:
    """Share of each role among a group's sentences: columns ``share_<role>``, index = group.

    ``roles`` and ``groups`` are aligned Series (one entry per sentence); shares of a group sum
    to 1.

    Example::

        >>> shares = role_composition(pd.Series(["problem", "cause", "problem"]),
        ...                           pd.Series(["宁波海关"] * 3))       # 一个单位的三个句子
        >>> round(float(shares.loc["宁波海关", "share_problem"]), 3)
        0.667
    """
    frame = pd.DataFrame({"group": groups.to_numpy(), "role": roles.to_numpy()})
    table = pd.crosstab(frame["group"], frame["role"], normalize="index")
    table = table.reindex(columns=list(ROLES), fill_value=0.0)
    table.columns = [f"share_{role}" for role in ROLES]
    table.index.name = None
    return table.astype(float)


def topic_prevalence(doc_topics: pd.DataFrame, doc_groups: pd.Series) -> pd.DataFrame:
    """Mean topic share of each group's articles: columns ``topic_<n>``, index = group.

    ``doc_topics`` is the topics stage's long table (``doc_id, topic, share``); ``doc_groups``
    maps the articles to count (index doc_id) to their group. Articles with NaN shares (no
    analysed tokens) are left out of the mean.

    Example::

        >>> topic_prevalence(doc_topics, group_labels(kept_documents(documents), "unit_type"))
        ...     .loc["国企"].idxmax()                       # 国企文章最常见的主题
        'topic_1'
    """
    missing = {"doc_id", "topic", "share"} - set(doc_topics.columns)
    if missing:
        raise ValueError(
            f"doc_topics lacks columns {sorted(missing)}; pass the topics stage's table"
        )
    wide = doc_topics.pivot(index="doc_id", columns="topic", values="share")
    wide = wide.reindex(doc_groups.index).dropna(how="all")
    means = wide.groupby(doc_groups.reindex(wide.index)).mean()
    means.columns = [f"topic_{int(topic)}" for topic in means.columns]
    means.index.name = None
    return means.astype(float)
