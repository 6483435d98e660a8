// The website's entry point: every interactive element of the page, mounted from its HTML's configuration.
import { mountAll as mountExplorers } from "./nudge-explorer.js";
import { loadCatalog, localisePage } from "./nudge-i18n.js";
import { mountAll as mountQuestions } from "./nudge-question.js";

async function mountAll() {
  // a translated edition's words, before anything is shown (nudge-i18n.js)
  localisePage(await loadCatalog(document), document);
  mountExplorers(document);
  mountQuestions(document);
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mountAll);
else mountAll();
