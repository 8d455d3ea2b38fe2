"""Visual vocabulary shared by all report pages: role names, symbols, colours."""

from __future__ import annotations

from typing import NamedTuple


class RoleStyle(NamedTuple):
    """How one discourse role looks: Chinese label, node symbol, ring colour, glyph for HTML."""

    label: str
    symbol: str
    color: str
    glyph: str


# Roles in their reading order (成效 → 问题 → 原因 → 对策 → 其他).
ROLES: dict[str, RoleStyle] = {
    "achievement": RoleStyle("成效做法", "circle", "#2e7d32", "●"),
    "problem": RoleStyle("存在问题", "triangle", "#c62828", "▲"),
    "cause": RoleStyle("原因分析", "diamond", "#ef6c00", "◆"),
    "countermeasure": RoleStyle("对策建议", "rect", "#1565c0", "■"),
    "other": RoleStyle("其他", "roundRect", "#757575", "▢"),
}

# Fill colours of communities 0..n-1 (0 = largest); the last one is for "其他社区".
COMMUNITY_COLORS: tuple[str, ...] = (
    "#5470c6",
    "#91cc75",
    "#fac858",
    "#ee6666",
    "#73c0de",
    "#3ba272",
    "#fc8452",
    "#9a60b4",
    "#ea7ccc",
    "#b5a642",
    "#4b8bbe",
    "#c0c0c0",
)


def role_style(role: object) -> RoleStyle:
    """Style of a role; unknown roles are drawn as 其他.

    Example::

        >>> role_style("problem").label
        '存在问题'
    """
    return ROLES.get(str(role), ROLES["other"])
