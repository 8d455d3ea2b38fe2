"""Fixtures of the robustness suite: a network-less headless Chromium (as in tests/report)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

# The launch settings of tests/report/conftest.py: Debian's chromium, no background traffic.

# Runs before any page script: records every call of alert/confirm/prompt/eval/open.
TRAP_SCRIPT = """
(() => {
  window.__trapped = [];
  for (const name of ["alert", "confirm", "prompt", "print", "open"]) {
    const real = window[name];
    window[name] = function (...args) { window.__trapped.push(name + ":" + String(args[0])); };
  }
  const realEval = window.eval;
  window.eval = function (code) { window.__trapped.push("eval:" + String(code).slice(0, 80));
                                  return realEval(code); };
})();
"""


@pytest.fixture(scope="session")
def robust_browser(
    tmp_path_factory: pytest.TempPathFactory, offline_context: object
) -> Iterator[object]:
    """A Playwright context on the system Chromium; http(s)/ws/ftp requests are aborted and
    recorded in ``context.blocked_requests``; :data:`TRAP_SCRIPT` runs in every page."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail("chromium is not installed: run `make browser` (apt-get install chromium)")
    context = offline_context(tmp_path_factory.mktemp("chromium-profile"), path)
    context.add_init_script(TRAP_SCRIPT)
    yield context
    context.close()
