"""Topic shares of documents and sentences, and each topic's role profile."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from .units import ROLES


def repeated(ids: pd.Series | pa.Array, k: int) -> pd.Series | np.ndarray:
    """Each id ``k`` times in a row; Arrow text stays Arrow (no Python string per row).

    Example::

        >>> repeated(pa.array(["003-00", "004-00"]), 2).tolist()
        ['003-00', '003-00', '004-00', '004-00']
    """
    if isinstance(ids, pa.Array | pa.ChunkedArray):
        return ids.take(np.repeat(np.arange(len(ids), dtype=np.int32), k)).to_pandas()
    return np.repeat(ids.to_numpy(), k)


def long_shares(ids: pd.Series | pa.Array, shares: np.ndarray, id_name: str) -> pd.DataFrame:
    """Long table ``<id_name>, topic, share`` (k rows per id; NaN shares kept).

    Example::

        >>> long_shares(pd.Series(["003-00"]), np.array([[0.25, 0.75]]), "doc_id")["share"].tolist()
        [0.25, 0.75]
    """
    n, k = shares.shape
    return pd.DataFrame(
        {
            id_name: repeated(ids, k),
            "topic": np.tile(np.arange(k), n),
            "share": shares.reshape(-1),
        }
    )


def role_profile(mass: np.ndarray, base: np.ndarray) -> pd.DataFrame:
    """``share_<role>`` columns and ``dominant_role`` from (items x roles) role masses.

    ``base`` is the role distribution of all scored sentences; ``dominant_role`` is the role
    with the largest lift ``share / base`` (ties: the earlier role in ROLES), so an item is not
    called 'countermeasure' merely because most sentences in these reports are countermeasures.

    Example::

        >>> role_profile(np.array([[3.0, 1.0, 0, 0, 0]]), np.array([0.5, 0.1, 0.1, 0.2, 0.1]))[
        ...     "dominant_role"].tolist()
        ['problem']
    """
    totals = mass.sum(axis=1, keepdims=True)
    shares = np.divide(mass, totals, out=np.zeros_like(mass, dtype=float), where=totals > 0)
    lift = np.divide(shares, base, out=np.zeros_like(shares), where=base > 0)
    frame = pd.DataFrame(shares, columns=[f"share_{role}" for role in ROLES])
    frame["dominant_role"] = [ROLES[i] for i in lift.argmax(axis=1)] if len(frame) else []
    return frame


def role_onehot(roles: pd.Series | np.ndarray) -> np.ndarray:
    """(sentences x 5) indicator of each sentence's role, columns in ROLES order.

    Example::

        >>> role_onehot(np.array(["cause"])).tolist()
        [[0.0, 0.0, 1.0, 0.0, 0.0]]
    """
    values = np.asarray(roles)
    return np.stack([(values == role).astype(float) for role in ROLES], axis=1).reshape(
        -1, len(ROLES)
    )


def role_shares(weights: np.ndarray, roles: pd.Series) -> pd.DataFrame:
    """Per topic: ``share_<role>`` weighted by sentence-topic share, and ``dominant_role``.

    Rows with NaN weights (sentences without known terms) are ignored; see
    :func:`role_profile` for the dominant role.

    Example::

        >>> role_shares(np.array([[0.9, 0.1], [0.2, 0.8]]), pd.Series(["problem", "cause"]))[
        ...     "dominant_role"].tolist()
        ['problem', 'cause']
    """
    ok = ~np.isnan(weights).any(axis=1)
    onehot = role_onehot(roles.to_numpy()[ok])
    base = onehot.mean(axis=0) if ok.any() else np.ones(len(ROLES))
    return role_profile(weights[ok].T @ onehot, base)
