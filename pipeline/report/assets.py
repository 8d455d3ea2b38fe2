"""The vendored JavaScript and CSS that every page carries inline (no CDN, no network).

Files live in ``pipeline/report/assets/`` (versions and licences in its README.md).
"""

from __future__ import annotations

import base64
import hashlib
import re
from importlib import resources

ECHARTS_VERSION = "5.6.0"
WORDCLOUD_VERSION = "2.1.0"

# pyecharts dependency name -> vendored file.
DEPENDENCY_FILES: dict[str, str] = {
    "echarts": "echarts.min.js",
    "echarts-wordcloud": "echarts-wordcloud.min.js",
}

_SOURCE_MAP = re.compile(r"^//# sourceMappingURL=.*$", re.MULTILINE)
_UNSAFE_IN_SCRIPT = re.compile(r"</script|<!--|<script", re.IGNORECASE)


def read_asset(name: str) -> str:
    """Text of one file under ``pipeline/report/assets/``.

    Example::

        >>> read_asset("report.css").startswith("/*")
        True
    """
    path = resources.files("pipeline.report").joinpath("assets", name)
    if not path.is_file():
        raise FileNotFoundError(
            f"report asset {name!r} is missing from pipeline/report/assets/; reinstall the "
            "package (package_data must include report/assets/*)"
        )
    return path.read_text(encoding="utf-8")


def inline_js(name: str) -> str:
    """A vendored script ready to sit inside ``<script>…</script>``.

    The source-map comment is dropped (it would point DevTools at a file that is not shipped);
    a script that could end or confuse the script element is refused.

    Example::

        >>> "echarts" in inline_js("echarts.min.js")[:2000]
        True
    """
    text = _SOURCE_MAP.sub("", read_asset(name)).rstrip() + "\n"
    if _UNSAFE_IN_SCRIPT.search(text):
        raise ValueError(f"pipeline/report/assets/{name} contains '</script' or '<!--'")
    return text


def dependency_scripts(dependencies: list[str]) -> list[str]:
    """Inline scripts for pyecharts dependency names (``chart.js_dependencies.items``).

    Example::

        >>> len(dependency_scripts(["echarts", "echarts-wordcloud"]))
        2
    """
    unknown = sorted(set(dependencies) - set(DEPENDENCY_FILES))
    if unknown:
        raise ValueError(
            f"charts need JavaScript {unknown} that is not vendored in pipeline/report/assets/; "
            "add the minified file there and to DEPENDENCY_FILES"
        )
    order = [dep for dep in DEPENDENCY_FILES if dep in dependencies]
    return [inline_js(DEPENDENCY_FILES[dep]) for dep in order]


def csp_hash(script: str) -> str:
    """The Content-Security-Policy source expression allowing exactly this inline script.

    Example::

        >>> csp_hash("var 党建 = 1;").startswith("'sha256-")
        True
    """
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"
