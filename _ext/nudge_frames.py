"""The explorers' faces on the website, put into the pages as they are built.

A notebook's output is the same however it is run, so that nbval can hold the chapters executed
for the book to their committed outputs: each explorer shows its notebook face (a preview). Run
for the book (`NUDGE_FRAMES_DIR` set), an explorer also draws its frames and leaves its manifest
beside them; here each preview becomes the face that moves on the website
(`nudge.frames.site_faces`), with frame addresses relative to its page. An explorer whose
frames weren't drawn is a warning at its place in the page, which `-W` makes an error.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.util import logging

from nudge import settings
from nudge.frames import FIGURE_CLASS, FRAMES_URL_DIR, site_faces

logger = logging.getLogger(__name__)


def put_site_faces(app, doctree, docname):
    marker = f'class="{FIGURE_CLASS}"'
    prefix = "../" * docname.count("/") + FRAMES_URL_DIR + "/"
    for node in doctree.findall(nodes.raw):
        if "html" not in node.get("format", "").split() or marker not in node.astext():
            continue
        frames_dir = settings.frames_dir()
        try:
            if not frames_dir:
                raise FileNotFoundError("NUDGE_FRAMES_DIR is not set: build the book with `make book`")
            text = site_faces(node.astext(), frames_dir, prefix)
        except (FileNotFoundError, ValueError) as error:
            logger.warning(f"an explorer can't be shown on the website: {error}", location=node)
            continue
        node.replace_self(nodes.raw("", text, format="html"))


def setup(app):
    app.connect("doctree-resolved", put_site_faces)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
