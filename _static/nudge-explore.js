// Static explorers: native range sliders switch between frames drawn when the book was built.
// Each <figure class="nudge-explorer"> carries its manifest in data-nudge (JSON; nudge/frames.py
// writes it and owns its schema); the first frame is already in <img src>, so the page reads
// fine without this script.
//
// Frames are fetched before the reader asks for them, nearest grid points first, and decoded as
// they arrive: at low priority while an explorer is in view (a reader who scrolls past stops the
// fetching), at once when a slider is focused or pressed. Before a slider is touched, the page's
// explorers share a budget (AHEAD_BYTES, from the sizes in the manifests): a reader scrolling
// through a chapter without touching anything fetches at most that much of frames. A reader who
// asked the browser to save data (or is on a 2g connection) gets only the frames next to the one
// shown, after touching a slider. Setting window.nudgeOnDemand = true before this script runs
// turns the fetching ahead off (each frame is fetched when shown): `make bench` compares the two;
// window.nudgeAheadBytes sets the budget (the tests do).
(function () {
  "use strict";

  var SCHEMA = 3; // nudge.frames.SCHEMA_VERSION: the only manifest this script reads
  var IN_FLIGHT = 6; // requests at a time: what a browser opens to one host over HTTP/1.1
  // bytes of frames fetched ahead, page-wide, before the reader touches a slider: with the page
  // itself (about 1 MB, `make bench`), under the 2.5 MB a chapter may transfer before any interaction
  var AHEAD_BYTES = typeof window.nudgeAheadBytes === "number" ? window.nudgeAheadBytes : 1000000;
  var aheadSpent = 0;
  var connection = navigator.connection || {};
  var frugal = connection.saveData === true || /(^|-)2g$/.test(connection.effectiveType || "");

  function setup(figure) {
    var config = JSON.parse(figure.getAttribute("data-nudge"));
    if (config.version !== SCHEMA) {
      console.error(
        "nudge-explore.js: explorer " + figure.id + " has a frame manifest of version " + config.version +
          ", but this script reads version " + SCHEMA + "; rebuild the book (make book) so pages and script match"
      );
      return;
    }
    if (config.frames.length === 0) return; // a preview: nothing to switch
    var img = figure.querySelector("img.nudge-frame");
    var inputs = Array.prototype.slice.call(figure.querySelectorAll("input[type=range]"));
    var readouts = inputs.map(function (input) {
      return JSON.parse(input.getAttribute("data-readouts"));
    });
    var shape = config.shape;
    // the size the browser picked from srcset (twice the pixels where the 1x frame would be
    // stretched: a wide text column, a high-density screen); the 1x one for a reader saving data
    var start = flatIndex(position());
    var shown = img.getBoundingClientRect().width || Number(img.getAttribute("width"));
    var sharp = img.currentSrc
      ? img.currentSrc === new URL(config.frames_2x[start], document.baseURI).href
      : shown * (window.devicePixelRatio || 1) > 1.1 * Number(img.getAttribute("width"));
    var frames = sharp && !frugal ? config.frames_2x : config.frames;
    var sizes = sharp && !frugal ? config.sizes_2x : config.sizes;
    var loaded = {}; // index -> Image, kept so the browser keeps the picture at hand
    var queue = [];
    var busy = 0;
    var priority = "low";
    var inView = false;
    var queued = false;
    var touched = false;

    function position() {
      return inputs.map(function (input) {
        return Number(input.value);
      });
    }

    function flatIndex(at) {
      // row-major: the first slider varies slowest, as the frames were drawn
      var index = 0;
      for (var i = 0; i < at.length; i++) index = index * shape[i] + at[i];
      return index;
    }

    function byDistance(limit) {
      // every grid point within `limit` slider steps of the current one, nearest first
      var here = position();
      var points = [];
      for (var index = 0; index < frames.length; index++) {
        var rest = index;
        var distance = 0;
        for (var i = shape.length - 1; i >= 0; i--) {
          distance += Math.abs((rest % shape[i]) - here[i]);
          rest = Math.floor(rest / shape[i]);
        }
        if (distance <= limit) points.push([distance, index]);
      }
      points.sort(function (a, b) {
        return a[0] - b[0] || a[1] - b[1];
      });
      return points.map(function (point) {
        return point[1];
      });
    }

    function pump() {
      while (busy < IN_FLIGHT && queue.length && (inView || touched)) {
        var index = queue[0];
        if (!loaded[index] && !touched) {
          if (aheadSpent + sizes[index] > AHEAD_BYTES) return; // the rest waits for a touch
          aheadSpent += sizes[index];
        }
        queue.shift();
        if (loaded[index]) continue;
        var picture = new Image();
        picture.fetchPriority = priority;
        busy += 1;
        picture.src = frames[index];
        loaded[index] = picture;
        // fetched and decoded off the main thread: a slider reaching it has nothing left to wait for
        picture.decode().then(next, next);
      }
    }

    function next() {
      busy -= 1;
      pump();
    }

    function fetchAhead(urgent, limit) {
      if (urgent) priority = "high";
      queue = byDistance(limit);
      pump();
    }

    function show() {
      var index = flatIndex(position());
      img.removeAttribute("srcset"); // from the first move on, this script chooses the size
      img.src = frames[index];
      img.alt = config.alts[index];
      inputs.forEach(function (input, i) {
        var text = readouts[i][Number(input.value)];
        input.setAttribute("aria-valuetext", text);
        var output = figure.querySelector('output[for="' + input.id + '"]');
        if (output) output.textContent = text;
      });
      if (frugal) fetchAhead(true, 1);
    }

    // the picture the browser chose, now by this script's choice (the same file: nothing is fetched);
    // where the script chose the other size (saving data), the picture stays until the first move
    if (img.currentSrc === new URL(frames[start], document.baseURI).href) {
      img.removeAttribute("srcset");
      img.src = frames[start];
      loaded[start] = img;
    }
    inputs.forEach(function (input) {
      input.disabled = false;
      input.addEventListener("input", show);
    });
    if (window.nudgeOnDemand) return;
    function onTouch() {
      if (touched) return;
      touched = true;
      fetchAhead(true, frugal ? 1 : Infinity);
    }
    figure.addEventListener("focusin", onTouch);
    figure.addEventListener("pointerdown", onTouch);
    if (frugal || !("IntersectionObserver" in window)) return;
    var watcher = new IntersectionObserver(
      function (entries) {
        inView = entries[entries.length - 1].isIntersecting;
        if (touched) {
          watcher.disconnect();
        } else if (inView && !queued) {
          queued = true;
          fetchAhead(false, Infinity);
        } else {
          pump(); // back in view: carry on where the fetching stopped
        }
      },
      { rootMargin: "200px 0px" }
    );
    watcher.observe(figure);
  }

  function init() {
    var figures = document.querySelectorAll("figure.nudge-explorer");
    for (var i = 0; i < figures.length; i++) setup(figures[i]);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
