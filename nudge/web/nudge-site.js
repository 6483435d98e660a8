// The website's entry point: every interactive element of the page, mounted from its HTML's configuration.
import { mountAll as mountExplorers } from "./nudge-explorer.js";
import { mountAll as mountQuestions } from "./nudge-question.js";

function mountAll() {
  mountExplorers(document);
  mountQuestions(document);
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mountAll);
else mountAll();
