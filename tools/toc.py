"""The documents of a Jupyter Book table of contents, for the tools and the tests alike."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def toc_files(toc: Path = ROOT / "_toc.yml") -> list[str]:
    """Every document in the table of contents, without suffix, in reading order (the root first)."""
    data = yaml.safe_load(Path(toc).read_text())
    found = [data["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                found.append(str(entry["file"]))
            for key in ("parts", "chapters", "sections"):
                walk(entry.get(key))

    walk([data])
    return found
