"""Check-yourself questions: what Python hands the one front end, and that front end on a page.

The checker itself (`nudge/web/nudge-question.js`) is tested with node's own runner (`tests/js`).
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import threading

import pytest
from playwright.sync_api import expect

from conftest import ROOT
from nudge import web
from nudge.questions import MESSAGES, QUESTION_SCHEMA, ask
from nudge.web import WEB, QuestionWidget
from pages import front_end_page
from tools.site import serving

MATHJS = ROOT / "node_modules" / "mathjs" / "lib" / "browser" / "math.js"

SLOPE = ask("The slope of $x^3$ at $x = 2$?", number=12, mistakes=[(12.006001, "That is a forward difference.")])


def cube():
    return ask(
        "The derivative of $x^3$?",
        expression="3*x^2",
        hints=["Bring the power down."],
        explain="The power rule: $3x^2$.",
        mistakes=[("x^3", "That is the function itself.")],
    )


CUBE = cube()
ONE = ask("Which is steepest?", choices=[("ascent", True), ("descent", "It goes down."), ("flat", "Zero slope.")])
QUESTIONS = [SLOPE, CUBE, ONE]


def test_an_author_mistake_is_caught_when_the_question_is_made():
    with pytest.raises(TypeError, match="exactly one of"):
        ask("?")
    with pytest.raises(TypeError, match="number= expects a number"):
        ask("?", number="6")
    with pytest.raises(ValueError, match="needs its own hint"):
        ask("?", choices=[("a", True), ("b", False)])
    with pytest.raises(ValueError, match="no finite value"):
        ask("?", expression="log(x - 5)")
    with pytest.raises(ValueError, match="can't read the formula"):
        ask("?", expression="3*x^")


def test_a_shown_answer_is_the_pages_math_and_the_reader_may_use_the_chapters_functions():
    question = ask("The derivative of $x^4 - 3x^2$?", expression="4*x^3 - 6*x")
    assert question.config()["answer"] == "\\(4 x^{3} - 6 x\\)"  # as the page writes it, no `*`
    assert {"sech", "cosh", "sinh", "tanh"} <= set(question.config()["functions"])
    assert "{functions}" in MESSAGES["unknown_name"] and "function" not in MESSAGES["sign"]


def test_the_configuration_carries_the_answers_values_and_every_word():
    config = CUBE.config()
    assert config["schema"] == QUESTION_SCHEMA and config["messages"] == MESSAGES
    assert config["values"] == pytest.approx([3 * x**2 for (x,) in CUBE.points])
    assert config["mistakes"][0][0] == pytest.approx([x**3 for (x,) in CUBE.points])
    assert config["prompt"] == "The derivative of \\(x^3\\)?"  # math for MathJax
    assert config["typed"] == "3*x^2" and ONE.config()["typed"] == [0]
    assert [o["right"] for o in ONE.config()["options"]] == [True, False, False]


@pytest.mark.parametrize(
    ("option", "heard"),
    [
        ("It goes down, by about $\\varepsilon/4$.", "It goes down, by about ε/4."),
        ("$\\eta = 1.5$", "η = 1.5"),
        ("$G B^\\top$, shape $3 \\times 4$", "G Bᵀ, shape 3 × 4"),
        ("about $10^{-7}$ or better", "about 10⁻⁷ or better"),
        ("$(g_1 + g_2 + g_3)/3$", "(g₁ + g₂ + g₃)/3"),
        ("orthogonal to $\\hat x$", "orthogonal to x\u0302"),  # x̂: the letter and its combining hat
        ("It equals $g / \\sigma$.", "It equals g / σ."),
        ("$\\frac{\\partial L}{\\partial w_1} \\cdot \\nabla f$", "∂L/∂w₁ · ∇f"),
        ("$\\varepsilon_\\text{mach}$, $\\Delta$, $\\lambda$, $x \\in \\mathbb{R}^n$", "ε mach, Δ, λ, x ∈ ℝⁿ"),
        ("$e^{-wx}$ and $\\sqrt{1 + x}$", "e^(-wx) and √(1 + x)"),  # no small raised w: as typed
        ("`backward()` adds into `.grad`", "backward() adds into .grad"),
        ("a plain option, 3 $ apart", "a plain option, 3 $ apart"),
    ],
)
def test_a_screen_reader_hears_a_choice_as_the_page_shows_it(option, heard):
    config = ask("?", choices=[(option, True), ("other", "no")]).config()
    assert config["options"][0]["spoken"] == heard
    assert not re.search(r"[\\{}]", heard)  # no TeX command or group is read out


def shown(question) -> str:
    """The question's HTML without the configuration its attribute carries: what a page shows of it."""
    return re.sub(r'data-nudge-question="[^"]*"', "", question.static_html())


def test_the_saved_face_shows_no_hint_or_answer_and_says_how_to_answer(monkeypatch):
    monkeypatch.delenv("NUDGE_FRAMES_DIR", raising=False)
    assert MESSAGES["run_to_answer"] in shown(CUBE) and "derivative of" in shown(CUBE)
    for secret in ("3*x^2", "Bring the power down", "The power rule", "function itself"):
        assert secret not in shown(CUBE)
    in_a_notebook = CUBE.static_html()
    monkeypatch.setenv("NUDGE_FRAMES_DIR", "/tmp/frames")  # run for the book: the same output, which nbval holds
    assert CUBE.static_html() == in_a_notebook  # to the committed one (the site's script replaces it all)


def test_the_same_question_is_the_same_html_every_run():
    assert cube().static_html() == CUBE.static_html()


def test_in_jupyter_the_question_is_its_module_as_a_widget():
    widget = CUBE.widget()
    assert isinstance(widget, QuestionWidget) and widget.config == CUBE.config()
    assert widget._esm == (WEB / "nudge-question.js").read_text()
    sent = []
    widget.send = sent.append
    widget._answer(widget, {"want": "mathjs"}, [])
    assert sent and ("mathjs" in sent[0] or "mathjs_missing" in sent[0])


def test_the_kernel_sends_mathjax_or_says_what_is_missing(monkeypatch, tmp_path):
    widget = CUBE.widget()
    sent = []
    widget.send = sent.append
    widget._answer(widget, {"want": "mathjax"}, [])
    assert sent[0]["mathjax"].startswith("(") and "typesetPromise" in sent[0]["mathjax"]  # tex-svg.js, one file
    widget._answer(widget, {"want": "something else"}, [])
    assert len(sent) == 1  # what the kernel doesn't send it doesn't answer
    missing = (tmp_path / "vendor" / "tex-svg.js", tmp_path / "node_modules" / "tex-svg.js")
    monkeypatch.setitem(web.VENDOR, "mathjax", missing)
    widget._answer(widget, {"want": "mathjax"}, [])
    assert sent[1] == {"mathjax_missing": web.MISSING["mathjax"].format(path=missing[0])}
    assert str(missing[0]) in sent[1]["mathjax_missing"] and "make lab" in sent[1]["mathjax_missing"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def question_page(tmp_path_factory, browser):
    """A bare page with the book's front ends, mounted as the site mounts them, and the npm mathjs, on loopback."""
    if not MATHJS.is_file():
        pytest.fail(f"{MATHJS} is missing: `make test` runs npm ci (package.json lists mathjs)")
    folder = tmp_path_factory.mktemp("questions")
    (folder / "vendor" / "mathjs").mkdir(parents=True)
    shutil.copy(MATHJS, folder / "vendor" / "mathjs" / "math.js")
    for path in WEB.glob("*.js"):
        shutil.copy(path, folder / path.name)
    body = "".join(q.static_html() for q in QUESTIONS)
    (folder / "index.html").write_text(
        f'<!DOCTYPE html><html lang="en" data-content_root="./"><head><meta charset="utf-8"><title>q</title>'
        '<link rel="icon" href="data:,">'
        f'<script type="module" src="nudge-site.js"></script></head><body>{body}</body></html>',
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
    howto = box.locator("details.nudge-q-howto")  # what may be typed, one click away
    howto.locator("summary").click()
    expect(howto).to_contain_text("sqrt(2)")
    expect(howto).to_contain_text("tanh")
    assert page.locator(f"#{ONE.id} details.nudge-q-howto").count() == 0  # a choice takes no typing
    assert box.locator(".nudge-q-answer").is_hidden()
    box.locator("button.nudge-q-show").click()
    assert box.locator(".nudge-q-answer").is_visible()
    choice = page.locator(f"#{ONE.id}")
    choice.locator("label", has_text="descent").click()
    choice.locator("button.nudge-q-check").click()
    page.wait_for_function(f"() => document.querySelector('#{ONE.id} .nudge-q-feedback').textContent.length > 0")
    assert choice.locator(".nudge-q-feedback").inner_text() == "✗ It goes down."
    assert box.locator(".nudge-q-explain").is_visible()  # after a right answer, the why
    page.reload()
    page.wait_for_function(f"() => document.querySelector('#{CUBE.id}').dataset.verdict === 'right'")
    assert page.locator(f"#{CUBE.id} input.nudge-q-input").input_value() == "x*3*x"
    assert page.locator(f"#{CUBE.id} .nudge-q-answer").is_visible()
    page.locator(f"#{CUBE.id} button.nudge-q-clear").click()
    assert page.locator(f"#{CUBE.id} input.nudge-q-input").input_value() == ""
    assert feedback.inner_text() == ""
    page.reload()
    assert page.locator(f"#{CUBE.id} input.nudge-q-input").input_value() == ""
    # the last hint and "Show answer" disable their buttons: the focus stays in the question, and the why shows
    inside = f"() => document.querySelector('#{CUBE.id}').contains(document.activeElement)"
    page.locator(f"#{CUBE.id} button.nudge-q-hint").click()
    assert page.evaluate(inside)
    page.locator(f"#{CUBE.id} button.nudge-q-show").click()
    assert page.evaluate(inside)
    assert page.locator(f"#{CUBE.id} .nudge-q-explain").is_visible()
    assert not page.errors


# the anywidget face on a bare page, with a stand-in for the kernel that answers as `QuestionWidget` does
WIDGET_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>widgets</title>
<link rel="icon" href="data:,"></head><body><div id="one"></div><div id="two"></div>
<script type="module">
import widget from "./nudge-question.js";
const configs = JSON.parse(document.getElementById("configs").textContent);
window.asked = [];
for (const [id, config] of Object.entries(configs)) {
  const listeners = new Set();
  const model = {
    get: () => config,
    on: (_, listener) => listeners.add(listener),
    off: (_, listener) => listeners.delete(listener),
    async send(message) {
      window.asked.push(message);
      const reply = await (await fetch("reply.json")).json();
      listeners.forEach((listener) => listener(reply));
    },
  };
  widget.render({ model, el: document.getElementById(id) });
}
</script><script type="application/json" id="configs">CONFIGS</script></body></html>"""


@pytest.mark.browser
@pytest.mark.parametrize("installed", [True, False], ids=["mathjax", "no-mathjax"])
def test_the_widgets_of_a_page_ask_for_mathjax_once_and_say_once_if_it_is_missing(browser, tmp_path, installed):
    shapes = ask(
        "What is $\\partial L/\\partial A$?",
        choices=[("$G B^\\top$, shape $3 \\times 4$", True), ("$B^\\top G$", "It doesn't multiply: $5 \\times 4$.")],
    )
    configs = {"one": shapes.config(), "two": SLOPE.config()}
    for path in WEB.glob("*.js"):
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "index.html").write_text(WIDGET_PAGE.replace("CONFIGS", json.dumps(configs)), encoding="utf-8")
    widget = QuestionWidget(config=configs["one"])
    widget.send = lambda reply: (tmp_path / "reply.json").write_text(json.dumps(reply), encoding="utf-8")
    if not installed:
        web.VENDOR["mathjax"], kept = (tmp_path / "none.js", tmp_path / "nor.js"), web.VENDOR["mathjax"]
    try:
        widget._answer(widget, {"want": "mathjax"}, [])  # what the kernel answers, here or not
    finally:
        if not installed:
            web.VENDOR["mathjax"] = kept
    page = browser.new_page()
    errors = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    with serving(tmp_path) as url:
        page.goto(url + "index.html")
        one, two = page.locator("#one"), page.locator("#two")
        expect(one.locator("input[type=radio]")).to_have_count(2)
        if installed:
            expect(one.locator("mjx-container")).to_have_count(6)  # the prompt, the options (3), the answer (2)
            expect(two.locator("mjx-container")).to_have_count(2)
            assert page.locator(".nudge-q-note").count() == 0
        else:
            expect(one.locator(".nudge-q-note")).to_have_text(re.compile("Formulas are shown as TeX: MathJax is not"))
            expect(one).to_contain_text("$G B^\\top$, shape $3 \\times 4$")
            expect(two).to_contain_text("The slope of $x^3$ at $x = 2$?")
            assert page.locator(".nudge-q-note").count() == 1  # said once on the page
        assert not re.search(r"\\\(|\\\)", one.text_content() + two.text_content())
        assert page.evaluate("window.asked") == [{"want": "mathjax"}]  # one request for the page's widgets
    page.close()
    assert not errors, errors


@pytest.mark.browser
def test_on_the_website_the_pages_mathjax_typesets_what_a_question_shows_and_later_writes(browser, tmp_path):
    """The site's MathJax (npm's tex-chtml.js, set up as Sphinx sets it up) typesets a question, then its feedback."""
    shapes = ask(
        "What is $\\partial L/\\partial A$?",
        choices=[("$G B^\\top$", True), ("$B^\\top G$", "It doesn't multiply: $5 \\times 4$ by $3 \\times 5$.")],
        hints=["Which product of $G$ and $B$ has 3 rows?"],
    )
    npm = ROOT / "node_modules" / "mathjax" / "es5"
    shutil.copy(npm / "tex-chtml.js", tmp_path / "tex-chtml.js")
    shutil.copytree(npm / "output" / "chtml" / "fonts", tmp_path / "output" / "chtml" / "fonts")
    setup = {
        "options": {
            "ignoreHtmlClass": "tex2jax_ignore|mathjax_ignore|document",
            "processHtmlClass": "tex2jax_process|mathjax_process|math|output_area",
        }
    }
    body = f'<div class="document"><p>Outside: \\(x\\)</p>{shapes.static_html()}</div>'
    name = front_end_page(tmp_path, body)
    page_html = (tmp_path / name).read_text(encoding="utf-8")
    mathjax = f'<script>window.MathJax = {json.dumps(setup)}</script><script defer src="tex-chtml.js"></script>'
    (tmp_path / name).write_text(page_html.replace("</head>", mathjax + "</head>"), encoding="utf-8")
    page = browser.new_page()
    errors = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    with serving(tmp_path) as url:
        page.goto(url + name)
        box = page.locator(f"#{shapes.id}")
        # the prompt's, the options', the hint's and the answer's (the last two hidden); nothing outside questions
        expect(box.locator("mjx-container")).to_have_count(1 + 2 + 2 + 1)
        assert page.locator("p", has_text="Outside").locator("mjx-container").count() == 0
        box.locator("input").nth(1).check()
        box.locator("button.nudge-q-check").click()
        expect(box.locator(".nudge-q-feedback mjx-container")).to_have_count(2)
        box.locator("button.nudge-q-hint").click()
        expect(box.locator(".nudge-q-hints li").first).to_be_visible()
        assert not re.search(r"\\\(|\\\)", box.text_content())
        assert box.locator("input").first.get_attribute("aria-label") == "G Bᵀ"
    page.close()
    assert not errors, errors
