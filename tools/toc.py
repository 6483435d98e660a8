"""The documents of a Jupyter Book table of contents, for the tools and the tests alike.

The file is read by sphinx-external-toc, the parser Jupyter Book itself builds with, so what
the tests walk is exactly what the build sees.
"""

from __future__ import annotations

from pathlib import Path

from sphinx_external_toc.parsing import parse_toc_yaml

ROOT = Path(__file__).resolve().parent.parent


def toc_files(toc: Path = ROOT / "_toc.yml") -> list[str]:
    """Every document in the table of contents, without suffix, in reading order (the root first)."""
    site_map = parse_toc_yaml(str(toc))
    found: list[str] = []

    def walk(docname: str) -> None:
        found.append(docname)
        for subtree in site_map[docname].subtrees:
            for item in subtree.items:
                if isinstance(item, str):  # not a URL or a glob
                    walk(item)

    walk(site_map.root.docname)
    return found
