// The question module's checker (nudge/web/nudge-question.js), the only one there is, judged in node.
// Configurations come from nudge.questions (tests/js/questions.py) and from every chapter's questions.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import * as math from "mathjs";
import { check, normalise, tokens } from "../../nudge/web/nudge-question.js";

const ROOT = new URL("../../", import.meta.url);
const python = process.env.PYTHON ?? new URL(".venv/bin/python", ROOT).pathname;
const Q = JSON.parse(execFileSync(python, [new URL("tests/js/questions.py", ROOT).pathname], { cwd: ROOT.pathname, encoding: "utf-8" }));
const verdict = (q, answer) => check(q, answer, math).verdict;
const message = (q, answer) => check(q, answer, math).message;

test("a number is right however it is written", () => {
  for (const text of ["12", "12.0", "1.2e1", "24/2", "3*4", " 12 ", "6·2", "6×2", "sqrt(144)"]) assert.equal(verdict(Q.slope, text), "right", text);
});

test("a number is right within the author's tolerance and not beyond", () => {
  assert.equal(verdict(Q.quarter, "-0.2499"), "right");
  assert.equal(verdict(Q.quarter, "-0.2489"), "wrong");
  assert.equal(verdict(Q.quarter, "0.25"), "sign");
  assert.equal(verdict(Q.quarter, "−1/4"), "right"); // a typographic minus
  for (const text of ["1/0", "log(-1)", "1e999", "2^2000"]) assert.equal(verdict(Q.quarter, text), "not_finite", text);
});

test("a known mistake gets its own words", () => {
  assert.deepEqual(check(Q.slope, "12.006001", math), { verdict: "mistake", message: "✗ That is a forward difference." });
});

test("an equivalent formula is right", () => {
  for (const text of ["3x^2", "3x²", "x*3*x", "3*x**2", "3 x^2", "x(3x)", "(3x)x", "6x^2/2", "3*x^2+0", "e^(log(3x^2))"]) {
    assert.equal(verdict(Q.cube, text), "right", text);
  }
  assert.equal(verdict(Q.chain, "x exp(-w x) / (1 + exp(-w x))^2"), "right");
  assert.equal(verdict(Q.chain, "exp(-w x) / (1 + exp(-w x))^2"), "wrong");
});

test("formula verdicts", () => {
  const cases = [["3x", "wrong"], ["x^3", "mistake"], ["2x^2", "wrong"], ["3*x^", "malformed"], ["3 4", "malformed"],
    ["sin x", "malformed"], ["y", "malformed"], ["__import__('os')", "malformed"], ["x; 1", "malformed"], ["", "empty"],
    ["   ", "empty"], ["log(-x)", "undefined"], ["10^10^10", "undefined"], ["x/0", "undefined"], ["sin()", "malformed"], ["()", "malformed"]];
  for (const [text, expected] of cases) assert.equal(verdict(Q.cube, text), expected, text);
});

test("messages say what was expected, and quote the reader's text as text", () => {
  assert.equal(message(Q.cube, "3*x^"), "Couldn't read “3*x^” as a formula in x; write it like 3*x^2.");
  // a refused name is told what is allowed, functions too
  assert.match(message(Q.cube, "3y"), /“y” isn't a name this answer can use: it can use x, pi, e and the functions sin, .*tanh.*, written with parentheses like tanh\(x\)\./);
  assert.match(message(Q.cube, "2x^2"), /differ at x = /);
  assert.equal(verdict(Q.slope, "twelve"), "malformed");
  assert.equal(message(Q.slope, "<b>1"), "Expected a number like 0.25, -1/4 or 1e-3; couldn't read “&lt;b&gt;1”.");
  assert.match(message(Q.sy, "s-"), /write it like 3\*s\^2/); // the example is in the question's own variables
});

test("choices", () => {
  assert.equal(verdict(Q.one, [0]), "right");
  assert.equal(message(Q.one, [1]), "✗ It goes \\(x^2\\) down."); // the author's hint, as HTML with its math
  assert.equal(verdict(Q.one, []), "empty");
  assert.equal(verdict(Q.many, [0]), "missing_choice");
  assert.equal(verdict(Q.many, [0, 1]), "right");
  assert.equal(message(Q.many, [0, 1, 2]), "✗ Not c.");
});

test("products are written out and typography is read", () => {
  assert.equal(normalise("−3·x²"), "-3*x^2");
  assert.equal(tokens("2(x+1)(x-1)", ["x"], ["sin"], ["pi"]), "2*(x+1)*(x-1)");
  assert.equal(tokens("x2", ["x"], [], []), "x*2");
});

test("the functions and notations a reader of the chapters types: sech, cosh, sinh, a function's power", () => {
  for (const text of ["1 - tanh(x)^2", "sech(x)^2", "1/cosh(x)^2", "1 - tanh^2(x)", "1 - tanh²(x)", "1-tanh(x)**2", "sech^2(x)", "(cosh(x)^2 - sinh(x)^2)/cosh(x)^2"]) {
    assert.equal(verdict(Q.tanh, text), "right", text);
  }
  assert.equal(verdict(Q.tanh, "tanh^2(x)"), "wrong"); // read as tanh(x)^2, which is not the slope
  assert.equal(tokens("tanh^2(2x)", ["x"], ["tanh"], []), "(tanh(2*x))^2");
  assert.equal(verdict(Q.tanh, "tanh^-1(x)"), "malformed"); // the inverse function, not a power
  assert.equal(verdict(Q.tanh, "tanh^2 x"), "malformed");
});

test("one-letter variables multiply without a star; longer names don't split", () => {
  for (const text of ["2xy", "2yx", "yx2", "2 x y", "x y 2", "2*x*y"]) assert.equal(verdict(Q.partial, text), "right", text);
  assert.equal(tokens("2xy", ["x", "y"], [], []), "2*x*y");
  assert.equal(verdict(Q.partial, "2xz"), "malformed"); // z is not a variable
  assert.match(message(Q.partial, "2xz"), /“xz” isn't a name/);
  assert.equal(verdict(Q.rate, "2eta"), "right");
  assert.equal(verdict(Q.rate, "2etaeta"), "malformed"); // a name of several letters is never split
});

test("messages fit the question, and a very long answer is not quoted back", () => {
  assert.equal(message(Q.quarter, "0.25"), "✗ Right size, wrong sign."); // no "function" for a plain number
  const long = "x+".repeat(3000) + "x";
  const said = message(Q.cube, long);
  assert.equal(verdict(Q.cube, long), "malformed");
  assert.ok(said.length < 120 && !said.includes("x+x+"), said);
});

test("a configuration of another schema is refused", () => {
  assert.throws(() => check({ ...Q.cube, schema: 1 }, "3x^2", math), /schema 1/);
});

// every question of every chapter, from the configuration its committed output carries
function chapterQuestions() {
  const found = [];
  const folder = new URL("chapters/", ROOT);
  for (const name of readdirSync(folder).filter((n) => n.endsWith(".ipynb"))) {
    const notebook = JSON.parse(readFileSync(new URL(name, folder), "utf-8"));
    for (const cell of notebook.cells) {
      for (const output of cell.outputs ?? []) {
        const html = [].concat(output.data?.["text/html"] ?? []).join("");
        const match = html.match(/data-nudge-question="([^"]*)"/);
        if (match) {
          const attribute = match[1].replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
          found.push([name, JSON.parse(attribute)]);
        }
      }
    }
  }
  return found;
}

// a wrong answer to a question: a number far off, a formula that differs, a choice that is not right
// (the browser audit types the same on a page, tests/audit.py)
function wrongAnswer(q) {
  if (q.kind === "choice") return [q.options.findIndex((option) => !option.right)];
  return q.kind === "number" ? String(q.target * 3 + 7) : `${q.variables[0]} + 123`;
}

test("every chapter's question takes its own answer, and refuses a wrong one and nonsense", () => {
  const questions = chapterQuestions();
  assert.ok(questions.length >= 27, `only ${questions.length} questions found in the chapters' outputs`);
  for (const [chapter, q] of questions) {
    assert.match(verdict(q, q.typed), /^right/, `${chapter} ${q.id}: its own answer ${JSON.stringify(q.typed)}`);
    assert.doesNotMatch(verdict(q, wrongAnswer(q)), /^right|^malformed/, `${chapter} ${q.id}: ${wrongAnswer(q)}`);
    if (q.kind !== "choice") assert.equal(verdict(q, "3*("), "malformed", `${chapter} ${q.id}`);
  }
});

test("the chapters' questions take the forms a reader typed and was refused (ch4's 2xy, ch8's tanh′)", () => {
  const questions = chapterQuestions().map(([, q]) => q);
  const partial = questions.find((q) => q.typed === "2*x*y");
  const slope = questions.find((q) => q.typed === "1 - tanh(x)^2");
  for (const text of ["2xy", "yx2", "2 y x"]) assert.equal(verdict(partial, text), "right", text);
  for (const text of ["sech(x)^2", "1/cosh(x)^2", "1 - tanh^2(x)", "1 - tanh²(x)"]) assert.equal(verdict(slope, text), "right", text);
});
