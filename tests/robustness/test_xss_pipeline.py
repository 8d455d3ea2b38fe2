"""Script injection through the whole pipeline: hostile report text is shown, never run.

A small corpus cut from corpus/sample carries `<script>`, `</script><img onerror>`,
`"onerror=` and `javascript:` payloads in a title line, a byline, a heading, a repeated
sentence (so they reach terms, keywords, topic and graph tables), a file name and the
unit/unit_type/region/source columns of metadata.csv. After ``pipeline.run`` every .html
of the output is opened in headless Chromium with alert/confirm/prompt/eval trapped: no
dialog, no trapped call, no network request, no console error, no injected element, and
the payloads are visible as text.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path
from typing import Any

import pytest

from pipeline import Config, run

from ._build import SAMPLE, sample_texts

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCRIPT = "<script>alert(1)</script>"
BREAKOUT = "</script><img src=x onerror=alert(2)>"
ATTR = '"onerror=alert(3) x="'
JS_URL = "javascript:alert(4)"
FILE_NAME = "c<svg onload=alert(5)>.txt"
LOCAL = ("file:", "data:", "blob:", "about:")


def _corpus(root: Path) -> None:
    lines = sample_texts()[3].splitlines()
    lines[0] = f"党建调研{SCRIPT}报告{ATTR}标题"
    lines[2] = f"石家庄{BREAKOUT}市直机关工委课题组"
    lines = [line.replace("一、工作成效", f"一、工作成效{JS_URL}") for line in lines]
    lines.insert(8, f"党建工作{SCRIPT}业务融合{BREAKOUT}{JS_URL}。" * 30)
    (root / "hostile.txt").write_text("\n".join(lines), encoding="utf-8")
    shutil.copy(SAMPLE / "001_5d6fb8c6b03e9a71.txt", root / "b.txt")
    shutil.copy(SAMPLE / "004_a79e94ede59e9453.txt", root / FILE_NAME)
    with open(root / "metadata.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "article_index", "unit", "unit_type", "region", "year", "source"])
        writer.writerow(
            ["hostile.txt", "", f"石家庄市直机关工委{SCRIPT}", f"市直{ATTR}机关",
             f"河北{JS_URL}", "2019", f"机关党建研究{BREAKOUT}"]
        )  # fmt: skip
        writer.writerow(
            ["b.txt", "", f"湖北省委{BREAKOUT}课题组", f"省直{SCRIPT}", "湖北", "2024", ATTR]
        )


@pytest.fixture(scope="module")
def hostile_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("xss")
    (base / "corpus").mkdir()
    _corpus(base / "corpus")
    result = run(base / "corpus", base / "out", config=Config())
    documents = result.tables["documents"]
    assert documents["unit"].str.contains("<script>", regex=False).any()  # payloads got in
    assert documents["title"].str.contains("<script>", regex=False).any()
    return base / "out"


class Watched:
    """A page with everything it does recorded: requests, dialogs, console errors."""

    def __init__(self, context: Any, path: Path) -> None:
        context.blocked_requests.clear()
        self.blocked = context.blocked_requests
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.sent: set[str] = set()  # our own evaluate() code, which Playwright runs via eval
        self.page = context.new_page()
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.goto(path.as_uri(), wait_until="load")
        self.page.wait_for_timeout(800)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def js(self, frame: Any, expression: str, arg: object = None) -> Any:
        self.sent.add(expression[:80])
        return frame.evaluate(expression, arg)

    def show_hostile_tooltips(self) -> int:
        """Show the tooltip of every chart item whose data holds a payload (up to 6 each)."""
        shown = 0
        for frame in self.page.frames:
            charts = self.js(
                frame,
                """() => { if (!window.djmine) return [];
                   return Object.keys(djmine.charts).map(id => {
                     const s = (djmine.charts[id].getOption().series || [])[0] || {};
                     const data = s.data || [];
                     return [id, data.map((d, i) => [i, JSON.stringify(d)])
                       .filter(([i, j]) => /alert\\(|<script|javascript:/.test(j))
                       .map(([i]) => i).slice(0, 6)]; }); }""",
            )
            for chart_id, indices in charts:
                for index in indices:
                    self.js(
                        frame,
                        "([id, i]) => djmine.charts[id].dispatchAction("
                        "{type: 'showTip', seriesIndex: 0, dataIndex: i})",
                        [chart_id, index],
                    )
                    self.page.wait_for_timeout(150)
                    shown += 1
        return shown

    def problems(self, out: Path) -> list[str]:
        found = []
        for frame in self.page.frames:
            trapped = self.js(frame, "() => window.__trapped")
            if not isinstance(trapped, list):
                found.append(f"trap script did not run in {frame.url}")
                continue
            trapped = [t for t in trapped if t.removeprefix("eval:") not in self.sent]
            if trapped:
                found.append(f"called {trapped} in {frame.url}")
            injected = self.js(
                frame,
                """() => [...document.querySelectorAll('*')].filter(el =>
                     [...el.attributes].some(a => /^on/i.test(a.name) || (/^(href|src|action|formaction|xlink:href|data)$/i.test(a.name)
                       && /^\\s*javascript:/i.test(a.value)))).map(el => el.outerHTML.slice(0, 120))""",
            )
            found += [f"injected element {html}" for html in injected]
            images = self.js(frame, "() => document.querySelectorAll('img, svg image').length")
            if images:
                found.append(f"{images} <img> elements in {frame.url}")
        for url in self.requests:
            if not url.startswith(LOCAL):
                found.append(f"network request {url}")
            elif url.startswith("file:"):
                local = Path(url.removeprefix("file://"))
                if not local.is_file() or not local.is_relative_to(out):
                    found.append(f"request for a file that is not part of the output: {url}")
        found += [f"blocked request {u}" for u in self.blocked]
        found += [f"dialog {d}" for d in self.dialogs]
        found += [f"console error {e}" for e in self.errors]
        return found

    def text(self) -> str:
        frames = self.page.frames
        return "\n".join(self.js(frame, "() => document.body.innerText") for frame in frames)


def test_every_page_shows_hostile_text_without_running_it(
    robust_browser: Any, hostile_out: Path
) -> None:
    pages = sorted(hostile_out.rglob("*.html"))
    assert {"index.html", "map.html", "topics.html", "units.html"} <= {p.name for p in pages}
    problems: dict[str, list[str]] = {}
    texts: dict[str, str] = {}
    tooltips = 0
    for path in pages:
        watched = Watched(robust_browser, path)
        tooltips += watched.show_hostile_tooltips()
        name = path.relative_to(hostile_out).as_posix()
        texts[name] = watched.text()
        if found := watched.problems(hostile_out):
            problems[name] = found
        watched.page.close()
    assert not problems, problems
    assert tooltips >= 1  # some chart data carried a payload and its tooltip was shown
    index = texts["index.html"]
    for payload in (SCRIPT, BREAKOUT, JS_URL, FILE_NAME):
        assert payload in index, payload
    assert f"石家庄市直机关工委{SCRIPT}" in texts["units.html"]
    shown = "\n".join(texts.values())
    assert ATTR in shown
