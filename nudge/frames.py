"""The explorers' static format: frame files and the manifest that lists them, written and read here.

Each explorer on the site is a `<figure class="nudge-explorer" id=... style=... data-nudge=MANIFEST>`;
the manifest (JSON) says which slider is which and which frame shows which grid point.
`nudge.explorer` writes it, `read_manifests` reads it back for the tools and the tests, and
the explorer's front end (`nudge/web/nudge-explorer.js`) reads the same schema, in the browser
from the figure and in Jupyter from its widget (and refuses, with a console error, any other version).

Frames are WebP pictures (lossless, from a 256-colour palette), each in two sizes: one
image pixel per CSS pixel of the figure's drawn size, and twice that for high-density screens.
An explorer is shown at most at its drawn size, so the 2x file stays sharp on a DPR-2 screen.
Files are named by their content, so unchanged frames keep their name.

>>> m = Manifest("nudge-ex-1", shape=(2,), controls=(Control("a", "a", ("a = 0", "a = 1"), 0),),
...              frames=("a.webp", "b.webp"), frames_2x=("A.webp", "B.webp"),
...              alts=("a", "b"), sizes=(10, 11), sizes_2x=(20, 22), width=512)
>>> read_manifests(figure_html(m, "<img>")) == [m]
True
>>> 'style="max-width: 512px"' in figure_html(m, "<img>")
True
"""

from __future__ import annotations

import dataclasses
import hashlib
import html
import io
import json
import math
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import numpy as np

from nudge import i18n

#: version of the manifest schema; `nudge/web/nudge-explorer.js` checks it (its `SCHEMA`)
SCHEMA_VERSION = 4
#: folder (under the site root) that holds the frames
FRAMES_URL_DIR = "nudge-frames"
#: folder (in the frames folder, kept out of the site) where an executed notebook leaves each
#: explorer's manifest, which the build puts into the page (`site_faces`)
MANIFESTS_DIR = ".manifests"
#: file type of the site's frames
FRAME_SUFFIX = ".webp"
FIGURE_CLASS = "nudge-explorer"


@dataclass(frozen=True)
class Control:
    """One slider: the parameter's `name`, its `label`, what each position reads ("x = 1.5"), where it starts."""

    name: str
    label: str
    readouts: tuple[str, ...]
    index: int

    def to_dict(self) -> dict:
        return {"name": self.name, "label": self.label, "readouts": list(self.readouts), "index": self.index}


@dataclass(frozen=True)
class Manifest:
    """One explorer's frames, row-major over its sliders (the first slider varies slowest).

    `frames` and `frames_2x` are URLs relative to the page; both are empty in a preview
    (a notebook run by hand), whose one frame is inlined in the figure's `<img>`. `sizes` and
    `sizes_2x` are the files' sizes in bytes: the script spends a page-wide budget on frames
    fetched before the reader touches a slider (version 3). `controls` are its sliders, laid
    out by the front end; `width` and `height` the figure's size in CSS pixels (version 4).
    `text_px` is the smallest text any of its frames shows, in CSS px at that size (`nudge.style`;
    None when not measured), for the tests and the audit: the front end doesn't read it.
    """

    id: str
    shape: tuple[int, ...]
    controls: tuple[Control, ...] = ()
    width: int = 0
    height: int = 0
    title: str = ""
    frames: tuple[str, ...] = ()
    frames_2x: tuple[str, ...] = ()
    alts: tuple[str, ...] = ()
    sizes: tuple[int, ...] = ()
    sizes_2x: tuple[int, ...] = ()
    text_px: float | None = None

    def __post_init__(self):
        lists = (self.frames, self.frames_2x, self.alts, self.sizes, self.sizes_2x)
        if self.frames and any(len(listed) != math.prod(self.shape) for listed in lists):
            raise ValueError(
                f"manifest of {self.id}: expected {math.prod(self.shape)} frames, 2x frames, alt texts and"
                f" sizes of both (shape {list(self.shape)}), got {', '.join(str(len(x)) for x in lists)}"
            )

    def to_json(self) -> str:
        return json.dumps(self.to_dict())

    @classmethod
    def from_dict(cls, data: dict, figure_id: str) -> Manifest:
        """The manifest `to_dict` gave; raises ValueError, naming the explorer, for another schema version."""
        if data.get("version") != SCHEMA_VERSION:
            raise ValueError(
                f"explorer {figure_id}: frame manifest version {data.get('version')!r}, expected {SCHEMA_VERSION}"
                " (rebuild the book with `make book`)"
            )
        return cls(
            id=figure_id,
            shape=tuple(data["shape"]),
            controls=tuple(Control(c["name"], c["label"], tuple(c["readouts"]), c["index"]) for c in data["controls"]),
            width=data["width"],
            height=data["height"],
            title=data["title"],
            frames=tuple(data["frames"]),
            frames_2x=tuple(data["frames_2x"]),
            alts=tuple(data["alts"]),
            sizes=tuple(data["sizes"]),
            sizes_2x=tuple(data["sizes_2x"]),
            text_px=data.get("text_px"),
        )

    def to_dict(self) -> dict:
        return {
            "version": SCHEMA_VERSION,
            "id": self.id,
            "shape": list(self.shape),
            "controls": [control.to_dict() for control in self.controls],
            "width": self.width,
            "height": self.height,
            "title": self.title,
            "frames": list(self.frames),
            "frames_2x": list(self.frames_2x),
            "alts": list(self.alts),
            "sizes": list(self.sizes),
            "sizes_2x": list(self.sizes_2x),
            "text_px": self.text_px,
        }

    def files(self, page: Path) -> set[Path]:
        """The frame files a page at `page` refers to (both sizes), resolved on disk."""
        return {(page.parent / src).resolve() for src in (*self.frames, *self.frames_2x)}


def figure_sizes(width: int) -> str:
    """How wide a frame is shown (`sizes` of its `<img>`): its own width in CSS px, or a phone's screen if
    narrower, so the browser picks the 2x file wherever the 1x one would be stretched.

    An explorer is never wider than its figure (`figure_html`), as in Jupyter: stretched to a desktop's
    text column (776 px) its 2x frame of a 512-px figure had 0.66 image px per device px at DPR 2.

    >>> figure_sizes(512)
    '(min-width: 512px) 512px, 100vw'
    """
    return f"(min-width: {width}px) {width}px, 100vw"


def figure_html(manifest: Manifest, inner: str) -> str:
    """The explorer's `<figure>` around `inner` (its first picture and caption; the front end adds the sliders),
    at most as wide as its frames are drawn (`manifest.width` CSS px), as the live face in Jupyter is."""
    attrs = f'class="{FIGURE_CLASS}" id="{manifest.id}" style="max-width: {manifest.width}px"'
    attrs += f' data-nudge="{html.escape(manifest.to_json())}"'
    return f"<figure {attrs}>{inner}</figure>"


def site_figure(manifest: Manifest, url_prefix: str = "") -> str:
    """The explorer's face on the website: its starting frame (with its 2x file) and caption.

    `manifest` lists frame files by name; `url_prefix` leads from the page to them.
    """
    manifest = dataclasses.replace(
        manifest,
        frames=tuple(url_prefix + name for name in manifest.frames),
        frames_2x=tuple(url_prefix + name for name in manifest.frames_2x),
    )
    start = int(np.ravel_multi_index([c.index for c in manifest.controls], manifest.shape)) if manifest.controls else 0
    one, two = manifest.frames[start], manifest.frames_2x[start]
    srcset = f"{one} {manifest.width}w, {two} {2 * manifest.width}w"
    image = f'src="{one}" srcset="{srcset}" sizes="{figure_sizes(manifest.width)}"'
    inner = (
        f'<img class="nudge-frame" {image} width="{manifest.width}" height="{manifest.height}"'
        f' alt="{html.escape(manifest.alts[start])}">'
    )
    if manifest.title:
        inner += f"<figcaption>{html.escape(manifest.title)}</figcaption>"
    return figure_html(manifest, inner)


def write_site_manifest(frames_dir: Path, manifest: Manifest) -> None:
    """Leave an explorer's manifest (frames named, not yet addressed) for the build (`site_faces`)."""
    folder = Path(frames_dir) / MANIFESTS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{manifest.id}.json").write_text(manifest.to_json())


#: an explorer's figure as `figure_html` writes it
_FIGURE = re.compile(rf'<figure class="{FIGURE_CLASS}" id="([^"]+)"[^>]*? data-nudge="[^"]*">.*?</figure>', re.S)


def site_faces(page_html: str, frames_dir: Path, url_prefix: str) -> str:
    """`page_html` with each explorer's notebook face (a preview) replaced by its face on the website.

    A notebook's output is the same however it is run; executed for the book (`NUDGE_FRAMES_DIR`),
    each explorer also drew its frames and left its manifest, which this reads. Raises
    FileNotFoundError, naming the explorer, when it left none.
    """

    def site(match: re.Match) -> str:
        path = Path(frames_dir) / MANIFESTS_DIR / f"{match.group(1)}.json"
        if not path.is_file():
            raise FileNotFoundError(
                f"explorer {match.group(1)}: no frames were drawn for it (no {path}); "
                "its notebook must be executed with NUDGE_FRAMES_DIR set, as `make book` does"
            )
        return site_figure(Manifest.from_dict(json.loads(path.read_text()), match.group(1)), url_prefix)

    return _FIGURE.sub(site, page_html)


class _Figures(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "figure" and FIGURE_CLASS in (attrs.get("class") or "").split() and "data-nudge" in attrs:
            self.found.append((attrs.get("id") or "", attrs["data-nudge"]))


def read_manifests(page_html: str) -> list[Manifest]:
    """Every explorer's manifest in a page's HTML, in page order.

    Raises ValueError, naming the explorer, for a manifest of another schema version.
    """
    parser = _Figures()
    parser.feed(page_html)
    return [Manifest.from_dict(json.loads(text), figure_id) for figure_id, text in parser.found]


def encode_frame(image) -> tuple[bytes, bytes]:
    """A frame drawn at twice the figure's size (a PIL image) as WebP bytes: (1x, 2x)."""
    from PIL import Image

    def webp(picture) -> bytes:
        # a 256-colour palette keeps line plots sharp and makes the lossless file small
        out = io.BytesIO()
        palette = picture.quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
        # effort 25 of method 2 (lossless, `quality` is the effort): 13% less encoding time than effort
        # 50 for files 2% larger; effort 0 saves 6% more for files 3% larger still (`make bench` prints them)
        palette.convert("RGB").save(out, format="WEBP", lossless=True, method=2, quality=25, exact=True)
        return out.getvalue()

    image = image.convert("RGB")
    return webp(image.reduce(2)), webp(image)


def write_frame(folder: Path, data: bytes) -> str:
    """Write a frame into `folder` under a name made from its content; return the name."""
    name = hashlib.sha256(data).hexdigest()[:16] + FRAME_SUFFIX
    if not (folder / name).exists():
        (folder / name).write_bytes(data)
    return name


# --- the notebook's face, in an edition's language -----------------------------------------

#: the end of an explorer's caption in a notebook, until it is run (`nudge.explorer.MESSAGES`)
PREVIEW = "(Preview: run this notebook for live sliders.)"


def preview_caption(title: str | None, lang: i18n.Edition | None = None) -> str:
    """The caption of an explorer's notebook face (`nudge.explorer.Explorer.static_html`): its title, and that
    the sliders come with running it."""
    return " ".join([*([title] if title else []), i18n.gettext(PREVIEW, lang)])


#: an explorer's notebook face (`Explorer.static_html` without frames): its picture's alt text and its caption
_SAVED_FACE = re.compile(
    r'<figure class="nudge-explorer" .*?<img [^>]*? alt="([^"]*)">\s*<figcaption>(.*?)</figcaption>', re.S
)


def saved_face_in(face: str, lang: i18n.Edition) -> str:
    """An explorer's notebook face, executed in English, with its caption and alt text in `lang`; any other
    HTML as it is. A notebook of a translated edition keeps the English outputs of the same code: its
    explorers say what they show in its language before they are run, as after."""
    found = _SAVED_FACE.match(face)
    if not found:
        return face
    [manifest] = read_manifests(face)
    readouts = [(control.label, control.readouts[control.index]) for control in manifest.controls]
    shown = ", ".join(readout for _, readout in readouts)
    alt = html.unescape(found[1])
    if alt.endswith(f" ({shown})"):  # `Explorer.alt_text`: the author's words, then the sliders' values
        said = ", ".join(
            i18n.gettext(label, lang) + readout[len(label) :] if readout.startswith(f"{label} = ") else readout
            for label, readout in readouts
        )
        alt = f"{i18n.gettext(alt[: -len(shown) - 3], lang)} ({said})"
    caption = preview_caption(i18n.gettext(manifest.title, lang) if manifest.title else "", lang)
    between = face[found.end(1) : found.start(2)]
    return face[: found.start(1)] + html.escape(alt) + between + html.escape(caption) + face[found.end(2) :]
