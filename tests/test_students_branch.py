"""The students' branch carries each translated edition's notebooks, and the editions' launch buttons open them.

`make students-branch` (tools/students_branch.py) puts every edition's chapters and exercises on the
branch `students` under the edition's tag, with the `.nudge-lang` file that makes a kernel there speak
the language, beside the English ones and what Binder builds the environment from; never a solution or
a hidden test. A translated page's Binder and Colab buttons open that notebook (tools/editions.py); a
translated solution page, whose notebook the branch doesn't hold, has no launch menu. The branch is made
here in a clone that shares this repository's objects, so no branch of this checkout is touched; the
`book` tests read `make editions`' build: its translated notebooks (`_build/notebooks`) and its pages.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT
from nudge import i18n
from pages import launch_links
from tools import students_branch
from tools.edition_notebooks import NOTEBOOKS, notebook_pages
from tools.site import CONFIG, SITE

TAGS = [edition.tag for edition in i18n.EDITIONS]
#: `nudge-book/nudge`, the repository the launch buttons open
REPOSITORY = CONFIG["repository"]["url"].removeprefix("https://github.com/").strip("/")
#: what Binder (repo2docker) builds the students' environment from, and the package the notebooks import
BINDER = (
    "requirements.txt",
    "runtime.txt",
    "pyproject.toml",
    "nudge/__init__.py",
    "nudge/locales/ko/LC_MESSAGES/nudge.po",
)


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout


def english_notebooks() -> list[str]:
    """The notebooks students get in English: the commit's chapters and exercises."""
    listed = git(ROOT, "ls-tree", "-r", "--name-only", "HEAD", "--", *students_branch.NOTEBOOK_FOLDERS).split()
    return [path for path in listed if path.endswith(".ipynb")]


def clone(path: Path) -> Path:
    """A repository holding this one's commits (shared objects, no work tree) to make branches in."""
    subprocess.run(["git", "clone", "-q", "--shared", "--no-checkout", str(ROOT), str(path)], check=True)
    return path


def files(repo: Path, ref: str) -> list[str]:
    return git(repo, "ls-tree", "-r", "--name-only", ref).split("\n")[:-1]


@pytest.fixture(scope="module")
def branch(tmp_path_factory) -> tuple[Path, list[str]]:
    """The branch made from this commit and the build's translated notebooks: its repository and its files."""
    if not (NOTEBOOKS / TAGS[0]).is_dir():
        pytest.fail("no translated notebooks in _build/notebooks: run `make editions` first (`make test` does)")
    repo = clone(tmp_path_factory.mktemp("students") / "repo")
    students_branch.make_branch(students_branch.BRANCH, "HEAD", NOTEBOOKS, repo=repo)
    return repo, files(repo, students_branch.BRANCH)


# --- the branch ------------------------------------------------------------------------------------


@pytest.mark.book
@pytest.mark.parametrize("tag", TAGS)
def test_the_branch_holds_the_editions_chapters_and_exercises_with_its_language_marker(branch, tag):
    repo, held = branch
    assert {path for path in held if path.startswith(f"{tag}/")} == {
        f"{tag}/{i18n.MARKER}",
        *(f"{tag}/{path}" for path in english_notebooks()),
    }
    assert git(repo, "show", f"{students_branch.BRANCH}:{tag}/{i18n.MARKER}").strip() == tag
    for path in english_notebooks():
        notebook = json.loads(git(repo, "show", f"{students_branch.BRANCH}:{tag}/{path}"))
        assert notebook["metadata"]["nudge"]["language"] == tag, path
        english = json.loads((ROOT / path).read_text())
        assert [c["source"] for c in notebook["cells"] if c["cell_type"] == "code"] == [
            c["source"] for c in english["cells"] if c["cell_type"] == "code"
        ], f"{tag}/{path}: its code is not the English notebook's"


@pytest.mark.book
def test_the_branch_holds_what_binder_builds_and_no_answer_key(branch):
    repo, held = branch
    assert set(BINDER) <= set(held)
    lean = git(ROOT, "show", f"HEAD:{students_branch.LEAN}")
    assert git(repo, "show", f"{students_branch.BRANCH}:requirements.txt") == lean
    assert not [path for path in held if "solutions" in path.split("/") or path.startswith(("tests/", "tools/"))]
    for path in (path for path in held if path.endswith(".ipynb")):
        text = git(repo, "show", f"{students_branch.BRANCH}:{path}")
        assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text, path


def fake_editions(folder: Path) -> Path:
    """Translated notebooks as `make edition-notebooks` lays them out, the English ones standing in for
    translations, with a solution beside them: what the branch may take from such a folder."""
    for tag in TAGS:
        (folder / tag).mkdir(parents=True)
        (folder / tag / i18n.MARKER).write_text(tag + "\n")
        for path in [*english_notebooks(), "solutions/ch01_intuition/ch01_intuition.ipynb"]:
            (folder / tag / path).parent.mkdir(parents=True, exist_ok=True)
            (folder / tag / path).write_text(git(ROOT, "show", f"HEAD:{path}"))
    return folder


def test_only_the_commits_chapters_and_exercises_are_taken_and_never_a_solution(tmp_path):
    repo = clone(tmp_path / "repo")
    students_branch.make_branch("students", "HEAD", fake_editions(tmp_path / "notebooks"), repo=repo)
    held = files(repo, "students")
    assert f"{TAGS[0]}/chapters/01_intuition.ipynb" in held
    assert not [path for path in held if "solutions" in path.split("/")]


def test_a_missing_or_stale_translation_stops_the_branch_and_names_it(tmp_path):
    repo = clone(tmp_path / "repo")
    editions = fake_editions(tmp_path / "notebooks")
    first = students_branch.make_branch("students", "HEAD", editions, repo=repo)
    # a translation written before its English code changed
    stale = editions / TAGS[1] / "chapters" / "01_intuition.ipynb"
    notebook = json.loads(stale.read_text())
    cell = next(c for c in notebook["cells"] if c["cell_type"] == "code")
    cell["source"] = "print('an older version')\n"
    stale.write_text(json.dumps(notebook))
    with pytest.raises(SystemExit, match=r"zh-Hans/chapters/01_intuition\.ipynb \(its code is not the code"):
        students_branch.make_branch("students", "HEAD", editions, repo=repo)
    # an edition's notebook that was never written
    (editions / TAGS[2] / "exercises" / "ch01_intuition" / "ch01_intuition.ipynb").unlink()
    with pytest.raises(SystemExit, match=r"zh-Hant/exercises/ch01_intuition/ch01_intuition\.ipynb"):
        students_branch.make_branch("students", "HEAD", editions, repo=repo)
    assert git(repo, "rev-parse", "students").strip() == first  # the branch stays as it was


# --- the launch buttons ----------------------------------------------------------------------------


@pytest.mark.book
@pytest.mark.parametrize("tag", TAGS)
def test_each_translated_pages_binder_and_colab_open_its_notebook_on_the_branch(branch, tag):
    _, held = branch
    pages = notebook_pages()
    launched = [page for page in pages if page.split("/")[0] in students_branch.NOTEBOOK_FOLDERS]
    assert len(launched) == len(english_notebooks()) >= 20
    for page in pages:
        links = launch_links(SITE / tag / f"{page}.html")
        if page not in launched:  # a solution: the branch has no notebook to open, the download button gives it
            assert not links, (tag, page, links)
            assert (
                json.loads((SITE / tag / "_sources" / f"{page}.ipynb").read_text())["metadata"]["nudge"]["language"]
                == tag
            )
            continue
        notebook = f"{tag}/{page}.ipynb"
        assert notebook in held, notebook
        branch_name = students_branch.BRANCH
        assert links["Binder"] == f"https://mybinder.org/v2/gh/{REPOSITORY}/{branch_name}?urlpath=lab/tree/{notebook}"
        assert links["Colab"] == f"https://colab.research.google.com/github/{REPOSITORY}/blob/{branch_name}/{notebook}"


@pytest.mark.book
def test_the_english_pages_still_open_the_english_notebooks_on_main():
    links = launch_links(SITE / "chapters" / "01_intuition.html")
    main = CONFIG["repository"]["branch"]
    assert (
        links["Binder"]
        == f"https://mybinder.org/v2/gh/{REPOSITORY}/{main}?urlpath=lab/tree/chapters/01_intuition.ipynb"
    )
    assert (
        links["Colab"]
        == f"https://colab.research.google.com/github/{REPOSITORY}/blob/{main}/chapters/01_intuition.ipynb"
    )
    assert launch_links(SITE / "solutions" / "ch01_intuition" / "ch01_intuition.html")  # main has the solutions
