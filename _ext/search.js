// The book's tweaks to Sphinx's search (`html_search_scorer` in _config.yml: Sphinx appends this file to
// language_data.js, which the search page loads after searchtools.js, so `Search` and `Scorer` exist).
if (typeof Search !== "undefined" && typeof Scorer !== "undefined") {
  // a page whose title holds the whole query comes first, and more so when its title proper (before a
  // colon) does: "chain rule" finds "The chain rule: …" before "Automatic differentiation: the chain
  // rule as a program"; then chapters before their exercises and solutions
  const TITLE_BOOST = 30;
  const HEAD_BOOST = 10;
  Scorer.score = ([docname, title, anchor, descr, score]) => {
    const query = (new URLSearchParams(window.location.search).get("q") || "").toLowerCase().trim();
    const page = String(title).split(" > ")[0].toLowerCase();
    let boost = 0;
    if (query && page.includes(query)) {
      boost += TITLE_BOOST;
      if (page.split(":")[0].includes(query)) boost += HEAD_BOOST;
    }
    if (String(docname).startsWith("chapters/")) boost += 1;
    return score + boost;
  };

  // a snippet is read from the page's text: the theme's main element also holds the article header
  // (launch and download menus: ".ipynb", ".pdf") and a print-only copy of the title and contents
  const NOT_TEXT = ".headerlink, script, style, .onlyprint, .bd-header-article, .prev-next-area, footer, .bd-sidebar-secondary";
  const readText = Search.htmlToText;
  Search.htmlToText = (htmlString, anchor) => {
    const page = new DOMParser().parseFromString(htmlString, "text/html");
    const main = page.querySelector('[role="main"]');
    if (!main) return readText(htmlString, anchor);
    main.querySelectorAll(NOT_TEXT).forEach((element) => element.remove());
    // inline math reads as its TeX, without the \( \) MathJax looks for
    main.querySelectorAll("span.math").forEach((math) => {
      math.textContent = math.textContent.replace(/^\\\(|\\\)$/g, "");
    });
    const part = anchor ? main.querySelector(anchor) : null;
    return (part || main).textContent;
  };
}
