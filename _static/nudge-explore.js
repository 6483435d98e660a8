// Static explorers: native range sliders switch between frames drawn when the book was built.
// Each <figure class="nudge-explorer"> carries its frames and alt texts in data-nudge (JSON);
// the first frame is already in <img src>, so the page reads fine without this script.
(function () {
  "use strict";

  function setup(figure) {
    var config = JSON.parse(figure.getAttribute("data-nudge"));
    if (!config.frames || config.frames.length === 0) return; // a preview: nothing to switch
    var img = figure.querySelector("img.nudge-frame");
    var inputs = Array.prototype.slice.call(figure.querySelectorAll("input[type=range]"));
    var shape = config.shape;

    function flatIndex() {
      // row-major: the first slider varies slowest, as the frames were drawn
      var index = 0;
      for (var i = 0; i < inputs.length; i++) {
        index = index * shape[i] + Number(inputs[i].value);
      }
      return index;
    }

    function show() {
      var index = flatIndex();
      img.src = config.frames[index];
      img.alt = config.alts[index];
      inputs.forEach(function (input) {
        var text = JSON.parse(input.getAttribute("data-readouts"))[Number(input.value)];
        input.setAttribute("aria-valuetext", text);
        var output = figure.querySelector('output[for="' + input.id + '"]');
        if (output) output.textContent = text;
      });
    }

    inputs.forEach(function (input) {
      input.disabled = false;
      input.addEventListener("input", show);
    });
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
