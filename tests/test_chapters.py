"""House rules every chapter notebook keeps (see CONTRIBUTING.md)."""

from __future__ import annotations

import re

import nbformat
import pytest

from nudge.lab import WIDGET_VIEW
from pages import chapter_notebooks

NOTEBOOKS = chapter_notebooks()
# a decimal with three or more digits after the point, or a number in e-notation
TYPED_NUMBER = re.compile(r"(?<![\w.])-?\d+\.\d{3,}(?:e[-+]?\d+)?|(?<![\w.])\d+(?:\.\d+)?e-?\d+\b")


def cells(path, kind):
    return [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == kind]


def output_text(path) -> str:
    parts = []
    for cell in cells(path, "code"):
        parts.append(cell.source)
        for out in cell.get("outputs", []):
            parts.append(out.get("text", ""))
            parts.extend(str(v) for k, v in out.get("data", {}).items() if k.startswith("text/"))
    return "\n".join(parts)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_number_in_the_prose_is_printed_by_a_cell(path):
    printed = output_text(path)
    typed = {n for cell in cells(path, "markdown") for n in TYPED_NUMBER.findall(cell.source)}
    missing = sorted(n for n in typed if n not in printed)
    assert not missing, f"numbers typed in the prose but printed by no cell: {missing}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_chapter_has_goals_explorers_and_a_summary(path):
    markdown = "\n".join(c.source for c in cells(path, "markdown"))
    opening = cells(path, "markdown")[0].source
    assert opening.startswith("# "), "a chapter opens with its title"
    assert re.search(r"\*\*By the end of this chapter you can\*\*\n\n- ", opening), "learning goals at the top"
    assert re.search(r"^#{2,3} .*summary", markdown, re.I | re.M)
    code = "\n".join(c.source for c in cells(path, "code"))
    assert "explore(" in code


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_committed_executed_small_and_clean(path):
    notebook = nbformat.read(path, as_version=4)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert all(c.execution_count is not None for c in code), "run `make notebooks` before committing"
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1)), "run top to bottom once"
    outputs = [o for c in code for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert not [o for o in outputs if o.get("name") == "stderr"], "warnings in the outputs"
    assert "widgets" not in notebook.metadata, "widget state is not committed"
    # static figures are drawn at twice their pixels (crisp on a high-density screen), which
    # roughly doubles a chapter's pictures; nothing else large is committed (no frames, no widget state)
    assert path.stat().st_size < 800_000, f"{path.name}: {path.stat().st_size} bytes"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_pip_install_except_a_guarded_colab_cell(path):
    code = cells(path, "code")
    for i, cell in enumerate(code):
        if re.search(r"^\s*[!%]pip\b", cell.source, re.M):
            assert i == 0 and "import nudge" in cell.source and "except ImportError" in cell.source, cell.source


@pytest.mark.parametrize("path", chapter_notebooks(), ids=lambda p: p.stem)
def test_no_committed_output_carries_a_widget_view(path):
    """A view of a widget lives as long as its kernel: a trusted notebook opened later would show
    "model not found" where the preview is (`make notebooks` saves them without, as JupyterLab does)."""
    notebook = nbformat.read(path, as_version=4)
    views = [c.get("id") for c in notebook.cells for o in c.get("outputs", []) if WIDGET_VIEW in o.get("data", {})]
    assert not views, f"cells {views} carry widget views: run `make notebooks`"
