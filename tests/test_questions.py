"""Check-yourself questions: the rules in Python, and the page's script giving the same verdicts."""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import threading

import numpy as np
import pytest

from nudge.questions import MESSAGES, ask, normalise, tokens

ROOT = __import__("pathlib").Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "_static" / "nudge-questions.js"
MATHJS = ROOT / "node_modules" / "mathjs" / "lib" / "browser" / "math.js"

SLOPE = ask("The slope of $x^3$ at $x = 2$?", number=12, mistakes=[(12.006001, "That is a forward difference.")])
QUARTER = ask("The slope of $1/w$ at $w = 2$?", number=-0.25, atol=1e-3, rtol=0)
CUBE = ask("The derivative of $x^3$?", expression="3*x^2", mistakes=[("x^3", "That is the function itself.")])
CHAIN = ask(
    "$\\partial/\\partial w$ of $\\sigma(wx)$?",
    expression="x*exp(-w*x)/(1+exp(-w*x))^2",
    variables=("w", "x"),
)
ONE = ask("Which is steepest?", choices=[("ascent", True), ("descent", "It goes down."), ("flat", "Zero slope.")])
MANY = ask("Which hold?", choices=[("a", True), ("b", True), ("c", "Not c.")])
QUESTIONS = [SLOPE, QUARTER, CUBE, CHAIN, ONE, MANY]


# --- the rules ---------------------------------------------------------------------


@pytest.mark.parametrize("text", ["12", "12.0", "1.2e1", "24/2", "3*4", " 12 ", "6·2", "6×2"])
def test_a_number_is_right_however_it_is_written(text):
    assert SLOPE.check(text).verdict == "right"


def test_a_number_is_right_within_the_authors_tolerance_and_not_beyond():
    assert QUARTER.check("-0.2499").verdict == "right"
    assert QUARTER.check("-0.2489").verdict == "wrong"
    assert QUARTER.check("0.25").verdict == "sign"
    assert QUARTER.check("−1/4").verdict == "right"  # a typographic minus


def test_a_known_mistake_gets_its_own_words():
    verdict = SLOPE.check("12.006001")
    assert (verdict.verdict, verdict.message) == ("mistake", "✗ That is a forward difference.")


@pytest.mark.parametrize("text", ["3x^2", "3x²", "x*3*x", "3*x**2", "3 x^2", "x(3x)", "(3x)x", "6x^2/2", "3*x^2+0"])
def test_an_equivalent_formula_is_right(text):
    assert CUBE.check(text).verdict == "right"


@pytest.mark.parametrize(
    ("text", "verdict"),
    [("3x", "wrong"), ("x^3", "mistake"), ("2x^2", "wrong"), ("3*x^", "malformed"), ("3 4", "malformed"),
     ("sin x", "malformed"), ("y", "malformed"), ("__import__('os')", "malformed"), ("x; 1", "malformed"),
     ("", "empty"), ("   ", "empty"), ("log(-x)", "undefined"), ("10^10^10", "undefined"), ("x/0", "undefined")],
)  # fmt: skip
def test_formula_verdicts(text, verdict):
    assert CUBE.check(text).verdict == verdict


def test_messages_say_what_was_expected():
    assert CUBE.check("3*x^").message == MESSAGES["malformed_expression"].format(
        text="3*x^", variables="x", example="3*x^2"
    )
    assert "“y” isn't a name" in CUBE.check("3y").message
    assert "at x = " in CUBE.check("2x^2").message
    assert SLOPE.check("twelve").verdict == "malformed"


def test_several_variables():
    assert CHAIN.check("x exp(-w x) / (1 + exp(-w x))^2").verdict == "right"
    assert CHAIN.check("exp(-w x) / (1 + exp(-w x))^2").verdict == "wrong"


def test_choices():
    assert ONE.check([0]).verdict == "right"
    assert ONE.check([1]).message == "✗ It goes down."
    assert ONE.check([]).verdict == "empty"
    assert MANY.check([0]).verdict == "missing_choice"
    assert MANY.check([0, 1]).verdict == "right"
    assert MANY.check([0, 1, 2]).message == "✗ Not c."
    assert not ONE.multiple and MANY.multiple


def test_tokens_write_products_out():
    assert normalise("−3·x²") == "-3*x^2"
    assert tokens("2(x+1)(x-1)", ["x"]) == "2*(x+1)*(x-1)"
    assert tokens("x2", ["x"]) == "x*2"


def test_an_author_mistake_is_caught_when_the_question_is_made():
    with pytest.raises(TypeError, match="exactly one of"):
        ask("?")
    with pytest.raises(TypeError, match="number= expects a number"):
        ask("?", number="6")
    with pytest.raises(ValueError, match="needs its own hint"):
        ask("?", choices=[("a", True), ("b", False)])
    with pytest.raises(ValueError, match="no finite value"):
        ask("?", expression="log(x - 5)")


def test_the_same_question_is_the_same_html_every_run():
    again = ask("The derivative of $x^3$?", expression="3*x^2", mistakes=[("x^3", "That is the function itself.")])
    assert again.static_html() == CUBE.static_html()
    assert 'aria-live="polite"' in CUBE.static_html()
    assert "\\(x^3\\)" in CUBE.static_html()  # math for MathJax


def test_the_live_face_checks_in_python():
    live = CUBE.widget()
    view = CUBE._widget
    view.entry.value = "x*3*x"
    view.on_check()
    assert view.feedback.value == MESSAGES["right_expression"]
    view.entry.value = "3*x^"
    view.on_check()
    assert "Couldn't read" in view.feedback.value
    view.on_hint()  # no hints: nothing shown, the button stays off
    view.on_show()
    assert "Answer" in view.revealed.value and live is CUBE.widget()


# --- both faces agree ------------------------------------------------------------------


def _answers(rng: np.random.Generator) -> list[tuple[int, object]]:
    """A few hundred answers per kind: right, equivalent, wrong, malformed, empty, huge."""
    pool = {
        0: ["12", "1.2e1", "24/2", "-12", "12.006001", "11.9", "1e999", "2^2000", "twelve", "12x", "", "sqrt(144)"],
        1: ["-1/4", "-0.25", "0.25", "-0.2495", "-0.251", "-1/4e0", "1/0", "log(-1)", "-1//4", "(", "- 1 / 4"],
        2: ["3x^2", "3x²", "x*3*x", "3*x**2", "x^3", "3x", "2x^2", "3*x^", "y", "10^10^10", "x/0", "sqrt(-x)",
            "3 4", "sin x", "sin()", "()", "e^(log(3x^2))", "3abs(x)^2", "exp(2log(x))3"],
        3: ["x*exp(-w*x)/(1+exp(-w*x))^2", "x exp(-w x)/(1+exp(-w x))^2", "exp(-w*x)", "w x", "z", "x/(w-w)"],
    }  # fmt: skip
    answers = [(q, text) for q, texts in pool.items() for text in texts]
    pieces = ["x", "w", "3", "2.5", "^", "*", "/", "+", "-", "(", ")", " ", "e", "pi", "sin(", "exp(", "1e308", "²"]
    for _ in range(240):  # random strings: mostly malformed, some readable, a few huge
        q = int(rng.integers(0, 4))
        answers.append((q, "".join(rng.choice(pieces, size=int(rng.integers(1, 8))))))
    for _ in range(40):
        answers.append(
            (int(rng.integers(4, 6)), sorted(set(rng.integers(0, 3, size=int(rng.integers(0, 3))).tolist())))
        )
    return answers


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def question_page(tmp_path_factory, browser):
    """A bare page with the book's question script and the npm mathjs, served on loopback."""
    if not MATHJS.is_file():
        pytest.fail(f"{MATHJS} is missing: `make test` runs npm ci (package.json lists mathjs)")
    folder = tmp_path_factory.mktemp("questions")
    (folder / "vendor" / "mathjs").mkdir(parents=True)
    shutil.copy(MATHJS, folder / "vendor" / "mathjs" / "math.js")
    shutil.copy(SCRIPT, folder / "nudge-questions.js")
    body = "".join(q.static_html() for q in QUESTIONS)
    (folder / "index.html").write_text(
        f'<!DOCTYPE html><html lang="en" data-content_root="./"><head><meta charset="utf-8"><title>q</title>'
        '<link rel="icon" href="data:,">'
        f'<script src="nudge-questions.js"></script></head><body>{body}</body></html>',
        encoding="utf-8",
    )
    handler = functools.partial(_Quiet, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    context = browser.new_context()
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.goto(f"http://127.0.0.1:{httpd.server_address[1]}/index.html")
    page.errors = errors
    yield page
    context.close()
    httpd.shutdown()


@pytest.mark.browser
def test_python_and_the_page_give_the_same_verdict_and_words(question_page):
    answers = _answers(np.random.default_rng(20261130))
    cases = [{"config": QUESTIONS[q].config(), "answer": answer} for q, answer in answers]
    in_page = question_page.evaluate(
        "cases => Promise.all(cases.map(c => NudgeQuestions.check(c.config, c.answer)))", cases
    )
    in_python = [QUESTIONS[q].check(answer) for q, answer in answers]
    disagree = [
        (answer, py.verdict, js["verdict"], py.message, js["message"])
        for (_, answer), py, js in zip(answers, in_python, in_page, strict=True)
        if (py.verdict, py.message) != (js["verdict"], js["message"])
    ]
    assert not disagree, json.dumps(disagree[:10], ensure_ascii=False, indent=1)
    kinds = {py.verdict for py in in_python}
    assert {"right", "wrong", "malformed", "empty", "mistake", "sign", "undefined", "not_finite"} <= kinds
    assert len(answers) >= 300 and not question_page.errors


@pytest.mark.browser
def test_a_reader_answers_gets_hints_and_the_answer_and_it_is_remembered(question_page):
    page = question_page
    box = page.locator(f"#{CUBE.id}")
    field = box.locator("input.nudge-q-input")
    feedback = box.locator(".nudge-q-feedback")
    for text, words in [("3*x^", "Couldn't read"), ("3x", "Not the same function"), ("x*3*x", "✓ Right")]:
        field.fill(text)
        field.press("Enter")
        page.wait_for_function(
            "([id, words]) => document.querySelector('#' + id + ' .nudge-q-feedback').textContent.includes(words)",
            arg=[CUBE.id, words],
        )
    assert box.get_attribute("data-verdict") == "right"
    assert box.locator(".nudge-q-answer").is_hidden()
    box.locator("button.nudge-q-show").click()
    assert box.locator(".nudge-q-answer").is_visible()
    choice = page.locator(f"#{ONE.id}")
    choice.locator("label", has_text="descent").click()
    choice.locator("button.nudge-q-check").click()
    page.wait_for_function(f"() => document.querySelector('#{ONE.id} .nudge-q-feedback').textContent.length > 0")
    assert choice.locator(".nudge-q-feedback").inner_text() == "✗ It goes down."
    page.reload()
    page.wait_for_function(f"() => document.querySelector('#{CUBE.id}').dataset.verdict === 'right'")
    assert page.locator(f"#{CUBE.id} input.nudge-q-input").input_value() == "x*3*x"
    assert page.locator(f"#{CUBE.id} .nudge-q-answer").is_visible()
    page.locator(f"#{CUBE.id} button.nudge-q-clear").click()
    assert page.locator(f"#{CUBE.id} input.nudge-q-input").input_value() == ""
    assert feedback.inner_text() == ""
    page.reload()
    assert page.locator(f"#{CUBE.id} input.nudge-q-input").input_value() == ""
    assert not page.errors
