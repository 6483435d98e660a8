"""Start the course's JupyterHub on 127.0.0.1 for an instructor to try before term.

Usage: make hub    (runs: /srv/nudge-hub/venv/bin/python tools/run_hub.py --home /srv/nudge-hub [--port 8000])

Needs root (it makes local accounts). It makes the accounts `instructor`, `student1` and
`student2` where they are missing, nbgrader's exchange folder (/srv/nbgrader/exchange, mode 1777),
and in the hub's folder (`--home`, the Makefile's HUB_HOME, where `make hub` installed the venv)
what the accounts read: a bare clone of this repository with its `students` branch (what
nbgitpuller links pull) and a copy of hub/etc (everyone's Jupyter configuration). Nothing an
account reads is in the repository, which may sit in a folder only root can read (a clone under
/root). Then it clones the course folder ~instructor/course (not ~/nudge, where the students'
nbgitpuller link clones their copy), runs JupyterHub with
hub/jupyterhub_config.py until Ctrl-C, and prints how to log in. Nothing listens beyond loopback.
tests/test_hub.py starts a hub of its own, with accounts and a folder of its own, through
`prepare` and `environment`.
"""

from __future__ import annotations

import argparse
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "hub" / "jupyterhub_config.py"
#: everyone's Jupyter configuration, copied into the hub's folder (hub/jupyterhub_config.py reads the copy)
ETC = ROOT / "hub" / "etc"
EXCHANGE = Path("/srv/nbgrader/exchange")
INSTRUCTOR, STUDENTS = "instructor", ("student1", "student2")
#: the instructor's course folder, in their home: apart from the students' copy the link clones (~/nudge)
COURSE = "course"
#: what every account's server imports: a venv another account can't run fails here, not at log-in
IMPORTS = "import jupyterhub, jupyterlab, nbgrader, nbgitpuller, nudge.checks"
#: runs a command as another account (util-linux), found where root's PATH may not look
RUNUSER = shutil.which("runuser") or "/usr/sbin/runuser"


def run(*command: str, user: str | None = None, cwd: Path | None = None) -> str:
    if user:  # from a folder the account can enter: not this repository's, which may be root's alone
        command, cwd = (RUNUSER, "-u", user, "--", *command), cwd or Path("/")
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


def free_port() -> int:
    """A TCP port nothing listens on at 127.0.0.1 now (the system's pick)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def readable(path: Path) -> None:
    """Every account can read `path` and everything in it, whatever root's umask."""
    run("chmod", "-R", "a+rX", str(path))


def prepare(instructor: str, students, home: Path, exchange: Path, venv: Path) -> Path:
    """Accounts, exchange, and in the hub's folder `home` (made readable by all) the bare repository
    students pull from and everyone's Jupyter configuration; the instructor's course folder.

    Returns the bare repository. Stops with a message when an account can't run the hub's Python
    (`venv` or a folder above it readable by root alone).
    """
    if os.geteuid() != 0:
        raise SystemExit("make hub makes local accounts and /srv/nbgrader/exchange: run it as root (sudo make hub)")
    homes = {name: ensure_account(name) for name in (instructor, *students)}
    for name in homes:
        done = subprocess.run([RUNUSER, "-u", name, "--", str(venv / "bin" / "python"), "-c", IMPORTS], cwd="/")
        if done.returncode != 0:
            raise SystemExit(
                f"the account {name} can't run the hub's environment {venv}: it and every folder above it must"
                " be readable by all (HUB_HOME in a folder only root can read, such as /root, isn't)"
            )
    exchange.mkdir(parents=True, exist_ok=True)
    exchange.chmod(0o1777)
    home.mkdir(parents=True, exist_ok=True)
    home.chmod(0o755)
    shutil.rmtree(home / "etc", ignore_errors=True)  # a fresh copy: hub/etc may have changed
    shutil.copytree(ETC, home / "etc")
    readable(home / "etc")
    # English only: the hub's environment has no translation tools (`make students-branch` adds the editions)
    run(sys.executable, str(ROOT / "tools" / "students_branch.py"), "--no-editions", cwd=ROOT)
    bare = home / "nudge.git"
    if not bare.exists():
        run("git", "clone", "--quiet", "--bare", str(ROOT), str(bare))
    run("git", "fetch", "--quiet", str(ROOT), "+students:students", "+HEAD:main", cwd=bare)
    run("git", "symbolic-ref", "HEAD", "refs/heads/main", cwd=bare)
    readable(bare)
    for name in homes:  # the repository is root's: git reads it for another user once told it is safe
        run("git", "config", "--global", "--replace-all", "safe.directory", str(bare), user=name)
    course = homes[instructor] / COURSE
    earlier = homes[instructor] / "nudge" / "gradebook.db"
    if earlier.exists() and not course.exists():  # a course folder from before it moved: never moved for them
        raise SystemExit(
            f"{earlier.parent} holds a course (gradebook.db), but the course folder is now {course}, apart from"
            f" the students' copy the nbgitpuller link clones into ~/nudge: move it there (mv {earlier.parent}"
            f" {course}) and start again"
        )
    if not course.exists():
        run("git", "clone", "--quiet", str(bare), str(course), user=instructor)
    return bare


def environment(
    password: str,
    port: int,
    instructor: str,
    students,
    home: Path,
    venv: Path,
    **extra: str,
) -> dict[str, str]:
    """What hub/jupyterhub_config.py reads: a trial hub on 127.0.0.1 with one shared password.

    The hub's own port and its proxy's API port are picked free, so that the hub starts beside
    another one (a trial hub and `make test-hub`) instead of talking to the other's proxy.
    """
    return {
        **os.environ,
        "NUDGE_HUB_TRIAL": "1",
        "NUDGE_HUB_PASSWORD": password,
        "NUDGE_HUB_PORT": str(port),
        "NUDGE_HUB_INTERNAL_PORT": str(free_port()),
        "NUDGE_HUB_PROXY_API_PORT": str(free_port()),
        "NUDGE_HUB_INSTRUCTOR": instructor,
        "NUDGE_HUB_STUDENTS": ",".join(students),
        "NUDGE_HUB_HOME": str(home),
        "NUDGE_HUB_VENV": str(venv),
        **extra,
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, required=True, help="the hub's folder, readable by all accounts")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    venv = Path(sys.prefix)
    with socket.socket() as probe:  # the hub would start, and its proxy quietly fail to listen
        if probe.connect_ex(("127.0.0.1", args.port)) == 0:
            raise SystemExit(f"something listens on 127.0.0.1:{args.port} already (another hub?): choose PORT=")
    bare = prepare(INSTRUCTOR, STUDENTS, args.home, EXCHANGE, venv)
    password = secrets.token_urlsafe(9)
    link = pull_link(args.port, bare, "exercises/ch01_intuition/ch01_intuition.ipynb")
    print(
        f"JupyterHub on http://127.0.0.1:{args.port}/ (this computer only); Ctrl-C stops it.\n"
        f"  log in as {INSTRUCTOR} or {', '.join(STUDENTS)}, password: {password}\n"
        f"  instructor: in a terminal, `cd ~/{COURSE} && nbgrader generate_assignment ch01_intuition --force"
        f" && nbgrader release_assignment ch01_intuition`;\n"
        f"    the formgrader, in a tab of its own: http://127.0.0.1:{args.port}/user/{INSTRUCTOR}/formgrader\n"
        f"  students: open the book with the nbgitpuller link\n    {link}\n"
        f"    then fetch, answer and submit chapter 1's exercises in JupyterLab's Nbgrader → Assignment List",
        flush=True,
    )
    hub = str(venv / "bin" / "jupyterhub")
    os.chdir(args.home)
    os.execve(hub, [hub, "-f", str(CONFIG)], environment(password, args.port, INSTRUCTOR, STUDENTS, args.home, venv))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
