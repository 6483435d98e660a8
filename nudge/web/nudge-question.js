// A check-yourself question: its only front end, in Jupyter (an anywidget) and on the website.
//
// nudge/questions.py hands over one configuration (`config`, schema SCHEMA): the question's
// words as HTML, the tolerance, the points a formula is compared at and the answer's values
// there, the known mistakes, and every message (`config.messages`, the one table a
// translator translates). This module reads the reader's text, judges it and lays the
// question out; it is the only checker there is. A reader's formulas are evaluated by mathjs,
// and the formulas in the question's words are typeset by MathJax (`typeset`). On the website
// both are the site's own copies; in Jupyter the kernel sends them (nudge.web.QuestionWidget),
// mathjs on the first check and MathJax when a text has math and the page has no MathJax that
// typesets. Nothing comes from another host.

export const SCHEMA = 2;

const REPLACE = [["**", "^"], ["×", "*"], ["·", "*"], ["⋅", "*"], ["−", "-"], ["–", "-"], ["÷", "/"], ["π", "pi"], ["ln", "log"]];
const SUPERSCRIPTS = { "⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6", "⁷": "7", "⁸": "8", "⁹": "9", "⁻": "-" };
const NEEDS_LEFT = ["*", "/", "^", ")"];
const ALLOWED = /^[0-9A-Za-z .+\-*/^()]*$/;
const TOKEN = /\s*(?:(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|([A-Za-z]+)|([-+*/^()]))/y;
// message fields that are the author's HTML; every other field is escaped (it may quote the reader)
const HTML_FIELDS = new Set(["hint"]);
// an answer longer than this is not read (nor quoted back): no formula of the book needs a tenth of it
const MAX_LENGTH = 300;

// --- reading and judging an answer -------------------------------------------------------

// the reader's text with typographic stand-ins replaced: "−3·x²" → "-3*x^2"
export function normalise(text) {
  text = String(text).trim();
  for (const [old, replacement] of REPLACE) text = text.split(old).join(replacement);
  return text.replace(/[⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+/g, (run) => "^" + [...run].map((c) => SUPERSCRIPTS[c]).join(""));
}

export class Unreadable extends Error {
  // the text is not a formula; `unknown` is set when a name this answer can't use is why
  constructor(unknown = null) {
    super(unknown ? `unknown name ${unknown}` : "unreadable");
    this.unknown = unknown;
  }
}

// the reader's text as a list of tokens: numbers, names, + - * / ^ and parentheses
function lex(text) {
  const found = [];
  const end = text.trimEnd().length;
  let position = 0;
  while (position < end) {
    TOKEN.lastIndex = position;
    const m = TOKEN.exec(text);
    if (!m) throw new Unreadable();
    found.push({ kind: m[1] !== undefined ? "num" : m[2] !== undefined ? "name" : "op", value: m[1] ?? m[2] ?? m[3] });
    position = TOKEN.lastIndex;
  }
  return found;
}

// a run of letters that no name matches, read as a product of one-letter variables when every
// variable has one letter: "xy" → x, y ("2xy", "yx2"); otherwise the name this answer can't use
function splitName(token, names, functions, constants) {
  const value = token.value;
  if (names.includes(value) || functions.includes(value) || constants.includes(value)) return [token];
  const letters = [...value];
  if (names.length && names.every((n) => n.length === 1) && letters.every((c) => names.includes(c))) {
    return letters.map((c) => ({ kind: "name", value: c }));
  }
  throw new Unreadable(value);
}

// a function's power written before its argument, as in print: "tanh^2(x)" → "(tanh(x))^2";
// only a whole power (tanh^-1 is the inverse function, not a power, and stays unreadable)
function functionPowers(raw, functions) {
  const out = [];
  for (let i = 0; i < raw.length; i++) {
    const [t, hat, power, open] = raw.slice(i, i + 4);
    const isPower = t.kind === "name" && functions.includes(t.value) && hat?.value === "^" && power?.kind === "num" && /^\d+$/.test(power.value);
    if (!isPower || open?.value !== "(") {
      out.push(t);
      continue;
    }
    let depth = 0;
    let close = i + 3;
    for (; close < raw.length; close++) {
      depth += raw[close].value === "(" ? 1 : raw[close].value === ")" ? -1 : 0;
      if (depth === 0) break;
    }
    if (close >= raw.length) throw new Unreadable();
    const argument = functionPowers(raw.slice(i + 4, close), functions);
    out.push({ kind: "op", value: "(" }, t, open, ...argument, raw[close], { kind: "op", value: ")" }, hat, power);
    i = close;
  }
  return out;
}

// the formula with every product written out, so that mathjs never guesses:
// "3x" → "3*x", "2(x+1)" → "2*(x+1)", "(x+1)(x-1)" → "(x+1)*(x-1)", "2xy" → "2*x*y" (one-letter
// variables), "tanh^2(x)" → "(tanh(x))^2"; only numbers, the allowed names, + - * / ^ and
// parentheses get through
export function tokens(text, names, functions, constants) {
  text = normalise(text);
  if (!ALLOWED.test(text)) throw new Unreadable();
  const raw = lex(text).flatMap((t) => (t.kind === "name" ? splitName(t, names, functions, constants) : [t]));
  const out = [];
  for (const { kind, value } of functionPowers(raw, functions)) {
    if (NEEDS_LEFT.includes(value) && (!out.length || "+-*/^(".includes(out[out.length - 1].value))) {
      throw new Unreadable(); // "*x", "x//2", "(^x)", "()": nothing on the operator's left
    }
    if (out.length) {
      const before = out[out.length - 1];
      const isFunction = before.kind === "name" && functions.includes(before.value);
      const endsValue = before.kind === "num" || before.value === ")" || (before.kind === "name" && !isFunction);
      const startsValue = kind === "num" || kind === "name" || value === "(";
      if (before.kind === "num" && kind === "num") throw new Unreadable(); // "3 4"
      if (isFunction && value !== "(") throw new Unreadable(); // "sin x": a function needs parentheses
      if (endsValue && startsValue) out.push({ kind: "op", value: "*" });
    }
    out.push({ kind, value });
  }
  const last = out[out.length - 1];
  if (last && last.kind === "name" && functions.includes(last.value)) throw new Unreadable();
  return out.map((t) => t.value).join("");
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

// a message of the table with its fields filled in, as HTML
export function say(config, verdict, key = verdict, fields = {}) {
  const message = config.messages[key].replace(/\{(\w+)\}/g, (_, name) =>
    HTML_FIELDS.has(name) ? fields[name] : escapeHtml(fields[name]),
  );
  return { verdict, message };
}

function close(got, want, config) {
  return Math.abs(got - want) <= config.atol + config.rtol * Math.abs(want);
}

// the formula's value at one point, NaN where it has no finite real value
function valueAt(compiled, names, point) {
  const scope = Object.fromEntries(names.map((name, i) => [name, point[i]]));
  let value;
  try {
    value = compiled.evaluate(scope);
  } catch {
    return NaN;
  }
  return typeof value === "number" && Number.isFinite(value) ? value : NaN;
}

function unreadable(config, problem, text) {
  if (problem.unknown) {
    const names = [...(config.kind === "expression" ? config.variables : []), ...config.constants].join(", ");
    const functions = config.functions.join(", ");
    return say(config, "malformed", "unknown_name", { name: problem.unknown, names, functions });
  }
  const key = config.kind === "number" ? "malformed_number" : "malformed_expression";
  return say(config, "malformed", key, { text, variables: config.variables.join(", "), example: config.example });
}

function checkChoice(config, chosen) {
  chosen = [...new Set((chosen || []).map(Number))].sort((a, b) => a - b);
  if (!chosen.length) return say(config, "empty", "empty_choice");
  for (const index of chosen) {
    const option = config.options[index];
    if (!option.right) return say(config, "mistake", "mistake", { hint: option.hint });
  }
  const right = config.options.filter((o) => o.right).length;
  return chosen.length < right ? say(config, "missing_choice") : say(config, "right");
}

function checkFormula(math, config, text) {
  const names = config.kind === "expression" ? config.variables : [];
  const points = config.kind === "expression" ? config.points : [[]];
  let compiled;
  try {
    compiled = math.parse(tokens(text, names, config.functions, config.constants)).compile();
  } catch (problem) {
    return unreadable(config, problem instanceof Unreadable ? problem : new Unreadable(), text);
  }
  const got = points.map((point) => valueAt(compiled, names, point));
  const same = (values) => got.every((g, j) => close(g, values[j], config));
  if (config.kind === "number") {
    const value = got[0];
    if (Number.isNaN(value)) return say(config, "not_finite");
    if (close(value, config.target, config)) return say(config, "right");
    for (const [wrong, hint] of config.mistakes) if (close(value, wrong, config)) return say(config, "mistake", "mistake", { hint });
    if (config.target !== 0 && close(-value, config.target, config)) return say(config, "sign");
    return say(config, "wrong", "wrong_number");
  }
  const undefinedAt = got.findIndex(Number.isNaN);
  if (undefinedAt >= 0) return say(config, "undefined", "undefined", { point: config.labels[undefinedAt] });
  if (same(config.values)) return say(config, "right", "right_expression");
  for (const [values, hint] of config.mistakes) if (same(values)) return say(config, "mistake", "mistake", { hint });
  const differ = got.findIndex((g, j) => !close(g, config.values[j], config));
  return say(config, "wrong", "wrong_expression", { point: config.labels[differ] });
}

// the verdict for a reader's text (number, expression) or chosen option numbers (choice):
// { verdict, message }, the message as HTML; `math` is mathjs (unused for a choice)
export function check(config, answer, math) {
  if (config.schema !== SCHEMA) throw new Error(`question ${config.id} has schema ${config.schema}; this module reads ${SCHEMA}`);
  if (config.kind === "choice") return checkChoice(config, answer);
  const text = answer == null ? "" : String(answer);
  if (!normalise(text)) return say(config, "empty");
  if (text.length > MAX_LENGTH) return say(config, "malformed", "too_long", { limit: MAX_LENGTH });
  return checkFormula(math, config, text);
}

// --- what the kernel sends in Jupyter: mathjs, MathJax -------------------------------------

// the text of one of the files nudge.web.QuestionWidget sends (`name`: "mathjs", "mathjax"); a
// rejection with the kernel's own words where this installation has none
export function fromKernel(model, name) {
  return new Promise((resolve, reject) => {
    const answer = (message) => {
      if (!message || !(name in message || `${name}_missing` in message)) return;
      model.off("msg:custom", answer);
      if (`${name}_missing` in message) reject(new Error(message[`${name}_missing`]));
      else resolve(message[name]);
    };
    model.on("msg:custom", answer);
    model.send({ want: name });
  });
}

// --- mathjs: the site's own copy on the website, from the kernel in Jupyter ----------------

let loading = null;

// on the website: the copy the book serves (vendor/mathjs), loaded on the first check
function mathFromSite() {
  if (globalThis.math && globalThis.math.parse) return Promise.resolve(globalThis.math);
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      const root = document.documentElement.getAttribute("data-content_root") || "";
      const script = document.createElement("script");
      script.src = root + "vendor/mathjs/math.js";
      script.onload = () => resolve(globalThis.math);
      script.onerror = () => {
        loading = null;
        reject(new Error(`could not load ${script.src}`));
      };
      document.head.appendChild(script);
    });
  }
  return loading;
}

// in Jupyter: the kernel sends mathjs's browser build (nudge.web.QuestionWidget), which runs as a module
function mathFromKernel(model) {
  if (!loading) {
    loading = fromKernel(model, "mathjs").then(async (source) => {
      const wrapped = `const module = { exports: {} }; const exports = module.exports;\n${source}\nexport default module.exports;`;
      const url = URL.createObjectURL(new Blob([wrapped], { type: "text/javascript" }));
      try {
        return (await import(url)).default;
      } finally {
        URL.revokeObjectURL(url);
      }
    });
    loading.catch(() => (loading = null));
  }
  return loading;
}

// --- MathJax: the page's own, or in Jupyter the kernel's copy ---------------------------------

// the math `nudge.questions._inline` writes: \(…\) inline, \[…\] displayed
const TEX = /\\\(|\\\[/;
// one MathJax for the whole page: every widget runs its own copy of this module (anywidget)
const PAGE = Symbol.for("nudge.mathjax");
// MathJax as the widgets set it up: it typesets only what it is given, with no fonts to fetch,
// and keeps its formulas out of the Tab order (as on the site, _config.yml)
const SETUP = {
  startup: { typeset: false },
  svg: { fontCache: "local" },
  options: { menuOptions: { settings: { inTabOrder: false } } },
};

export function hasTex(text) {
  return TEX.test(text);
}

// the TeX as an author writes it, for a page with no MathJax: "\(x^2\)" → "$x^2$"
export function plainTex(text) {
  return text.replace(/\\[()]/g, "$").replace(/\\[[\]]/g, "$$$$");
}

// a MathJax that can typeset: version 3 (a page's, or one loaded here) or 2 (the classic Notebook)
export function readyMathJax() {
  const mathjax = globalThis.MathJax;
  return mathjax && (mathjax.typesetPromise || (mathjax.Hub && mathjax.Hub.Queue)) ? mathjax : null;
}

// on the website: the page's MathJax once it has loaded; until then its first pass typesets the questions too
function mathjaxFromSite() {
  return Promise.resolve(readyMathJax());
}

// tex-svg.js (one file, no fonts), run as the page's MathJax. JupyterLab has a MathJax global of
// its own that typesets nothing (its loader); tex-svg.js then joins it and reads its settings there
function runMathJax(source) {
  return new Promise((resolve, reject) => {
    const existing = globalThis.MathJax;
    if (existing && existing.version) existing.config = { ...existing.config, ...SETUP };
    else globalThis.MathJax = { ...SETUP, ...existing };
    const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
    const script = document.createElement("script");
    script.src = url;
    script.onload = () => {
      URL.revokeObjectURL(url);
      const mathjax = globalThis.MathJax;
      if (mathjax.startup && mathjax.startup.promise) mathjax.startup.promise.then(() => resolve(mathjax), reject);
      else reject(new Error("MathJax's tex-svg.js ran but did not start"));
    };
    script.onerror = () => reject(new Error("MathJax's tex-svg.js could not run"));
    document.head.append(script);
  });
}

// in Jupyter: the page's MathJax if it can typeset (the classic Notebook, some other front ends),
// else the kernel's tex-svg.js, asked for once per page and only by a text with math in it
export function mathjaxFromKernel(model) {
  const ready = readyMathJax();
  if (ready) return Promise.resolve(ready);
  // a failure (this installation has no tex-svg.js) stays for the page, and is told once
  globalThis[PAGE] ??= { loading: fromKernel(model, "mathjax").then(runMathJax), told: false };
  return globalThis[PAGE].loading;
}

// the source of every formula in `element`, where no MathJax can typeset it
function showPlainTex(element) {
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) node.nodeValue = plainTex(node.nodeValue);
}

// the formulas of `element` typeset by the MathJax `loadMathJax` gives (none: the page typesets them);
// where none can be had, they are shown as TeX and the first question to find out says why
export async function typeset(element, loadMathJax) {
  if (!hasTex(element.textContent)) return;
  let mathjax;
  try {
    mathjax = await loadMathJax();
  } catch (problem) {
    showPlainTex(element);
    const page = globalThis[PAGE] || {};
    if (!page.told) {
      page.told = true;
      const box = element.closest(".nudge-question") || element;
      box.append(make("p", { class: "nudge-q-note", role: "note" }, escapeHtml(problem.message)));
      console.warn(`nudge-question: formulas are shown as TeX: ${problem.message}`);
    }
    return;
  }
  if (!mathjax) return;
  if (!mathjax.typesetPromise) {
    mathjax.Hub.Queue(["Typeset", mathjax.Hub, element]);
    return;
  }
  // one typesetting at a time, as MathJax asks
  const startup = mathjax.startup || {};
  const turn = (startup.promise || Promise.resolve()).then(() => mathjax.typesetPromise([element]));
  startup.promise = turn.catch((problem) => console.error(`nudge-question: MathJax failed: ${problem.message}`));
  return startup.promise;
}

// --- the question on a page ------------------------------------------------------------------

const STORE = "nudge-questions:" + (globalThis.location ? location.pathname : "");
const resets = new Set(); // every question on the page: "Clear my answers" clears them all

function stored() {
  try {
    return JSON.parse(localStorage.getItem(STORE)) || {};
  } catch {
    return {};
  }
}

function remember(id, patch) {
  try {
    const all = stored();
    all[id] = { ...(all[id] || {}), ...patch };
    localStorage.setItem(STORE, JSON.stringify(all));
  } catch {
    // storage may be off (private mode): answers just aren't remembered
  }
}

function make(tag, attributes = {}, html = null) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === true) element.setAttribute(name, "");
    else if (value !== false && value != null) element.setAttribute(name, value);
  }
  if (html != null) element.innerHTML = html;
  return element;
}

function fill(template, fields) {
  return template.replace(/\{(\w+)\}/g, (_, name) => escapeHtml(fields[name]));
}

let mounted = 0;

// lay the question out in `box` (emptied first) and make it answerable; `loadMath` gives mathjs,
// `loadMathJax` the MathJax that typesets its formulas
export function mount(box, config, { loadMath = mathFromSite, loadMathJax = mathjaxFromSite } = {}) {
  const words = config.messages;
  const uid = `${config.id}-${++mounted}`; // one question may be shown twice (a cell run again)
  box.replaceChildren();
  box.classList.add("nudge-question", "mathjax_process");
  box.append(make("p", { class: "nudge-q-prompt", id: `${uid}-prompt` }, `<span class="nudge-q-tag">${words.tag}</span> ${config.prompt}`));
  const form = make("form", { class: "nudge-q-form", novalidate: true });
  let input = null;
  const options = [];
  if (config.kind === "choice") {
    const fieldset = make("fieldset", { "aria-describedby": `${uid}-prompt` });
    fieldset.append(make("legend", {}, config.multiple ? words.choose_all : words.choose_one));
    config.options.forEach((option, index) => {
      const row = make("div", { class: "nudge-q-option" });
      const choice = make("input", {
        type: config.multiple ? "checkbox" : "radio",
        name: `${uid}-choice`,
        id: `${uid}-o${index}`,
        value: index,
        "aria-label": option.spoken,
      });
      options.push(choice);
      row.append(choice, make("label", { for: `${uid}-o${index}` }, option.html));
      fieldset.append(row);
    });
    form.append(fieldset);
  } else {
    const what = config.kind === "number" ? words.a_number : fill(words.a_formula, { variables: config.variables.join(", ") });
    form.append(make("label", { for: `${uid}-input` }, fill(words.your_answer, { what })));
    input = make("input", {
      type: "text",
      id: `${uid}-input`,
      class: "nudge-q-input",
      autocomplete: "off",
      autocapitalize: "off",
      spellcheck: "false",
      "aria-describedby": `${uid}-prompt ${uid}-feedback`,
    });
    form.append(input);
    // what may be typed, one click away from every question that takes typing
    const howto = make("details", { class: "nudge-q-howto" });
    howto.append(
      make("summary", {}, words.how_to_type),
      make("p", {}, fill(words.how_to_type_text, { functions: config.functions.join(", ") })),
    );
    form.append(howto);
  }
  const buttons = make("div", { class: "nudge-q-buttons" });
  const checkButton = make("button", { type: "submit", class: "nudge-q-check" }, words.check);
  const hintButton = config.hints.length ? make("button", { type: "button", class: "nudge-q-hint" }, words.hint) : null;
  const showButton = make("button", { type: "button", class: "nudge-q-show" }, words.show);
  const clearButton = make("button", { type: "button", class: "nudge-q-clear" }, words.clear);
  buttons.append(...[checkButton, hintButton, showButton, clearButton].filter(Boolean));
  form.append(buttons);
  const feedback = make("p", { class: "nudge-q-feedback", id: `${uid}-feedback`, role: "status", "aria-live": "polite" });
  const hintList = make("ol", { class: "nudge-q-hints", "aria-label": words.hints });
  const hints = config.hints.map((hint) => make("li", { hidden: true }, hint));
  hintList.append(...hints);
  const answerBlock = make("div", { class: "nudge-q-answer", hidden: true }, `<strong>${words.answer}</strong> ${config.answer}`);
  const explain = config.explain ? make("div", { class: "nudge-q-explain", hidden: true }, `<strong>${words.why}</strong> ${config.explain}`) : null;
  box.append(form, feedback, ...(hints.length ? [hintList] : []), answerBlock, ...(explain ? [explain] : []));

  const given = () => (input ? input.value : options.filter((o) => o.checked).map((o) => Number(o.value)));
  const reveal = (element) => {
    if (element && element.hidden) {
      element.hidden = false;
      typeset(element, loadMathJax);
    }
  };
  const showHints = (count) => {
    hints.forEach((li, i) => i < count && reveal(li));
    if (hintButton) hintButton.disabled = count >= hints.length;
  };
  const judge = async (keep) => {
    const answer = given();
    try {
      const math = config.kind === "choice" ? null : await loadMath();
      const result = check(config, answer, math);
      feedback.innerHTML = result.message;
      typeset(feedback, loadMathJax);
      box.setAttribute("data-verdict", result.verdict);
      if (result.verdict.startsWith("right")) reveal(explain);
      if (keep) remember(config.id, { answer });
    } catch (problem) {
      feedback.innerHTML = fill(words.checker_failed, { problem: problem.message });
      box.setAttribute("data-verdict", "error");
      console.error(`nudge-question ${config.id}: ${problem.message}`);
    }
  };

  // what the reader types is the question's, not the notebook's (in JupyterLab Enter, A, B, … are
  // commands of the notebook, which listens on the document once the event has bubbled up)
  form.addEventListener("keydown", (event) => event.stopPropagation());
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    judge(true);
  });
  // a button that is about to be disabled would drop the focus to the page's top: keep it in the question
  const stayInQuestion = (button) => {
    (input ?? options[0] ?? checkButton).focus();
    button.disabled = true;
  };
  hintButton?.addEventListener("click", () => {
    const count = hints.filter((li) => !li.hidden).length + 1;
    if (count >= hints.length) stayInQuestion(hintButton);
    showHints(count);
    remember(config.id, { hints: count });
  });
  showButton.addEventListener("click", () => {
    reveal(answerBlock);
    reveal(explain);
    stayInQuestion(showButton);
    remember(config.id, { shown: true });
  });
  clearButton.addEventListener("click", () => {
    try {
      localStorage.removeItem(STORE);
    } catch {
      // nothing stored
    }
    resets.forEach((reset) => reset());
  });
  const reset = () => {
    if (input) input.value = "";
    options.forEach((o) => (o.checked = false));
    feedback.textContent = "";
    box.removeAttribute("data-verdict");
    hints.forEach((li) => (li.hidden = true));
    if (hintButton) hintButton.disabled = false;
    answerBlock.hidden = true;
    showButton.disabled = false;
    if (explain) explain.hidden = true;
  };
  resets.add(reset);
  typeset(box, loadMathJax);

  const earlier = stored()[config.id];
  if (earlier) {
    if (earlier.hints) showHints(earlier.hints);
    if (earlier.shown) {
      reveal(answerBlock);
      reveal(explain);
      showButton.disabled = true;
    }
    if (earlier.answer !== undefined) {
      if (input) input.value = earlier.answer;
      options.forEach((o) => (o.checked = earlier.answer.includes(Number(o.value))));
      judge(false);
    }
  }
  return () => resets.delete(reset);
}

// every question of a page, from the configuration its HTML carries (the website)
export function mountAll(root = document) {
  for (const box of root.querySelectorAll("div.nudge-question[data-nudge-question]")) {
    let config;
    try {
      config = JSON.parse(box.getAttribute("data-nudge-question"));
      if (config.schema !== SCHEMA) throw new Error(`schema ${config.schema}; this module reads ${SCHEMA}`);
    } catch (problem) {
      console.error(`nudge-question ${box.id}: can't be read: ${problem.message}`);
      continue;
    }
    mount(box, config);
  }
}

// the anywidget face (Jupyter): the same question, from the widget's `config`
export default {
  render({ model, el }) {
    return mount(el, model.get("config"), {
      loadMath: () => mathFromKernel(model),
      loadMathJax: () => mathjaxFromKernel(model),
    });
  },
};
