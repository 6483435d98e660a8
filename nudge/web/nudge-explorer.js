// An explorer: its only front end, in Jupyter (an anywidget) and on the website.
//
// Its configuration is the explorer's manifest (nudge/frames.py writes it and owns its schema):
// the grid's shape, a slider per parameter (label, readouts, starting index) and, on the website,
// the frame files drawn when the book was built. The sliders are native range inputs whose
// readout ("x = 1.5") is also what they tell assistive technology (aria-valuetext).
//
// On the website the first frame is already in the figure's <img>; frames are fetched before the
// reader asks for them, nearest grid points first, and decoded as they arrive: at low priority
// while an explorer is in view, at once when a slider is focused or pressed. Before a slider is
// touched, the page's explorers share a budget (AHEAD_BYTES, from the sizes in the manifests). A
// reader who asked the browser to save data (or is on a 2g connection) gets only the frames next
// to the one shown, after touching a slider. window.nudgeOnDemand = true turns the fetching
// ahead off (each frame is fetched when shown; `make bench` compares the two);
// window.nudgeAheadBytes sets the budget (the tests do).
//
// In Jupyter the kernel draws the frame of each position (nudge/live.py): a slider sets the
// widget's `index`, and the kernel answers with the picture in `image`.

export const SCHEMA = 4; // nudge.frames.SCHEMA_VERSION: the only manifest this module reads

const IN_FLIGHT = 6; // requests at a time: what a browser opens to one host over HTTP/1.1
// a slider's own keys move it; they must not reach a notebook too (in JupyterLab the arrows move
// between cells), which listens on the document once the event has bubbled up
const RANGE_KEYS = ["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Home", "End", "PageUp", "PageDown"];

let aheadSpent = 0; // bytes fetched ahead on this page before any slider was touched
let made = 0;

function make(tag, attributes = {}, text = null) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) if (value != null) element.setAttribute(name, value);
  if (text != null) element.textContent = text;
  return element;
}

// a slider per parameter, under the picture; `moved(position)` hears every move
function sliders(figure, config, moved) {
  const box = make("div", { class: "nudge-controls" });
  const uid = `${config.id}-${++made}`;
  const inputs = config.controls.map((control, i) => {
    const row = make("div", { class: "nudge-control" });
    const id = `${uid}-${control.name}`;
    const input = make("input", { type: "range", id, min: 0, max: control.readouts.length - 1, step: 1 });
    input.value = control.index;
    const output = make("output", { for: id });
    row.append(make("label", { for: id }, control.label), input, output);
    box.append(row);
    const say = () => {
      const text = control.readouts[Number(input.value)];
      input.setAttribute("aria-valuetext", text);
      output.textContent = text;
    };
    say();
    input.addEventListener("keydown", (event) => RANGE_KEYS.includes(event.key) && event.stopPropagation());
    input.addEventListener("input", () => {
      say();
      moved(position());
    });
    return input;
  });
  const position = () => inputs.map((input) => Number(input.value));
  figure.querySelector(".nudge-controls")?.remove();
  const caption = figure.querySelector("figcaption");
  if (caption) caption.before(box);
  else figure.append(box);
  return { inputs, position };
}

// row-major: the first slider varies slowest, as the frames were drawn
function flatIndex(shape, at) {
  return at.reduce((index, i, axis) => index * shape[axis] + i, 0);
}

// every grid point within `limit` slider steps of `here`, nearest first
function byDistance(shape, here, limit) {
  const count = shape.reduce((a, b) => a * b, 1);
  const points = [];
  for (let index = 0; index < count; index++) {
    let rest = index;
    let distance = 0;
    for (let i = shape.length - 1; i >= 0; i--) {
      distance += Math.abs((rest % shape[i]) - here[i]);
      rest = Math.floor(rest / shape[i]);
    }
    if (distance <= limit) points.push([distance, index]);
  }
  return points.sort((a, b) => a[0] - b[0] || a[1] - b[1]).map((point) => point[1]);
}

// --- the website: frames drawn when the book was built -----------------------------------

function mountSite(figure, config) {
  const img = figure.querySelector("img.nudge-frame");
  const connection = navigator.connection || {};
  const frugal = connection.saveData === true || /(^|-)2g$/.test(connection.effectiveType || "");
  const budget = typeof window.nudgeAheadBytes === "number" ? window.nudgeAheadBytes : 1000000;
  const shape = config.shape;
  const start = flatIndex(shape, config.controls.map((c) => c.index));
  // the size the browser picked from srcset (twice the pixels where the 1x frame would be
  // stretched: a wide text column, a high-density screen); the 1x one for a reader saving data
  const shown = img.getBoundingClientRect().width || Number(img.getAttribute("width"));
  const sharp = img.currentSrc
    ? img.currentSrc === new URL(config.frames_2x[start], document.baseURI).href
    : shown * (window.devicePixelRatio || 1) > 1.1 * Number(img.getAttribute("width"));
  const frames = sharp && !frugal ? config.frames_2x : config.frames;
  const sizes = sharp && !frugal ? config.sizes_2x : config.sizes;
  const loaded = {}; // index -> Image, kept so the browser keeps the picture at hand
  let queue = [];
  let busy = 0;
  let priority = "low";
  let inView = false;
  let queued = false;
  let touched = false;

  const pump = () => {
    while (busy < IN_FLIGHT && queue.length && (inView || touched)) {
      const index = queue[0];
      if (!loaded[index] && !touched) {
        if (aheadSpent + sizes[index] > budget) return; // the rest waits for a touch
        aheadSpent += sizes[index];
      }
      queue.shift();
      if (loaded[index]) continue;
      const picture = new Image();
      picture.fetchPriority = priority;
      busy += 1;
      picture.src = frames[index];
      loaded[index] = picture;
      // fetched and decoded off the main thread: a slider reaching it has nothing left to wait for
      const next = () => {
        busy -= 1;
        pump();
      };
      picture.decode().then(next, next);
    }
  };
  const fetchAhead = (urgent, limit) => {
    if (urgent) priority = "high";
    queue = byDistance(shape, controls.position(), limit);
    pump();
  };
  const controls = sliders(figure, config, (position) => {
    const index = flatIndex(shape, position);
    img.removeAttribute("srcset"); // from the first move on, this module chooses the size
    img.src = frames[index];
    img.alt = config.alts[index];
    if (frugal) fetchAhead(true, 1);
  });
  // the picture the browser chose, now by this module's choice (the same file: nothing is fetched);
  // where the module chose the other size (saving data), the picture stays until the first move
  if (img.currentSrc === new URL(frames[start], document.baseURI).href) {
    img.removeAttribute("srcset");
    img.src = frames[start];
    loaded[start] = img;
  }
  if (window.nudgeOnDemand) return;
  const onTouch = () => {
    if (touched) return;
    touched = true;
    fetchAhead(true, frugal ? 1 : Infinity);
  };
  figure.addEventListener("focusin", onTouch);
  figure.addEventListener("pointerdown", onTouch);
  if (frugal || !("IntersectionObserver" in window)) return;
  const watcher = new IntersectionObserver(
    (entries) => {
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
    { rootMargin: "200px 0px" },
  );
  watcher.observe(figure);
}

// every explorer of a page, from the manifest its <figure> carries (the website)
export function mountAll(root = document) {
  for (const figure of root.querySelectorAll("figure.nudge-explorer[data-nudge]")) {
    let config;
    try {
      config = JSON.parse(figure.getAttribute("data-nudge"));
    } catch (problem) {
      console.error(`nudge-explorer: explorer ${figure.id} can't be read: ${problem.message}`);
      continue;
    }
    if (config.version !== SCHEMA) {
      console.error(
        `nudge-explorer: explorer ${figure.id} has a frame manifest of version ${config.version}, but this module` +
          ` reads version ${SCHEMA}; rebuild the book (make book) so pages and module match`,
      );
      continue;
    }
    if (config.frames.length) mountSite(figure, config); // without frames, a preview: nothing to switch
  }
}

// --- Jupyter: the kernel draws each frame -------------------------------------------------

function render({ model, el }) {
  const config = model.get("config");
  const figure = make("figure", { class: "nudge-explorer nudge-live" });
  figure.style.maxWidth = `${config.width}px`;
  const img = make("img", { class: "nudge-frame", width: config.width, height: config.height });
  figure.append(img);
  if (config.title) figure.append(make("figcaption", {}, config.title));
  el.append(figure);
  let url = null;
  const picture = () => {
    const shown = URL.createObjectURL(new Blob([model.get("image")], { type: "image/png" }));
    img.src = shown;
    img.alt = model.get("alt");
    if (url) URL.revokeObjectURL(url);
    url = shown;
  };
  picture();
  sliders(figure, config, (position) => {
    model.set("index", position);
    model.save_changes();
  });
  model.on("change:image", picture);
  return () => {
    model.off("change:image", picture);
    if (url) URL.revokeObjectURL(url);
  };
}

export default { render };
