"""Every page of the site audited once in one headless chromium, a few pages at a time.

A page is opened once and every check runs on it in turn (the order matters: what is measured
on load comes first, the phone-sized screen last). Each check returns facts; the tests in
test_browser.py assert on them one by one, so a failure still names its page and its check.
"""

from __future__ import annotations

import functools
import re
from urllib.parse import urlparse

import pytest
from playwright.async_api import TimeoutError as PlaywrightTimeout

from conftest import ROOT, run_async
from nudge.frames import FIGURE_CLASS, FRAMES_URL_DIR
from nudge.style import TEXT_KEY
from tools.browser import chromium, each_page, settle, weight

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
#: the audit's screen: a high-density one, where a picture drawn at 1x looks blurred
DPR = 2
#: the axe rules whose outcome depends on colours; the dark scheme changes nothing else a rule
#: looks at (the same elements are shown in both), so only these run again in dark mode
COLOUR_RULES = ["color-contrast", "link-in-text-block"]

# --- checks: each takes the open page and returns what it found ----------------------------


#: nbgrader's markers, which only its source notebooks may show
NBGRADER_MARKER = re.compile(r"### (BEGIN|END) (SOLUTION|HIDDEN TESTS)")
#: every element the Tab key stops at, in the document's order
TAB_STOPS = """() => [...document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]')]
    .filter(el => el.tabIndex >= 0 && !el.disabled && el.getClientRects().length
                  && getComputedStyle(el).visibility !== 'hidden')"""


async def typeset(page) -> dict:
    """Math typeset, none of it in the Tab order yet all of it readable; nbgrader's markers anywhere."""
    # the search page has no article: all of its body is the page's own
    article = page.locator("article")
    text = await (article if await article.count() else page.locator("body")).inner_text()
    # the notebooks' cells, folded parts too (a solution shown on request); not the instructors'
    # page, which explains the markers in its prose
    everything = await page.evaluate("[...document.querySelectorAll('div.cell')].map(c => c.textContent).join(' ')")
    keyboard = await page.evaluate(
        f"""() => {{
        const stops = ({TAB_STOPS})();
        const formulas = [...document.querySelectorAll('mjx-container')];
        return {{
            stops: stops.length,
            // a formula wider than its column scrolls, and keeps its Tab stop so a keyboard can scroll it
            formulas: stops.filter(el => el.closest('mjx-container'))
                           .filter(el => el.scrollWidth <= el.clientWidth).length,
            unreadable: formulas.filter(f => !f.querySelector('mjx-assistive-mml math')
                                             && !f.getAttribute('aria-label')).length,
        }};
        }}"""
    )
    return {
        "raw_tex": "\\(" in text or "$$" in text,
        "math": await page.locator("span.math, div.math").count(),
        "typeset": await page.locator("mjx-container").count(),
        "tab_stops": keyboard["stops"],
        "focusable_formulas": keyboard["formulas"],
        "unreadable_formulas": keyboard["unreadable"],
        "nbgrader_markers": sorted({m.group(0) for m in NBGRADER_MARKER.finditer(everything)}),
    }


async def pictures(page) -> list[dict]:
    """Every picture in the article: the image pixels it has per device pixel it fills (1.0 or more is crisp).

    Lazy pictures are loaded first. The pixels are the chosen file's own (an `img` with `srcset`
    reports a width scaled by its candidate's density instead).
    """
    lazy = "article img[loading=lazy]"
    await page.evaluate(f"() => document.querySelectorAll('{lazy}').forEach(img => {{ img.loading = 'eager'; }})")
    await page.wait_for_function("() => [...document.querySelectorAll('article img')].every(img => img.complete)")
    return await page.evaluate(
        """async () => Promise.all([...document.querySelectorAll('article img')]
            .filter(img => img.getBoundingClientRect().width > 0)
            .map(async img => {
                const file = new Image();
                file.src = img.currentSrc || img.src;
                await file.decode();
                const shown = img.getBoundingClientRect().width * devicePixelRatio;
                return {src: file.src.split('/').pop().slice(-40), frame: img.classList.contains('nudge-frame'),
                        ratio: Math.round(100 * file.naturalWidth / shown) / 100};
            }))"""
    )


async def focus_rings(page) -> list[str]:
    """The theme's controls before the article (sidebar, launch, download, …) that show no ring when Tab is on them."""
    await page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    missing = []
    for _ in range(120):
        await page.keyboard.press("Tab")
        seen = await page.evaluate(
            """() => {
            const el = document.activeElement;
            if (!el || el === document.body) return null;
            const ring = e => { const s = getComputedStyle(e);
                return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none'; };
            const name = (el.getAttribute('aria-label') || el.title || el.textContent || '').trim().slice(0, 40);
            const what = `${el.tagName.toLowerCase()}.${String(el.className).split(' ')[0]} ${JSON.stringify(name)}`;
            // the theme rings a search form, not its field (`.bd-search:focus-within`)
            const around = [el, ...el.children, el.closest('.bd-search')].filter(Boolean);
            return {article: !!el.closest('article'), ring: around.some(ring), what};
            }"""
        )
        if seen is None or seen["article"]:
            break
        if not seen["ring"]:
            missing.append(seen["what"])
    return sorted(set(missing))


async def _state(image, slider) -> tuple:
    """What an explorer shows: which frame of its manifest (either size) and the slider's value in words.

    The frame is compared by its place in the grid, not its address: the script may show a frame
    at the other size than the browser first chose (it takes over from `srcset` on the first move).
    """
    frame = await image.evaluate(
        """img => {
            const config = JSON.parse(img.closest('figure').dataset.nudge);
            const href = url => new URL(url, document.baseURI).href;
            const shown = href(img.getAttribute('src'));
            const at = config.frames.map(href).indexOf(shown);
            return at >= 0 ? at : config.frames_2x.map(href).indexOf(shown);
        }"""
    )
    return (frame, await slider.get_attribute("aria-valuetext"))


async def explorers_move(page) -> dict:
    """Drive every slider of every explorer with the keyboard; the problems found, in words."""
    problems = []
    explorers = page.locator("figure.nudge-explorer")
    count = await explorers.count()
    for i in range(count):
        figure = explorers.nth(i)
        image = figure.locator("img.nudge-frame")
        await figure.scroll_into_view_if_needed()
        sliders = figure.locator("input[type=range]")
        for j in range(await sliders.count()):
            slider = sliders.nth(j)
            where = f"explorer {i} slider {j}"

            if not await slider.is_enabled():
                problems.append(f"{where}: disabled")
                continue
            before = await _state(image, slider)
            output = figure.locator(f'output[for="{await slider.get_attribute("id")}"]')
            if await output.inner_text() != before[1]:
                problems.append(f"{where}: the output says {await output.inner_text()!r}, not {before[1]!r}")
            # the far end of the range is always a different grid point from the start
            await slider.focus()
            at_max = await slider.input_value() == await slider.get_attribute("max")
            key = "ArrowLeft" if at_max else "ArrowRight"
            await page.keyboard.press(key)
            after = await _state(image, slider)
            if -1 in (before[0], after[0]):
                problems.append(f"{where}: it shows a picture its manifest doesn't list")
            if after[0] == before[0]:
                problems.append(f"{where}: the frame did not change")
            if after[1] == before[1] or await output.inner_text() != after[1]:
                problems.append(f"{where}: the value shown did not follow the slider")
            # the new frame really loaded (a broken src would have naturalWidth 0)
            await page.wait_for_function(
                "img => img.complete && img.naturalWidth > 0", arg=await image.element_handle()
            )
            await page.keyboard.press("ArrowLeft" if key == "ArrowRight" else "ArrowRight")
            if await _state(image, slider) != before:
                problems.append(f"{where}: moving back did not restore the frame and value")
    return {"count": count, "problems": problems}


async def _feedback_after(box, page, answer) -> str:
    """Type (or choose) `answer` in a question, press Check, and read the feedback it gives."""
    feedback = box.locator(".nudge-q-feedback")
    await page.evaluate("el => { el.textContent = ''; }", await feedback.element_handle())
    field = box.locator("input.nudge-q-input")
    if await field.count():
        await field.fill(answer)
        await field.press("Enter")
    else:
        # a radio button can't be unchecked by a click: start from none chosen, then click the answer
        await box.evaluate("el => el.querySelectorAll('.nudge-q-option input').forEach(o => { o.checked = false; })")
        for option in await box.locator(".nudge-q-option input").all():
            if (await option.get_attribute("value")) in answer:
                await option.check()
        await box.locator("button.nudge-q-check").click()
    await page.wait_for_function("el => el.textContent.length > 0", arg=await feedback.element_handle())
    return await feedback.inner_text()


async def questions_answer(page) -> dict:
    """Answer every check-yourself question rightly, then show its hint and answer; the first of each kind on the
    page also wrongly and unreadably first.

    The verdicts of every question's own, wrong and unreadable answers are the checker's, which node's tests run
    on every chapter's questions (tests/js/question.test.mjs); here the page shows them.
    """
    problems = []
    questions = page.locator("div.nudge-question")
    count = await questions.count()
    kinds_seen = set()
    for i in range(count):
        box = questions.nth(i)
        await box.scroll_into_view_if_needed()
        config = await box.evaluate("el => JSON.parse(el.dataset.nudgeQuestion)")
        kind = config["kind"]
        if kind == "choice":
            right = [str(k) for k in config["typed"]]
            wrong = next(str(k) for k, option in enumerate(config["options"]) if not option["right"])
            answers = {"wrong": ([wrong], "✗ "), "malformed": ([], "Choose"), "right": (right, "✓")}
        else:
            wrong = f"{config['target'] * 3 + 7!r}" if kind == "number" else f"{config['variables'][0]} + 123"
            right = config["typed"]
            unreadable = "Expected" if kind == "number" else "Couldn't read"
            answers = {"wrong": (wrong, "✗ "), "malformed": ("3*(", unreadable), "right": (right, "✓")}
        if kind in kinds_seen:
            answers = {"right": answers["right"]}
        kinds_seen.add(kind)
        for what, (typed, start) in answers.items():
            said = await _feedback_after(box, page, typed)
            if not said.startswith(start):
                problems.append(f"question {i} ({kind}), {what} answer {typed!r}: feedback {said!r}")
        explain = box.locator(".nudge-q-explain")
        if await explain.count() and not await explain.is_visible():
            problems.append(f"question {i}: no explanation after a right answer")
        hint = box.locator("button.nudge-q-hint")
        if await hint.count():
            await hint.click()
            if not await box.locator(".nudge-q-hints li").first.is_visible():
                problems.append(f"question {i}: the first hint did not show")
        await box.locator("button.nudge-q-show").click()
        if not await box.locator(".nudge-q-answer").is_visible():
            problems.append(f"question {i}: Show answer showed nothing")
        # feedback, hints, answer and explanation all typeset: no TeX left for the reader to decode
        try:
            await page.wait_for_function(RAW_TEX_GONE, arg=await box.element_handle(), timeout=10_000)
        except PlaywrightTimeout:
            raw = await box.evaluate("el => el.innerText")
            problems.append(f"question {i}: raw TeX left in what it shows: {raw[:300]!r}")
    return {"count": count, "problems": problems}


#: no `$…$` or `\(…\)` left in the text of a question (MathJax has typeset what it shows)
RAW_TEX_GONE = r"el => !/\$|\\\(|\\\)/.test(el.innerText)"


async def serious_violations(page, rules: list[str] | None = None) -> list[str]:
    if not await page.evaluate("() => !!window.axe"):
        await page.add_script_tag(path=str(AXE))
    options = {"resultTypes": ["violations"]}
    if rules:
        options["runOnly"] = {"type": "rule", "values": rules}
    result = await page.evaluate("async options => await axe.run(document, options)", options)
    found = []
    for violation in result["violations"]:
        if violation["impact"] in ("serious", "critical"):
            targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:5]]
            found.append(f"{violation['id']} ({violation['impact']}, {len(violation['nodes'])} nodes): {targets}")
    return found


async def theme(page) -> str:
    return await page.evaluate("document.documentElement.dataset.theme")


async def switch_scheme(page, scheme: str) -> None:
    """The reader's system switches colour scheme; the theme follows it (its mode is `auto`)."""
    await page.emulate_media(color_scheme=scheme)
    await page.wait_for_function("scheme => document.documentElement.dataset.theme === scheme", arg=scheme)
    # colours fade over a CSS transition: measure them once they have arrived
    await page.evaluate("() => Promise.all(document.getAnimations().map(animation => animation.finished))")


async def picture_grounds(page) -> list[str]:
    """Pictures drawn on white that sit on a dark ground."""
    grounds = await page.evaluate(
        """() => [...document.querySelectorAll('img.nudge-frame, .cell_output img')].map(img => {
            const [r, g, b] = getComputedStyle(img).backgroundColor.match(/\\d+/g).map(Number);
            return {src: img.getAttribute('src').slice(-40), light: r + g + b > 600};
        })"""
    )
    return [g["src"] for g in grounds if not g["light"]]


async def phone(page) -> dict:
    """The page at a phone's width: what scrolls sideways, and which explorers stick out."""
    await page.set_viewport_size(PHONE)
    await page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    overflow = await page.evaluate(
        """() => {
        const width = document.documentElement.clientWidth;
        const wide = [...document.querySelectorAll('article *')]
          .filter(el => el.getBoundingClientRect().right > width + 1 && getComputedStyle(el).position !== 'fixed')
          .filter(el => !el.closest('pre, .highlight, .pst-scrollable-table-container, mjx-container, .math'))
          .map(el => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ')[0] : ''));
        return {page: document.documentElement.scrollWidth - width, wide: [...new Set(wide)].slice(0, 8)};
        }"""
    )
    frames = page.locator("img.nudge-frame")
    outside = []
    for i in range(await frames.count()):
        box = await frames.nth(i).bounding_box()
        if not (box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]):
            outside.append(i)
    return {**overflow, "explorers_outside": outside}


#: reads what a book figure says of its text: an explorer's manifest, or the PNG's tEXt chunk `TEXT_KEY`
#: (`nudge.style`), as {text_px, width}; null when the picture records nothing
RECORDED_TEXT = f"""async img => {{
    const figure = img.closest('figure.{FIGURE_CLASS}');
    if (figure) {{
        const manifest = JSON.parse(figure.dataset.nudge);
        return manifest.text_px == null ? null : {{text_px: manifest.text_px, width: manifest.width}};
    }}
    const bytes = new Uint8Array(await (await fetch(img.currentSrc || img.src)).arrayBuffer());
    const view = new DataView(bytes.buffer);
    for (let at = 8; at + 8 <= bytes.length;) {{
        const length = view.getUint32(at), kind = String.fromCharCode(...bytes.slice(at + 4, at + 8));
        if (kind === 'IDAT') break;
        if (kind === 'tEXt') {{
            const body = new TextDecoder('latin1').decode(bytes.slice(at + 8, at + 8 + length));
            const [key, text] = [body.slice(0, body.indexOf('\\0')), body.slice(body.indexOf('\\0') + 1)];
            if (key === '{TEXT_KEY}') {{
                const about = JSON.parse(text);
                return {{text_px: about.smallest_text_px, width: about.width}};
            }}
        }}
        at += 12 + length;
    }}
    return null;
}}"""


async def phone_text(page) -> list[dict]:
    """At a phone's width (after `phone`): every notebook picture's smallest text in CSS px as shown there.

    The picture's recorded text size (`nudge.style`: in CSS px at its drawn width) times the width it
    is shown at over that width; `shown` is None for a picture of a cell's output that records none.
    """
    found = []
    images = page.locator("article div.cell_output img, article figure.nudge-explorer img.nudge-frame")
    for i in range(await images.count()):
        image = images.nth(i)
        width = (await image.bounding_box() or {}).get("width", 0)
        if not width:
            continue
        recorded = await image.evaluate(RECORDED_TEXT)
        src = (await image.evaluate("img => img.currentSrc || img.src")).split("/")[-1][-40:]
        shown = round(recorded["text_px"] * width / recorded["width"], 1) if recorded else None
        found.append({"src": src, "shown_width": round(width), "shown": shown, **(recorded or {})})
    return found


# --- the two audits ------------------------------------------------------------------------


async def _open(page, host, path):
    """Open `path` in the tab (`tools.browser.kept_tab`), recording its errors and requests until the listeners
    returned are removed."""
    facts = {"console_errors": [], "requests": [], "failed": [], "superseded": []}
    finished = []
    listeners = {
        "console": lambda msg: msg.type == "error" and facts["console_errors"].append(msg.text),
        "pageerror": lambda exc: facts["console_errors"].append(str(exc)),
        "request": lambda request: facts["requests"].append(request.url),
        "requestfinished": lambda request: finished.append(request),
        "requestfailed": lambda request: facts[_failure_kind(request)].append(request.url),
    }
    for event, listener in listeners.items():
        page.on(event, listener)
    facts["status"] = (await page.goto(host + path)).status
    await settle(page)
    return listeners, facts, finished


def _failure_kind(request) -> str:
    """ "superseded" for a frame the browser stopped loading because the slider moved on before it
    arrived (what a reader faster than the network gets: the newer frame is shown), else "failed"."""
    frame = f"/{FRAMES_URL_DIR}/" in request.url and request.resource_type == "image"
    return "superseded" if frame and request.failure == "net::ERR_ABORTED" else "failed"


def offsite(urls: list[str], host: str) -> list[str]:
    origin = "{0.scheme}://{0.netloc}/".format(urlparse(host))
    return [url for url in urls if not url.startswith((origin, "data:", "blob:"))]


async def _visit(page, path, host, focus=frozenset()):
    """One page, once, on a DPR-2 screen: on load requests, errors, typeset math and weight; its
    pictures' sharpness; then every explorer and question by keyboard, the focus rings of the
    theme's controls; axe in light mode; dark mode (axe's colour rules, the pictures' grounds); a phone."""
    listeners, facts, finished = await _open(page, host, path)
    facts["weight"] = await weight(list(finished))
    facts.update(await typeset(page))
    facts["pictures"] = await pictures(page)
    facts["explorers"] = await explorers_move(page)
    facts["questions"] = await questions_answer(page)
    if path in focus:
        facts["focus_rings"] = await focus_rings(page)
    facts["theme"] = {"light": await theme(page)}
    facts["axe"] = {"light": await serious_violations(page)}
    await switch_scheme(page, "dark")
    facts["theme"]["dark"] = await theme(page)
    facts["axe"]["dark"] = await serious_violations(page, COLOUR_RULES)
    facts["dark_pictures"] = await picture_grounds(page)
    facts["phone"] = await phone(page)
    facts["phone_text"] = await phone_text(page)
    # everything the page asked for, on load and after every check
    facts["offsite"] = offsite(list(facts["requests"]), host)
    for request in list(finished):  # answered, but not with the file (a frame missing from the site)
        response = await request.response()
        if response is not None and response.status >= 400:
            facts["failed"].append(f"{request.url} ({response.status})")
    for event, listener in listeners.items():
        page.remove_listener(event, listener)
    return facts


def audit(host: str, paths: list[str], focus: frozenset = frozenset()) -> dict[str, dict]:
    """Facts by page, for the tests in test_browser.py; the theme's focus rings on the pages in `focus`.

    `POOL` pages at a time, in tabs that open their pages one after another (`tools.browser.each_page`)."""

    async def run():
        async with chromium() as browser:
            visit = functools.partial(_visit, host=host, focus=focus)
            return await each_page(browser, paths, visit, errors=True, device_scale_factor=DPR, color_scheme="light")

    return run_async(run())


def facts_of(results: dict[str, dict], path: str) -> dict:
    """What the audit found on a page, or the test fails with why the audit could not look."""
    facts = results[path]
    if "error" in facts:
        pytest.fail(f"the audit of {path} broke off: {facts['error']}")
    return facts
