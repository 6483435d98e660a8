"""Text in the book's pictures stays readable on a phone: at least `MIN_TEXT_PX` CSS px once a figure
is shrunk to a phone's text column, read from the committed outputs (no build needed).

Each figure knows its own text: `nudge.style` records a PNG output's smallest text (in CSS px at the
size it is shown) in its display metadata beside its width, and an explorer's preview in its
manifest (`nudge.frames`). The site's every frame is measured in the build (`tests/test_browser.py`).
"""

from __future__ import annotations

import nbformat
import pytest

from nudge.frames import read_manifests
from nudge.style import MIN_TEXT_PX, PHONE_COLUMN_PX, TEXT_KEY, phone_text_px
from pages import ROOT, chapter_notebooks

NOTEBOOKS = chapter_notebooks() + sorted((ROOT / "solutions").glob("*/*.ipynb"))
#: pages whose pictures are still too small on a phone, and why: the tests report them as expected
#: failures (strict: a page that passes must leave this list)
KNOWN_SMALL_TEXT: dict[str, str] = {}


def _marked(path):
    name = path.relative_to(ROOT).with_suffix("").as_posix()
    reason = KNOWN_SMALL_TEXT.get(name)
    return pytest.param(path, id=name, marks=[pytest.mark.xfail(strict=True, reason=reason)] if reason else [])


def figures(path) -> list[tuple[str, float | None, int]]:
    """Every picture in a notebook's outputs: (where, smallest text in CSS px or None, width in CSS px)."""
    found = []
    for number, cell in enumerate(nbformat.read(path, as_version=4).cells):
        where = f"cell {cell.get('id') or number}"
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "image/png" in data:
                shown = output.get("metadata", {}).get("image/png", {})
                found.append((where, shown.get(TEXT_KEY), shown.get("width")))
            for manifest in read_manifests(str(data.get("text/html", ""))):
                found.append((f"{where} (explorer {manifest.id})", manifest.text_px, manifest.width))
    return found


@pytest.mark.parametrize("path", [_marked(path) for path in NOTEBOOKS])
def test_figure_text_is_readable_at_a_phones_width(path):
    """Smallest text × (phone column / figure width, at most 1) ≥ MIN_TEXT_PX, for every figure."""
    unmeasured, small = [], []
    for where, text_px, width in figures(path):
        if text_px is None or not width:
            unmeasured.append(where)
        elif (shown := phone_text_px(text_px, width)) < MIN_TEXT_PX:
            small.append(f"{where}: {text_px} px text in a {width}-px figure shows at {shown} px")
    assert not unmeasured, f"{path.name}: figures whose text size is not recorded (run `make notebooks`): {unmeasured}"
    assert not small, (
        f"{path.name}: text under {MIN_TEXT_PX} CSS px on a phone ({PHONE_COLUMN_PX}-px column):\n" + "\n".join(small)
    )
