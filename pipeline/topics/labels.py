"""Readable topic labels from each topic's most relevant terms."""

from __future__ import annotations

import numpy as np


def topic_labels(
    topic_term: np.ndarray,
    background: np.ndarray,
    vocab: np.ndarray,
    *,
    n_terms: int = 3,
    lam: float = 0.6,
) -> list[str]:
    """Labels such as ``'两张皮·考核机制·党务干部'``: the ``n_terms`` terms of highest relevance.

    Relevance (Sievert & Shirley 2014) = ``lam * log p(w|t) + (1 - lam) * log(p(w|t) / p(w))``
    with ``p(w)`` from the ``background`` counts, so words common to every topic (党建, 工作)
    do not crowd out the distinctive ones. Ties go to the earlier vocabulary term; a label that
    repeats an earlier one gets ``#topic`` appended.

    Example::

        >>> topic_labels(np.array([[0.6, 0.4, 0.0]]), np.array([5, 1, 4]),
        ...              np.array(["党建", "两张皮", "考核机制"]), n_terms=2)
        ['两张皮·党建']
    """
    p_w = background / max(background.sum(), 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_phi = np.log(topic_term)
        relevance = lam * log_phi + (1 - lam) * (log_phi - np.log(p_w))
    relevance[~np.isfinite(relevance)] = -np.inf
    labels: list[str] = []
    for t, row in enumerate(relevance):
        order = np.argsort(-row, kind="stable")[:n_terms]
        label = "·".join(str(vocab[i]) for i in order if np.isfinite(row[i]))
        labels.append(f"{label}#{t}" if label in labels else label)
    return labels
