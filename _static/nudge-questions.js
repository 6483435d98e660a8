// Check-yourself questions on the static site: answered and checked in the page, no kernel.
// Each <div class="nudge-question"> carries in data-nudge-question (JSON, written by
// nudge/questions.py) everything a verdict depends on: tolerances, the points a formula is
// compared at and the answer's values there, the known mistakes and every message. This
// script reads the reader's text by the same rules as `nudge.questions.tokens` and evaluates
// it with mathjs, which the book serves itself (vendor/mathjs, loaded on the first check).
(function () {
  "use strict";

  var SCHEMA = 1;
  var REPLACE = [["**", "^"], ["×", "*"], ["·", "*"], ["⋅", "*"], ["−", "-"], ["–", "-"], ["÷", "/"], ["π", "pi"], ["ln", "log"]];
  var SUPERSCRIPTS = { "⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6", "⁷": "7", "⁸": "8", "⁹": "9", "⁻": "-" };
  var NEEDS_LEFT = ["*", "/", "^", ")"];
  var ALLOWED = /^[0-9A-Za-z .+\-*/^()]*$/;
  var TOKEN = /\s*(?:(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|([A-Za-z]+)|([-+*/^()]))/y;

  function normalise(text) {
    text = String(text).trim();
    REPLACE.forEach(function (pair) { text = text.split(pair[0]).join(pair[1]); });
    return text.replace(/[⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+/g, function (run) {
      return "^" + run.split("").map(function (c) { return SUPERSCRIPTS[c]; }).join("");
    });
  }

  function Unreadable(name) { this.name = name || null; }

  // the formula with every product written out (see nudge.questions.tokens)
  function tokens(text, names, functions, constants) {
    text = normalise(text);
    if (!ALLOWED.test(text)) throw new Unreadable();
    var out = [];
    var end = text.replace(/\s+$/, "").length;
    var position = 0;
    while (position < end) {
      TOKEN.lastIndex = position;
      var m = TOKEN.exec(text);
      if (!m) throw new Unreadable();
      var kind = m[1] !== undefined ? "num" : m[2] !== undefined ? "name" : "op";
      var value = m[1] !== undefined ? m[1] : m[2] !== undefined ? m[2] : m[3];
      if (kind === "name" && names.indexOf(value) < 0 && functions.indexOf(value) < 0 && constants.indexOf(value) < 0) {
        throw new Unreadable(value);
      }
      if (NEEDS_LEFT.indexOf(value) >= 0 && (!out.length || "+-*/^(".indexOf(out[out.length - 1].value) >= 0)) {
        throw new Unreadable(); // "*x", "x//2", "(^x)", "()": nothing on the operator's left
      }
      if (out.length) {
        var before = out[out.length - 1];
        var isFunction = before.kind === "name" && functions.indexOf(before.value) >= 0;
        var endsValue = before.kind === "num" || before.value === ")" || (before.kind === "name" && !isFunction);
        var startsValue = kind === "num" || kind === "name" || value === "(";
        if (before.kind === "num" && kind === "num") throw new Unreadable();
        if (isFunction && value !== "(") throw new Unreadable();
        if (endsValue && startsValue) out.push({ kind: "op", value: "*" });
      }
      out.push({ kind: kind, value: value });
      position = TOKEN.lastIndex;
    }
    var last = out[out.length - 1];
    if (last && last.kind === "name" && functions.indexOf(last.value) >= 0) throw new Unreadable();
    return out.map(function (t) { return t.value; }).join("");
  }

  var mathReady = null;
  function loadMath() {
    if (window.math && window.math.parse) return Promise.resolve(window.math);
    if (!mathReady) {
      mathReady = new Promise(function (resolve, reject) {
        var root = document.documentElement.getAttribute("data-content_root") || "";
        var script = document.createElement("script");
        script.src = root + "vendor/mathjs/math.js";
        script.onload = function () { resolve(window.math); };
        script.onerror = function () {
          mathReady = null;
          reject(new Error("could not load " + script.src));
        };
        document.head.appendChild(script);
      });
    }
    return mathReady;
  }

  function say(config, code, key, fields) {
    var message = config.messages[key || code].replace(/\{(\w+)\}/g, function (_, name) { return fields[name]; });
    return { verdict: code, message: message };
  }

  function close(got, want, config) { return Math.abs(got - want) <= config.atol + config.rtol * Math.abs(want); }

  // the formula's value at one point, NaN where it has no finite real value
  function valueAt(compiled, names, point) {
    var scope = {};
    names.forEach(function (name, i) { scope[name] = point[i]; });
    var value = compiled.evaluate(scope);
    return typeof value === "number" && isFinite(value) ? value : NaN;
  }

  function unreadable(config, problem, text, key) {
    if (problem.name) {
      var names = (config.kind === "expression" ? config.variables : []).concat(config.constants).join(", ");
      return say(config, "malformed", "unknown_name", { name: problem.name, names: names });
    }
    return say(config, "malformed", key, { text: text, variables: config.variables.join(", "), example: "3*x^2" });
  }

  function checkChoice(config, chosen) {
    chosen = Array.from(new Set((chosen || []).map(Number))).sort(function (a, b) { return a - b; });
    if (!chosen.length) return say(config, "empty", "empty_choice", {});
    for (var i = 0; i < chosen.length; i++) {
      var verdict = config.options[chosen[i]];
      if (verdict !== true) return say(config, "mistake", null, { hint: verdict });
    }
    var right = config.options.filter(function (v) { return v === true; }).length;
    return chosen.length < right ? say(config, "missing_choice", null, {}) : say(config, "right", null, {});
  }

  function checkFormula(math, config, text) {
    var names = config.kind === "expression" ? config.variables : [];
    var compiled, got;
    try {
      compiled = math.parse(tokens(text, names, config.functions, config.constants)).compile();
      var points = config.kind === "expression" ? config.points : [[]];
      got = points.map(function (point) { return valueAt(compiled, names, point); });
    } catch (problem) {
      var key = config.kind === "number" ? "malformed_number" : "malformed_expression";
      return unreadable(config, problem instanceof Unreadable ? problem : new Unreadable(), text, key);
    }
    if (config.kind === "number") {
      var value = got[0];
      if (isNaN(value)) return say(config, "not_finite", null, {});
      if (close(value, config.answer, config)) return say(config, "right", null, {});
      for (var k = 0; k < config.mistakes.length; k++) {
        if (close(value, config.mistakes[k][0], config)) return say(config, "mistake", null, { hint: config.mistakes[k][1] });
      }
      if (config.answer !== 0 && close(-value, config.answer, config)) return say(config, "sign", null, {});
      return say(config, "wrong", "wrong_number", {});
    }
    for (var i = 0; i < got.length; i++) {
      if (isNaN(got[i])) return say(config, "undefined", null, { point: config.labels[i] });
    }
    function same(values) { return got.every(function (g, j) { return close(g, values[j], config); }); }
    if (same(config.values)) return say(config, "right", "right_expression", {});
    for (var m = 0; m < config.mistakes.length; m++) {
      if (same(config.mistakes[m][0])) return say(config, "mistake", null, { hint: config.mistakes[m][1] });
    }
    var differ = got.findIndex(function (g, j) { return !close(g, config.values[j], config); });
    return say(config, "wrong", "wrong_expression", { point: config.labels[differ] });
  }

  // the verdict for a reader's text (number, expression) or chosen option numbers (choice)
  function check(config, answer) {
    if (config.schema !== SCHEMA) {
      return Promise.reject(new Error("question " + config.id + " has schema " + config.schema + ", this script reads " + SCHEMA));
    }
    if (config.kind === "choice") return Promise.resolve(checkChoice(config, answer));
    var text = answer == null ? "" : String(answer);
    if (!normalise(text)) return Promise.resolve(say(config, "empty", null, {}));
    return loadMath().then(function (math) { return checkFormula(math, config, text); });
  }

  // --- the page -----------------------------------------------------------------------

  var STORE = "nudge-questions:" + location.pathname;
  function load() {
    try { return JSON.parse(localStorage.getItem(STORE)) || {}; } catch (e) { return {}; }
  }
  function save(id, patch) {
    try {
      var all = load();
      all[id] = Object.assign(all[id] || {}, patch);
      localStorage.setItem(STORE, JSON.stringify(all));
    } catch (e) { /* storage may be off (private mode): answers just aren't remembered */ }
  }

  function typeset(element) {
    if (window.MathJax && window.MathJax.typesetPromise) window.MathJax.typesetPromise([element]).catch(function () {});
  }

  function setup(box, resets) {
    var config;
    try {
      config = JSON.parse(box.getAttribute("data-nudge-question"));
      if (config.schema !== SCHEMA) throw new Error("schema " + config.schema + ", this script reads " + SCHEMA);
    } catch (problem) {
      console.error("nudge-questions: question " + box.id + " can't be read: " + problem.message);
      return;
    }
    var form = box.querySelector("form");
    var input = box.querySelector("input.nudge-q-input");
    var options = Array.prototype.slice.call(box.querySelectorAll(".nudge-q-option input"));
    var feedback = box.querySelector(".nudge-q-feedback");
    var hints = Array.prototype.slice.call(box.querySelectorAll(".nudge-q-hints li"));
    var hintButton = box.querySelector("button.nudge-q-hint");
    var showButton = box.querySelector("button.nudge-q-show");
    var answerBlock = box.querySelector(".nudge-q-answer");
    var explain = box.querySelector(".nudge-q-explain");
    Array.prototype.forEach.call(box.querySelectorAll("input, button"), function (el) { el.disabled = false; });

    function answer() {
      if (input) return input.value;
      return options.filter(function (o) { return o.checked; }).map(function (o) { return Number(o.value); });
    }
    function reveal(element) {
      if (element && element.hidden) { element.hidden = false; typeset(element); }
    }
    function showHints(count) {
      hints.forEach(function (li, i) { if (i < count) reveal(li); });
      if (hintButton) hintButton.disabled = count >= hints.length;
    }
    function run(remember) {
      var given = answer();
      return check(config, given).then(function (result) {
        feedback.textContent = result.message;
        box.setAttribute("data-verdict", result.verdict);
        if (result.verdict.indexOf("right") === 0) reveal(explain);
        if (remember) save(config.id, { answer: given });
      }, function (problem) {
        feedback.textContent = "The checker couldn't run: " + problem.message;
        box.setAttribute("data-verdict", "error");
        console.error("nudge-questions: " + config.id + ": " + problem.message);
      });
    }

    form.addEventListener("submit", function (event) { event.preventDefault(); run(true); });
    if (hintButton) hintButton.addEventListener("click", function () {
      var count = hints.filter(function (li) { return !li.hidden; }).length + 1;
      showHints(count);
      save(config.id, { hints: count });
    });
    showButton.addEventListener("click", function () {
      reveal(answerBlock);
      showButton.disabled = true;
      save(config.id, { shown: true });
    });
    box.querySelector("button.nudge-q-clear").addEventListener("click", function () {
      try { localStorage.removeItem(STORE); } catch (e) { /* nothing stored */ }
      resets.forEach(function (reset) { reset(); });
    });
    resets.push(function () {
      if (input) input.value = "";
      options.forEach(function (o) { o.checked = false; });
      feedback.textContent = "";
      box.removeAttribute("data-verdict");
      hints.forEach(function (li) { li.hidden = true; });
      if (hintButton) hintButton.disabled = false;
      answerBlock.hidden = true;
      showButton.disabled = false;
      if (explain) explain.hidden = true;
    });

    var stored = load()[config.id];
    if (stored) {
      if (stored.hints) showHints(stored.hints);
      if (stored.shown) { reveal(answerBlock); showButton.disabled = true; }
      if (stored.answer !== undefined) {
        if (input) input.value = stored.answer;
        options.forEach(function (o) { o.checked = stored.answer.indexOf(Number(o.value)) >= 0; });
        run(false);
      }
    }
  }

  function init() {
    var resets = [];
    Array.prototype.forEach.call(document.querySelectorAll("div.nudge-question"), function (box) { setup(box, resets); });
  }

  window.NudgeQuestions = { check: check, normalise: normalise, tokens: tokens };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
