"""Save notebooks without widget views where an output has a picture of its own: `python -m tools.keep_previews NB...`.

A widget's view lives only as long as its kernel. A notebook opened later shows the view if it
is trusted ("Error displaying widget: model not found") and the output's HTML if it isn't; without
the view both show the preview. `make notebooks` runs this after executing the chapters, with the
rule JupyterLab's pre-save hook uses (`nudge.lab.keep_previews`). nbval doesn't compare widget views.
"""

from __future__ import annotations

import sys

import nbformat

from nudge.lab import keep_previews


def main(paths: list[str]) -> int:
    for path in paths:
        notebook = nbformat.read(path, as_version=4)
        keep_previews(model={"type": "notebook", "content": notebook})
        nbformat.write(notebook, path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
