// Formulas stay out of the Tab order (`inTabOrder: false` in _config.yml), except one wider than its
// column: it scrolls sideways, and a keyboard reader needs a Tab stop to scroll it (WCAG 2.1.1)
(() => {
  const mark = () => {
    for (const formula of document.querySelectorAll('mjx-container[display="true"]')) {
      const scrolls = formula.scrollWidth > formula.clientWidth;
      if (scrolls) formula.setAttribute("tabindex", "0");
      else if (formula.getAttribute("tabindex") === "0") formula.removeAttribute("tabindex");
    }
  };
  window.addEventListener("load", () => {
    if (!window.MathJax || !MathJax.startup) return;
    MathJax.startup.promise.then(() => {
      mark();
      window.addEventListener("resize", mark);
    });
  });
})();
