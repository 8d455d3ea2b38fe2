"""Escaping helpers: HTML text, JSON inside <script>, whitelisted JsCode, stable ids."""

from __future__ import annotations

import json

import pytest
from pyecharts.commons.utils import JsCode

from pipeline.report.escape import clean_text, esc, script_json, stable_id

HOSTILE = [
    "<script>alert(1)</script>",
    "</script><script>window.__xss=2</script>",
    '"onerror=alert(1) x="',
    "<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "<!-- 两张皮 -->",
    "行\u2028分\u2029隔",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_script_json_cannot_close_the_script_and_round_trips(text: str) -> None:
    out = script_json({"name": text, "data": [text]})
    for bad in ("<", ">", "&", "\u2028", "\u2029"):
        assert bad not in out
    assert json.loads(out) == {"name": text, "data": [text]}


def test_script_json_keeps_pyecharts_placeholder_as_a_string() -> None:
    # pyecharts' own dump would turn this string into live JavaScript.
    smuggled = "--x_x--0_0--window.__xss=5--x_x--0_0--"
    out = script_json({"name": smuggled})
    assert json.loads(out) == {"name": smuggled}


def test_script_json_allows_only_whitelisted_function_references() -> None:
    out = script_json({"formatter": JsCode("djmine.dataTip"), "name": "党建"})
    assert out == '{"formatter":djmine.dataTip,"name":"党建"}'
    with pytest.raises(ValueError, match="report.js"):
        script_json({"formatter": JsCode("function(p){return p.name}")})


def test_script_json_drops_control_characters_so_markers_cannot_be_forged() -> None:
    forged = "\x00js:djmine.dataTip"
    assert json.loads(script_json({"name": forged})) == {"name": "js:djmine.dataTip"}


def test_esc_and_clean_text() -> None:
    assert esc('<img src=x onerror="a">党建') == "&lt;img src=x onerror=&quot;a&quot;&gt;党建"
    assert esc("'") == "&#x27;"
    assert clean_text(None) == clean_text(float("nan")) == ""
    assert clean_text("两张皮\x07") == "两张皮"


def test_stable_id_is_stable_and_distinct() -> None:
    assert stable_id("index.html", "wordcloud", "problem") == stable_id(
        "index.html", "wordcloud", "problem"
    )
    assert stable_id("index.html", "wordcloud", "problem") != stable_id(
        "index.html", "wordcloud", "cause"
    )
    assert stable_id("x").startswith("c_") and len(stable_id("x")) == 18
