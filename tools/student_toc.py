"""Write the student edition's table of contents: _toc.yml without the solutions.

Usage: python -m tools.student_toc [SOURCE [TARGET]]   (default: _toc.yml -> _build/_toc_student.yml)

`make book EDITION=student` builds with it (`jupyter-book build --toc`), so the student
edition has every chapter and exercise page but no solution page; it is made from _toc.yml
at every build, so it never falls behind it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def is_solution(entry: dict) -> bool:
    return str(entry.get("file", "")).startswith("solutions/")


def without_solutions(entries: list | None) -> list:
    """The entries that are not solution pages, with their sections filtered the same way."""
    kept = []
    for entry in entries or []:
        if is_solution(entry):
            continue
        entry = dict(entry)
        for key in ("sections", "chapters"):
            if key in entry:
                entry[key] = without_solutions(entry[key])
        kept.append(entry)
    return kept


def student_toc(toc: dict) -> dict:
    """`toc` without solution pages, and without a part that held nothing else.

    >>> toc = {"root": "intro", "parts": [{"caption": "Exercises", "chapters": [{"file": "exercises/a/a"}]},
    ...                                   {"caption": "Solutions", "chapters": [{"file": "solutions/a/a"}]}]}
    >>> [part["caption"] for part in student_toc(toc)["parts"]]
    ['Exercises']
    """
    toc = dict(toc)
    if "parts" in toc:
        parts = [{**part, "chapters": without_solutions(part.get("chapters"))} for part in toc["parts"]]
        toc["parts"] = [part for part in parts if part["chapters"]]
    if "chapters" in toc:
        toc["chapters"] = without_solutions(toc["chapters"])
    return toc


def main(argv: list[str]) -> int:
    source = Path(argv[0]) if argv else ROOT / "_toc.yml"
    target = Path(argv[1]) if len(argv) > 1 else ROOT / "_build" / "_toc_student.yml"
    toc = student_toc(yaml.safe_load(source.read_text()))
    target.parent.mkdir(parents=True, exist_ok=True)
    header = f"# Generated from {source.name} by tools/student_toc.py (make book EDITION=student); don't edit.\n"
    target.write_text(header + yaml.safe_dump(toc, sort_keys=False, allow_unicode=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
