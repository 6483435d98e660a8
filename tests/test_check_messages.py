"""What a check tells a student is a template the catalogs hold, shown in the student's language.

`nudge.i18n.Message` renders a template in a language, `tools.catalogs` collects every template of
`nudge/checks/` (and refuses an f-string), and `report` shows a line with its message's data in a
Jupyter kernel. The English of every line is held by the checks' own tests.
"""

from __future__ import annotations

import io
import os
import textwrap

import nbformat
import pytest
import sympy
from nbclient import NotebookClient

from conftest import ROOT
from nudge import i18n
from nudge.checks import CheckFailed, verdict_close, verdict_number, verdict_unit_direction
from nudge.checks.api import Problem, as_number, register
from nudge.checks.report import CHECKS, VERDICTS, report
from nudge.i18n import ENGLISH, MESSAGE_MIME, Message
from tools.catalogs import CHECKS_SOURCES, NotTranslatable, check_templates, checks_template

KOREAN = i18n.edition("ko")

#: a made-up Korean checks catalog (the real one is the translators'): fields reordered, a spec dropped
FAKE = {
    "{name}: expected {kind}, got the text {text}.": "{name}: 텍스트 {text}를 받았다. {kind}이어야 한다.",
    "a number like 6.0": "6.0 같은 수",
    "{name} has length {length:.4g}, and a unit vector has length 1; it is not along {along} either.": (
        "{name}의 길이는 {length}이다."
    ),
    "✗ {message}": "✗ {message}",
    "{name} is too large.": "{nmae}가 너무 크다.",  # a misspelt field: the English is shown instead
}


@pytest.fixture
def korean(monkeypatch):
    """The session speaks Korean, with `FAKE` as its checks catalog."""
    real = i18n.catalog

    def catalog(locale, domain=i18n.DOMAIN):
        return FAKE if (locale, domain) == ("ko", i18n.CHECKS_DOMAIN) else real(locale, domain)

    monkeypatch.setattr(i18n, "catalog", catalog)
    monkeypatch.setenv("NUDGE_LANG", "ko")


# --- every template is a literal the catalog can hold ------------------------------------------------


def test_every_problem_and_message_of_the_checks_has_a_literal_template():
    found = 0
    for path in sorted(ROOT.glob(CHECKS_SOURCES)):
        found += len(list(check_templates(path.read_text(encoding="utf-8"), path.name)))  # raises on a bad one
    assert found > 300


@pytest.mark.parametrize(
    ("source", "said"),
    [
        ('raise Problem(f"{name} is too large.")', r"m\.py:2: Problem\(\.\.\.\) takes a literal template.*f-string"),
        ("x = Message(sentence, name=name)", r"m\.py:2: Message\(\.\.\.\) takes a literal template.*not sentence"),
        ('raise Problem("{name} is " + size, name=name)', r"m\.py:2: Problem\(\.\.\.\).*not '\{name\} is ' \+ size"),
        ("raise Problem()", r"m\.py:2: Problem\(\.\.\.\) takes its template as its first argument"),
    ],
)
def test_an_f_string_or_a_computed_template_is_refused_with_its_place(source, said):
    with pytest.raises(NotTranslatable, match=said):
        list(check_templates(f"import x\n{source}\n", "m.py"))


def test_problems_own_forwarding_of_its_template_is_not_a_template():
    source = textwrap.dedent("""
        class Problem(Exception):
            def __init__(self, template: str, /, **fields):
                self.message = Message(template, **fields)

        def elsewhere(template):
            return Message(template)
    """)
    with pytest.raises(NotTranslatable, match=r"m\.py:7: "):
        list(check_templates(source, "m.py"))


def test_the_catalogs_template_holds_the_checks_words_and_the_check_cells_hints():
    ids = {m.id for m in checks_template() if m.id}
    assert "{name} is the zero vector; a direction is a vector of length 1." in ids
    assert {"forward", "backward", "central", "✓ {message}", "✗ A graded test of {name} failed: {message}"} <= ids
    assert "dV = Aᵀ G: shaped like V." in ids  # a hint= of chapter 10's check cells


def test_a_checker_that_returns_a_string_is_its_authors_mistake():
    @register
    def verdict_plain(value, name):
        return f"{name} is fine."

    try:
        with pytest.raises(TypeError, match="verdict_plain must return a nudge.checks.api.Message, got str"):
            verdict_plain(1.0, "k")
    finally:
        del VERDICTS["plain"], CHECKS["plain"]


# --- rendering in a language --------------------------------------------------------------------------


def test_english_is_the_template_with_its_fields():
    message = Message("{name} has length {length:.4g} ({kind}).", name="v", length=2**0.5, kind=Message("a vector"))
    assert message.render(ENGLISH) == "v has length 1.414 (a vector)."
    assert message.render("ko") == message.render(ENGLISH)  # no Korean for it: English
    with pytest.raises(ValueError, match="has the field {length}, which was not given"):
        Message("{name} has length {length}.", name="v")
    with pytest.raises(ValueError, match="no field"):
        Message("{name}.", name="v", length=1)
    with pytest.raises(ValueError, match="a field is a name"):
        Message("{0} is too large.")


def test_a_message_is_shown_in_the_translation_with_its_fields_and_fragments(korean):
    problem = verdict_number("six", "k")
    assert not problem.ok
    assert problem.message == "k: 텍스트 'six'를 받았다. 6.0 같은 수이어야 한다."
    assert problem.text.render(ENGLISH) == "k: expected a number like 6.0, got the text 'six'."


def test_a_translation_may_drop_a_fields_spec_the_value_keeps_it(korean):
    x, y = sympy.symbols("x y")
    verdict = verdict_unit_direction([3.0, 4.0], "d", x * x + y * y, [x, y], [1.0, 2.0])
    assert verdict.message == "d의 길이는 5이다."  # formatted with .4g as the English asked


def test_a_translation_that_loses_a_field_shows_the_english(korean):
    assert str(Message("{name} is too large.", name="k")) == "k is too large."


def test_data_round_trips_and_renders_in_any_edition(korean):
    verdict = verdict_close("seven", "v", 6.0)
    data = verdict.text.data()
    assert data["text"] == "{name}: expected {kind}, got the text {text}."
    assert data["fields"]["kind"] == {"text": "a number like 6.0", "fields": {}}
    again = Message.from_data(data)
    assert again == verdict.text
    assert again.render(ENGLISH) == "v: expected a number like 6.0, got the text 'seven'."
    chinese = again.render("zh-Hans")  # the real catalog: its words, the same field
    assert "'seven'" in chinese and "expected" not in chinese and "数" in chinese, chinese
    assert again.render(KOREAN) == verdict.message


def test_a_problem_renders_when_shown_not_when_raised(korean):
    problem = Problem(
        "{name}: expected {kind}, got the text {text}.", name="k", kind=Message("a number like 6.0"), text="'x'"
    )
    with pytest.raises(Problem) as raised:
        as_number("x", "k")
    assert raised.value.message == problem.message
    assert str(raised.value) == "k: 텍스트 'x'를 받았다. 6.0 같은 수이어야 한다."


def test_a_fuzzy_or_empty_translation_is_english_and_a_done_one_is_used(tmp_path, monkeypatch):
    po = tmp_path / "ko" / "LC_MESSAGES" / f"{i18n.CHECKS_DOMAIN}.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        textwrap.dedent("""\
            msgid ""
            msgstr "Content-Type: text/plain; charset=utf-8\\n"

            msgid "{name} is too large."
            msgstr "{name}가 너무 크다."

            #, fuzzy
            msgid "{name} is too small."
            msgstr "{name}가 너무 작다."

            msgid "{name} is right."
            msgstr ""
        """),
        encoding="utf-8",
    )
    monkeypatch.setattr(i18n, "LOCALES", tmp_path)
    i18n.catalog.cache_clear()
    try:
        shown = [Message(t, name="k").render(KOREAN) for t in ("{name} is too large.", "{name} is too small.")]
        assert shown == ["k가 너무 크다.", "k is too small."]
        assert Message("{name} is right.", name="k").render(KOREAN) == "k is right."
        assert i18n.catalog("ko") == {}  # the runtime domain has no file there
    finally:
        i18n.catalog.cache_clear()


# --- the ✓/✗ line -----------------------------------------------------------------------------------------


def test_a_graded_failure_carries_the_line_in_the_sessions_language(korean, monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    with pytest.raises(CheckFailed) as failed:
        report(verdict_number("six", "k"), "k")
    assert str(failed.value) == "✗ k: 텍스트 'six'를 받았다. 6.0 같은 수이어야 한다."
    assert failed.value.message.render(ENGLISH) == "✗ k: expected a number like 6.0, got the text 'six'."


def test_outside_a_kernel_the_line_is_printed(capsys):
    report(verdict_close(7.5, "v", 6.0), "v", hidden=True)
    assert capsys.readouterr().out == "✗ A graded test of v failed: v is too large.\n"


def test_in_a_kernel_each_line_is_displayed_with_its_messages_data(tmp_path):
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("from nudge.checks import check_close\nk = 7.5\ncheck_close('k', 6.0)")]
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NUDGE_LANG": "en"}
    env.pop("NBGRADER_EXECUTION", None)
    NotebookClient(
        notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute(env=env)
    (output,) = notebook.cells[0].outputs
    assert output.output_type == "display_data", output
    assert output.data["text/plain"] == "✗ k is too large."
    data = output.data[MESSAGE_MIME]
    assert data == {
        "text": "✗ {message}",
        "fields": {"message": {"text": "{name} is too large.", "fields": {"name": "k"}}},
    }
    assert Message.from_data(data).render(ENGLISH) == output.data["text/plain"]


def test_the_website_shows_a_check_line_in_the_language_of_the_edition_built(tmp_path, korean):
    """A solution page is executed once, in English; each edition's build renders the line's data in its
    language (`nudge.site_outputs`, found by myst-nb through the package's entry point)."""
    from sphinx.application import Sphinx

    line = Message("✗ {message}", message=Message("{name}: expected {kind}, got the text {text}.", name="k",
                                                   kind=Message("a number like 6.0"), text="'six'"))  # fmt: skip
    cell = nbformat.v4.new_code_cell("check_number('k', 6.0)", execution_count=1)
    cell.outputs = [
        nbformat.v4.new_output("display_data", data={"text/plain": line.render(ENGLISH), MESSAGE_MIME: line.data()})
    ]
    kernel = {"kernelspec": {"name": "python3", "display_name": "Python 3"}, "language_info": {"name": "python"}}
    cells = [nbformat.v4.new_markdown_cell("# Solutions"), cell]
    nbformat.write(nbformat.v4.new_notebook(cells=cells, metadata=kernel), tmp_path / "index.ipynb")
    (tmp_path / "conf.py").write_text('extensions = ["myst_nb"]\nnb_execution_mode = "off"\n')
    shown = {}
    for language in ("en", "ko"):
        out = tmp_path / "_build" / language
        warnings = io.StringIO()  # (a second Sphinx in one process warns that myst-nb's nodes are registered)
        app = Sphinx(tmp_path, tmp_path, out, out / ".doctrees", "html", confoverrides={"language": language},
                     status=None, warning=warnings, freshenv=True)  # fmt: skip
        app.build()
        assert "check's line" not in warnings.getvalue() and "mime type" not in warnings.getvalue(), warnings.getvalue()
        html = (out / "index.html").read_text(encoding="utf-8")
        shown[language] = [text for text in (line.render(ENGLISH), line.render(KOREAN)) if text in html]
    assert shown == {"en": [line.render(ENGLISH)], "ko": [line.render(KOREAN)]}
    assert line.render(KOREAN) == "✗ k: 텍스트 'six'를 받았다. 6.0 같은 수이어야 한다."
