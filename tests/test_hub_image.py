"""The students' image (hub/Dockerfile) is made of what students need and nothing else: the build
context `docker build -f hub/Dockerfile .` sends, computed here as Docker computes it from
.dockerignore (no container runtime needed), holds no answer key and no class data, and holds
every file the Dockerfile copies.

Docker's rules (moby's patternmatcher): each line of .dockerignore is a pattern relative to the
context's top; `*` and `?` stay within one path component, `**` crosses any number; a pattern
that matches a folder matches everything in it; a pattern starting with `!` lets a path back in;
the last pattern that matches a path decides.
"""

from __future__ import annotations

import importlib.metadata
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

#: what an instructor's clone may hold beside the repository's files, none of which may reach the image
PLANTED = (
    "solutions/ch01_intuition/private_hidden_tests.ipynb",
    "gradebook.db",
    "grades.csv",
    "submitted/doejane/ch01_intuition/ch01_intuition.ipynb",
    "autograded/doejane/ch01_intuition/ch01_intuition.ipynb",
    "feedback/doejane/ch01_intuition/ch01_intuition.html",
    "downloaded/ch01_intuition/archive/submissions.zip",
    "release/ch01_intuition/ch01_intuition.ipynb",
    ".venv/bin/python",
    "node_modules/mathjax/es5/tex-svg.js",
    "_build/html/index.html",
    "nudge/__pycache__/grading.cpython-311.pyc",
    ".git/config",
)


def _regex(pattern: str) -> re.Pattern:
    """A .dockerignore pattern as a regular expression for a whole path ('/'-separated)."""
    out, i = "", 0
    while i < len(pattern):
        if pattern.startswith("**", i):
            i += 2
            if pattern.startswith("/", i):  # `**/`: no folder, or any number of them
                out, i = out + "(?:.*/)?", i + 1
            else:
                out += ".*"
            continue
        char = pattern[i]
        if char == "*":
            out += "[^/]*"
        elif char == "?":
            out += "[^/]"
        elif char == "[":
            end = pattern.index("]", i)
            out, i = out + pattern[i : end + 1], end
        elif char == "\\":
            i += 1
            out += re.escape(pattern[i])
        else:
            out += re.escape(char)
        i += 1
    return re.compile(out + r"\Z")


def dockerignore_patterns(text: str) -> list[tuple[bool, re.Pattern]]:
    """(lets back in, pattern) for each line of a .dockerignore, in order."""
    found = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        back_in = line.startswith("!")
        cleaned = line.removeprefix("!").strip().strip("/")
        cleaned = re.sub(r"/+", "/", cleaned).removeprefix("./")
        found.append((back_in, _regex(cleaned)))
    return found


def build_context(top: Path) -> set[str]:
    """Every file `docker build` sends from the context `top`, by its .dockerignore."""
    patterns = dockerignore_patterns((top / ".dockerignore").read_text())
    sent = set()
    for path in top.rglob("*"):
        if path.is_dir():
            continue
        relative = path.relative_to(top).as_posix()
        parts = relative.split("/")
        prefixes = ["/".join(parts[: k + 1]) for k in range(len(parts))]
        excluded = False
        for back_in, pattern in patterns:
            if any(pattern.match(prefix) for prefix in prefixes):
                excluded = not back_in
        if not excluded:
            sent.add(relative)
    return sent


def copied_sources(dockerfile: str) -> list[str]:
    """The context paths the Dockerfile's COPY instructions take (not those from another stage)."""
    joined = dockerfile.replace("\\\n", " ")
    sources = []
    for line in joined.splitlines():
        words = line.split()
        if words[:1] == ["COPY"] and not any(word.startswith("--from") for word in words):
            sources += [word for word in words[1:-1] if not word.startswith("--")]
    return sources


@pytest.fixture(scope="module")
def clone_with_a_class(tmp_path_factory) -> Path:
    """The repository's files, as a clone has them, and an instructor's class and answer key beside them."""
    top = tmp_path_factory.mktemp("context")
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=True)
    for name in filter(None, files.stdout.split("\0")):
        if (ROOT / name).is_file():
            (top / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(ROOT / name, top / name)
    for name in PLANTED:
        (top / name).parent.mkdir(parents=True, exist_ok=True)
        (top / name).write_text("planted by the test")
    return top


def test_the_patterns_read_as_docker_reads_them():
    patterns = dockerignore_patterns("# a comment\n*\n!nudge/\n**/__pycache__\n")
    assert [back_in for back_in, _ in patterns] == [False, True, False]
    assert _regex("*").match("solutions") and not _regex("*").match("solutions/x")
    assert _regex("**/__pycache__").match("__pycache__") and _regex("**/__pycache__").match("a/b/__pycache__")
    assert _regex("hub/etc").match("hub/etc") and not _regex("hub/etc").match("hub/etcetera")


def test_the_students_image_gets_no_answer_key_and_no_class_data(clone_with_a_class):
    sent = build_context(clone_with_a_class)
    assert not [name for name in sent if name in PLANTED or name.startswith(("solutions/", "tests/", "tools/"))]
    allowed = ("nudge/", "hub/etc/")
    assert {name for name in sent if not name.startswith(allowed)} == {
        "pyproject.toml",
        "hub/requirements.txt",
        "package.json",
        "package-lock.json",
    }
    assert "nudge/checks/__init__.py" in sent and "hub/etc/jupyter/nbgrader_config.py" in sent


def test_every_file_the_dockerfile_copies_is_in_the_context(clone_with_a_class):
    sent = build_context(clone_with_a_class)
    sources = copied_sources((ROOT / "hub" / "Dockerfile").read_text())
    assert sources, "no COPY in hub/Dockerfile?"
    for source in sources:
        assert source in sent or any(name.startswith(source.rstrip("/") + "/") for name in sent), source


def test_the_hubs_environment_has_what_the_notebooks_import():
    """The image and the hub run every chapter and exercise: each module they import comes from a
    distribution hub/requirements.txt pins (tests/test_hub.py imports them in the hub's venv)."""
    from tools import students_branch

    imported = students_branch.notebook_imports(students_branch.notebook_paths())
    third_party = {name.split(".")[0] for name in imported} - set(sys.stdlib_module_names) - {"nudge"}
    providers = importlib.metadata.packages_distributions()
    pinned = set(students_branch.pins((ROOT / "hub" / "requirements.txt").read_text()))
    missing = [
        module for module in third_party if not {students_branch.canonical(d) for d in providers[module]} & pinned
    ]
    assert not missing, f"hub/requirements.txt has nothing that provides {missing}"
