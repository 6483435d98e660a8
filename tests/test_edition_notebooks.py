"""Each edition's notebooks (`tools/edition_notebooks.py`): written from the English notebooks and the page
catalogs, code identical, every Markdown block translated with its markup, the language named; a Korean
chapter run by a real kernel speaks Korean; the Korean site's download button serves the Korean notebook.

The fast checks write every edition's notebooks into a temporary folder (a few seconds); the `book`
check reads the site `make editions` built.
"""

from __future__ import annotations

import copy
import doctest
import html
import json
import os
import re
import sys
from collections import Counter
from pathlib import Path

import nbformat
import pytest

from nudge import frames, i18n
from tools import edition_notebooks
from tools.edition_notebooks import (
    Entry,
    blocks,
    notebook_pages,
    page_catalog,
    saved_face_in,
    translate_notebook,
    write,
)

ROOT = Path(__file__).resolve().parent.parent
PAGES = notebook_pages()
#: a character of each edition's script: a block with words and none of these is English left over
SCRIPT = {"ko": re.compile(r"[\uac00-\ud7a3]"), "zh-Hans": re.compile(r"[\u4e00-\u9fff]")}
SCRIPT["zh-Hant"] = SCRIPT["zh-Hans"]
#: names a translation rightly keeps as they are (libraries, and operations named as their code names them)
NAMES = {"PyTorch", "JAX", "max", "reshape", "transpose", "gather", "scatter-add"}


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> dict[str, tuple[Path, int, list]]:
    """Every edition's notebooks, as `make edition-notebooks` writes them: tag -> (folder, notebooks, problems)."""
    into = tmp_path_factory.mktemp("notebooks")
    found = {}
    for edition in i18n.EDITIONS:
        count, _, problems = write(edition, PAGES, into / edition.tag, marker=True)
        found[edition.tag] = (into / edition.tag, count, problems)
    return found


def pairs(folder: Path):
    """(docname, English notebook, translated notebook) for every notebook page."""
    for docname in PAGES:
        english = nbformat.read(ROOT / f"{docname}.ipynb", as_version=4)
        yield docname, english, nbformat.read(folder / f"{docname}.ipynb", as_version=4)


def plain(text: str) -> str:
    """A block's words: no math, code, link targets or names."""
    text = re.sub(r"\$\$.*?\$\$|\$[^$]*\$|`[^`]*`|\]\([^)]*\)", " ", text, flags=re.S)
    return " ".join(word for word in re.split(r"[\s,;:.()，；：、。（）]+", text) if word not in NAMES)


#: the words of a displayed formula (a subscript's, `\operatorname{softmax}_\text{rows}`, is a name)
TEXT_IN_MATH = re.compile(r"(?<!_)\\text\{([^}]*)\}")

TAGS = [edition.tag for edition in i18n.EDITIONS]


def test_the_pages_are_the_books_notebooks():
    assert "chapters/01_intuition" in PAGES and "exercises/ch01_intuition/ch01_intuition" in PAGES
    assert len(PAGES) == len(list(ROOT.glob("chapters/*.ipynb"))) + 2 * len(list(ROOT.glob("solutions/ch*/*.ipynb")))


@pytest.mark.parametrize("tag", TAGS)
def test_every_notebook_is_written_with_nothing_left_out(written, tag):
    """No block lacks its translation, none is stale, and every entry of a page's catalog found its block."""
    folder, count, problems = written[tag]
    assert count == len(PAGES)
    assert not problems, "\n".join(map(str, problems))


@pytest.mark.parametrize("tag", TAGS)
def test_code_and_nbgrader_metadata_are_the_englishs(written, tag):
    """Code cells (source, metadata, outputs) are the English ones byte for byte, but for a question's saved face,
    in the edition's language; Markdown cells keep their ids and metadata, except the checksum nbgrader keeps of a
    translated cell it checks, which is that of its new text."""
    from nbgrader.utils import compute_checksum

    different = []
    for docname, english, translated in pairs(written[tag][0]):
        assert [(c.cell_type, c.get("id")) for c in translated.cells] == [
            (c.cell_type, c.get("id")) for c in english.cells
        ], docname
        for ours, theirs in zip(translated.cells, english.cells, strict=True):
            if ours.cell_type != "markdown":
                theirs = copy.deepcopy(theirs)
                for output in theirs.get("outputs", []):
                    if "text/html" in output.get("data", {}):
                        output["data"]["text/html"] = saved_face_in(output["data"]["text/html"], i18n.edition(tag))
                if ours != theirs:
                    different.append(f"{docname}, cell {ours.get('id')}")
                continue
            mine, source = dict(ours.metadata.get("nbgrader", {})), dict(theirs.metadata.get("nbgrader", {}))
            if "checksum" in mine and ours.source != theirs.source:
                assert mine.pop("checksum") == compute_checksum(ours) != source.pop("checksum"), docname
            assert mine == source, f"{docname}, cell {ours.get('id')}: nbgrader's metadata changed"
            assert {k: v for k, v in ours.metadata.items() if k != "nbgrader"} == {
                k: v for k, v in theirs.metadata.items() if k != "nbgrader"
            }
        language = {i18n.METADATA_LANGUAGE: tag}
        assert translated.metadata[i18n.METADATA] == {**english.metadata.get(i18n.METADATA, {}), **language}
        assert {k: v for k, v in translated.metadata.items() if k != i18n.METADATA} == {
            k: v for k, v in english.metadata.items() if k != i18n.METADATA
        }
    assert not different, "code cells that differ from the English:\n" + "\n".join(different)


@pytest.mark.parametrize("tag", TAGS)
def test_a_question_is_asked_in_the_editions_language_before_it_is_run(written, tag):
    """A saved, never-run question shows its prompt and how to answer in the edition's language."""
    edition, faces = i18n.edition(tag), 0
    for docname, english, translated in pairs(written[tag][0]):
        for theirs, ours in zip(questions(english), questions(translated), strict=True):
            faces += 1
            assert ours["messages"]["run_to_answer"] == i18n.gettext(theirs["messages"]["run_to_answer"], edition)
            assert ours["messages"]["run_to_answer"] != theirs["messages"]["run_to_answer"]
            assert ours["prompt"] != theirs["prompt"] or not i18n.has_words(theirs["prompt"]), (docname, ours["prompt"])
    assert faces > 20, faces


def explorer_faces(notebook: nbformat.NotebookNode) -> list[tuple[str, str]]:
    """The alt text and caption of every explorer's saved face in a notebook's outputs."""
    found = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            face = output.get("data", {}).get("text/html", "")
            if face.startswith('<figure class="nudge-explorer"'):
                [(alt, caption)] = re.findall(r'alt="([^"]*)">\s*<figcaption>(.*?)</figcaption>', face, re.S)
                found.append((html.unescape(alt), html.unescape(caption)))
    return found


@pytest.mark.parametrize("tag", TAGS)
def test_an_explorer_says_what_it_shows_in_the_editions_language_before_it_is_run(written, tag):
    edition, faces = i18n.edition(tag), 0
    preview = i18n.gettext(frames.PREVIEW, edition)
    for docname, english, translated in pairs(written[tag][0]):
        for (alt, caption), (our_alt, our_caption) in zip(
            explorer_faces(english), explorer_faces(translated), strict=True
        ):
            faces += 1
            assert our_caption.endswith(preview) and our_caption != caption, (docname, our_caption)
            assert our_alt != alt, (docname, our_alt)
    assert faces > 20, faces


@pytest.mark.parametrize("tag", TAGS)
def test_no_markdown_block_is_left_in_english(written, tag):
    """Every heading, paragraph, list item, table cell and formula with words is in the edition's script; only
    math, code, links' targets and names stay as the English has them."""
    left = []
    translated_blocks = 0
    for docname, _, translated in pairs(written[tag][0]):
        for cell in translated.cells:
            if cell.cell_type == "markdown":
                for block in blocks(cell.source):
                    words = plain(block.msgid)
                    if cell.source[: block.start].endswith("$$") or block.msgid.lstrip().startswith("\\begin"):
                        words = " ".join(TEXT_IN_MATH.findall(block.msgid))  # a formula's words are its \text{…}
                    if i18n.has_words(words) and not SCRIPT[tag].search(block.msgid):
                        left.append(f"{docname}, cell {cell.get('id')}: {block.msgid[:80]!r}")
                    translated_blocks += bool(SCRIPT[tag].search(block.msgid))
    assert not left, f"{tag}: English left in a notebook:\n" + "\n".join(left)
    assert translated_blocks > 1000


MARKUP = {
    "heading": re.compile(r"^#{1,6} ", re.M),
    "list item": re.compile(r"^\s*(?:[-*]|\d+\.) ", re.M),
    "table row": re.compile(r"^\|.*\|$", re.M),
    "display math": re.compile(r"\$\$"),
    "inline math": re.compile(r"(?<!\$)\$([^$\n]+)\$(?!\$)"),
    "link target": re.compile(r"\]\(([^)]+)\)"),
    "code": re.compile(r"`([^`]+)`"),
    "bold": re.compile(r"\*\*"),
}


#: what must be the same of each: the math, link targets and code as written; the rest as many times
SAME = {kind: (lambda found: found) if kind in ("inline math", "link target", "code") else bool for kind in MARKUP}


@pytest.mark.parametrize("tag", TAGS)
def test_markup_is_kept(written, tag):
    """Each Markdown cell has the English cell's headings, list items, table rows, math, links, code and bold."""
    wrong = []
    site = "https://nudge-book.github.io/nudge/"
    for docname, english, translated in pairs(written[tag][0]):
        for ours, theirs in zip(translated.cells, english.cells, strict=True):
            if ours.cell_type != "markdown":
                continue
            # a link into the published book leads to the edition's page
            source = theirs.source.replace(f"]({site}", f"]({site}{tag}/")
            for kind, pattern in MARKUP.items():
                if Counter(map(SAME[kind], pattern.findall(ours.source))) != Counter(
                    map(SAME[kind], pattern.findall(source))
                ):
                    wrong.append(f"{docname}, cell {ours.get('id')}: {kind}")
    assert not wrong, "markup changed:\n" + "\n".join(wrong)


@pytest.mark.parametrize("edition", i18n.EDITIONS, ids=lambda e: e.tag)
def test_each_folder_names_its_language(written, edition):
    """A kernel started anywhere in an edition's folder speaks its language (`nudge.i18n.MARKER`)."""
    folder = written[edition.tag][0]
    assert (folder / i18n.MARKER).read_text(encoding="utf-8").strip() == edition.tag
    i18n._marked.cache_clear()
    try:
        assert i18n.language(environ={}, cwd=folder / "exercises" / "ch01_intuition") == edition
        assert i18n.language(environ={}, cwd=folder / "chapters") == edition
    finally:
        i18n._marked.cache_clear()


@pytest.mark.parametrize("tag", TAGS)
def test_a_notebook_says_its_language_with_or_without_its_metadata(written, tag):
    """Every notebook of an edition is known as that edition's by its metadata, and by its Markdown alone where a
    front end dropped the metadata (Colab); an English notebook is no edition's."""
    wrong = []
    for docname, english, ours in pairs(written[tag][0]):
        bare = {**ours, "metadata": {}}
        found = (i18n.notebook_language(ours), i18n.notebook_language(bare), i18n.notebook_language(english))
        if found != (i18n.edition(tag), i18n.edition(tag), None):
            wrong.append(f"{docname}: {[e and e.tag for e in found]}")
    assert not wrong, "\n".join(wrong)


#: Colab's `google.colab._message` as its kernels have it, played by a file: `get_ipynb` answers with the notebook
#: `$STAND_IN_NOTEBOOK` names, as Colab's front end answers with the notebook it shows (none: no answer)
COLAB_STAND_IN = """
import json, os

def blocking_request(request_type, request="", timeout_sec=5, parent=None):
    assert request_type == "get_ipynb", request_type
    if not os.environ.get("STAND_IN_NOTEBOOK"):
        raise TimeoutError("the front end did not answer")
    with open(os.environ["STAND_IN_NOTEBOOK"], encoding="utf-8") as shown:
        return {"ipynb": json.load(shown)}
"""


def colab_stand_in(into: Path) -> dict:
    """A kernel's environment in which `google.colab` is imported as the kernel starts, as in Colab."""
    (into / "site" / "google" / "colab").mkdir(parents=True)
    (into / "site" / "google" / "colab" / "__init__.py").write_text("")
    (into / "site" / "google" / "colab" / "_message.py").write_text(COLAB_STAND_IN)
    (into / "ipython" / "profile_default" / "startup").mkdir(parents=True)
    (into / "ipython" / "profile_default" / "startup" / "00-colab.py").write_text("import google.colab\n")
    return {"PYTHONPATH": os.pathsep.join([str(ROOT), str(into / "site")]), "IPYTHONDIR": str(into / "ipython")}


def test_in_colab_a_korean_chapter_asks_in_korean(written, tmp_path, monkeypatch):
    """Chapter 1 in Korean, as Colab runs it: the kernel has no copy of it and no `.nudge-lang` near, Colab kept
    none of its metadata, and its front end shows it when asked; its first question speaks Korean."""
    from nbclient import NotebookClient

    for name in ("NUDGE_LANG", "NUDGE_FRAMES_DIR", "JPY_SESSION_NAME"):
        monkeypatch.delenv(name, raising=False)
    korean = nbformat.read(written["ko"][0] / f"{CHAPTER}.ipynb", as_version=4)
    korean.metadata = nbformat.from_dict({k: v for k, v in korean.metadata.items() if k != i18n.METADATA})
    shown = tmp_path / "shown.ipynb"
    nbformat.write(korean, shown)
    for name, value in {**colab_stand_in(tmp_path), "STAND_IN_NOTEBOOK": str(shown)}.items():
        monkeypatch.setenv(name, value)
    first = next(i for i, cell in enumerate(korean.cells) if questions(nbformat.v4.new_notebook(cells=[cell])))
    korean.cells = korean.cells[: first + 1]
    content = tmp_path / "content"  # Colab's working folder
    content.mkdir()
    NotebookClient(korean, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(content)}}).execute()
    asked = questions(korean)
    assert len(asked) == 1 and SCRIPT["ko"].search(asked[0]["prompt"]), asked
    assert asked[0]["messages"]["check"] == "확인"


def test_in_colab_a_front_end_that_does_not_answer_is_said(monkeypatch):
    """Where Colab's front end doesn't show the notebook, the reader is told why the words are English and how
    to choose their language; the session goes on in English."""
    import types

    from nudge import colab

    message = types.ModuleType("google.colab._message")
    message.blocking_request = lambda *args, **kwargs: (_ for _ in ()).throw(TimeoutError("no reply in 10 s"))
    package = types.ModuleType("google.colab")
    package._message = message
    monkeypatch.setitem(sys.modules, "google.colab", package)
    monkeypatch.setitem(sys.modules, "google.colab._message", message)
    monkeypatch.delenv("NUDGE_LANG", raising=False)
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    i18n._shown_in_colab.cache_clear()
    try:
        with pytest.warns(colab.ColabWarning, match=r"TimeoutError: no reply in 10 s.*NUDGE_LANG"):
            assert i18n.language(cwd=ROOT) == i18n.ENGLISH
    finally:
        i18n._shown_in_colab.cache_clear()


# --- what is not translated is said, and fails ---------------------------------------------------

CHAPTER = "chapters/01_intuition"


def broken_catalog(locale: str, docname: str) -> dict[str, Entry]:
    """Chapter 1's catalog with its title missing, a paragraph stale and a list item untranslated."""
    entries = dict(page_catalog(locale, docname))
    del entries["What a derivative measures"]
    stale = next(e for e in entries.values() if e.msgid.startswith("Nudge the input of a function"))
    entries[stale.msgid] = Entry(stale.msgid, stale.msgstr, fuzzy=True)
    empty = "say why training a neural network needs derivatives at all."
    entries[empty] = Entry(empty, "", fuzzy=False)
    entries["A sentence no cell has."] = Entry("A sentence no cell has.", "어느 셀에도 없는 문장.", fuzzy=False)
    return entries


def test_a_block_left_in_english_is_reported_and_fails(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(edition_notebooks, "page_catalog", broken_catalog)
    korean = i18n.edition("ko")
    assert edition_notebooks.run([korean], [CHAPTER], tmp_path, None, strict=True) == 1
    said = capsys.readouterr().err
    for expected in (
        "chapters/01_intuition, cell c00: not in the catalog (run `make catalogs`): 'What a derivative measures'",
        "cell c00: stale (fuzzy: its English changed): 'Nudge the input of a function",
        "cell c00: not translated: 'say why training a neural network needs derivatives at all.'",
        "cell -: in the catalog but in no Markdown cell: 'A sentence no cell has.'",
        "--allow-untranslated",
    ):
        assert expected in said
    # allowed: written, with those blocks in English and the rest translated
    assert edition_notebooks.run([korean], [CHAPTER], tmp_path, None, strict=False) == 0
    first = nbformat.read(tmp_path / "ko" / f"{CHAPTER}.ipynb", as_version=4).cells[0].source
    assert first.startswith("# What a derivative measures\n\nNudge the input of a function by a tiny amount")
    assert "- 미분을 할선들의 극한인 접선의 기울기로 그려 볼 수 있다." in first
    assert "- say why training a neural network needs derivatives at all." in first


def test_a_translation_that_changes_the_markdown_is_refused(monkeypatch):
    """A translation that would add a heading (or drop a list) is not written into the cell."""

    def catalog(locale, docname):
        entries = dict(page_catalog(locale, docname))
        title = entries["What a derivative measures"]
        entries[title.msgid] = Entry(title.msgid, title.msgstr + "\n\n## 덧붙인 제목", fuzzy=False)
        return entries

    monkeypatch.setattr(edition_notebooks, "page_catalog", catalog)
    english = nbformat.read(ROOT / f"{CHAPTER}.ipynb", as_version=4)
    result = translate_notebook(english, CHAPTER, i18n.edition("ko"))
    assert [(p.cell, p.why) for p in result.problems] == [("c00", "its translation changes the Markdown")]
    assert result.notebook.cells[0].source == english.cells[0].source


def test_bad_input_gets_a_message(capsys):
    assert edition_notebooks.main(["klingon"]) == 2
    assert "no edition of the book is in the language 'klingon'" in capsys.readouterr().err
    assert edition_notebooks.main(["en"]) == 2
    assert "English is the source" in capsys.readouterr().err
    assert edition_notebooks.main(["ko", "--toc", "nowhere.yml"]) == 2


def test_the_tools_examples_hold():
    failed, tried = doctest.testmod(edition_notebooks)
    assert tried and not failed


# --- a real kernel -------------------------------------------------------------------------------


def questions(notebook: nbformat.NotebookNode) -> list[dict]:
    """The configuration of every question a notebook's outputs show."""
    found = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            face = output.get("data", {}).get("text/html", "")
            for config in re.findall(r'data-nudge-question="([^"]*)"', face):
                found.append(json.loads(html.unescape(config)))
    return found


def test_a_korean_chapter_runs_and_asks_in_korean(written, monkeypatch):
    """The Korean chapter 1, run by a kernel started in its folder (no NUDGE_LANG): its questions speak Korean."""
    from nbclient import NotebookClient

    monkeypatch.delenv("NUDGE_LANG", raising=False)
    monkeypatch.delenv("NUDGE_FRAMES_DIR", raising=False)
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    folder = written["ko"][0] / "chapters"
    notebook = nbformat.read(folder / "01_intuition.ipynb", as_version=4)
    where = {"metadata": {"path": str(folder)}}
    NotebookClient(notebook, timeout=300, kernel_name="python3", resources=where).execute()
    asked = questions(notebook)
    english = questions(nbformat.read(ROOT / f"{CHAPTER}.ipynb", as_version=4))
    assert len(asked) == len(english) > 0
    for korean, source in zip(asked, english, strict=True):
        assert korean["id"] == source["id"]  # the same question
        assert SCRIPT["ko"].search(korean["prompt"]) and not SCRIPT["ko"].search(source["prompt"])
        assert korean["messages"]["check"] == "확인"


# --- grading --------------------------------------------------------------------------------------


def test_a_korean_submission_gets_the_english_points(written, tmp_path):
    """One class graded from the English source (its gradebook): the same answers get the same points whether a
    student wrote them into the Korean student notebook or the English one."""
    import csv

    from tools import simulate_class as sim

    assignment = "ch01_intuition"
    course = tmp_path / "course"
    english_released = nbformat.read(sim.make_course(course, assignment), as_version=4)
    english = nbformat.read(ROOT / "solutions" / assignment / f"{assignment}.ipynb", as_version=4)
    folder = written["ko"][0]
    korean = nbformat.read(folder / "solutions" / assignment / f"{assignment}.ipynb", as_version=4)
    korean_released = nbformat.read(folder / "exercises" / assignment / f"{assignment}.ipynb", as_version=4)
    assert korean_released.cells[0].source.startswith("# 연습문제")  # the Korean student notebook
    exercises = sorted(sim.points(english))
    right = dict.fromkeys(exercises, "correct")
    partly = {exercise: "correct" if exercise in ("1.1", "1.3") else "wrong" for exercise in exercises}
    roster = {
        "koright": sim.submission(korean, korean_released, right),
        "kopartly": sim.submission(korean, korean_released, partly),
        "enpartly": sim.submission(english, english_released, partly),
        "koblank": sim.submission(korean, korean_released, {}),
        "enblank": sim.submission(english, english_released, {}),
    }
    sim.write_class(course, assignment, roster)
    sim.nbgrader(course, "zip_collect", assignment)
    sim.nbgrader(course, "autograde", assignment)
    sim.nbgrader(course, "export", "--to", "grades.csv")
    with open(course / "grades.csv", newline="") as handle:
        scores = {row["student_id"]: float(row["score"]) for row in csv.DictReader(handle)}
    assert scores["koright"] == sim.expected_autograde(english, right) > 0
    assert scores["kopartly"] == scores["enpartly"] == sim.expected_autograde(english, partly) > 0
    assert scores["kopartly"] < scores["koright"]
    # a written answer left as handed out scores 0 by itself in any language, as nbgrader does in English
    from nbgrader.api import Gradebook

    written_ids = [c.metadata["nbgrader"]["grade_id"] for c in english_released.cells
                   if c.cell_type == "markdown" and c.metadata.get("nbgrader", {}).get("solution")]  # fmt: skip
    assert written_ids
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        for student in ("koblank", "enblank", "kopartly"):
            for grade_id in written_ids:
                grade = gradebook.find_grade(grade_id, assignment, assignment, student)
                unanswered = student != "kopartly"
                assert (grade.auto_score, grade.needs_manual_grade) == ((0, False) if unanswered else (None, True)), (
                    student,
                    grade_id,
                )


# --- the built site ------------------------------------------------------------------------------


def download_link(page: Path) -> str:
    """Where a page's download button for its notebook points (sphinx-book-theme: `_sources/<docname>.ipynb`)."""
    found = re.findall(r'href="([^"]*_sources/[^"]+\.ipynb)"', page.read_text(encoding="utf-8"))
    assert len(set(found)) == 1, f"{page}: download links {found}"
    return found[0]


@pytest.mark.book
@pytest.mark.parametrize("edition", i18n.EDITIONS, ids=lambda e: e.tag)
def test_an_editions_download_button_gives_its_notebook(edition):
    page = ROOT / "_build" / "html" / edition.tag / "chapters" / "01_intuition.html"
    if not page.is_file():
        pytest.fail(f"no {edition.tag} edition in _build/html: run `make editions` (`make test` does)")
    served = nbformat.read(page.parent / download_link(page), as_version=4)
    assert served.metadata[i18n.METADATA][i18n.METADATA_LANGUAGE] == edition.tag
    title = served.cells[0].source.splitlines()[0]
    assert title == "# " + page_catalog(edition.locale, CHAPTER)["What a derivative measures"].msgstr
    english_page = ROOT / "_build" / "html" / "chapters" / "01_intuition.html"
    english = nbformat.read(english_page.parent / download_link(english_page), as_version=4)
    assert english.cells[0].source.startswith("# What a derivative measures") and "nudge" not in english.metadata
