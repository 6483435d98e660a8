"""The translated editions: catalogs, glossary, the words code shows, search, and one page in a browser.

Fast checks read the catalogs (`locales/`, `nudge/locales/`) and the glossary; the `book` checks
read the editions `make editions` built into `_build/html/<tag>/`; one `browser` check reads the
Korean chapter 1 in chromium. A published page (`locales/published.yml`) must be translated
completely, with nothing stale; the build itself warns (and so fails) on a paragraph of a
published page left in English (`_ext/nudge_editions.py`).
"""

from __future__ import annotations

import functools
import json
import re
import subprocess
from collections import Counter
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po

from nudge import i18n
from nudge.questions import ask
from tools.catalogs import PUBLISHED, checks_template, runtime_template

ROOT = Path(__file__).resolve().parent.parent
LOCALES = [edition.locale for edition in i18n.EDITIONS]
GLOSSARY = yaml.safe_load((ROOT / "locales" / "glossary.yml").read_text(encoding="utf-8"))
PUBLISHED_PAGES = yaml.safe_load(PUBLISHED.read_text(encoding="utf-8"))


@functools.cache
def read(path: Path, locale: str) -> tuple:
    with open(path, "rb") as source:
        return tuple(m for m in read_po(source, locale=locale, abort_invalid=True) if m.id)


def page_catalogs(locale: str) -> dict[str, Path]:
    folder = ROOT / "locales" / locale / "LC_MESSAGES"
    return {po.relative_to(folder).with_suffix("").as_posix(): po for po in sorted(folder.rglob("*.po"))}


def published_entries(locale: str) -> list[tuple[str, object]]:
    """Every entry a reader of a published page of `locale` meets: its page catalogs and the runtime
    entries of the package's own words and of the published pages' code."""
    pages = PUBLISHED_PAGES[locale]
    entries = [(docname, m) for docname in pages for m in read(page_catalogs(locale)[docname], locale)]
    for message in read(i18n.catalog_path(locale), locale):
        places = {where.removesuffix(".ipynb") for where, _ in message.locations}
        if any(place.startswith("nudge/") or place in pages for place in places):
            entries.append(("runtime", message))
    return entries


def checks_catalog(locale: str) -> Path:
    return i18n.catalog_path(locale, i18n.CHECKS_DOMAIN)


def all_translated(locale: str) -> list[tuple[str, object]]:
    catalogs = [
        *page_catalogs(locale).items(),
        ("runtime", i18n.catalog_path(locale)),
        ("checks", checks_catalog(locale)),
    ]
    return [(name, m) for name, po in catalogs for m in read(po, locale) if m.string and not m.fuzzy]


# --- catalog health --------------------------------------------------------------------------------


@pytest.mark.parametrize("locale", LOCALES)
def test_every_published_page_has_a_catalog(locale):
    missing = set(PUBLISHED_PAGES[locale]) - set(page_catalogs(locale))
    assert not missing, f"published but no catalog (run `python -m tools.catalogs`): {sorted(missing)}"


@pytest.mark.parametrize("locale", LOCALES)
def test_published_pages_are_translated_and_none_is_stale(locale):
    untranslated = [f"{where}: {m.id[:60]!r}" for where, m in published_entries(locale) if not m.string]
    stale = [f"{where}: {m.id[:60]!r}" for where, m in published_entries(locale) if m.fuzzy]
    assert not untranslated, f"{locale}: untranslated in a published page:\n" + "\n".join(untranslated)
    assert not stale, (
        f"{locale}: stale (fuzzy: its English changed) in a published page; check the translation against the"
        " new English and remove the `fuzzy` flag:\n" + "\n".join(stale)
    )


@pytest.fixture(scope="module")
def runtime_source() -> set[str]:
    return {m.id for m in runtime_template() if m.id}


@pytest.mark.parametrize("locale", LOCALES)
def test_the_runtime_catalog_is_up_to_date_with_the_source(locale, runtime_source):
    """Every text code shows a reader (`ask`, `explore`, the tables of words) has its entry, and no entry is left
    whose English is gone: `python -m tools.catalogs` was run after the English changed."""
    source = runtime_source
    catalog = {m.id for m in read(i18n.catalog_path(locale), locale)}
    assert source - catalog == set(), "new English: run `python -m tools.catalogs`"
    assert catalog - source == set(), "English that is gone: run `python -m tools.catalogs`"


@pytest.fixture(scope="module")
def checks_source() -> set[str]:
    return {m.id for m in checks_template() if m.id}


@pytest.mark.parametrize("locale", LOCALES)
def test_the_checks_catalog_is_up_to_date_with_the_source(locale, checks_source):
    """Every template a check can show a student (`Problem`, `Message` in `nudge/checks/`, a check cell's `hint=`)
    has its entry, and none is left whose English is gone."""
    catalog = {m.id for m in read(checks_catalog(locale), locale)}
    assert checks_source - catalog == set(), "new English: run `python -m tools.catalogs`"
    assert catalog - checks_source == set(), "English that is gone: run `python -m tools.catalogs`"


@pytest.mark.parametrize("locale", LOCALES)
def test_every_check_message_is_translated_and_none_is_stale(locale):
    """A student of any edition may meet any check's sentence: the whole checks catalog is translated."""
    entries = read(checks_catalog(locale), locale)
    untranslated = [repr(m.id[:70]) for m in entries if not m.string]
    stale = [repr(m.id[:70]) for m in entries if m.fuzzy]
    assert not untranslated, f"{locale}: {len(untranslated)} untranslated check messages:\n" + "\n".join(untranslated)
    assert not stale, f"{locale}: stale (fuzzy) check messages; check them and remove the flag:\n" + "\n".join(stale)


@pytest.mark.parametrize("locale", LOCALES)
def test_a_check_messages_translation_keeps_its_fields_and_its_code(locale):
    """The same `{field}` names (a translation may reorder them and drop a format spec) and the same `code`."""
    wrong = []
    for m in read(checks_catalog(locale), locale):
        if not m.string:
            continue
        try:
            fields = set(i18n.field_names(m.string))
        except ValueError as exc:
            wrong.append(f"{m.id[:60]!r}: {exc}")
            continue
        if fields != set(i18n.field_names(m.id)):
            wrong.append(f"{m.id[:60]!r}: fields {sorted(i18n.field_names(m.id))} became {sorted(fields)}")
        if markup(m.id, "code") != markup(m.string, "code"):
            wrong.append(f"{m.id[:60]!r}: code {dict(markup(m.id, 'code'))} became {dict(markup(m.string, 'code'))}")
    assert not wrong, f"{locale}: check messages whose translation changed a field or code:\n" + "\n".join(wrong)


# --- markup preserved -------------------------------------------------------------------------------

INLINE_MATH = re.compile(r"(?<!\$)\$([^$]+)\$(?!\$)")
MARKUP = {
    "inline math": INLINE_MATH,
    "role": re.compile(r"\{[\w:-]+\}`"),
    "label": re.compile(r"^\([\w.:-]+\)=", re.M),
    "link target": re.compile(r"\]\(([^)]+)\)"),
    "code": re.compile(r"`([^`]+)`"),
    "bold": re.compile(r"\*\*"),
    "field": re.compile(r"(?<!\{)\{(\w+)(?:![rsa])?(?::[^{}]*)?\}"),  # a spec ({length:.4g}) may be dropped
}


#: a role with a title of its own ({ref}`chapter 1 <ch-intuition>`): the title is words, translated
TITLED_ROLE = re.compile(r"(\{[\w:-]+\}`)[^`<]*<([^>`]+)>`")


def markup(text: str, kind: str) -> Counter:
    pattern = MARKUP[kind]
    if kind == "field" and "\\" in text:  # TeX's braces are not fields
        return Counter()
    return Counter(pattern.findall(TITLED_ROLE.sub(r"\1<\2>`", text)))


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("kind", MARKUP)
def test_markup_is_the_same_in_every_translation(locale, kind):
    """Math, roles, labels, link targets, code, bold and message fields: the same, as often, in msgid and msgstr."""
    wrong = [
        f"{where}: {m.id[:70]!r}: {dict(markup(m.id, kind))} became {dict(markup(m.string, kind))}"
        for where, m in all_translated(locale)
        if markup(m.id, kind) != markup(m.string, kind)
    ]
    assert not wrong, f"{kind} changed in translation:\n" + "\n".join(wrong)


LINK = re.compile(r"\[([^\]]*)\]\(([^)]+)\)")


@pytest.mark.parametrize("locale", LOCALES)
def test_a_links_words_are_translated(locale):
    """A link keeps its target and translates its words: not the English phrase ("chapter 1"), nor a
    label's name ("sec-best-step") where a role used to be. A name (nbgrader, sympy) stays as written."""
    wrong = []
    for where, m in all_translated(locale):
        english = {target: text for text, target in LINK.findall(m.id)}
        for text, target in LINK.findall(m.string):
            copied = text == english.get(target) and " " in text.strip() and i18n.has_words(text)
            if copied or re.fullmatch(r"(ch|sec|ex|sol)-[\w-]+", text):
                wrong.append(f"{where}: [{text}]({target})")
    assert not wrong, "links whose words are not translated:\n" + "\n".join(wrong)


@pytest.mark.parametrize("locale", ["zh_CN", "zh_TW"])
def test_chinese_uses_full_width_punctuation(locale):
    """Outside math and code a Chinese sentence ends with 。？！：； and separates with ，、, not ASCII marks."""
    ascii_marks = re.compile(r"(?<=[\u4e00-\u9fff])[,.;:?!]|[,;:?!](?=[\u4e00-\u9fff])")
    wrong = [
        f"{where}: {m.string[:70]!r}"
        for where, m in all_translated(locale)
        if ascii_marks.search(re.sub(r"\$[^$]*\$|`[^`]*`|\]\([^)]*\)", "", m.string))
    ]
    assert not wrong, "ASCII punctuation between Chinese words:\n" + "\n".join(wrong)


# --- the glossary ------------------------------------------------------------------------------------


def plain(text: str) -> str:
    """English as read: no math, no code or role (`loss.backward()`), no link targets, no message fields (`{limit}`)."""
    return re.sub(r"\$[^$]*\$|`[^`]*`|\]\([^)]*\)|\{\w+\}|[*\[\]]", " ", text)


def glossary_misses(english: str, translated: str, locale: str, exceptions: str = "") -> list[str]:
    """The glossary terms `english` holds whose rendering in `locale` `translated` lacks.

    >>> glossary_misses("The slope of the tangent", "접선의 기울기", "ko")
    []
    >>> glossary_misses("The derivative", "그 값", "ko")
    ['derivative']
    """
    text = plain(english).lower()
    misses = []
    for term in sorted(GLOSSARY["terms"], key=len, reverse=True):  # "partial derivative" before "derivative"
        pattern = re.compile(rf"\b{re.escape(term)}(s|es)?\b")
        if not pattern.search(text):
            continue
        text = pattern.sub(" ", text)
        if f"glossary-exception: {term}" in exceptions:
            continue
        if not any(word in translated for word in GLOSSARY["terms"][term][locale]):
            misses.append(term)
    return misses


@pytest.mark.parametrize("locale", LOCALES)
def test_translations_use_the_glossarys_terms(locale):
    wrong = []
    for where, m in all_translated(locale):
        misses = glossary_misses(m.id, m.string, locale, "\n".join(m.user_comments))
        if misses:
            wanted = "; ".join(f"{t} → {' or '.join(GLOSSARY['terms'][t][locale])}" for t in misses)
            wrong.append(f"{where}: {m.string[:60]!r} lacks {wanted}")
    assert not wrong, (
        "a translation without the glossary's term (or a `# glossary-exception: term (why)` comment):\n"
        + "\n".join(wrong)
    )


def test_every_glossary_term_has_every_language():
    incomplete = [term for term, entry in GLOSSARY["terms"].items() if any(not entry.get(loc) for loc in LOCALES)]
    assert not incomplete


#: characters only one of the two scripts writes (a few common ones: a converted text gives itself away)
SIMPLIFIED_ONLY = set("们这来说时为过对还导数学习网络计经处误确实际题选择显输应该将与从发现")
TRADITIONAL_ONLY = set("們這來說時為過對還導數學習網絡計經處誤確實際題選擇顯輸應該將與從發現")


def test_traditional_chinese_is_written_as_taiwan_writes_it():
    usage = GLOSSARY["zh_TW_usage"]
    wrong = []
    for where, m in all_translated("zh_TW"):
        simplified = SIMPLIFIED_ONLY & set(m.string)
        mainland = [f"{word} (Taiwan: {taiwan})" for word, taiwan in usage.items() if word in m.string]
        if simplified or mainland:
            wrong.append(f"{where}: {m.string[:50]!r}: {''.join(sorted(simplified))} {', '.join(mainland)}")
    assert not wrong, "zh_TW: Simplified characters or mainland usage:\n" + "\n".join(wrong)


def test_simplified_chinese_has_no_traditional_characters():
    wrong = [f"{where}: {m.string[:50]!r}" for where, m in all_translated("zh_CN") if TRADITIONAL_ONLY & set(m.string)]
    assert not wrong


# --- the words code shows, in Jupyter and on the site ------------------------------------------------


def korean_question():
    """Chapter 1's question on $1/w$, made by its own cell (the one with options)."""
    import nbformat

    chapter = nbformat.read(ROOT / "chapters" / "01_intuition.ipynb", as_version=4)
    (source,) = [
        c.source for c in chapter.cells if c.cell_type == "code" and "choices=" in c.source and "1/w" in c.source
    ]
    scope = {"ask": ask}
    exec(compile(f"question = {source.strip()}", "chapter 1", "exec"), scope)
    return scope["question"]


def test_a_question_speaks_the_language_nudge_lang_names(monkeypatch):
    monkeypatch.setenv("NUDGE_LANG", "ko")
    config = korean_question().localised_config()
    assert config["prompt"].startswith("\\(w = 2\\)에서")
    assert config["messages"]["check"] == "확인"
    assert config["answer"] == config["options"][0]["html"]  # the right option's words, in Korean
    assert config["id"] == korean_question().config()["id"]  # the same question in every edition


def test_an_editions_folder_names_its_language(tmp_path, monkeypatch):
    monkeypatch.delenv("NUDGE_LANG", raising=False)
    (tmp_path / i18n.MARKER).write_text("zh-Hant\n")
    (tmp_path / "chapters").mkdir()
    assert i18n.language(cwd=tmp_path / "chapters") == i18n.edition("zh_TW")
    (tmp_path / i18n.MARKER).write_text("klingon")
    i18n._marked.cache_clear()
    with pytest.raises(ValueError, match="no edition of the book is in the language 'klingon'"):
        i18n.language(cwd=tmp_path)
    i18n._marked.cache_clear()


def test_a_notebook_downloaded_alone_speaks_the_language_its_metadata_names(tmp_path):
    """No `.nudge-lang` beside it and no NUDGE_LANG: Jupyter Server names the notebook, whose metadata says ko."""
    import nbformat

    notebook = nbformat.v4.new_notebook(metadata={i18n.METADATA: {i18n.METADATA_LANGUAGE: "ko"}})
    path = tmp_path / "01_intuition.ipynb"
    nbformat.write(notebook, path)
    session = {"JPY_SESSION_NAME": str(path)}
    assert i18n.language(session, cwd=tmp_path) == i18n.edition("ko")
    assert i18n.language({**session, "NUDGE_LANG": "zh-Hans"}, cwd=tmp_path) == i18n.edition("zh_CN")  # asked for
    nbformat.write(nbformat.v4.new_notebook(), path)  # an English notebook names none
    assert i18n.language(session, cwd=tmp_path) == i18n.ENGLISH
    notebook.metadata[i18n.METADATA][i18n.METADATA_LANGUAGE] = "klingon"
    nbformat.write(notebook, path)
    with pytest.raises(ValueError, match=r"01_intuition.ipynb, metadata.nudge.language: no edition .* 'klingon'"):
        i18n.language(session, cwd=tmp_path)


def test_english_is_the_source_and_stays_as_it_is(monkeypatch):
    monkeypatch.setenv("NUDGE_LANG", "en")
    question = korean_question()
    assert question.localised_config() == question.config()


def test_the_site_translates_a_question_as_jupyter_does(monkeypatch):
    """`nudge-i18n.js` on the English configuration, with the site's catalog, gives what Python gives in Jupyter."""
    monkeypatch.delenv("NUDGE_LANG", raising=False)
    english = korean_question().config()
    words = i18n.site_catalog("ko")
    module = (ROOT / "nudge" / "web" / "nudge-i18n.js").as_uri()
    script = (
        f"import {{ localise }} from {json.dumps(module)};"
        f"process.stdout.write(JSON.stringify(localise({json.dumps(english)}, {json.dumps(words)})));"
    )
    # on standard input: a whole catalog is longer than one command-line argument may be (128 KiB)
    done = subprocess.run(["node", "--input-type=module"], input=script, capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == i18n.localise(english, i18n.edition("ko"))


# --- the built editions ---------------------------------------------------------------------------------

#: words a reader searches for, per edition, and the page each must find (extend as chapters are published)
SEARCHED = {
    "ko": {
        "미분": "chapters/01_intuition",
        "편미분": "chapters/01_intuition",
        "할선": "chapters/01_intuition",
        "야코비안": "chapters/08_jacobians",
    },
    "zh-Hans": {
        "导数": "chapters/01_intuition",
        "偏导数": "chapters/01_intuition",
        "割线": "chapters/01_intuition",
        "梯度": "chapters/04_partials",
        "雅可比": "chapters/08_jacobians",
    },
    "zh-Hant": {
        "導數": "chapters/01_intuition",
        "偏導數": "chapters/01_intuition",
        "割線": "chapters/01_intuition",
        "梯度": "chapters/04_partials",
        "雅可比": "chapters/08_jacobians",
    },
}


def search_index(tag: str) -> dict:
    path = ROOT / "_build" / "html" / tag / "searchindex.js"
    if not path.is_file():
        pytest.fail(f"no {tag} edition in _build/html/{tag}: run `make editions` (`make test` does)")
    text = path.read_text(encoding="utf-8")
    return json.loads(text[text.index("(") + 1 : text.rindex(")")])


@pytest.mark.book
@pytest.mark.parametrize("tag", SEARCHED)
def test_each_editions_search_finds_its_words(tag):
    index = search_index(tag)

    def found(word):
        pages = set()
        for kind in ("terms", "titleterms"):
            hits = index[kind].get(word, [])
            pages |= {index["docnames"][i] for i in ([hits] if isinstance(hits, int) else hits)}
        return pages

    missing = {word: page for word, page in SEARCHED[tag].items() if page not in found(word)}
    assert not missing, f"{tag}: searching these finds no such page: {missing}"


def test_a_korean_word_is_found_without_its_particle():
    from nudge_editions import SearchKorean

    korean = SearchKorean({})
    assert {korean.stem(w) for w in korean.split("미분은 미분을 미분의 미분하면")} == {"미분"}


@pytest.mark.book
@pytest.mark.parametrize("edition", i18n.EDITIONS, ids=lambda e: e.tag)
def test_each_edition_says_its_language_and_links_the_others(edition):
    page = ROOT / "_build" / "html" / edition.tag / "chapters" / "01_intuition.html"
    html = page.read_text(encoding="utf-8")
    assert f'<html lang="{edition.tag}"' in html
    for other in (i18n.ENGLISH, *i18n.EDITIONS):
        assert f'hreflang="{other.tag}"' in html
    assert (page.parent.parent / "_static" / f"nudge-messages.{edition.tag}.json").is_file()


@pytest.mark.book
@pytest.mark.parametrize("edition", i18n.EDITIONS, ids=lambda e: e.tag)
def test_each_editions_404_page_speaks_its_language_and_leads_to_its_contents(edition):
    from bs4 import BeautifulSoup

    text = (ROOT / "_build" / "html" / edition.tag / "404.html").read_text(encoding="utf-8")
    page = BeautifulSoup(text, "html.parser")
    section = page.select_one("#page-not-found")
    assert section.h1.get_text() == i18n.gettext(i18n.NOT_FOUND["title"], edition) != i18n.NOT_FOUND["title"]
    english = [w for w in i18n.NOT_FOUND.values() if w.split("{")[0] in section.get_text()]
    assert not english, f"{edition.tag}: the 404 page still says {english}"
    home = section.find("a", string=i18n.gettext(i18n.NOT_FOUND["contents"], edition))
    assert home["href"].endswith(f"/{edition.tag}/intro.html"), home
    assert section.form["action"].endswith(f"/{edition.tag}/search.html")


@pytest.mark.browser
@pytest.mark.parametrize("edition", i18n.EDITIONS, ids=lambda e: e.tag)
def test_a_missing_address_in_an_edition_shows_that_editions_404_page(visit, edition):
    """GitHub Pages (and `tools.site`) serve the site's one 404.html for any missing address."""
    page = visit(f"{edition.tag}/chapters/nope.html")
    page.wait_for_url(re.compile(re.escape(f"/{edition.tag}/404.html") + "$"))
    heading = page.locator("article h1")
    heading.wait_for()
    assert heading.inner_text() == i18n.gettext(i18n.NOT_FOUND["title"], edition)
    page.get_by_role("link", name=i18n.gettext(i18n.NOT_FOUND["contents"], edition)).click()
    page.wait_for_url(re.compile(re.escape(f"/{edition.tag}/intro.html") + "$"))
    assert page.locator("html").get_attribute("lang") == edition.tag


@pytest.mark.browser
@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}], ids=["desktop", "phone"]
)
def test_the_language_switcher_sits_in_the_header_row_in_view(visit, viewport):
    page = visit("ko/chapters/01_intuition.html")
    page.set_viewport_size(viewport)
    switcher = page.locator("details.nudge-editions > summary").bounding_box()
    buttons = page.locator(".article-header-buttons").bounding_box()
    assert switcher["y"] >= 0 and 0 <= switcher["x"] and switcher["x"] + switcher["width"] <= viewport["width"], (
        switcher
    )
    on_one_row = switcher["y"] < buttons["y"] + buttons["height"] and buttons["y"] < switcher["y"] + switcher["height"]
    assert on_one_row, f"the switcher {switcher} is not on the row of the header's buttons {buttons}"


@pytest.mark.browser
def test_the_korean_chapter_runs_in_korean_offline(visit):
    """Korean chapter 1: no console error, a slider moves, a question answers in Korean, the switcher leads to
    the English page."""
    page = visit("ko/chapters/01_intuition.html")
    assert not page.console_errors
    assert all(r.url.startswith(page.url.split("/ko/")[0]) or r.url.startswith("data:") for r in page.requests)
    explorer = page.locator("figure.nudge-explorer").first
    image = explorer.locator("img.nudge-frame")
    before = image.get_attribute("src")
    explorer.locator("input[type=range]").first.press("ArrowRight")
    page.wait_for_function("(before) => document.querySelector('figure.nudge-explorer img').src !== before", arg=before)
    assert "(" in image.get_attribute("alt") and "x의 세제곱" in image.get_attribute("alt")
    question = page.locator("div.nudge-question").nth(0)  # the nudge ratio of $w^2$
    question.locator("input.nudge-q-input").fill("6")
    question.locator("button.nudge-q-check").click()
    feedback = question.locator(".nudge-q-feedback")
    feedback.wait_for(state="visible")
    page.wait_for_function("(el) => el.textContent.length > 0", arg=feedback.element_handle())
    assert "ε이 줄어들 때" in feedback.text_content()  # the author's hint for 6, in Korean
    assert question.locator("button.nudge-q-check").text_content() == "확인"
    page.locator("details.nudge-editions summary").click()
    page.locator('details.nudge-editions a[hreflang="en"]').click()
    page.wait_for_load_state()
    assert page.url.endswith("/chapters/01_intuition.html") and "/ko/" not in page.url
    assert page.locator("html").get_attribute("lang") == "en"


@pytest.mark.browser
def test_a_sliders_readout_names_its_slider_in_the_editions_words(visit):
    """Korean chapter 7: the step slider says "단계 = …", on screen, to a screen reader and in the frame's alt text."""
    page = visit("ko/chapters/07_gradient_descent.html")
    step = i18n.gettext("step", i18n.edition("ko"))
    assert step != "step"
    figure = page.locator("figure.nudge-explorer").filter(has=page.locator(f'input[aria-valuetext^="{step} = "]')).first
    slider = figure.locator(f'input[aria-valuetext^="{step} = "]')
    before = slider.get_attribute("aria-valuetext")
    slider.press("ArrowLeft")
    page.wait_for_function(
        "([el, was]) => el.getAttribute('aria-valuetext') !== was", arg=[slider.element_handle(), before]
    )
    said = slider.get_attribute("aria-valuetext")
    assert said.startswith(f"{step} = ")
    assert figure.locator(f'output[for="{slider.get_attribute("id")}"]').inner_text() == said
    page.wait_for_function(
        "([img, said]) => img.alt.includes(said)", arg=[figure.locator("img.nudge-frame").element_handle(), said]
    )
    assert "step =" not in figure.locator("img.nudge-frame").get_attribute("alt")
    assert not page.console_errors


@pytest.mark.book
@pytest.mark.parametrize("edition", i18n.EDITIONS, ids=lambda e: e.tag)
def test_a_solution_pages_check_lines_speak_the_editions_language(edition):
    """The solutions were executed once, in English; each edition shows their ✓ lines in its language
    (`nudge.site_outputs` renders each line's message data as the edition is built)."""
    from bs4 import BeautifulSoup
    from test_edition_notebooks import SCRIPT

    def check_lines(site: Path) -> list[str]:
        page = site / "solutions" / "ch04_partials" / "ch04_partials.html"
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        return [
            pre.get_text().strip() for pre in soup.select("div.output pre") if pre.get_text().startswith(("✓", "✗"))
        ]

    english, translated = check_lines(ROOT / "_build" / "html"), check_lines(ROOT / "_build" / "html" / edition.tag)
    assert english and not any(SCRIPT[edition.tag].search(line) for line in english), english
    assert len(translated) == len(english), (english, translated)
    left = [line for line in translated if not SCRIPT[edition.tag].search(line)]
    assert not left, f"{edition.tag}: check lines still in English: {left}"
    # and the fold around each answer says its words in the edition's language too
    page = ROOT / "_build" / "html" / edition.tag / "solutions" / "ch04_partials" / "ch04_partials.html"
    folds = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select("details.hide summary")
    assert folds and all(SCRIPT[edition.tag].search(fold.get_text()) for fold in folds), [f.get_text() for f in folds]


def shown_words(page: Path) -> set[str]:
    """Every text and attribute value a page shows or names (no script or style)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    for hidden in soup.select("script, style"):
        hidden.decompose()
    texts = {text.strip() for text in soup.find_all(string=True)}
    return texts | {
        value for element in soup.find_all(True) for value in element.attrs.values() if isinstance(value, str)
    }


@pytest.mark.book
@pytest.mark.parametrize("edition", i18n.EDITIONS, ids=lambda e: e.tag)
def test_the_themes_words_around_a_page_speak_the_editions_language(edition):
    """The skip link, back-to-top, colour modes, page links and search field the themes put around every page."""
    from tools.catalogs import THEME_WORDS

    words = (*THEME_WORDS, i18n.SEARCH_BAR)
    english = shown_words(ROOT / "_build" / "html" / "chapters" / "01_intuition.html")
    assert {"Skip to main content", "Back to top", i18n.SEARCH_BAR} <= english  # what the check looks for is there
    shown = shown_words(ROOT / "_build" / "html" / edition.tag / "chapters" / "01_intuition.html")
    assert not sorted(word for word in words if word in shown)
