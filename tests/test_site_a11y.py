"""The site for every reader: axe-core in light and dark mode, a phone-sized screen, dark-mode pictures.

Split from tests/test_site_audit.py (whose host and page fixtures it uses) so that pytest-xdist,
which hands out whole files, can run these page visits beside the other audits.
"""

from __future__ import annotations

import pytest
import test_site_audit
from test_site_audit import AXE, PAGES, PHONE

# the audit's fixtures: the site on a host like GitHub Pages, and a page opened on it
host = test_site_audit.host
visit = test_site_audit.visit

# --- accessibility, phones, dark mode -------------------------------------------------------


def serious_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    found = []
    for violation in result["violations"]:
        if violation["impact"] in ("serious", "critical"):
            targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:5]]
            found.append(f"{violation['id']} ({violation['impact']}, {len(violation['nodes'])} nodes): {targets}")
    return found


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_no_serious_violations(visit, path, scheme):
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: `make test` installs it from package-lock.json (npm ci)")
    page = visit(path, color_scheme=scheme)
    assert page.evaluate("document.documentElement.dataset.theme") == scheme
    violations = serious_violations(page)
    assert not violations, f"{path} ({scheme}):\n" + "\n".join(violations)


@pytest.mark.browser
@pytest.mark.parametrize("path", PAGES)
def test_readable_on_a_phone(visit, path):
    page = visit(path, viewport=PHONE)
    overflow = page.evaluate(
        """() => {
        const width = document.documentElement.clientWidth;
        const wide = [...document.querySelectorAll('article *')]
          .filter(el => el.getBoundingClientRect().right > width + 1 && getComputedStyle(el).position !== 'fixed')
          .filter(el => !el.closest('pre, .highlight, .pst-scrollable-table-container, mjx-container, .math'))
          .map(el => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ')[0] : ''));
        return {page: document.documentElement.scrollWidth - width, wide: [...new Set(wide)].slice(0, 8)};
        }"""
    )
    assert overflow["page"] <= 0, f"{path} scrolls sideways by {overflow['page']} px: {overflow['wide']}"
    frames = page.locator("img.nudge-frame")
    for i in range(frames.count()):
        box = frames.nth(i).bounding_box()
        inside = box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        assert inside, f"{path}: explorer {i} is wider than the phone"


@pytest.mark.browser
@pytest.mark.parametrize("path", [p for p in PAGES if p.startswith("chapters/")] or PAGES[:1])
def test_dark_mode_keeps_frames_and_figures_on_a_light_ground(visit, path):
    page = visit(path, color_scheme="dark")
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    grounds = page.evaluate(
        """() => [...document.querySelectorAll('img.nudge-frame, .cell_output img')].map(img => {
            const [r, g, b] = getComputedStyle(img).backgroundColor.match(/\\d+/g).map(Number);
            return {src: img.getAttribute('src').slice(-40), light: r + g + b > 600};
        })"""
    )
    dark = [g["src"] for g in grounds if not g["light"]]
    assert not dark, f"{path}: pictures drawn on white sit on a dark ground in dark mode: {dark}"
