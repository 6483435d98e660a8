"""Delete explorer frames that no page of a built site refers to.

Usage: python -m tools.prune_frames _build/html

Frames are kept between builds (named by content, so unchanged explorers reuse them), which
leaves pictures of older versions behind; this keeps them out of the published site.
"""

from __future__ import annotations

import sys
from pathlib import Path

from nudge.frames import FRAMES_URL_DIR, read_manifests


def prune(site: Path) -> tuple[int, int]:
    folder = site / FRAMES_URL_DIR
    if not folder.is_dir():
        return 0, 0
    used = set()
    for page in site.rglob("*.html"):
        for manifest in read_manifests(page.read_text(errors="replace")):
            used.update(manifest.files(page))
    removed = 0
    for frame in folder.iterdir():
        if frame.is_file() and frame.resolve() not in used:
            frame.unlink()
            removed += 1
    return len(used), removed


def main(args: list[str]) -> int:
    if len(args) != 1 or not Path(args[0]).is_dir():
        print("usage: python -m tools.prune_frames SITE_FOLDER (e.g. _build/html)", file=sys.stderr)
        return 2
    kept, removed = prune(Path(args[0]))
    print(f"frames: {kept} in use, {removed} unused removed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
