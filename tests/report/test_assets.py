"""The vendored ECharts files: present, documented, inlined safely."""

from __future__ import annotations

import hashlib
from importlib import resources

import pytest

from pipeline.report.assets import (
    DEPENDENCY_FILES,
    ECHARTS_VERSION,
    WORDCLOUD_VERSION,
    dependency_scripts,
    inline_js,
)
from pipeline.report.escape import ALLOWED_JS

ASSETS = resources.files("pipeline.report").joinpath("assets")


def test_vendored_files_match_the_readme() -> None:
    readme = ASSETS.joinpath("README.md").read_text(encoding="utf-8")
    for name in DEPENDENCY_FILES.values():
        data = ASSETS.joinpath(name).read_bytes()
        assert hashlib.sha256(data).hexdigest() in readme, name
    assert (
        f"echarts@{ECHARTS_VERSION}" in readme
        and f"echarts-wordcloud@{WORDCLOUD_VERSION}" in readme
    )
    assert "Apache-2.0" in readme and "ISC" in readme
    assert ASSETS.joinpath("LICENSE-echarts.txt").is_file()


def test_echarts_file_is_the_documented_version() -> None:
    text = inline_js("echarts.min.js")
    assert f'"{ECHARTS_VERSION}"' in text
    assert "wordCloud" in inline_js("echarts-wordcloud.min.js")


@pytest.mark.parametrize("name", [*DEPENDENCY_FILES.values(), "report.js"])
def test_inline_js_is_safe_inside_a_script_element(name: str) -> None:
    text = inline_js(name)
    assert "sourceMappingURL" not in text
    assert "</script" not in text.lower() and "<!--" not in text


def test_unknown_dependency_is_refused_not_fetched() -> None:
    with pytest.raises(ValueError, match="not vendored"):
        dependency_scripts(["echarts", "echarts-gl"])
    assert len(dependency_scripts(["echarts-wordcloud", "echarts"])) == 2


def test_every_whitelisted_formatter_exists_in_report_js() -> None:
    text = inline_js("report.js")
    for name in ALLOWED_JS:
        short = name.split(".")[1]
        assert f"function {short}(" in text and f"{short}: {short}" in text, name
