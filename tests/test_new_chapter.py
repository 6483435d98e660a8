"""`make chapter N=.. TOPIC=..`: a new chapter in the house shape, listed everywhere, and nothing overwritten."""

from __future__ import annotations

import shutil
import subprocess

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import ROOT
from tools import new_chapter, toc


@pytest.fixture
def book(tmp_path):
    """A copy of what the tool reads and writes: the table of contents, the instructors' page, the chapters."""
    for name in ("_toc.yml", "instructors.md"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "chapters", tmp_path / "chapters")
    (tmp_path / "solutions").mkdir()
    return tmp_path


def test_a_new_chapter_is_listed_everywhere_in_the_house_shape(book, capsys):
    assert new_chapter.main(["42", "tiny_steps", "Tiny steps"], root=book) == 0
    chapter = book / "chapters" / "42_tiny_steps.ipynb"
    solution = book / "solutions" / "ch42_tiny_steps" / "ch42_tiny_steps.ipynb"
    files = toc.toc_files(book / "_toc.yml")
    for entry in (
        "chapters/42_tiny_steps",
        "exercises/ch42_tiny_steps/ch42_tiny_steps",
        "solutions/ch42_tiny_steps/ch42_tiny_steps",
    ):
        assert entry in files
    # each after the last entry of its part, and the rest of the table unchanged
    assert files[files.index("chapters/42_tiny_steps") + 1].startswith("exercises/")
    old = toc.toc_files(ROOT / "_toc.yml")
    assert [f for f in files if "42_tiny" not in f] == old
    assert (
        "| 42. Tiny steps | `ch42_tiny_steps` | [Exercises 42](exercises/ch42_tiny_steps/ch42_tiny_steps.ipynb) |"
        in (book / "instructors.md").read_text()
    )

    nb = nbformat.read(chapter, as_version=4)
    nbformat.validate(nb)
    assert nb.cells[0].source.startswith("# Tiny steps\n")
    assert "**By the end of this chapter you can**\n\n- " in nb.cells[0].source
    assert "remove-cell" in nb.cells[1].metadata["tags"] and "except ImportError" in nb.cells[1].source
    assert "use_book_style()" in nb.cells[2].source
    assert (
        "## Summary" in nb.cells[-1].source and "exercises/ch42_tiny_steps/ch42_tiny_steps.ipynb" in nb.cells[-1].source
    )
    # the new chapter runs as it is
    NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(chapter.parent)}}
    ).execute()
    assert not [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]

    sol = nbformat.read(solution, as_version=4)
    nbformat.validate(sol)
    assert sol.cells[0].source.startswith("# Solutions 42: Tiny steps")
    grade_ids = [c.metadata["nbgrader"]["grade_id"] for c in sol.cells if "nbgrader" in c.metadata]
    assert grade_ids and all(g.startswith("ex42_") for g in grade_ids)
    out = capsys.readouterr().out
    assert "wrote chapters/42_tiny_steps.ipynb" in out
    # the key that names its solutions also names the modules the packages will find
    assert "its checks in nudge/checks/ch42_tiny_steps.py, its plots in nudge/plots/ch42_tiny_steps.py" in out


def test_an_existing_chapter_is_never_overwritten(book, capsys):
    before = {p: p.read_bytes() for p in [book / "_toc.yml", book / "instructors.md", *book.glob("chapters/*")]}
    assert new_chapter.main(["7", "something_else"], root=book) == 2
    assert "chapters/07_gradient_descent.ipynb exists already; nothing was written" in capsys.readouterr().err
    assert {p: p.read_bytes() for p in before} == before
    assert not list((book / "solutions").iterdir())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["eight", "jacobians"], "N: expected a chapter number from 1 to 99, like 08, got 'eight'"),
        (["8", "Jacobians"], "TOPIC: expected lowercase letters, digits and _"),
        (["8", ""], "TOPIC: expected lowercase letters"),
    ],
)
def test_bad_arguments_get_a_sentence(book, capsys, args, message):
    assert new_chapter.main(args, root=book) == 2
    assert message in capsys.readouterr().err


def test_make_chapter_without_arguments_explains_itself():
    done = subprocess.run(["make", "-s", "chapter"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode != 0
    assert "N: expected a chapter number from 1 to 99" in done.stderr
