"""Report text carrying markup stays text in every page (static HTML checks; see test_browser)."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from pipeline.report import render_dashboard


@pytest.fixture(scope="module")
def hostile_pages(hostile_tables, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    paths = render_dashboard(hostile_tables, out_dir=tmp_path_factory.mktemp("hostile"))
    return {p.name: p.read_text(encoding="utf-8") for p in paths}


@pytest.mark.parametrize("page", ["map.html", "index.html", "topics.html"])
def test_no_injected_elements_or_handlers(hostile_pages: dict[str, str], page: str) -> None:
    soup = BeautifulSoup(hostile_pages[page], "html.parser")
    assert soup.find("img") is None
    assert not [
        tag.name for tag in soup.find_all(True) if any(a.startswith("on") for a in tag.attrs)
    ]
    assert not soup.select('a[href^="javascript:"]')
    inits = 0
    for script in soup.find_all("script"):
        assert not script.attrs  # only our own inline scripts, no src
        text = script.string or ""
        if "__xss" in text:
            # report text only ever sits inside the JSON argument of djmine.init(id, {...})
            assert _init_option(text)["series"]
            inits += 1
    assert inits >= 1


def _init_option(script: str) -> dict:
    """Parse the option of ``djmine.init("c_…", {...});…``; fails if anything but JSON is there."""
    m = re.match(r'djmine\.init\("c_[0-9a-f]{16}", ', script)
    assert m, script[:80]
    end = script.rindex(");djmine.") if ");djmine." in script else len(script) - 2
    body = script[m.end() : end]
    # the only non-JSON tokens allowed: references to the report.js formatters
    return json.loads(
        re.sub(r":djmine\.(dataTip|nameValueTip|axisTip|shortLabel)([,}])", r":null\2", body)
    )


def test_tables_show_hostile_text_literally(hostile_pages: dict[str, str], payloads) -> None:
    soup = BeautifulSoup(hostile_pages["index.html"], "html.parser")
    ingest = soup.select_one("table.ingest").get_text()
    for name in ("img", "script", "attr", "alert", "placeholder"):
        assert payloads[name] in ingest, name
    assert payloads["js_url"] in ingest
    assert payloads["img"] in soup.select_one("table.documents").get_text()
    assert payloads["img"] in soup.select_one("table.topics").get_text()
    keywords = " ".join(t.get_text() for t in soup.select("table.keywords"))
    assert payloads["script"] in keywords
    topics = BeautifulSoup(hostile_pages["topics.html"], "html.parser")
    assert payloads["img"] in topics.select_one("div.card").get_text()


def test_map_tooltips_escape_terms_sentences_titles_units(
    hostile_pages: dict[str, str], payloads
) -> None:
    soup = BeautifulSoup(hostile_pages["map.html"], "html.parser")
    script = next(
        s.string for s in soup.find_all("script") if (s.string or "").startswith("djmine.init(")
    )
    option = _init_option(script)
    data = option["series"][0]["data"]
    hostile = next(d for d in data if d["name"].startswith("两张皮<img"))
    tip = BeautifulSoup(hostile["tip"], "html.parser")
    assert tip.find("img") is None and tip.find("script") is None
    text = tip.get_text()
    assert payloads["img"] in text and payloads["script"] in text
    assert any(p in text for p in (payloads["attr"], payloads["js_url"], payloads["alert"]))
    assert {d["name"] for d in data} >= {payloads["alert"], payloads["placeholder"]}


def test_hostile_text_does_not_break_determinism(hostile_tables, tmp_path) -> None:
    a = render_dashboard(hostile_tables, out_dir=tmp_path / "a")
    b = render_dashboard(hostile_tables, out_dir=tmp_path / "b")
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
    assert isinstance(hostile_tables["documents"], pd.DataFrame)
