"""Escaping for everything the report pages show: HTML text, JSON inside <script>, chart ids.

Report text comes from scraped web pages and may contain anything, including markup written to
break out of a page (``</script>``, ``<img onerror=…>``). Every string passes through one of
these functions before it reaches a page.
"""

from __future__ import annotations

import hashlib
import html
import json
import math
import re
from typing import Any

from pyecharts.commons.utils import JsCode, remove_key_with_none_value
from pyecharts.options.series_options import BasicOpts

# JavaScript a chart option may reference: the formatters defined in assets/report.js.
ALLOWED_JS: frozenset[str] = frozenset(
    {"djmine.dataTip", "djmine.nameValueTip", "djmine.axisTip", "djmine.shortLabel"}
)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MARKER = "\x00js:"
_SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028"}
_SCRIPT_UNSAFE["\u2029"] = "\\u2029"
_SCRIPT_UNSAFE_RE = re.compile("[<>&\u2028\u2029]")


def clean_text(value: object) -> str:
    """Turn a table cell into display text: ``None``/NaN become ``''``, control characters go.

    Example::

        >>> clean_text("两张皮\\x00问题")
        '两张皮问题'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return _CONTROL.sub("", str(value))


def esc(value: object) -> str:
    """HTML-escape a table cell for use in element text or a quoted attribute.

    Example::

        >>> esc('<img src=x onerror="alert(1)">党建')
        '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;党建'
    """
    return html.escape(clean_text(value), quote=True)


def _strip_controls(obj: Any) -> Any:
    """Recursively remove control characters from every string in a JSON-like structure."""
    if isinstance(obj, str):
        return _CONTROL.sub("", obj)
    if isinstance(obj, dict):
        return {key: _strip_controls(value) for key, value in obj.items()}
    if isinstance(obj, list | tuple):
        return [_strip_controls(value) for value in obj]
    if isinstance(obj, BasicOpts):
        opts = obj.opts
        if isinstance(opts, dict):
            return _strip_controls(remove_key_with_none_value(opts))
        return [_strip_controls(remove_key_with_none_value(item)) for item in opts]
    return obj


def _js_reference(code: JsCode) -> str:
    """Return the marker standing for a whitelisted function reference in the dumped JSON."""
    name = code.js_code.replace("--x_x--0_0--", "").strip()
    if name not in ALLOWED_JS:
        raise ValueError(
            f"chart option uses JavaScript {name!r}; only references to the functions in "
            f"pipeline/report/assets/report.js are allowed: {sorted(ALLOWED_JS)}"
        )
    return _MARKER + name


def _default(obj: Any) -> Any:
    if isinstance(obj, JsCode):
        return _js_reference(obj)
    raise TypeError(f"cannot put {type(obj).__name__} into a chart option")


def script_json(obj: Any) -> str:
    """Serialise a chart option (or any JSON data) for a ``<script>`` block, safely.

    Strings are stripped of control characters; ``<``, ``>``, ``&``, U+2028 and U+2029 become
    ``\\uXXXX`` escapes so no text can close the script element; pyecharts ``JsCode`` is allowed
    only as a bare reference to a function of ``assets/report.js`` (see :data:`ALLOWED_JS`).
    Unlike pyecharts' own ``dump_options`` no string can smuggle code in through its
    ``--x_x--0_0--`` placeholder.

    Example::

        >>> script_json({"name": "</script>两张皮"})
        '{"name":"\\\\u003c/script\\\\u003e两张皮"}'
    """
    text = json.dumps(
        _strip_controls(obj),
        default=_default,
        ensure_ascii=False,
        allow_nan=False,
        separators=(",", ":"),
    )
    # The control-character strip guarantees that a \u0000 left in the text is one of our markers.
    text = re.sub(r'"\\u0000js:([A-Za-z_.]+)"', r"\1", text)
    if "\\u0000" in text:
        raise ValueError("chart option holds a JsCode inside a string; pass it as a value")
    return _SCRIPT_UNSAFE_RE.sub(lambda m: _SCRIPT_UNSAFE[m.group(0)], text)


def stable_id(*parts: object) -> str:
    """A chart/element id derived from a hash of ``parts``: same parts, same id, every run.

    Example::

        >>> stable_id("index.html", "wordcloud", "problem")[:2]
        'c_'
    """
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()
    return "c_" + digest[:16]
