"""Shared fixtures: the sample corpus and one real pipeline run over it per test session."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline import Config, run

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "corpus" / "sample"


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    """The committed sample corpus (read-only)."""
    return SAMPLE


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory: pytest.TempPathFactory):
    """One full pipeline run over corpus/sample with the default config."""
    out = tmp_path_factory.mktemp("sample_run") / "sample"
    return run(SAMPLE, out, config=Config())


@pytest.fixture(scope="session")
def sample_tables(sample_run) -> dict:
    """The tables of the sample run, by name (documents, sentences, ...)."""
    return sample_run.tables


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[object]:
    """One Playwright driver for the whole session, shared by every browser fixture.

    The sync API runs its own event loop: a second ``sync_playwright()`` started while the
    first is open fails ("Sync API inside the asyncio loop"), so suites must not start their own.
    """
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail(
            "the Python package playwright is missing: pip install playwright "
            "(no browser download needed; tests use Debian's chromium)"
        )
    driver = sync_playwright().start()
    yield driver
    driver.stop()


BROWSER_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _offline_context(driver: object, profile: Path, chromium: str) -> object:
    """A persistent Chromium context on ``driver`` with the network cut off.

    Any http(s)/ws/ftp request is aborted and recorded in ``context.blocked_requests``.
    """
    context = driver.chromium.launch_persistent_context(
        str(profile),
        executable_path=chromium,
        headless=True,
        args=BROWSER_FLAGS,
        viewport={"width": 1400, "height": 900},
    )
    context.blocked_requests = []

    def block(route: object) -> None:
        context.blocked_requests.append(route.request.url)
        route.abort()

    context.route(re.compile(r"^(https?|wss?|ftp)://"), block)
    return context


@pytest.fixture(scope="session")
def offline_context(playwright_driver: object) -> object:
    """Function ``(profile_dir, chromium_path) -> context``: Chromium with the network cut off,
    on the session's one Playwright driver (shared by the report and robustness suites)."""
    return lambda profile, chromium: _offline_context(playwright_driver, profile, chromium)
