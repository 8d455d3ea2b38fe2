"""The pages in a real headless Chromium: they draw, work offline, toggle, and never run report text.

Needs Debian's chromium (`make browser`) and the playwright Python package (no browser download).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from pipeline.report import render_dashboard, render_map

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")
CHART_ID = "Object.keys(djmine.charts)[0]"
NODE_COUNT = f"djmine.charts[{CHART_ID}].getModel().getSeriesByIndex(0).getData().count()"


@pytest.fixture(scope="module")
def site(sample_tables: dict[str, pd.DataFrame], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    render_dashboard(sample_tables, out_dir=out)
    return out


@pytest.fixture(scope="module")
def hostile_site(
    hostile_tables: dict[str, pd.DataFrame], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    out = tmp_path_factory.mktemp("hostile-site")
    render_dashboard(hostile_tables, out_dir=out)
    return out


class Opened:
    """A page opened in Chromium plus everything it did: requests, dialogs, errors.

    Predicates are passed as functions: the pages' CSP forbids eval, which Playwright would
    use for bare expressions.
    """

    def __init__(self, browser: Any, path: Path, *, n_charts: int = 1) -> None:
        browser.blocked_requests.clear()
        self.blocked = browser.blocked_requests
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page = browser.new_page()
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.goto(path.as_uri())
        self.page.wait_for_function(
            f"() => window.djmine && Object.keys(djmine.charts).length >= {n_charts}",
            timeout=20_000,
        )

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def js(self, expression: str, arg: object = None) -> Any:
        return self.page.evaluate(expression, arg)

    def assert_offline_and_clean(self) -> None:
        remote = [u for u in self.requests if not u.startswith(LOCAL_SCHEMES)]
        assert not remote and not self.blocked, f"network requests: {remote + self.blocked}"
        assert not self.errors, self.errors
        assert not self.dialogs, self.dialogs

    def close(self) -> None:
        self.page.close()


def _show_tip(opened: Opened, chart_id: str, data_index: int) -> str:
    """Show the tooltip of one data item via the ECharts API; return the tooltip's HTML."""
    opened.js(
        "([id, i]) => djmine.charts[id].dispatchAction({type: 'showTip', seriesIndex: 0, dataIndex: i})",
        [chart_id, data_index],
    )
    opened.page.wait_for_timeout(300)
    return opened.js(
        """id => { const el = [...document.getElementById(id).querySelectorAll('div')]
              .filter(d => d.style.position === 'absolute' && d.innerHTML.length > 0
                           && getComputedStyle(d).display !== 'none' && !d.querySelector('canvas'));
              return el.length ? el[el.length - 1].innerHTML : ''; }""",
        chart_id,
    )


def _tooltip_text(opened: Opened, chart_id: str) -> str:
    return opened.js(
        """id => { const el = [...document.getElementById(id).querySelectorAll('div')]
              .filter(d => d.style.position === 'absolute' && !d.querySelector('canvas'));
              return el.length ? el[el.length - 1].textContent : ''; }""",
        chart_id,
    )


def _fitted_view(opened: Opened) -> tuple[float, float]:
    """Wait for the auto-fit; return (share of nodes inside the chart, share of it they span)."""
    opened.page.wait_for_function(f"() => djmine.fitted[{CHART_ID}] === true", timeout=20_000)
    opened.page.wait_for_timeout(500)
    return opened.js(
        f"""(() => {{ const c = djmine.charts[{CHART_ID}], d = c.getModel().getSeriesByIndex(0).getData();
            const w = c.getWidth(), h = c.getHeight(); let inside = 0, y0 = h, y1 = 0, x0 = w, x1 = 0;
            for (let i = 0; i < d.count(); i++) {{
              const [x, y] = c.convertToPixel({{seriesIndex: 0}}, d.getItemLayout(i));
              if (x >= 0 && x <= w && y >= 0 && y <= h) inside++;
              x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y); }}
            return [inside / d.count(), Math.max((x1 - x0) / w, (y1 - y0) / h)]; }})()"""
    )


def test_map_draws_a_non_blank_chart(browser: Any, site: Path, tmp_path: Path, pixel_stats) -> None:
    opened = Opened(browser, site / "map.html")
    inside, cover = _fitted_view(opened)  # the view zooms to the settled force layout
    assert inside >= 0.98 and cover >= 0.6, (inside, cover)
    chart_id = opened.js(CHART_ID)
    assert opened.js(f"document.querySelectorAll('#{chart_id} canvas').length") >= 1
    shot = tmp_path / "map.png"
    opened.page.locator(f"#{chart_id}").screenshot(path=str(shot))
    non_background, colours = pixel_stats(shot)
    assert non_background > 0.03 and colours > 100, (non_background, colours, shot)
    opened.assert_offline_and_clean()
    opened.close()


@pytest.mark.parametrize("name,n_charts", [("map.html", 1), ("index.html", 6), ("topics.html", 1)])
def test_pages_open_without_any_network(browser: Any, site: Path, name: str, n_charts: int) -> None:
    opened = Opened(browser, site / name, n_charts=n_charts)
    opened.page.wait_for_timeout(1500)
    assert opened.js("Object.keys(djmine.charts).length") == n_charts
    if name == "index.html":
        frame = next(f for f in opened.page.frames if f.url.endswith("/map.html"))
        frame.wait_for_function("() => window.djmine && Object.keys(djmine.charts).length === 1")
        assert frame.evaluate("getComputedStyle(document.querySelector('nav')).display") == "none"
    opened.assert_offline_and_clean()
    opened.close()


def test_word_clouds_are_drawn(browser: Any, site: Path, tmp_path: Path, pixel_stats) -> None:
    opened = Opened(browser, site / "index.html", n_charts=6)
    opened.page.wait_for_timeout(1500)
    ids = opened.js(
        "Object.keys(djmine.charts).filter(id => djmine.charts[id].getOption().series[0].type === 'wordCloud')"
    )
    assert len(ids) == 5
    shot = tmp_path / "wordcloud.png"
    opened.page.locator(f"#{ids[1]}").screenshot(path=str(shot))
    non_background, colours = pixel_stats(shot)
    assert non_background > 0.01 and colours > 20, (non_background, colours)
    opened.close()


def test_community_legend_switches_nodes_off_and_on(browser: Any, site: Path) -> None:
    opened = Opened(browser, site / "map.html")
    before = opened.js(NODE_COUNT)
    name = opened.js(f"djmine.charts[{CHART_ID}].getOption().series[0].categories[0].name")
    in_category = opened.js(
        f"djmine.charts[{CHART_ID}].getOption().series[0].data.filter(d => d.category === 0).length"
    )
    toggle = (
        f"djmine.charts[{CHART_ID}].dispatchAction({{type: 'legendToggleSelect', name: {name!r}}})"
    )
    opened.js(toggle)
    opened.page.wait_for_timeout(300)
    assert opened.js(NODE_COUNT) == before - in_category > 0
    opened.js(toggle)
    opened.page.wait_for_timeout(300)
    assert opened.js(NODE_COUNT) == before
    opened.close()


def test_role_checkbox_click_switches_nodes_off_and_on(browser: Any, site: Path) -> None:
    opened = Opened(browser, site / "map.html")
    before = opened.js(NODE_COUNT)
    problem_count = opened.js(
        f"djmine.charts[{CHART_ID}].getOption().series[0].data.filter(d => d.role === 'problem').length"
    )
    assert problem_count > 0
    opened.page.click('input[data-role="problem"]')
    opened.page.wait_for_timeout(300)
    assert opened.js(NODE_COUNT) == before - problem_count
    roles = opened.js(
        f"""(() => {{ const d = djmine.charts[{CHART_ID}].getModel().getSeriesByIndex(0).getData();
            return [...Array(d.count()).keys()].map(i => d.getRawDataItem(i).role); }})()"""
    )
    assert "problem" not in roles and len(set(roles)) >= 3
    opened.page.click('input[data-role="problem"]')
    opened.page.wait_for_timeout(300)
    assert opened.js(NODE_COUNT) == before
    opened.close()


def test_tooltip_shows_counts_shares_and_sources(browser: Any, site: Path, sample_tables) -> None:
    opened = Opened(browser, site / "map.html")
    opened.page.wait_for_timeout(1000)
    chart_id = opened.js(CHART_ID)
    html = _show_tip(opened, chart_id, 0)
    text = _tooltip_text(opened, chart_id)
    top = sample_tables["graph_nodes"].sort_values("freq", ascending=False).iloc[0]
    assert top["term"] in text and f"词频 {top['freq']:,}" in text and "%" in text
    assert 2 <= html.count("<li>") <= 3 and text.count("——") == html.count("<li>")
    opened.close()


def test_hostile_map_text_is_shown_not_run(browser: Any, hostile_site: Path, payloads) -> None:
    opened = Opened(browser, hostile_site / "map.html")
    opened.page.wait_for_timeout(1000)
    chart_id = opened.js(CHART_ID)
    names = opened.js(
        f"""(() => {{ const d = djmine.charts[{CHART_ID}].getModel().getSeriesByIndex(0).getData();
            return [...Array(d.count()).keys()].map(i => d.getName(i)); }})()"""
    )
    hostile = [i for i, n in enumerate(names) if "<" in n or "--x_x--" in n]
    assert len(hostile) == 3
    texts = []
    for index in hostile:
        html = _show_tip(opened, chart_id, index)
        assert "<img" not in html and "<script" not in html
        texts.append(_tooltip_text(opened, chart_id))
    joined = " ".join(texts)
    for name in ("img", "script", "alert", "placeholder"):
        assert payloads[name] in joined, name
    assert opened.js("typeof window.__xss") == "undefined"
    assert opened.js(f"document.querySelectorAll('#{chart_id} img').length") == 0
    opened.assert_offline_and_clean()
    opened.close()


@pytest.mark.parametrize("name,n_charts", [("index.html", 6), ("topics.html", 1)])
def test_hostile_dashboard_text_is_shown_not_run(
    browser: Any, hostile_site: Path, payloads, name: str, n_charts: int
) -> None:
    opened = Opened(browser, hostile_site / name, n_charts=n_charts)
    opened.page.wait_for_timeout(1000)
    tips = []
    for chart_id in opened.js("Object.keys(djmine.charts)"):
        _show_tip(opened, chart_id, 0)
        tips.append(_tooltip_text(opened, chart_id))
    body = opened.js("document.body.innerText")
    assert payloads["img"] in body and payloads["script"] in body
    assert payloads["img"] in " ".join(tips) or payloads["script"] in " ".join(tips)
    if name == "index.html":
        assert payloads["js_url"] in opened.page.inner_text("table.ingest")
        frame = next(f for f in opened.page.frames if f.url.endswith("/map.html"))
        frame.wait_for_function("() => window.djmine && Object.keys(djmine.charts).length === 1")
        assert frame.evaluate("typeof window.__xss") == "undefined"
    assert opened.js("typeof window.__xss") == "undefined"
    assert opened.js("document.querySelectorAll('img, a[href^=\"javascript:\"]').length") == 0
    opened.assert_offline_and_clean()
    opened.close()


def test_large_graph_page_stays_responsive(
    browser: Any, large_graph: dict[str, pd.DataFrame], tmp_path: Path, pixel_stats
) -> None:
    tables = [large_graph[n] for n in ("graph_nodes", "graph_edges", "sentences", "documents")]
    path = render_map(*tables, path=tmp_path / "large.html", max_nodes=500)
    opened = Opened(browser, path)
    assert opened.js(NODE_COUNT) == 500
    # Longest gap between 50 ms timers while the force layout runs: no multi-second freeze.
    worst = opened.js(
        """new Promise(done => { let worst = 0, last = performance.now(), n = 0;
             const tick = () => { const now = performance.now(); worst = Math.max(worst, now - last);
               last = now; if (++n < 40) setTimeout(tick, 50); else done(worst); };
             setTimeout(tick, 50); })"""
    )
    assert worst < 1500, f"main thread blocked for {worst:.0f} ms"
    inside, cover = _fitted_view(opened)
    assert inside >= 0.98 and cover >= 0.5, (inside, cover)
    shot = tmp_path / "large.png"
    opened.page.screenshot(path=str(shot))
    assert pixel_stats(shot)[0] > 0.03
    opened.assert_offline_and_clean()
    opened.close()
