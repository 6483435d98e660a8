"""Every page of the built site in headless Debian chromium: math, explorers, no outside requests."""

from __future__ import annotations

import pytest

from pages import html_pages

pytestmark = pytest.mark.browser


def open_page(page, server, path):
    page.goto(f"{server}/{path}")
    page.wait_for_load_state("networkidle")
    # MathJax typesets asynchronously; its startup promise settles when the page is done
    page.wait_for_function("() => !window.MathJax || (MathJax.startup && MathJax.startup.promise)")
    page.evaluate("() => window.MathJax && MathJax.startup.promise")


@pytest.mark.parametrize("path", html_pages())
def test_page_is_typeset_offline_without_errors(page, server, path):
    open_page(page, server, path)
    offsite = [url for url in page.requests if not url.startswith(server) and not url.startswith("data:")]
    assert not offsite
    assert not page.console_errors
    text = page.locator("article").inner_text()
    assert "\\(" not in text and "$$" not in text, "raw TeX left in the page"
    if page.locator("span.math, div.math").count():
        assert page.locator("mjx-container").count() > 0


@pytest.mark.parametrize("path", [p for p in html_pages() if p.startswith("chapters/")])
def test_every_explorer_moves_with_the_keyboard(page, server, path):
    open_page(page, server, path)
    explorers = page.locator("figure.nudge-explorer")
    assert explorers.count() > 0
    for i in range(explorers.count()):
        figure = explorers.nth(i)
        image = figure.locator("img.nudge-frame")
        figure.scroll_into_view_if_needed()
        sliders = figure.locator("input[type=range]")
        for j in range(sliders.count()):
            slider = sliders.nth(j)
            assert slider.is_enabled()
            before = (image.get_attribute("src"), slider.get_attribute("aria-valuetext"))
            output = figure.locator(f'output[for="{slider.get_attribute("id")}"]')
            assert output.inner_text() == before[1]
            # the far end of the range is always a different grid point from the start
            slider.focus()
            key = "ArrowLeft" if slider.input_value() == slider.get_attribute("max") else "ArrowRight"
            page.keyboard.press(key)
            after = (image.get_attribute("src"), slider.get_attribute("aria-valuetext"))
            assert after[0] != before[0], f"explorer {i} slider {j}: the frame did not change"
            assert after[1] != before[1] and output.inner_text() == after[1]
            # the new frame really loaded (a broken src would have naturalWidth 0)
            page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
            page.keyboard.press("ArrowLeft" if key == "ArrowRight" else "ArrowRight")
            assert (image.get_attribute("src"), slider.get_attribute("aria-valuetext")) == before
    assert not page.console_errors
