"""The book's JupyterLab server extension: what `make lab` adds to a plain JupyterLab.

`make lab` enables it in the venv (`jupyter_server_config.d/nudge.json`), and it does two things:

- saved notebooks keep explorers' previews. A widget's view lives only as long as its kernel,
  and JupyterLab always prefers the widget view: a notebook saved with one in an output, then
  reopened, shows "Error displaying widget: model not found" where the picture was.
  `keep_previews`, a pre-save hook, saves such outputs without the view, so a reopened
  notebook shows the explorer's preview, as the committed notebooks do; the notebook open in
  the browser keeps its live widgets.
- JupyterLite's kernel extension, which the book build needs in the same venv but which works
  only inside JupyterLite, is left out of JupyterLab's pages (in JupyterLab it fails to load
  and logs an error on every page).

>>> output = {"output_type": "display_data", "data": {WIDGET_VIEW: {"model_id": "1f"}, "text/html": "<figure>"}}
>>> keep_previews(model={"type": "notebook", "content": {"cells": [{"cell_type": "code", "outputs": [output]}]}})
>>> sorted(output["data"])
['text/html']
"""

from __future__ import annotations

#: the output mimetype that shows a widget
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
#: lab extensions installed for the JupyterLite site only
LITE_ONLY_EXTENSIONS = {"@jupyterlite/pyodide-kernel-extension"}


def keep_previews(model: dict, **_) -> None:
    """Pre-save hook: outputs that carry a picture of their own are saved without the widget view."""
    if model.get("type") != "notebook":
        return
    for cell in model["content"].get("cells", []):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_VIEW in data and ("text/html" in data or "image/png" in data):
                del data[WIDGET_VIEW]


def without_lite_extensions(handler, page_config: dict) -> dict:
    """Page-config hook: JupyterLab's pages don't load the JupyterLite-only extensions.

    >>> without_lite_extensions(None, {"federated_extensions": [{"name": "@jupyterlite/pyodide-kernel-extension"}]})
    {'federated_extensions': []}
    """
    extensions = page_config.get("federated_extensions", [])
    page_config["federated_extensions"] = [e for e in extensions if e.get("name") not in LITE_ONLY_EXTENSIONS]
    return page_config


def _jupyter_server_extension_points():
    return [{"module": "nudge.lab"}]


def _load_jupyter_server_extension(serverapp) -> None:
    serverapp.contents_manager.register_pre_save_hook(keep_previews)
    serverapp.web_app.settings["page_config_hook"] = without_lite_extensions
