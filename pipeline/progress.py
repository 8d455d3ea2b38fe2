"""Progress bars (tqdm, on stderr) for the stages of a run; silent unless asked for."""

from __future__ import annotations

import sys
from typing import Any

from tqdm import tqdm


def bar(stage: str, *, total: int | None, unit: str, enabled: bool) -> Any:
    """A tqdm bar for one stage: count, rate and elapsed time; disabled when not ``enabled``.

    Example::

        >>> with bar("segment", total=15, unit="doc", enabled=True) as b:   # 分词进度
        ...     b.update(15)
    """
    return tqdm(
        total=total,
        desc=f"{stage:<9}",
        unit=f" {unit}",
        disable=not enabled,
        file=sys.stderr,
        dynamic_ncols=True,
        leave=True,
        mininterval=0.2,
    )
