"""The exercise notebooks: one source of truth, complete nbgrader metadata, solutions that pass,
blank exercises that fail gracefully, and no solution or hidden test in anything students get."""

from __future__ import annotations

import ast
import html
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml
from IPython.core.inputtransformer2 import TransformerManager
from jupyter_cache import get_cache
from nbclient import NotebookClient

from conftest import ROOT
from nudge.grading import GENERATED_NOTE
from nudge.i18n import ENGLISH, MESSAGE_MIME, Message
from pages import nbgrader_meta, placeholder_sentence, visible_checks
from tools.student_toc import student_toc

SOLUTIONS = sorted(ROOT.glob("solutions/ch[0-9][0-9]_*/ch[0-9][0-9]_*.ipynb"))
EXERCISES = sorted(ROOT.glob("exercises/ch[0-9][0-9]_*/ch[0-9][0-9]_*.ipynb"))
STUDENT_SITE = ROOT / "_build" / "student" / "_build" / "html"
HEADING = re.compile(r"^## Exercise (\d+)\.(\d+): .+\n\n(★+☆*) (easy|medium|harder) · (\d+) points? · (.+)$", re.M)
COLAB_GUARD = "try:\n    import nudge  # noqa: F401\nexcept ImportError:\n    %pip install"


def ids(paths):
    return [p.stem for p in paths]


def exercise_path(solution: Path) -> Path:
    return ROOT / "exercises" / solution.parent.name / solution.name


def sections(nb):
    """The exercises of a notebook: (heading match, the cells up to the next heading)."""
    found = []
    for cell in nb.cells:
        match = HEADING.search(cell.source) if cell.cell_type == "markdown" else None
        if match:
            found.append((match, []))
        elif found:
            found[-1][1].append(cell)
    return found


def regions(source: str, begin: str, end: str) -> list[str]:
    """The lines between `begin` and `end` marker lines."""
    found, inside = [], False
    for line in source.splitlines():
        if begin in line:
            inside = True
        elif end in line:
            inside = False
        elif inside:
            found.append(line)
    return found


def split_lines(solution: Path) -> tuple[set[str], list[str]]:
    """The stripped lines of a source notebook: (in a solution region or hidden test, all others)."""
    nb = nbformat.read(solution, as_version=4)
    secret, public = set(), []
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        hidden = regions(cell.source, "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
        if cell.cell_type == "markdown" and meta.get("solution"):
            solution_lines = cell.source.splitlines()  # a written answer: the whole cell is the model answer
        else:
            solution_lines = regions(cell.source, "BEGIN SOLUTION", "END SOLUTION")
        secret.update(line.strip() for line in solution_lines + hidden)
        public.extend(line.strip() for line in cell.source.splitlines() if line.strip() not in secret)
    return secret, public


def chapter_lines() -> list[str]:
    """Every line of the chapters' cells: what the book teaches is public (exercise 4.3's numerical
    gradient is the chapter's own loop, written again from memory)."""
    return [
        line.strip()
        for p in ROOT.glob("chapters/*.ipynb")
        for c in nbformat.read(p, 4).cells
        for line in c.source.splitlines()
    ]


def secret_lines(solution: Path) -> list[str]:
    """Every line of a solution region or hidden test that no page shows students anywhere (a
    chapter, this notebook or another one's visible cells): students must never see it."""
    secret, _ = split_lines(solution)
    visible = "\n".join([*chapter_lines(), *(line for source in SOLUTIONS for line in split_lines(source)[1])])
    # short lines (`return grad`, `)`) say nothing; a line also shown to students is not secret
    return sorted(line for line in secret if len(line) >= 12 and line not in visible and "###" not in line)


# --- one source of truth ------------------------------------------------------------------------


def test_every_solution_has_its_exercise_and_nothing_else():
    assert SOLUTIONS, "no solution notebooks"
    assert [exercise_path(p) for p in SOLUTIONS] == EXERCISES
    for folder in (ROOT / "solutions", ROOT / "exercises"):
        extra = [
            p for p in folder.rglob("*") if p.is_file() and p.name != "README.md" and p not in SOLUTIONS + EXERCISES
        ]
        assert not extra, f"stray files: {extra}"


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    into = tmp_path_factory.mktemp("exercises")
    subprocess.run([sys.executable, str(ROOT / "tools" / "make_exercises.py"), "--into", str(into)], check=True)
    return into


@pytest.mark.parametrize("solution", SOLUTIONS, ids=ids(SOLUTIONS))
def test_committed_exercise_is_exactly_what_make_exercises_makes(regenerated, solution):
    fresh = regenerated / solution.parent.name / solution.name
    assert fresh.read_bytes() == exercise_path(solution).read_bytes(), (
        f"{exercise_path(solution).relative_to(ROOT)} is generated: edit {solution.relative_to(ROOT)},"
        " then run `make exercises` and commit the result"
    )


def test_points_tables_are_what_make_exercises_makes(regenerated):
    fresh = (regenerated / "README.md").read_text()
    assert fresh == (ROOT / "exercises" / "README.md").read_text(), "run `make exercises` and commit the result"


@pytest.mark.parametrize("exercise", EXERCISES, ids=ids(EXERCISES))
def test_exercise_says_it_is_generated_to_authors_only(exercise):
    nb = nbformat.read(exercise, as_version=4)
    assert nb.metadata.nudge.generated == GENERATED_NOTE
    # a student reads no note meant for authors
    text = "\n".join(cell.source for cell in nb.cells)
    assert "make exercises" not in text and "don't edit" not in text
    # nothing points students at the answer key, and no link needs the repository beside the notebook
    assert "solutions/" not in text
    relative = re.findall(r"\]\((?!https?://|#)[^)]*\)", text)
    assert not relative, f"a relative link breaks when the notebook is handed out alone: {relative}"


def test_every_assignment_is_in_the_book_and_the_instructors_page():
    toc = (ROOT / "_toc.yml").read_text()
    instructors = (ROOT / "instructors.md").read_text()
    student = yaml.safe_dump(student_toc(yaml.safe_load(toc)))
    assert "file: instructors" in toc
    for solution in SOLUTIONS:
        name = solution.parent.name
        assert f"file: solutions/{name}/{name}" in toc and f"file: exercises/{name}/{name}" in toc, name
        assert f"exercises/{name}/{name}" in student and "solutions/" not in student
        assert f"`{name}`" in instructors, f"add {name} to the table in instructors.md"


# --- nbgrader metadata: a cell without it grades a right answer 0 without a word ------------------


@pytest.mark.parametrize("solution", SOLUTIONS, ids=ids(SOLUTIONS))
def test_every_graded_or_solution_cell_has_its_nbgrader_metadata(solution):
    nb = nbformat.read(solution, as_version=4)
    grade_ids = []
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        where = f"cell {cell.get('id')}"
        if "BEGIN SOLUTION" in cell.source or "END SOLUTION" in cell.source:
            assert meta.get("solution") is True, f"{where} has a solution region but is not a solution cell"
        if "HIDDEN TESTS" in cell.source or re.search(r"^\s*check_\w+\(", cell.source, re.M):
            assert meta.get("grade") is True and meta.get("locked") is True, f"{where} checks but is not a grade cell"
            assert meta.get("solution") is False, f"{where}: a check cell must not be an answer cell"
        if cell.cell_type == "code" and meta.get("solution"):
            assert not meta.get("grade"), f"{where}: an answer cell is graded by the check cell after it"
        if cell.cell_type == "markdown" and meta.get("solution"):
            assert meta.get("grade") is True, f"{where}: a written answer must be a manually graded cell"
        if meta:
            assert meta.get("schema_version") == 3 and meta.get("grade_id"), where
            assert set(meta) >= {"grade", "solution", "locked", "grade_id"}, where
            if meta.get("grade"):
                assert float(meta.get("points", 0)) > 0, f"{where} is graded but worth no points"
            grade_ids.append(meta["grade_id"])
    assert len(grade_ids) == len(set(grade_ids)), "grade ids must be unique"


@pytest.mark.parametrize("solution", SOLUTIONS, ids=ids(SOLUTIONS))
def test_exercises_are_numbered_rated_and_their_points_add_up(solution):
    nb = nbformat.read(solution, as_version=4)
    chapter = int(solution.parent.name[2:4])
    found = sections(nb)
    assert len(found) >= 5, "at least 5 exercises per chapter"
    assert [int(m[2]) for m, _ in found] == list(range(1, len(found) + 1))
    kinds = set()
    for match, cells in found:
        assert int(match[1]) == chapter
        assert match[3].count("★") == {"easy": 1, "medium": 2, "harder": 3}[match[4]], "stars match the difficulty"
        graded = [c for c in cells if nbgrader_meta(c).get("grade")]
        assert graded, f"exercise {match[1]}.{match[2]} has nothing graded"
        assert sum(float(nbgrader_meta(c)["points"]) for c in graded) == int(match[5]), "points in the heading"
        answers = [c for c in cells if nbgrader_meta(c).get("solution")]
        assert answers, f"exercise {match[1]}.{match[2]} has no answer cell"
        # every code answer is checked: a grade cell follows it before the next exercise
        for answer in (c for c in answers if c.cell_type == "code"):
            after = cells[cells.index(answer) + 1 :]
            assert any(nbgrader_meta(c).get("grade") for c in after), f"{answer.id} is followed by no check"
        kinds.add(match[6])
    written = [c for c in nb.cells if c.cell_type == "markdown" and nbgrader_meta(c).get("solution")]
    assert written, "one short written answer, graded by hand"
    defines = [c for c in nb.cells if nbgrader_meta(c).get("solution") and re.search(r"^def ", c.source, re.M)]
    assert defines, "one exercise writes a small function"
    assert len(kinds) >= 4, f"a mix of kinds of exercise, got {kinds}"


@pytest.mark.parametrize("solution", SOLUTIONS, ids=ids(SOLUTIONS))
def test_notebook_follows_the_book_template(solution):
    nb = nbformat.read(solution, as_version=4)
    name = solution.parent.name
    assert re.match(rf"^# Solutions {int(name[2:4])}: ", nb.cells[0].source)
    colab = nb.cells[1]
    assert colab.cell_type == "code" and COLAB_GUARD in colab.source and "remove-cell" in colab.metadata.get("tags", [])
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), "solutions are committed unexecuted"
    # a note only the solutions page shows is dropped by `make exercises`; it must not be graded
    notes = [c for c in nb.cells if "solution-only" in c.metadata.get("tags", [])]
    assert all(not nbgrader_meta(c) for c in notes)
    exercise = nbformat.read(exercise_path(solution), as_version=4)
    assert not [c for c in exercise.cells if "solution-only" in c.metadata.get("tags", [])]
    assert {c.id for c in notes}.isdisjoint(c.id for c in exercise.cells)


@pytest.mark.parametrize("solution", SOLUTIONS, ids=ids(SOLUTIONS))
def test_check_cells_report_through_checkers_only(solution):
    # an `assert` in a check cell would show its code in the traceback, hidden tests included;
    # a hidden check must pass hidden=True so its failure says nothing about the test
    for cell in nbformat.read(solution, as_version=4).cells:
        if not nbgrader_meta(cell).get("grade") or cell.cell_type != "code":
            continue
        tree = ast.parse(cell.source)
        assert not any(isinstance(node, ast.Assert) for node in ast.walk(tree)), cell.id
        hidden = "\n".join(regions(cell.source, "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"))
        for node in ast.walk(ast.parse(hidden)):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "").startswith("check_"):
                assert any(k.arg == "hidden" for k in node.keywords), f"{cell.id}: {ast.unparse(node)}"


def imported_checkers(code: str) -> set[str]:
    """The names a piece of code imports from `nudge.checks`, at its top level."""
    tree = ast.parse(code)
    return {
        alias.asname or alias.name
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.module == "nudge.checks"
        for alias in node.names
    }


def called_checkers(code: str) -> set[str]:
    return {
        node.func.id
        for node in ast.walk(ast.parse(code))
        if isinstance(node, ast.Call) and getattr(node.func, "id", "").startswith("check_")
    }


@pytest.mark.parametrize("solution", SOLUTIONS, ids=ids(SOLUTIONS))
def test_check_cells_import_their_checkers_themselves(solution):
    # a checker found by name in the notebook's namespace could be replaced from an answer cell
    # (`check_close = ... = lambda *a, **k: None` scored full marks): each check cell imports what it
    # calls, its visible part for itself and its hidden tests for themselves, which autograding
    # restores from the source whatever the student did to the cell
    for cell in nbformat.read(solution, as_version=4).cells:
        if not nbgrader_meta(cell).get("grade") or cell.cell_type != "code":
            continue
        hidden = "\n".join(regions(cell.source, "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"))
        lines = cell.source.split("\n")
        marks = [i for i, line in enumerate(lines) if "HIDDEN TESTS" in line]
        visible = "\n".join(lines[: marks[0]] + lines[marks[-1] + 1 :] if marks else lines)
        assert called_checkers(visible) <= imported_checkers(visible), (cell.id, visible)
        assert called_checkers(hidden) <= imported_checkers(hidden) | imported_checkers(visible), (cell.id, hidden)


@pytest.mark.parametrize("exercise", EXERCISES, ids=ids(EXERCISES))
def test_every_exercise_cell_is_valid_python(exercise):
    for cell in nbformat.read(exercise, as_version=4).cells:
        if cell.cell_type == "code":
            compile(TransformerManager().transform_cell(cell.source), cell.id, "exec")


# --- no solution and no hidden test in what students get ------------------------------------------


@pytest.mark.parametrize("solution", SOLUTIONS, ids=ids(SOLUTIONS))
def test_exercise_holds_no_solution_and_no_hidden_test(solution):
    secrets = secret_lines(solution)
    assert len(secrets) >= 5
    text = exercise_path(solution).read_text()
    student = "\n".join(c.source for c in nbformat.read(exercise_path(solution), as_version=4).cells)
    assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text
    assert not [line for line in secrets if line in student]


def html_text(path: Path) -> str:
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", path.read_text(), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", text)).split())


def site_text(path: Path) -> str:
    """What a file of the built site shows or offers for download, as plain text."""
    if path.suffix == ".html":
        return html_text(path)
    if path.suffix == ".ipynb":
        return "\n".join(c.source for c in nbformat.read(path, as_version=4).cells)
    return path.read_text(errors="replace")


def test_student_edition_shows_exercises_but_no_solution_or_hidden_test():
    if not (STUDENT_SITE / "index.html").is_file():
        pytest.skip("no student edition in _build/student: `make test` builds it (make book EDITION=student)")
    assert not list(STUDENT_SITE.rglob("solutions")), "the student edition has no solutions"
    for exercise in EXERCISES:
        assert (STUDENT_SITE / exercise.relative_to(ROOT).with_suffix(".html")).is_file(), exercise
    texts = [site_text(p) for p in STUDENT_SITE.rglob("*") if p.suffix in (".html", ".ipynb", ".js", ".txt", ".md")]
    text = "\n".join(texts)
    for solution in SOLUTIONS:
        leaked = [line for line in secret_lines(solution) if " ".join(line.split()) in text]
        assert not leaked, f"{solution.parent.name}: {leaked[:3]}"


LAUNCH = re.compile(r'href="(https://(?:mybinder\.org|colab\.research\.google\.com)/[^"]+)"')


def test_the_student_editions_launch_buttons_open_the_students_branch():
    """`main` holds `solutions/`: a student's Binder or Colab opens the branch made without them."""
    if not (STUDENT_SITE / "index.html").is_file():
        pytest.skip("no student edition in _build/student: `make test` builds it (make book EDITION=student)")
    page = "chapters/01_intuition.html"
    student = LAUNCH.findall((STUDENT_SITE / page).read_text())
    full = LAUNCH.findall((ROOT / "_build" / "html" / page).read_text())
    assert len(student) == len(full) >= 2, (student, full)  # Binder and Colab, in both editions
    assert all("/students" in url and "/main" not in url for url in student), student
    assert all("/main" in url for url in full), full


# --- solutions pass their own checks; blank exercises fail every check gracefully --------------------


def execute(path: Path, grading: str | None = None):
    """Run a notebook in its folder with this checkout's `nudge`, continuing past errors; `grading`
    sets `NBGRADER_EXECUTION` in the kernel's environment as nbgrader's autograde and validate do."""
    nb = nbformat.read(path, as_version=4)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.pop("NBGRADER_EXECUTION", None)
    if grading:
        env["NBGRADER_EXECUTION"] = grading
    NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": str(path.parent)}},
    ).execute(env=env)
    return nb


def stream(cell, name="stdout") -> str:
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream" and o.name == name)


def check_lines(cell) -> list[str]:
    """The ✓/✗ lines a check cell showed: in a kernel each is displayed with its message's data, whose English
    rendering is the line itself (`nudge.checks.report.show_line`)."""
    lines = []
    for output in cell.outputs:
        if output.output_type == "display_data" and MESSAGE_MIME in output.data:
            text = output.data["text/plain"]
            assert Message.from_data(output.data[MESSAGE_MIME]).render(ENGLISH) == text, output
            lines.append(text)
    return lines + stream(cell).splitlines()


def executed_in_the_build(path: Path):
    """The notebook as the book's build executed it (its execution cache): each is executed once per run."""
    cache = get_cache(str(ROOT / "_build" / ".jupyter_cache"))
    try:
        record = cache.match_cache_notebook(nbformat.read(path, as_version=4))
    except KeyError:
        pytest.fail(f"{path.relative_to(ROOT)} is not in the build's execution cache: run `make book` first")
    return cache.get_cache_bundle(record.pk).nb


@pytest.mark.book
@pytest.mark.parametrize("solution", SOLUTIONS, ids=ids(SOLUTIONS))
def test_solution_runs_clean_and_passes_its_visible_and_hidden_checks(solution):
    nb = executed_in_the_build(solution)
    for cell in (c for c in nb.cells if c.cell_type == "code"):
        assert not [o for o in cell.outputs if o.output_type == "error"], (cell.id, cell.outputs)
        assert stream(cell, "stderr") == "", cell.id
        if nbgrader_meta(cell).get("grade"):
            verdicts = check_lines(cell)
            assert verdicts and all(line.startswith("✓ ") for line in verdicts), (cell.id, verdicts)


@pytest.mark.parametrize("exercise", EXERCISES, ids=ids(EXERCISES))
def test_run_all_of_a_blank_exercise_reaches_every_cell_and_prints_every_cross(exercise):
    # a student's Run All: no cell stops it, every given cell runs, every check prints its ✗ line
    nb = execute(exercise)
    for cell in (c for c in nb.cells if c.cell_type == "code"):
        assert not [o for o in cell.outputs if o.output_type == "error"], (cell.id, cell.outputs)
        assert stream(cell, "stderr") == "", cell.id
        if nbgrader_meta(cell).get("grade"):
            verdicts = check_lines(cell)
            assert len(verdicts) == visible_checks(cell) > 0, (cell.id, verdicts)
            assert all(line.startswith("✗ ") and placeholder_sentence(line) for line in verdicts), verdicts


@pytest.mark.parametrize("exercise", EXERCISES[:1] + EXERCISES[-1:], ids=ids(EXERCISES[:1] + EXERCISES[-1:]))
def test_while_graded_every_check_cell_of_a_blank_exercise_fails_with_its_reason(exercise):
    # what nbgrader's Validate sees (it sets NBGRADER_EXECUTION=validate): each check cell raises one
    # line that carries the reason itself, since the dialog shows only the exception
    nb = execute(exercise, grading="validate")
    for cell in (c for c in nb.cells if c.cell_type == "code"):
        errors = [o for o in cell.outputs if o.output_type == "error"]
        assert stream(cell, "stderr") == "", cell.id
        if not nbgrader_meta(cell).get("grade"):
            assert not errors, f"{cell.id} crashed in a blank notebook: {errors}"
            continue
        assert [e.ename for e in errors] == ["CheckFailed"], cell.id
        (line,) = errors[0].traceback
        assert line.startswith("CheckFailed: ✗ ") and placeholder_sentence(line), line
