// The book's JupyterLite pages: say so when Python can't be downloaded, instead of a cell waiting at [*].
// Pyodide (Python in the browser) and its numpy, sympy and matplotlib come from their CDN: no package
// registry ships the WebAssembly builds of numpy and matplotlib, so the site can't serve them. Copied
// into the site's lite folder, with the address below filled in, by _ext/nudge_site.py.
(() => {
  const PYODIDE = "__PYODIDE_URL__";
  const HOST = new URL(PYODIDE).host;
  const HELP = new URL("../how-to-use.html#run-the-code", document.currentScript.src).href;

  function say(text) {
    if (document.getElementById("nudge-lite-offline")) return;
    const box = document.createElement("div");
    box.id = "nudge-lite-offline";
    box.setAttribute("role", "alert");
    box.style.cssText =
      "position:fixed;top:0;left:0;right:0;z-index:10000;padding:0.75em 1em;font:15px/1.4 system-ui,sans-serif;" +
      "background:#fff4e5;color:#4a2a00;border-bottom:2px solid #b35c00";
    box.append(text + " ");
    const link = document.createElement("a");
    link.href = HELP;
    link.textContent = "Other ways to run the code";
    link.style.color = "#0b4f8a";
    box.append(link);
    document.body.append(box);
  }

  fetch(PYODIDE, { method: "HEAD", mode: "no-cors", cache: "no-store" }).catch(() =>
    say(
      `Python can't start here: the in-browser Python and its libraries download from ${HOST}, ` +
        "which this browser can't reach (are you offline?). The book's pages work without the internet; " +
        "this button doesn't.",
    ),
  );
})();
