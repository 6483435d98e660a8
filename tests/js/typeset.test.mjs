// How the question module has its formulas typeset (nudge/web/nudge-question.js, `typeset`): by the
// page's MathJax where it can typeset, else (Jupyter) by the one the kernel sends, asked for once a page.
// The real MathJax in a real JupyterLab: tests/test_lab.py.
import { test } from "node:test";
import assert from "node:assert/strict";
import { hasTex, mathjaxFromKernel, plainTex, typeset } from "../../nudge/web/nudge-question.js";

const PAGE = Symbol.for("nudge.mathjax");

// a widget's model whose kernel answers a request with `reply` (a message, or nothing)
function kernel(reply) {
  const listeners = new Set();
  const model = {
    asked: [],
    on: (_, listener) => listeners.add(listener),
    off: (_, listener) => listeners.delete(listener),
    send(message) {
      model.asked.push(message);
      if (reply) queueMicrotask(() => [...listeners].forEach((listener) => listener(reply)));
    },
    listeners,
  };
  return model;
}

function fresh() {
  delete globalThis.MathJax;
  delete globalThis[PAGE];
}

test("math is what nudge.questions writes, and without MathJax it reads as an author writes it", () => {
  assert.ok(hasTex("\\(G B^\\top\\), shape \\(3 \\times 4\\)"));
  assert.ok(hasTex("\\[x^2\\]"));
  assert.ok(!hasTex("It costs $5, and (x) is not math"));
  assert.equal(plainTex("\\(G B^\\top\\), shape \\(3 \\times 4\\)"), "$G B^\\top$, shape $3 \\times 4$");
  assert.equal(plainTex("\\[x^2\\]"), "$$x^2$$");
});

test("a page's MathJax that typesets is used: the kernel is not asked", async () => {
  fresh();
  const typesets = [];
  globalThis.MathJax = { typesetPromise: async (elements) => typesets.push(...elements), startup: { promise: Promise.resolve() } };
  const model = kernel(null);
  assert.equal(await mathjaxFromKernel(model), globalThis.MathJax);
  assert.deepEqual(model.asked, []);
  const element = { textContent: "The slope \\(2x\\)" };
  await typeset(element, () => mathjaxFromKernel(model));
  assert.deepEqual(typesets, [element]);
  fresh();
});

test("the classic Notebook's MathJax 2 is used through its queue", async () => {
  fresh();
  const queued = [];
  globalThis.MathJax = { Hub: { Queue: (...calls) => queued.push(...calls) } };
  const element = { textContent: "\\(x\\)" };
  await typeset(element, () => mathjaxFromKernel(kernel(null)));
  assert.deepEqual(queued, [["Typeset", globalThis.MathJax.Hub, element]]);
  fresh();
});

test("a text without math loads nothing", async () => {
  fresh();
  let loads = 0;
  await typeset({ textContent: "Check. Choose one. ✓ Right." }, () => loads++);
  assert.equal(loads, 0);
});

test("typesetting waits its turn: MathJax typesets one element at a time", async () => {
  fresh();
  const order = [];
  let release;
  const first = new Promise((done) => (release = done));
  globalThis.MathJax = {
    typesetPromise: async ([element]) => {
      order.push(`start ${element.name}`);
      if (element.name === "a") await first;
      order.push(`end ${element.name}`);
    },
    startup: { promise: Promise.resolve() },
  };
  const load = () => Promise.resolve(globalThis.MathJax);
  const a = typeset({ name: "a", textContent: "\\(a\\)" }, load);
  const b = typeset({ name: "b", textContent: "\\(b\\)" }, load);
  await new Promise((done) => setTimeout(done, 10));
  release();
  await Promise.all([a, b]);
  assert.deepEqual(order, ["start a", "end a", "start b", "end b"]);
  fresh();
});

test("where the installation has no MathJax, every widget of the page hears the kernel's words, asked once", async () => {
  fresh();
  const words = "Formulas are shown as TeX: MathJax is not installed here (/x/tex-svg.js)";
  const first = kernel({ mathjax_missing: words });
  const second = kernel({ mathjax_missing: words });
  await assert.rejects(mathjaxFromKernel(first), { message: words });
  await assert.rejects(mathjaxFromKernel(second), { message: words });
  assert.deepEqual(first.asked, [{ want: "mathjax" }]);
  assert.deepEqual(second.asked, []); // one request a page, whichever widget asks first
  assert.equal(first.listeners.size, 0); // the widget stops listening once answered
  fresh();
});
