"""Cut the structure-stage fixture documents from corpus/sample (run once, output committed).

The ingest stage was written in parallel, so this is a crude stand-in for it: convert to
Simplified Chinese, split the compilations into articles, drop the page chrome and spam
lines, and keep every other line exactly as published (broken lines and glued headings
included, because the structure stage must cope with them). One file per article in
``docs/<report>_<article>.txt``: the first line is the title, the rest is the text.

Run from the repo root::

    .venv/bin/python tests/data/structure/make_docs.py
"""

from __future__ import annotations

import re
from pathlib import Path

import opencc

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "corpus" / "sample"
OUT = Path(__file__).resolve().parent / "docs"

JUNK = "精选资料1111111111111345挂豆腐干豆腐吧"


def _lines(name: str) -> list[str]:
    raw = (SAMPLE / name).read_text(encoding="utf-8")
    text = opencc.OpenCC("t2s").convert(raw)
    return [line.replace("\xa0", " ").strip() for line in text.split("\n")]


def _split(lines: list[str], title_re: str) -> list[tuple[str, list[str]]]:
    """Split a compilation at its article-title lines; text before the first is dropped."""
    articles: list[tuple[str, list[str]]] = []
    for line in lines:
        match = re.fullmatch(title_re, line)
        if match:
            articles.append((match.group("title"), []))
        elif articles and line:
            articles[-1][1].append(line)
    return articles


def _without_references(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        if re.fullmatch(r"参考文献[:：]?", line):
            break
        out.append(line)
    return out


def report_000() -> list[tuple[str, list[str]]]:
    return _split(_lines("000_d9d459ff6e47eae7.txt"), r"(?P<title>.+?)【第.篇】")


def report_001() -> list[tuple[str, list[str]]]:
    lines = [x for x in _lines("001_5d6fb8c6b03e9a71.txt") if x]
    end = lines.index("猜你喜欢")
    body = lines[lines.index("湖北省委直属机关工委课题组") + 1 : end]
    return [(lines[1], body)]


def report_002() -> list[tuple[str, list[str]]]:
    lines = _lines("002_31acb1911a78a401.txt")
    page_title = lines[1]
    lines = [x for x in lines if x not in (page_title, "TOP")]
    articles = _split(lines, r"第.篇:(?P<title>.+)")
    return [(t, body[1:] if body and body[0] == t else body) for t, body in articles]


def report_003() -> list[tuple[str, list[str]]]:
    lines = [x for x in _lines("003_22f7e5d0ba2c37b3.txt") if x]
    chrome = re.compile(
        r"石家庄市直机关工委课题组|\d{4}年\d\d月\d\d日\d\d:\d\d|文字缩放:|\((课题组成员|来源|责编):.*\)"
    )
    return [(lines[0], [x for x in lines[1:] if not chrome.fullmatch(x)])]


def report_004() -> list[tuple[str, list[str]]]:
    lines = [x.replace(JUNK, "") for x in _lines("004_a79e94ede59e9453.txt")]
    lines = [x for x in lines if x and not x.startswith("推荐访问:") and not x.isdigit()]
    articles = _split(lines, r"篇.:(?P<title>.+)")
    return [(t, _without_references(body)) for t, body in articles]


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for old in OUT.glob("*.txt"):
        old.unlink()
    makers = [report_000, report_001, report_002, report_003, report_004]
    for number, make in enumerate(makers):
        for index, (title, body) in enumerate(make()):
            path = OUT / f"{number:03d}_{index}.txt"
            path.write_text("\n".join([title, *body]) + "\n", encoding="utf-8")
            print(path.name, title, len(body))


if __name__ == "__main__":
    main()
