"""Start the course's JupyterHub on 127.0.0.1 for an instructor to try before term.

Usage: make hub        (runs: python tools/run_hub.py [--port 8000])

Needs root (it makes local accounts). It makes the accounts `instructor`, `student1` and
`student2` where they are missing, nbgrader's exchange folder (/srv/nbgrader/exchange, mode 1777),
a bare clone of this repository with its `students` branch (what nbgitpuller links pull) and the
instructor's course folder ~instructor/nudge; then runs JupyterHub with hub/jupyterhub_config.py
until Ctrl-C, and prints how to log in. Nothing listens beyond loopback.
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
EXCHANGE = Path("/srv/nbgrader/exchange")
INSTRUCTOR, STUDENTS = "instructor", ("student1", "student2")


def run(*command: str, user: str | None = None, cwd: Path | None = None) -> None:
    if user:
        command = ("runuser", "-u", user, "--", *command)
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"`{' '.join(command)}` failed: {done.stderr.strip()}")


def ensure_account(name: str) -> Path:
    try:
        return Path(pwd.getpwnam(name).pw_dir)
    except KeyError:
        run("useradd", "--create-home", "--shell", "/bin/bash", name)
        return Path(pwd.getpwnam(name).pw_dir)


def pull_link(port: int, repository: Path, notebook: str) -> str:
    """The nbgitpuller link to a notebook of the students' branch (instructors.md shows its form)."""
    target = quote(f"lab/tree/{repository.stem}/{notebook}", safe="")
    return (
        f"http://127.0.0.1:{port}/hub/user-redirect/git-pull?repo={quote(str(repository), safe='')}"
        f"&branch=students&urlpath={target}"
    )


def prepare() -> Path:
    """Accounts, exchange, the bare repository students pull from, the instructor's course folder."""
    if os.geteuid() != 0:
        raise SystemExit("make hub makes local accounts and /srv/nbgrader/exchange: run it as root (sudo make hub)")
    homes = {name: ensure_account(name) for name in (INSTRUCTOR, *STUDENTS)}
    EXCHANGE.mkdir(parents=True, exist_ok=True)
    EXCHANGE.chmod(0o1777)
    STATE.mkdir(parents=True, exist_ok=True)
    run(sys.executable, str(ROOT / "tools" / "students_branch.py"), cwd=ROOT)
    bare = STATE / "nudge.git"
    if not bare.exists():
        run("git", "clone", "--quiet", "--bare", str(ROOT), str(bare))
    run("git", "fetch", "--quiet", str(ROOT), "students:students", "+HEAD:main", cwd=bare)
    run("chmod", "-R", "a+rX", str(bare))
    for name in homes:  # the repository is root's: git reads it for another user once told it is safe
        run("git", "config", "--global", "--replace-all", "safe.directory", str(bare), user=name)
    course = homes[INSTRUCTOR] / "nudge"
    if not course.exists():
        run("git", "clone", "--quiet", str(bare), str(course), user=INSTRUCTOR)
    return bare


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    bare = prepare()
    password = secrets.token_urlsafe(9)
    env = {
        **os.environ,
        "NUDGE_HUB_TRIAL": "1",
        "NUDGE_HUB_PASSWORD": password,
        "NUDGE_HUB_PORT": str(args.port),
        "NUDGE_HUB_INSTRUCTOR": INSTRUCTOR,
        "NUDGE_HUB_STUDENTS": ",".join(STUDENTS),
        "NUDGE_HUB_VENV": sys.prefix,
    }
    link = pull_link(args.port, bare, "exercises/ch01_intuition/ch01_intuition.ipynb")
    print(
        f"JupyterHub on http://127.0.0.1:{args.port}/ (this computer only); Ctrl-C stops it.\n"
        f"  log in as {INSTRUCTOR} or {', '.join(STUDENTS)}, password: {password}\n"
        f"  instructor: in a terminal, `cd ~/nudge && nbgrader generate_assignment ch01_intuition --force"
        f" && nbgrader release_assignment ch01_intuition`;\n"
        f"    the formgrader, in a tab of its own: http://127.0.0.1:{args.port}/user/{INSTRUCTOR}/formgrader\n"
        f"  students: open chapter 1's exercises with the nbgitpuller link\n    {link}\n"
        f"    then fetch and submit in JupyterLab's Assignments tab (Nbgrader → Assignment List)",
        flush=True,
    )
    hub = shutil.which("jupyterhub", path=str(Path(sys.executable).parent))
    os.chdir(STATE)
    os.execve(hub, [hub, "-f", str(ROOT / "hub" / "jupyterhub_config.py")], env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
