// The website's translations of what the front ends show (questions, explorers), at display time.
//
// Every edition of the site shares the same executed pages, whose questions and explorers carry
// their words in English; a translated edition (<html lang="ko">, "zh-Hans", "zh-Hant") serves
// its catalog as _static/nudge-messages.<lang>.json (nudge.i18n.site_catalog: the English text as
// written, as HTML and as spoken, each with its translation; _ext/nudge_editions.py writes it).
// `localisePage` translates each element's configuration before its front end mounts it: a string
// is translated when it is a key of the catalog, or a "; "-joined list of keys (nudge.i18n.localise
// does the same in Jupyter); a slider's readout "<label> = <value>" by its label, and an explorer's alt
// text "<alt> (<readouts>)" by its <alt> and readouts (nudge.frames.saved_face_in does the same for a notebook).

// the edition's catalog, or null for English; a catalog that can't be loaded is said on the console
export async function loadCatalog(doc = document) {
  const lang = doc.documentElement.getAttribute("lang") || "en";
  if (lang === "en" || lang.startsWith("en-")) return null;
  const root = doc.documentElement.getAttribute("data-content_root") || "";
  const url = `${root}_static/nudge-messages.${lang}.json`;
  try {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return await response.json();
  } catch (problem) {
    console.error(`nudge-i18n: the ${lang} words of this page's questions and explorers (${url}) can't be loaded: ${problem.message}`);
    return null;
  }
}

export function translate(text, words) {
  if (Object.hasOwn(words, text)) return words[text];
  const parts = text.split("; ");
  if (parts.length > 1 && parts.every((part) => Object.hasOwn(words, part))) return parts.map((part) => words[part]).join("; ");
  return text;
}

// a configuration with every string the catalog knows translated (a copy)
export function localise(value, words) {
  if (typeof value === "string") return translate(value, words);
  if (Array.isArray(value)) return value.map((item) => localise(item, words));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, localise(v, words)]));
  return value;
}

// "<label> = <value>", a slider's readout (nudge.explorer.Explorer.readout): its label in the edition's words
function localiseReadout(text, words) {
  const cut = text.indexOf(" = ");
  return cut < 0 ? text : translate(text.slice(0, cut), words) + text.slice(cut);
}

// "<alt> (<readouts>)", the explorer's alt text of one frame (nudge.explorer.Explorer.alt_text)
function localiseAlt(text, words) {
  const cut = text.lastIndexOf(" (");
  if (cut < 0 || !text.endsWith(")")) return translate(text, words);
  const readouts = text.slice(cut + 2, -1).split(", ").map((readout) => localiseReadout(readout, words));
  return `${translate(text.slice(0, cut), words)} (${readouts.join(", ")})`;
}

// every question's and explorer's configuration on the page, in the edition's language
export function localisePage(words, root = document) {
  if (!words) return;
  for (const box of root.querySelectorAll("div.nudge-question[data-nudge-question]")) {
    try {
      const config = JSON.parse(box.getAttribute("data-nudge-question"));
      box.setAttribute("data-nudge-question", JSON.stringify(localise(config, words)));
    } catch {
      // unreadable: the question's own module says so when it mounts
    }
  }
  for (const figure of root.querySelectorAll("figure.nudge-explorer[data-nudge]")) {
    let config;
    try {
      config = JSON.parse(figure.getAttribute("data-nudge"));
    } catch {
      continue; // the explorer's module says so when it mounts
    }
    const alts = (config.alts || []).map((alt) => localiseAlt(alt, words));
    const controls = (config.controls || []).map((control) => ({
      ...control,
      readouts: (control.readouts || []).map((readout) => localiseReadout(readout, words)),
    }));
    config = { ...localise(config, words), alts, controls: localise(controls, words) };
    figure.setAttribute("data-nudge", JSON.stringify(config));
    const caption = figure.querySelector("figcaption");
    if (caption) caption.textContent = translate(caption.textContent, words);
    const img = figure.querySelector("img.nudge-frame");
    if (img) img.alt = localiseAlt(img.alt, words);
  }
}
