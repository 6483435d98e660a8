"""The students' environment (requirements-students.txt, which the branch `students` ships as its
requirements.txt, for Binder and a student's own computer): current with requirements.txt and the
notebooks, made of requirements.txt's pins only, and enough: installed alone into a fresh venv
from the package index, it installs nothing it doesn't pin, and everything the chapters and
exercises import imports there.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT
from tools import students_branch

LEAN = ROOT / students_branch.LEAN
#: the regenerating command, as the generated file's first line names it
COMMAND = "python -m tools.students_branch --requirements"


def test_the_students_environment_is_current():
    assert LEAN.read_text() == students_branch.lean_requirements(), f"{LEAN.name} is out of date: run {COMMAND}"
    assert COMMAND in LEAN.read_text().splitlines()[0]


def test_it_pins_only_what_requirements_pins():
    lean = students_branch.pins(LEAN.read_text())
    full = students_branch.pins((ROOT / "requirements.txt").read_text())
    assert lean and set(lean.values()) <= set(full.values())
    assert len(lean) < len(full)
    # what the notebooks are run with, and none of the book's development tools
    assert {"jupyterlab", "ipywidgets", "anywidget", "numpy", "sympy", "matplotlib", "scikit-learn"} <= set(lean)
    assert not {"jupyter-book", "pytest", "playwright", "nbval", "ruff", "sphinx", "nbgrader"} & set(lean)


def test_it_provides_every_module_the_notebooks_import():
    imported = students_branch.notebook_imports(students_branch.notebook_paths())
    third_party = {name.split(".")[0] for name in imported} - set(sys.stdlib_module_names) - {"nudge"}
    assert "sklearn" in third_party, "the scan no longer sees chapter 9's import of scikit-learn"
    providers = students_branch.importlib.metadata.packages_distributions()
    lean = students_branch.pins(LEAN.read_text())
    for module in third_party:
        assert {students_branch.canonical(name) for name in providers[module]} & set(lean), module


@pytest.mark.install
def test_it_installs_alone_and_the_notebooks_imports_work_there(tmp_path):
    """As Binder does: `pip install -r requirements.txt` in the students' tree (the package with
    `-e .`), into a venv of its own, from the package index."""
    tree = tmp_path / "students"
    tree.mkdir()
    shutil.copytree(ROOT / "nudge", tree / "nudge", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    shutil.copy(LEAN, tree / "requirements.txt")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    install = subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", "requirements.txt"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
    )
    assert install.returncode == 0, install.stderr[-4000:]
    check = subprocess.run([python, "-m", "pip", "check"], env=env, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
    frozen = subprocess.run(
        [python, "-m", "pip", "freeze", "--exclude-editable"], env=env, capture_output=True, text=True, check=True
    )
    installed = set(students_branch.pins(frozen.stdout))
    assert installed == set(students_branch.pins(LEAN.read_text())), "pip installed what the file doesn't pin"
    modules = sorted(students_branch.notebook_imports(students_branch.notebook_paths()))
    imports = "; ".join(f"import {module}" for module in modules) + "; import nudge; print(nudge.__file__)"
    done = subprocess.run(
        [python, "-c", imports], cwd=tmp_path, env={**env, "MPLBACKEND": "Agg"}, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-4000:]
    assert done.stdout.strip().startswith(str(tree / "nudge")), done.stdout


def test_the_students_branch_ships_it_as_requirements_txt(tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    # the English branch: a clone has no build, so no translated notebooks (tests/test_students_branch.py has them)
    subprocess.run(
        [sys.executable, "tools/students_branch.py", "--no-editions"], cwd=clone, check=True, capture_output=True
    )
    shipped = subprocess.run(
        ["git", "show", "students:requirements.txt"], cwd=clone, capture_output=True, text=True, check=True
    ).stdout
    assert shipped == (clone / students_branch.LEAN).read_text()
    names = subprocess.run(
        ["git", "ls-tree", "--name-only", "students"], cwd=clone, capture_output=True, text=True, check=True
    ).stdout.split()
    assert students_branch.LEAN not in names and "runtime.txt" in names
