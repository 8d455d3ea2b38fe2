"""The dashboard pages and the report stage, checked in their HTML (no browser)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from pipeline.report import render_dashboard, report
from pipeline.report.style import ROLES


@pytest.fixture(scope="module")
def pages(
    sample_tables: dict[str, pd.DataFrame], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, BeautifulSoup]:
    out = tmp_path_factory.mktemp("dashboard")
    paths = render_dashboard(sample_tables, out_dir=out, title="党建报告测试")
    assert [p.name for p in paths] == ["map.html", "index.html", "topics.html"]
    return {p.name: BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser") for p in paths}


def _options(soup: BeautifulSoup) -> list[dict]:
    """The chart options of a page, parsed back from the djmine.init(...) calls."""
    out = []
    for script in soup.find_all("script"):
        m = re.match(r'djmine\.init\("c_[0-9a-f]+", (.*)\);', script.string or "", re.S)
        if m:
            body = re.sub(r":djmine\.\w+", ":null", m.group(1).split(");djmine.")[0])
            out.append(json.loads(body))
    return out


def test_every_page_links_to_the_others(pages: dict[str, BeautifulSoup]) -> None:
    for soup in pages.values():
        hrefs = {a["href"] for a in soup.select("nav a")}
        assert {"index.html", "map.html", "topics.html", "index.html#ingest"} <= hrefs
        assert len(soup.select("nav a.active")) == 1


def test_index_embeds_the_map_and_has_all_sections(pages: dict[str, BeautifulSoup]) -> None:
    index = pages["index.html"]
    assert index.find("iframe")["src"] == "map.html"
    for anchor in ("map", "topics", "keywords", "wordclouds", "documents", "ingest"):
        assert index.find(id=anchor) is not None, anchor


def test_topics_show_terms_and_role_profiles(
    pages: dict[str, BeautifulSoup], sample_tables
) -> None:
    rows = pages["index.html"].select("table.topics tbody tr")
    labels = sample_tables["topic_labels"]
    assert len(rows) == len(labels)
    assert labels["label"].iloc[0] in rows[0].get_text()
    top_terms = sample_tables["topics"].query("topic == 0").sort_values("rank")["term"].head(3)
    assert all(t in rows[0].get_text() for t in top_terms)
    bar = next(o for o in _options(pages["index.html"]) if o["series"][0]["type"] == "bar")
    assert [s["name"] for s in bar["series"]] == [r.label for r in ROLES.values()]
    share = labels.iloc[0]["share_problem"]
    assert bar["series"][1]["data"][0] == pytest.approx(100 * share, abs=0.06)
    cards = pages["topics.html"].select("div.card[id^=topic-]")
    assert len(cards) == len(labels) and cards[0].select("table.terms tr")


def test_keyword_tables_per_role_with_log_odds_z(
    pages: dict[str, BeautifulSoup], sample_tables
) -> None:
    kw = sample_tables["keywords"]
    for role in ROLES:
        table = pages["index.html"].select_one(f'table.keywords[data-role="{role}"]')
        first = table.select("tbody tr")[0].find_all("td")
        best = kw[(kw["key"] == role)].sort_values("rank").iloc[0]
        assert first[0].get_text() == "1" and first[1].get_text() == best["term"]
        assert first[2].get_text() == f"{best['z']:.2f}"


def test_a_word_cloud_per_role(pages: dict[str, BeautifulSoup]) -> None:
    clouds = [o for o in _options(pages["index.html"]) if o["series"][0]["type"] == "wordCloud"]
    assert [c["series"][0]["name"] for c in clouds] == [r.label for r in ROLES.values()]
    assert all(len(c["series"][0]["data"]) >= 10 for c in clouds)
    colours = [w["textStyle"]["color"] for w in clouds[1]["series"][0]["data"][:3]]
    assert colours == [ROLES["problem"].color] * 3  # fixed colours, not pyecharts' random ones


def test_ingest_and_document_tables(pages: dict[str, BeautifulSoup], sample_tables) -> None:
    ingest = pages["index.html"].select("table.ingest tbody tr")
    assert len(ingest) == len(sample_tables["ingest_report"]) == 5
    assert "000_d9d459ff6e47eae7.txt" in ingest[0].get_text()
    docs = pages["index.html"].select("table.documents tbody tr")
    assert len(docs) == 15
    assert "2016" in docs[0].get_text() and "2016.0" not in docs[0].get_text()


def test_missing_tables_leave_notes_not_errors(tmp_path: Path, sample_tables) -> None:
    only = {"documents": sample_tables["documents"]}
    paths = render_dashboard(only, out_dir=tmp_path)
    index = paths[1].read_text(encoding="utf-8")
    assert "没有生成 topics 表" in index and "没有生成 ingest_report 表" in index
    assert "缺少 graph_nodes" in paths[0].read_text(encoding="utf-8")


def test_report_stage_is_deterministic(sample_tables, tmp_path: Path) -> None:
    a = report(sample_tables, out_dir=tmp_path / "a", title="党建")
    b = report(sample_tables, out_dir=tmp_path / "b", title="党建")
    assert list(a.columns) == ["page", "path", "n_bytes", "sha256"]
    assert a["page"].tolist() == ["map.html", "index.html", "topics.html"]
    assert a["sha256"].tolist() == b["sha256"].tolist()
    assert (a["n_bytes"] > 1_000_000).all()  # ECharts inlined in every page
    text = Path(a["path"][1]).read_text(encoding="utf-8")
    assert "assets.pyecharts.org" not in text and not re.search(
        r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d", text
    )


@pytest.mark.slow
def test_pages_identical_across_processes_and_hash_seeds(sample_tables, tmp_path: Path) -> None:
    pickled = tmp_path / "tables.pkl"
    pd.to_pickle(sample_tables, pickled)
    code = (
        "import sys, pandas as pd; from pipeline.report import report; "
        "print(','.join(report(pd.read_pickle(sys.argv[1]), out_dir=sys.argv[2])['sha256']))"
    )
    digests = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run(
            [sys.executable, "-c", code, str(pickled), str(tmp_path / seed)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        digests.append(out.stdout.strip())
    assert digests[0] == digests[1] and len(digests[0].split(",")) == 3
