"""The site for every reader: axe-core in light and dark mode, a phone-sized screen, dark-mode pictures.

Each page is opened once (`audit.py`, several at a time): axe runs on it in light mode, the
reader's system then switches to dark (axe's colour rules again, and the pictures' grounds), and
last the window shrinks to a phone's width.
"""

from __future__ import annotations

import pytest

from audit import AXE, PHONE, audit
from tools.browser import site_pages

pytestmark = pytest.mark.browser
PAGES = site_pages()


@pytest.fixture(scope="module")
def seen(host):
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: `make test` installs it from package-lock.json (npm ci)")
    return audit(host, PAGES, "every reader")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_no_serious_violations(seen, path, scheme):
    assert seen[path]["theme"][scheme] == scheme
    violations = seen[path]["axe"][scheme]
    assert not violations, f"{path} ({scheme}):\n" + "\n".join(violations)


@pytest.mark.parametrize("path", PAGES)
def test_readable_on_a_phone(seen, path):
    phone = seen[path]["phone"]
    assert phone["page"] <= 0, f"{path} scrolls sideways by {phone['page']} px: {phone['wide']}"
    assert not phone["explorers_outside"], f"{path}: explorers {phone['explorers_outside']} are wider than {PHONE}"


@pytest.mark.parametrize("path", [p for p in PAGES if p.startswith("chapters/")] or PAGES[:1])
def test_dark_mode_keeps_frames_and_figures_on_a_light_ground(seen, path):
    dark = seen[path]["dark_pictures"]
    assert not dark, f"{path}: pictures drawn on white sit on a dark ground in dark mode: {dark}"
