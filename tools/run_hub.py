"""Start the course's JupyterHub on 127.0.0.1 for an instructor to try before term.

Usage: make hub        (runs: _build/hub/venv/bin/python tools/run_hub.py [--port 8000])

Needs root (it makes local accounts). It makes the accounts `instructor`, `student1` and
`student2` where they are missing, nbgrader's exchange folder (/srv/nbgrader/exchange, mode 1777),
a bare clone of this repository with its `students` branch (what nbgitpuller links pull) and the
instructor's course folder ~instructor/nudge; then runs JupyterHub with hub/jupyterhub_config.py
until Ctrl-C, and prints how to log in. Nothing listens beyond loopback. tests/test_hub.py starts
a hub of its own, with accounts of its own, through `prepare` and `environment`.
"""

from __future__ import annotations

import argparse
import os
import pwd
import secrets
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
STATE = ROOT / "_build" / "hub"
VENV = STATE / "venv"
CONFIG = ROOT / "hub" / "jupyterhub_config.py"
EXCHANGE = Path("/srv/nbgrader/exchange")
INSTRUCTOR, STUDENTS = "instructor", ("student1", "student2")
#: what every account's server imports: a venv another account can't run fails here, not at log-in
IMPORTS = "import jupyterhub, jupyterlab, nbgrader, nbgitpuller, nudge.checks"
#: runs a command as another account (util-linux), found where root's PATH may not look
RUNUSER = shutil.which("runuser") or "/usr/sbin/runuser"


def run(*command: str, user: str | None = None, cwd: Path | None = None) -> str:
    if user:
        command = (RUNUSER, "-u", user, "--", *command)
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"`{' '.join(command)}` failed: {(done.stderr or done.stdout).strip()}")
    return done.stdout


def ensure_account(name: str) -> Path:
    """The account's home, made with the account where missing; only its owner can read it."""
    try:
        home = Path(pwd.getpwnam(name).pw_dir)
    except KeyError:
        run("useradd", "--create-home", "--shell", "/bin/bash", name)
        home = Path(pwd.getpwnam(name).pw_dir)
    home.chmod(0o700)  # a student's answers are theirs: Debian makes homes readable by all
    return home


def pull_link(port: int, repository: Path, notebook: str, folder: str = "nudge") -> str:
    """The nbgitpuller link to a notebook of the students' branch (instructors.md shows its form).

    The clone lands in ~/`folder` (nbgitpuller's `targetpath`; without it, the repository's last
    path component, `nudge.git` for a bare clone).
    """
    target = quote(f"lab/tree/{folder}/{notebook}", safe="")
    return (
        f"http://127.0.0.1:{port}/hub/user-redirect/git-pull?repo={quote(str(repository), safe='')}"
        f"&branch=students&targetpath={folder}&urlpath={target}"
    )


def prepare(
    instructor: str = INSTRUCTOR, students=STUDENTS, state: Path = STATE, exchange: Path = EXCHANGE, venv: Path = VENV
) -> Path:
    """Accounts, exchange, the bare repository students pull from, the instructor's course folder.

    Returns the bare repository. Stops with a message when an account can't run the hub's Python
    (a venv in a folder only root can read, such as a clone under /root).
    """
    if os.geteuid() != 0:
        raise SystemExit("make hub makes local accounts and /srv/nbgrader/exchange: run it as root (sudo make hub)")
    homes = {name: ensure_account(name) for name in (instructor, *students)}
    for name in homes:
        done = subprocess.run([RUNUSER, "-u", name, "--", str(venv / "bin" / "python"), "-c", IMPORTS], cwd="/")
        if done.returncode != 0:
            raise SystemExit(
                f"the account {name} can't run the hub's environment {venv}: every folder above it must be"
                " readable by all (a clone under /root isn't); clone the repository under /srv or /opt"
            )
    exchange.mkdir(parents=True, exist_ok=True)
    exchange.chmod(0o1777)
    state.mkdir(parents=True, exist_ok=True)
    run(sys.executable, str(ROOT / "tools" / "students_branch.py"), cwd=ROOT)
    bare = state / "nudge.git"
    if not bare.exists():
        run("git", "clone", "--quiet", "--bare", str(ROOT), str(bare))
    run("git", "fetch", "--quiet", str(ROOT), "+students:students", "+HEAD:main", cwd=bare)
    run("git", "symbolic-ref", "HEAD", "refs/heads/main", cwd=bare)
    run("chmod", "-R", "a+rX", str(bare))
    for name in homes:  # the repository is root's: git reads it for another user once told it is safe
        run("git", "config", "--global", "--replace-all", "safe.directory", str(bare), user=name)
    course = homes[instructor] / "nudge"
    if not course.exists():
        run("git", "clone", "--quiet", str(bare), str(course), user=instructor)
    return bare


def environment(
    password: str,
    port: int,
    instructor: str = INSTRUCTOR,
    students=STUDENTS,
    state: Path = STATE,
    venv: Path = VENV,
    **extra: str,
) -> dict[str, str]:
    """What hub/jupyterhub_config.py reads: a trial hub on 127.0.0.1 with one shared password."""
    return {
        **os.environ,
        "NUDGE_HUB_TRIAL": "1",
        "NUDGE_HUB_PASSWORD": password,
        "NUDGE_HUB_PORT": str(port),
        "NUDGE_HUB_INSTRUCTOR": instructor,
        "NUDGE_HUB_STUDENTS": ",".join(students),
        "NUDGE_HUB_STATE": str(state),
        "NUDGE_HUB_VENV": str(venv),
        **extra,
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    venv = Path(sys.prefix)
    bare = prepare(venv=venv)
    password = secrets.token_urlsafe(9)
    link = pull_link(args.port, bare, "exercises/ch01_intuition/ch01_intuition.ipynb")
    print(
        f"JupyterHub on http://127.0.0.1:{args.port}/ (this computer only); Ctrl-C stops it.\n"
        f"  log in as {INSTRUCTOR} or {', '.join(STUDENTS)}, password: {password}\n"
        f"  instructor: in a terminal, `cd ~/nudge && nbgrader generate_assignment ch01_intuition --force"
        f" && nbgrader release_assignment ch01_intuition`;\n"
        f"    the formgrader, in a tab of its own: http://127.0.0.1:{args.port}/user/{INSTRUCTOR}/formgrader\n"
        f"  students: open the book with the nbgitpuller link\n    {link}\n"
        f"    then fetch, answer and submit chapter 1's exercises in JupyterLab's Nbgrader → Assignment List",
        flush=True,
    )
    hub = str(venv / "bin" / "jupyterhub")
    os.chdir(STATE)
    os.execve(hub, [hub, "-f", str(CONFIG)], environment(password, args.port, venv=venv))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
