"""A chapter's checks and plots are found by their chapter key: a new module needs no other edit."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT
from nudge.chapters import chapter_key, chapter_number

CHECKS = '''
"""Chapter 10's verdicts."""

from nudge.checks.api import Message, Problem, as_number, register


@register
def verdict_attention_weight(value, name: str) -> Message:
    """The answer is a weight between 0 and 1."""
    if not 0 <= as_number(value, name) <= 1:
        raise Problem("{name} should be between 0 and 1.", name=name)
    return Message("{name} is a weight.", name=name)
'''

PLOTS = '''
"""Chapter 10's plots."""


def plot_attention(ax, weight: float = 0.5):
    ax.bar([0, 1], [weight, 1 - weight])
'''

ADDED_PLOT = """

def plot_added_later(ax):
    ax.plot([0, 1], [0, 1])
"""

PROBE = """
import nudge.checks, nudge.plots
assert nudge.__file__.startswith({root!r}), nudge.__file__
print(nudge.checks.verdict_attention_weight(2.0, "w").message)
nudge.checks.check_attention_weight("w", namespace={{"w": 0.3}})
print(nudge.plots.plot_attention.__module__, "plot_attention" in nudge.plots.__all__)
print(nudge.plots.plot_added_later.__module__, "plot_added_later" in nudge.plots.__all__)
"""


@pytest.fixture
def package_copy(tmp_path):
    """A scratch copy of the package with a chapter 10 that nothing else names, and a plot added to chapter 1."""
    shutil.copytree(ROOT / "nudge", tmp_path / "nudge", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "nudge" / "checks" / "ch10_attention.py").write_text(CHECKS)
    (tmp_path / "nudge" / "plots" / "ch10_attention.py").write_text(PLOTS)
    with open(tmp_path / "nudge" / "plots" / "ch01_intuition.py", "a") as module:
        module.write(ADDED_PLOT)
    return tmp_path


def python(root, *args: str) -> subprocess.CompletedProcess:
    """Python run with `root`'s copy of the package first on its path."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([sys.executable, *args], cwd=root, env=env, capture_output=True, text=True, timeout=120)


def run_python(root, *args: str) -> str:
    result = python(root, *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_a_new_chapter_module_is_registered_and_exported_without_another_edit(package_copy):
    out = run_python(package_copy, "-c", PROBE.format(root=str(package_copy)))
    assert out.splitlines() == [
        "w should be between 0 and 1.",
        "✓ w is a weight.",
        "nudge.plots.ch10_attention True",
        "nudge.plots.ch01_intuition True",
    ]
    table = run_python(package_copy, "-m", "nudge.checks").splitlines()
    assert table[-1] == "| `check_attention_weight` | chapter 10 | The answer is a weight between 0 and 1. |"


def test_two_chapters_exporting_one_name_is_an_error_that_names_them(package_copy):
    (package_copy / "nudge" / "plots" / "ch11_more.py").write_text(PLOTS)
    result = python(package_copy, "-c", "import nudge.plots")
    assert "nudge.plots.ch11_more and another chapter's module both define plot_attention" in result.stderr


def test_every_chapter_has_one_key_for_its_notebook_exercises_checks_plots_and_tests():
    keys = {chapter_key(p.stem) for p in (ROOT / "chapters").glob("*.ipynb")}
    assert {p.name for p in (ROOT / "solutions").iterdir() if p.is_dir()} == keys
    named = [
        *(ROOT / "nudge" / "checks").glob("ch*.py"),
        *(ROOT / "nudge" / "plots").glob("ch*.py"),
        *(ROOT / "tests").glob("test_ch[0-9]*.py"),
    ]
    for path in named:
        stem = path.stem.removeprefix("test_")
        assert any(stem == key or stem.startswith(key + "_") for key in keys), (
            f"{path.name}: not named by a chapter key"
        )
    assert chapter_number("nudge.checks.ch07_gradient_descent") == 7
