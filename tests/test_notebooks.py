"""Both notebooks run clean, top to bottom, against a fresh pipeline run of the sample."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
NAMES = ("01_explore_themes", "02_compare_units")


def _generator():
    spec = importlib.util.spec_from_file_location("make_notebooks", NOTEBOOKS / "make_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", NAMES)
def test_committed_notebook_is_the_generators_output_without_outputs(name):
    committed = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    generator = _generator()
    cells = {"01_explore_themes": generator.THEMES, "02_compare_units": generator.COMPARE}[name]
    assert committed == generator.build(cells)
    code = [c for c in committed.cells if c.cell_type == "code"]
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    # The notebooks call the package; they define no pipeline logic of their own.
    assert not any(
        line.lstrip().startswith(("def ", "class ")) for c in code for line in c.source.splitlines()
    )
    assert any("from pipeline.api import Run" in c.source for c in code)


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_clean_on_a_fresh_sample_run(name, sample_run, monkeypatch):
    # The kernel inherits this environment: the run to read, and the venv's python first on
    # PATH so the python3 kernelspec ("python -m ipykernel_launcher") starts this interpreter.
    monkeypatch.setenv("DJMINE_RUN", str(sample_run.out))
    monkeypatch.setenv("PATH", str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"])
    notebook = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    client = NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    client.execute()  # raises CellExecutionError on the first failing cell
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert not [o for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    assert str(sample_run.out) in "".join(o.get("text", "") for o in outputs)
    shown = "".join(str(o.get("data", {}).get("text/plain", "")) for o in outputs)
    assert "两张皮" in shown or "宁波海关" in shown
