"""The course's hub end to end, with the real pieces: JupyterHub (hub/jupyterhub_config.py),
each user's JupyterLab from the hub's environment (hub/requirements.txt), nbgitpuller, nbgrader's
exchange and formgrader, and headless Debian chromium.

An instructor and a student of their own (accounts `hubtest-*`, made where missing, their homes
emptied first) on a hub of its own (a free port on 127.0.0.1, a fresh folder in /tmp, readable by
all, for the bare repository, everyone's configuration and the exchange), run from the hub's venv
that `make test-hub` installs outside the repository (NUDGE_HUB_VENV): the accounts never read the
repository, which may sit in a folder only root can read (CI's clone under /root), and the test
checks that the student's server uses nothing from it.
The instructor releases chapter 1; the student opens the nbgitpuller link, answers exercise 1.1 in
the pulled copy and sees ✓, fetches chapter 1 in the Assignments tab, answers one exercise right
and one wrong, sees ✓ and ✗, and submits; the instructor collects, autogrades and exports, and the
CSV holds the student's score. After the instructor updates the students' branch, a second click
on the link brings the update and keeps the student's answer. The formgrader opens for the
instructor only. The instructor types every command into a terminal of their JupyterLab, as
hub/README.md says; generates and releases feedback, which the student fetches in the Assignments
tab and which carries its own MathJax; and opens the students' nbgitpuller link, after which the
course folder (gradebook, submissions, solutions) is still where the formgrader reads it. A hub
that fails to start leaves no process behind, and the hub's ports are free ones, so the test runs
beside another hub. `make test-hub` runs it, as root.
"""

from __future__ import annotations

import csv
import json
import os
import pwd
import re
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest

from conftest import ROOT
from pages import assert_opened_unmodified, kernel_info_replies, wait_for_kernel_info
from tools import run_hub, students_branch

pytestmark = pytest.mark.hub

INSTRUCTOR, STUDENT = "hubtest-instructor", "hubtest-student"
ASSIGNMENT = "ch01_intuition"
NOTEBOOK = f"exercises/{ASSIGNMENT}/{ASSIGNMENT}.ipynb"
#: the hub's venv, which `make test-hub` installs (the Makefile's HUB_VENV) and names
VENV = Path(os.environ["NUDGE_HUB_VENV"]) if "NUDGE_HUB_VENV" in os.environ else None
#: exercise 1.1, right: the forward quotient of J(w) = w² at w = 3 with ε = 0.01, by hand and in code
RIGHT = "k_by_hand = 6.01\nk_code = (J(w + eps) - J(w)) / eps"
#: exercise 1.4, wrong: no errors at all, and the largest step
WRONG = "errors = np.zeros(len(hs))\nbest_h = hs[0]"
#: what the test leaves to read: the hub's log, and screenshots of the pages when it fails
SCREENSHOTS = ROOT / "_build" / "test-hub"
TIMEOUT = 120_000  # ms: a user's server starts, a kernel starts, under load on two cores


@dataclass
class Exercise:
    """An exercise's cells in the student notebook, by position: all of them, its answer, its checks."""

    cells: range
    answer: int
    checks: list[int]
    points: float


def exercises(path: Path) -> tuple[list[int], dict[str, Exercise], float]:
    """The notebook's set-up code cells (above the first exercise), its exercises by number, its points."""
    cells = json.loads(path.read_text())["cells"]
    text = ["".join(cell["source"]) for cell in cells]
    grading = [cell["metadata"].get("nbgrader", {}) for cell in cells]
    headings = [i for i, source in enumerate(text) if source.startswith("## Exercise ")]
    found = {}
    for start, end in zip(headings, [*headings[1:], len(cells)], strict=True):
        inside = range(start + 1, end)
        checks = [i for i in inside if grading[i].get("grade") and cells[i]["cell_type"] == "code"]
        answer = next((i for i in inside if grading[i].get("solution") and cells[i]["cell_type"] == "code"), None)
        number = text[start].split()[2].rstrip(":")
        found[number] = Exercise(inside, answer, checks, sum(grading[i]["points"] for i in checks))
    setup = [i for i in range(headings[0]) if cells[i]["cell_type"] == "code"]
    return setup, found, sum(meta.get("points", 0) for meta in grading)


#: the set-up cells and exercises 1.1 (answered right) and 1.4 (wrong) of the notebook students fetch
SETUP, EXERCISES, MAX_SCORE = exercises(ROOT / NOTEBOOK)
EX1_1, EX1_4 = EXERCISES["1.1"], EXERCISES["1.4"]
#: the student's score: exercise 1.1's points (1.4 wrong, the rest left blank)
EXPECTED_SCORE = EX1_1.points


@dataclass
class Hub:
    url: str
    port: int
    password: str
    bare: Path
    state: Path


def stop_processes(name: str) -> None:
    """End every process of a test account (a server left by an earlier run, or by this one)."""
    try:
        uid = pwd.getpwnam(name).pw_uid
    except KeyError:
        return
    processes = [p for p in psutil.process_iter(["uids"]) if p.info["uids"] and p.info["uids"].real == uid]
    for process in processes:
        process.terminate()
    _, alive = psutil.wait_procs(processes, timeout=10)
    for process in alive:
        process.kill()


def empty_home(name: str) -> None:
    """A test account starts with nothing from an earlier run (these accounts are the test's own)."""
    try:
        home = Path(pwd.getpwnam(name).pw_dir)
    except KeyError:
        return
    for entry in home.iterdir():
        shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()


def stop_all(processes: list[psutil.Process]) -> None:
    """Terminate, then kill what is still running after 10 s."""
    for process in processes:
        try:
            process.terminate()
        except psutil.NoSuchProcess:
            pass
    _, alive = psutil.wait_procs(processes, timeout=10)
    for process in alive:
        process.kill()
    psutil.wait_procs(alive, timeout=10)


def hub_processes(hub: psutil.Process, state: Path) -> list[psutil.Process]:
    """JupyterHub and what it started: the proxy runs in a session of its own, and survives a hub
    that stops without stopping it (it also ignores SIGTERM after failing to listen)."""
    found = [hub]
    try:
        found += hub.children(recursive=True)
    except psutil.NoSuchProcess:
        pass
    pid_file = state / "jupyterhub" / "proxy.pid"
    if pid_file.is_file() and pid_file.read_text().strip().isdigit():
        try:
            found.append(psutil.Process(int(pid_file.read_text())))
        except psutil.NoSuchProcess:
            pass
    return list({process.pid: process for process in found}.values())


@contextmanager
def running_hub(state: Path, env: dict):
    """JupyterHub on the hub's folder `state`, and at the end every process it started stopped,
    however the start or the test went (users' servers are their accounts', stop_processes())."""
    log = (state / "jupyterhub.log").open("w")
    process = subprocess.Popen(
        [str(VENV / "bin" / "jupyterhub"), "-f", str(run_hub.CONFIG)], cwd=state, env=env, stdout=log, stderr=log
    )
    hub = psutil.Process(process.pid)
    started: list[psutil.Process] = []
    try:
        yield process, started
    finally:
        started += hub_processes(hub, state)  # before it exits: then its proxy is no longer its child
        process.terminate()  # JupyterHub stops the users' servers and its proxy as it exits
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        stop_all([leftover for leftover in started if leftover.is_running()])
        log.close()


def fresh_state() -> Path:
    """A folder of the hub's own, readable by all (prepare() makes it so)."""
    return Path(tempfile.mkdtemp(prefix="nudge-hub-test-"))


@pytest.fixture(scope="module")
def hub():
    if os.geteuid() != 0:
        pytest.fail("the hub test makes local accounts: run it as root (`make test-hub`)")
    if VENV is None or not (VENV / "bin" / "jupyterhub-singleuser").exists():
        pytest.fail(f"no hub environment in {VENV}: run `make test-hub`, which makes it and names it")
    for name in (INSTRUCTOR, STUDENT):
        stop_processes(name)
        empty_home(name)
    state = fresh_state()
    exchange = state / "exchange"
    try:
        bare = run_hub.prepare(INSTRUCTOR, (STUDENT,), state, exchange, VENV)
    except BaseException:  # prepare() stops with a message (SystemExit): the folder goes all the same
        shutil.rmtree(state, ignore_errors=True)
        raise
    port, password = run_hub.free_port(), secrets.token_urlsafe(9)
    env = run_hub.environment(password, port, INSTRUCTOR, (STUDENT,), state, VENV, NUDGE_EXCHANGE=str(exchange))
    url = f"http://127.0.0.1:{port}"
    try:
        with running_hub(state, env) as (process, _):
            wait_for_health(url, process, state / "jupyterhub.log")
            yield Hub(url, port, password, bare, state)
    finally:
        for name in (INSTRUCTOR, STUDENT):
            stop_processes(name)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)  # the hub's and the servers' log, kept to read
        if (state / "jupyterhub.log").exists():
            shutil.copy(state / "jupyterhub.log", SCREENSHOTS / "jupyterhub.log")
        shutil.rmtree(state, ignore_errors=True)


def wait_for_health(url: str, process: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"JupyterHub exited ({process.returncode}):\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/hub/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"JupyterHub didn't answer on {url} within {seconds:g} s:\n{log.read_text()[-3000:]}")


def log_in(browser, hub: Hub, name: str):
    """A page of `name`'s JupyterLab, logged in through the hub's log-in form."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(TIMEOUT)
    page = context.new_page()
    page.goto(f"{hub.url}/hub/login")
    page.fill("#username_input", name)
    page.fill("#password_input", hub.password)
    page.click("#login_submit")
    page.wait_for_selector("#jp-main-dock-panel")
    return page


def server(name: str) -> psutil.Process:
    """The account's JupyterLab server, which the hub started."""
    uid = pwd.getpwnam(name).pw_uid
    return next(
        p
        for p in psutil.process_iter(["uids", "cmdline"])
        if p.info["uids"] and p.info["uids"].real == uid and "jupyterhub-singleuser" in " ".join(p.info["cmdline"])
    )


#: where the terminal helper has the shell write what the commands printed and their exit status
TERMINAL_LOG, TERMINAL_STATUS = ".hubtest-terminal.log", ".hubtest-terminal.status"


def in_terminal(page, hub: Hub, *commands: str, timeout: float = 600) -> str:
    """Type shell commands into a new terminal of the instructor's JupyterLab (File → New →
    Terminal), in their course folder, as hub/README.md tells them to; what they printed.

    The terminal's shell is the one JupyterLab starts (hub/etc/jupyter): whatever it sets up or
    resets (a login shell's /etc/profile resets PATH) is what the instructor meets. The line typed
    sends the commands' output and exit status to files in the instructor's home, which the test
    reads (as root), waiting for the status.
    """
    home = Path(pwd.getpwnam(INSTRUCTOR).pw_dir)
    for name in (TERMINAL_LOG, TERMINAL_STATUS):
        (home / name).unlink(missing_ok=True)
    page.goto(f"{hub.url}/user/{INSTRUCTOR}/lab?reset")
    page.locator(".lm-MenuBar-itemLabel", has_text="File").click()
    page.locator(".lm-Menu-itemLabel", has_text="New").first.hover()
    page.locator(".lm-Menu-itemLabel", has_text="Terminal").click()
    page.locator(".jp-Terminal .xterm").last.click()
    typed = f"cd ~/{run_hub.COURSE} && {{ {' && '.join(commands)}; }}"
    page.keyboard.type(f"{typed} > ~/{TERMINAL_LOG} 2>&1; echo $? > ~/{TERMINAL_STATUS}")
    page.keyboard.press("Enter")
    deadline = time.monotonic() + timeout
    while not (home / TERMINAL_STATUS).is_file() or not (home / TERMINAL_STATUS).read_text().strip():
        assert time.monotonic() < deadline, f"{commands} didn't finish in the terminal within {timeout:g} s"
        time.sleep(0.5)
    output = (home / TERMINAL_LOG).read_text()
    status = int((home / TERMINAL_STATUS).read_text())
    assert status == 0, f"{commands} failed in the instructor's terminal (exit {status}):\n{output[-4000:]}"
    return output


def notebook(page):
    """The notebook in the current tab of JupyterLab, with a kernel ready.

    The one shown: JupyterLab restores the tabs of the student's last page while it opens another,
    and a restored notebook's panel may come first in the page, laid out or not.
    """
    panel = page.locator(".jp-NotebookPanel:visible")
    panel.locator(".jp-Notebook .jp-Cell").first.wait_for()
    panel.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for()
    return panel


def edit(panel, page, cell: int) -> None:
    """Put the cursor in a cell, as the keyboard does: JupyterLab lays out only the cells in view."""
    panel.locator(".jp-Notebook .jp-Cell").first.click()
    page.keyboard.press("Escape")
    for _ in range(cell):
        page.keyboard.press("j")
    page.keyboard.press("Enter")


def answer(panel, page, cell: int, text: str) -> None:
    edit(panel, page, cell)
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(text)


def run_cells(panel, page, *cells: int) -> None:
    for cell in cells:
        edit(panel, page, cell)
        page.keyboard.press("Shift+Enter")


def output(panel, cell: int):
    return panel.locator(".jp-Notebook .jp-Cell").nth(cell).locator(".jp-OutputArea")


def save(panel, page) -> None:
    page.keyboard.press("Control+s")
    page.locator(".jp-mod-current.jp-mod-dirty").wait_for(state="detached")


def open_assignment_list(page):
    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()
    page.locator(".lm-Menu-itemLabel", has_text="Assignment List").click()
    return page.locator("#released_assignments_list")


@pytest.fixture
def pages(request):
    """The pages the test opens: each one's screenshot lands in _build/test-hub/ when the test fails."""
    opened, failed_before = {}, request.session.testsfailed
    yield opened
    if request.session.testsfailed > failed_before:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for name, page in opened.items():
            page.screenshot(path=SCREENSHOTS / f"{name}.png")


def test_a_class_on_the_hub(hub, browser, pages):
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT)  # a cell's output, under load on two cores
    started = time.monotonic()
    instructor = pages[INSTRUCTOR] = log_in(browser, hub, INSTRUCTOR)
    release = (f"nbgrader generate_assignment {ASSIGNMENT} --force", f"nbgrader release_assignment {ASSIGNMENT}")
    in_terminal(instructor, hub, *release)

    # the student: nothing of their server comes from the repository (its program, its
    # configuration, the book's package it imports)
    student = pages[STUDENT] = log_in(browser, hub, STUDENT)
    process = server(STUDENT)
    imports = "import nudge; print(nudge.__file__)"
    package = subprocess.run(
        [run_hub.RUNUSER, "-u", STUDENT, "--", str(VENV / "bin" / "python"), "-c", imports],
        env=process.environ(),
        cwd="/",
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(package).is_relative_to(VENV), f"the hub's venv imports the book's package from {package}"
    used = [*process.cmdline(), *process.environ()["JUPYTER_CONFIG_PATH"].split(os.pathsep), package]
    assert not [path for path in used if str(ROOT) in path], used
    # and it runs every chapter and exercise: what they import imports there
    modules = sorted(students_branch.notebook_imports(students_branch.notebook_paths()))
    statements = "; ".join(f"import {module}" for module in modules)
    imported = subprocess.run(
        [run_hub.RUNUSER, "-u", STUDENT, "--", str(VENV / "bin" / "python"), "-c", statements],
        env={**process.environ(), "MPLBACKEND": "Agg"},
        cwd="/",
        capture_output=True,
        text=True,
    )
    assert imported.returncode == 0, f"the hub's environment can't import what the notebooks do:\n{imported.stderr}"

    # the link clones the students' branch and opens chapter 1's exercises, unmodified (the book's
    # server extension serves it with the language_info of the hub's Python)
    replies = kernel_info_replies(student)
    student.goto(run_hub.pull_link(hub.port, hub.bare, NOTEBOOK))
    pulled = notebook(student)
    wait_for_kernel_info(student, replies, NOTEBOOK)
    assert_opened_unmodified(student, NOTEBOOK)
    answer(pulled, student, EX1_1.answer, RIGHT)
    run_cells(pulled, student, *SETUP, *EX1_1.cells)
    for check in EX1_1.checks:
        expect(output(pulled, check)).to_contain_text("✓")
    save(pulled, student)
    home = Path(pwd.getpwnam(STUDENT).pw_dir)
    assert not (home / "nudge" / "solutions").exists(), "the students' branch brought the answer key along"

    # fetch in the Assignments tab, answer one exercise right and one wrong, submit
    released = open_assignment_list(student)
    released.get_by_role("button", name="Fetch").click()
    student.locator("#fetched_assignments_list").get_by_text(ASSIGNMENT).first.wait_for()
    # (`reset`: JupyterLab opens the fetched notebook alone, without restoring the pulled one's tab)
    student.goto(f"{hub.url}/user/{STUDENT}/lab/tree/{ASSIGNMENT}/{ASSIGNMENT}.ipynb?reset")
    graded = notebook(student)
    answer(graded, student, EX1_1.answer, RIGHT)
    answer(graded, student, EX1_4.answer, WRONG)
    run_cells(graded, student, *SETUP, *EX1_1.cells, *EX1_4.cells)
    for check in EX1_1.checks:
        expect(output(graded, check)).to_contain_text("✓")
    for check in EX1_4.checks:
        expect(output(graded, check)).to_contain_text("✗")
    save(graded, student)
    open_assignment_list(student)
    student.locator("#fetched_assignments_list").get_by_role("button", name="Submit").click()
    student.locator("#submitted_assignments_list").get_by_text(ASSIGNMENT).first.wait_for()

    # the instructor collects, grades, exports and hands feedback back, in a terminal
    log = in_terminal(
        instructor,
        hub,
        f"nbgrader collect {ASSIGNMENT}",
        f"nbgrader autograde {ASSIGNMENT}",
        f"nbgrader generate_feedback {ASSIGNMENT}",
        f"nbgrader release_feedback {ASSIGNMENT}",
        "nbgrader export --to grades.csv",
    )
    course = Path(pwd.getpwnam(INSTRUCTOR).pw_dir) / run_hub.COURSE
    with (course / "grades.csv").open(newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["assignment"] == ASSIGNMENT]
    print("grades.csv:", rows)
    scores = [(row["student_id"], float(row["score"]), float(row["max_score"])) for row in rows]
    assert scores == [(STUDENT, EXPECTED_SCORE, MAX_SCORE)], log

    # the student fetches the feedback, a page whose math needs no network, without the hidden tests
    open_assignment_list(student)
    student.locator("#submitted_assignments_list").get_by_role("button", name="Fetch Feedback").click()
    feedback_folder = home / ASSIGNMENT / "feedback"
    deadline = time.monotonic() + 60
    while not list(feedback_folder.glob(f"*/{ASSIGNMENT}.html")):
        assert time.monotonic() < deadline, f"no feedback fetched into {feedback_folder}"
        time.sleep(0.5)
    page = next(feedback_folder.glob(f"*/{ASSIGNMENT}.html")).read_text()
    assert "MathJax" in page and "cdnjs" not in page and "BEGIN HIDDEN TESTS" not in page

    # the instructor updates the students' branch; a second click brings it and keeps the answer
    update = hub.state / "update"
    subprocess.run(["git", "clone", "-q", "--branch", "students", str(hub.bare), str(update)], check=True)
    (update / "README.md").write_text((update / "README.md").read_text() + "\nUpdated for week 2.\n")
    git = ["git", "-C", str(update), "-c", "user.name=Instructor", "-c", "user.email=instructor@example.edu"]
    subprocess.run([*git, "commit", "-qam", "Week 2"], check=True)
    subprocess.run([*git, "push", "-q", "origin", "students"], check=True)
    run_hub.readable(hub.bare)
    student.goto(run_hub.pull_link(hub.port, hub.bare, NOTEBOOK))
    expect(notebook(student).locator(".jp-Notebook .jp-Cell").nth(EX1_1.answer)).to_contain_text("6.01")
    assert "Updated for week 2." in (home / "nudge" / "README.md").read_text()
    assert "k_by_hand = 6.01" in (home / "nudge" / NOTEBOOK).read_text()

    # the instructor opens the students' link too: it clones the students' copy beside the course
    # folder, which stays where it is, whole, and the formgrader still lists the student's work
    instructor.goto(run_hub.pull_link(hub.port, hub.bare, NOTEBOOK))
    notebook(instructor)
    instructor_home = Path(pwd.getpwnam(INSTRUCTOR).pw_dir)
    assert (instructor_home / "nudge" / NOTEBOOK).is_file()
    for kept in ("gradebook.db", "grades.csv", f"submitted/{STUDENT}/{ASSIGNMENT}", f"solutions/{ASSIGNMENT}"):
        assert (course / kept).exists(), f"the course folder lost {kept} when the instructor opened the link"
    assert not list(instructor_home.glob("_*backup*")) and not list(instructor_home.glob("*.backup*"))

    # the formgrader: a tab of its own for the instructor; nothing for the student
    response = instructor.goto(f"{hub.url}/user/{INSTRUCTOR}/formgrader")
    assert response.status == 200
    expect(instructor.get_by_text("Manage Assignments").first).to_be_visible()
    expect(instructor.get_by_text(ASSIGNMENT).first).to_be_visible()
    # an assignment's link and its Preview link open its source and release folders (the book's
    # nbgrader_config.py: solutions/, exercises/) on the instructor's server, in a tab each (the
    # formgrader's own doing), where its notebook is, not a 404
    row = instructor.locator("tr", has=instructor.locator("td.name", has_text=ASSIGNMENT))
    for link, folder in ((row.locator("td.name a"), "solutions"), (row.locator("td.preview a"), "exercises")):
        with instructor.context.expect_page() as opened:
            link.click()
        tab = opened.value
        expect(tab).to_have_url(re.compile(f"/user/{INSTRUCTOR}/tree/{run_hub.COURSE}/{folder}/{ASSIGNMENT}/?$"))
        expect(tab.get_by_text(f"{ASSIGNMENT}.ipynb").first).to_be_visible()
        tab.close()
    instructor.goto(f"{hub.url}/user/{INSTRUCTOR}/formgrader/manage_students")
    expect(instructor.get_by_text(STUDENT).first).to_be_visible()
    assert student.goto(f"{hub.url}/user/{STUDENT}/formgrader").status == 404
    response = student.goto(f"{hub.url}/user/{INSTRUCTOR}/formgrader")
    assert response.status == 403 or "Manage Assignments" not in student.content()
    print(f"the class on the hub took {time.monotonic() - started:.0f} s")


def test_a_hub_that_fails_to_start_leaves_no_process():
    """The hub's port is taken (another hub, say): its proxy can't listen, the hub never answers,
    and nothing it started stays running (the proxy did, in a session of its own)."""
    if os.geteuid() != 0 or VENV is None:
        pytest.fail("run it as `make test-hub` does: as root, with NUDGE_HUB_VENV")
    state = fresh_state()
    try:
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            port = taken.getsockname()[1]
            env = run_hub.environment("unused", port, INSTRUCTOR, (STUDENT,), state, VENV)
            with running_hub(state, env) as (process, started):
                with pytest.raises(pytest.fail.Exception, match="didn't answer"):
                    wait_for_health(f"http://127.0.0.1:{port}", process, state / "jupyterhub.log", seconds=20)
        assert len(started) >= 2, "the proxy was never started: this test no longer tries what it means to"
        assert not [p.pid for p in started if p.is_running()], "the failed hub left processes running"
    finally:
        shutil.rmtree(state, ignore_errors=True)
