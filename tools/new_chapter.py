"""Start a chapter: its notebook, its exercises' source, its table-of-contents entries and its instructors' row.

Usage: python tools/new_chapter.py N TOPIC ["Title"]      (make chapter N=08 TOPIC=jacobians TITLE="...")

Writes, from the templates in tools/templates/ (edit those to change what every new chapter starts as):

- chapters/NN_topic.ipynb: the house shape of CONTRIBUTING.md (title, goals, guard cell, one idea, summary);
- solutions/chNN_topic/chNN_topic.ipynb: the nbgrader source, one exercise and one written answer;
- three entries in _toc.yml (the chapter, its exercises, its solutions), each after the last of its part;
- one row in the table of instructors.md.

It never overwrites: if any of the notebooks or entries exists already it changes nothing and says so.
Then `make exercises` makes the student notebook, and `make notebooks` runs the chapter. Everything
else of the chapter is named by its key, `chNN_topic` (`nudge.chapters`): its checks in
`nudge/checks/chNN_topic.py` and its plots in `nudge/plots/chNN_topic.py` are found by that name.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from nudge.chapters import chapter_key

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = Path(__file__).resolve().parent / "templates"
TOPIC = re.compile(r"^[a-z][a-z0-9_]*$")
#: the instructors' table rows: `| 7. Title | `ch07_topic` | [Exercises 7](...) |`
ROW = re.compile(r"^\| \d+\. .+ \| `ch\d\d_[a-z0-9_]+` \| \[Exercises \d+\]\(.+\) \|$")


class Refused(Exception):
    """What the caller asked for can't be done; the message says why and what was expected."""


def names(number: str, topic: str, title: str | None) -> dict[str, str]:
    """Every name the templates use, from the chapter's number and topic.

    >>> n = names("8", "jacobians", None)
    >>> n["stem"], n["assignment"], n["title"]
    ('08_jacobians', 'ch08_jacobians', 'Jacobians')
    """
    if not re.fullmatch(r"\d{1,2}", str(number)) or not 1 <= int(number) <= 99:
        raise Refused(f"N: expected a chapter number from 1 to 99, like 08, got {number!r}")
    if not TOPIC.match(topic):
        raise Refused(f"TOPIC: expected lowercase letters, digits and _, like gradient_descent, got {topic!r}")
    nn = f"{int(number):02d}"
    stem = f"{nn}_{topic}"
    return {
        "n": str(int(number)),
        "nn": nn,
        "stem": stem,
        "assignment": chapter_key(stem),
        "title": title or topic.replace("_", " ").capitalize(),
    }


def fill(template: Path, values: dict[str, str]) -> str:
    """The template's text with every `{{name}}` replaced; an unknown name is a mistake in the template."""
    text = template.read_text()
    unknown = set(re.findall(r"\{\{(\w+)\}\}", text)) - set(values)
    if unknown:
        raise Refused(f"{template.name} uses {sorted(unknown)}; the templates may use {sorted(values)}")
    for key, value in values.items():
        text = text.replace(
            "{{" + key + "}}", json.dumps(value, ensure_ascii=False)[1:-1]
        )  # escaped for the JSON it sits in
    return text


def with_toc_entries(toc: str, values: dict[str, str]) -> str:
    """`toc` (the text of _toc.yml) with the chapter, its exercises and its solutions, each last in its part."""
    lines = toc.splitlines()
    a = values["assignment"]
    for prefix, entry in (
        ("chapters/", f"chapters/{values['stem']}"),
        ("exercises/", f"exercises/{a}/{a}"),
        ("solutions/", f"solutions/{a}/{a}"),
    ):
        if re.search(rf"^\s*- file: {re.escape(entry)}\s*$", toc, re.M):
            raise Refused(f"_toc.yml lists {entry} already")
        last = [i for i, line in enumerate(lines) if re.match(rf"^\s*- file: {prefix}", line)]
        if not last:
            raise Refused(f"_toc.yml: expected a part with `- file: {prefix}...` entries, found none")
        indent = lines[last[-1]][: len(lines[last[-1]]) - len(lines[last[-1]].lstrip())]
        lines.insert(last[-1] + 1, f"{indent}- file: {entry}")
    return "\n".join(lines) + "\n"


def with_instructors_row(page: str, values: dict[str, str]) -> str:
    """`page` (instructors.md) with the assignment's row after the last row of its table."""
    a = values["assignment"]
    if f"`{a}`" in page:
        raise Refused(f"instructors.md lists `{a}` already")
    lines = page.splitlines()
    rows = [i for i, line in enumerate(lines) if ROW.match(line)]
    if not rows:
        raise Refused(
            "instructors.md: expected a table with rows like | 7. Title | `ch07_topic` | [Exercises 7](...) |"
        )
    n = values["n"]
    lines.insert(rows[-1] + 1, f"| {n}. {values['title']} | `{a}` | [Exercises {n}](exercises/{a}/{a}.ipynb) |")
    return "\n".join(lines) + "\n"


def plan(values: dict[str, str], root: Path = ROOT) -> dict[Path, str]:
    """Every file to write, with its new text; refuses before anything is written."""
    a = values["assignment"]
    chapter = root / "chapters" / f"{values['stem']}.ipynb"
    solution = root / "solutions" / a / f"{a}.ipynb"
    taken = [p for p in (chapter, *(root / "chapters").glob(f"{values['nn']}_*.ipynb"), solution) if p.exists()]
    if taken:
        raise Refused(f"{taken[0].relative_to(root)} exists already; nothing was written")
    return {
        chapter: fill(TEMPLATES / "chapter.ipynb", values),
        solution: fill(TEMPLATES / "solutions.ipynb", values),
        root / "_toc.yml": with_toc_entries((root / "_toc.yml").read_text(), values),
        root / "instructors.md": with_instructors_row((root / "instructors.md").read_text(), values),
    }


def main(argv: list[str], root: Path = ROOT) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("number", help="the chapter's number, like 08")
    parser.add_argument("topic", help="one lowercase word or words_with_underscores, like jacobians")
    parser.add_argument("title", nargs="?", help="the chapter's title (default: the topic, capitalised)")
    args = parser.parse_args(argv)
    try:
        values = names(args.number, args.topic, args.title)
        files = plan(values, root)
    except Refused as refused:
        print(f"make chapter: {refused}", file=sys.stderr)
        return 2
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        print(f"wrote {path.relative_to(root)}")
    a = values["assignment"]
    print(f"next: write the chapter (its checks in nudge/checks/{a}.py, its plots in nudge/plots/{a}.py),")
    print("then `make notebooks` and `make exercises`")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
