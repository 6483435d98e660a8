"""The book's JupyterLab server extension: what `make lab` adds to a plain JupyterLab.

`make lab` enables it in the venv (`jupyter_server_config.d/nudge.json`), and it does three things:

- a notebook opens unmodified on any Python. When its kernel connects, JupyterLab writes the
  kernel's `language_info` (from its `kernel_info` reply: ipykernel puts the Python's version
  there, `3.11.7`) into the notebook's metadata, and marks the notebook modified if that differs
  from what the file carried; the committed notebooks carry one Python's version, or none. So a
  notebook is served with the `language_info` its kernel will report, asked once of the Python
  its kernel spec runs (`KernelLanguages`); what the file on disk says changes only when the
  reader saves, as it would without this.
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

import asyncio
import json
import os

from jupyter_client.kernelspec import NoSuchKernel
from jupyter_client.manager import KernelManager
from jupyter_core.utils import ensure_async

#: the output mimetype that shows a widget
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
#: lab extensions installed for the JupyterLite site only
LITE_ONLY_EXTENSIONS = {"@jupyterlite/pyodide-kernel-extension"}
#: how a kernel spec starts ipykernel, after its Python
IPYKERNEL = ["-m", "ipykernel_launcher"]
#: printed by a kernel spec's Python: the `language_info` its ipykernel puts in every `kernel_info` reply
LANGUAGE_INFO_SCRIPT = (
    "import json; from ipykernel.ipkernel import IPythonKernel; print(json.dumps(IPythonKernel.language_info))"
)


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


class KernelLanguages:
    """The `language_info` that each kernel spec's kernel reports, asked of the Python it runs.

    Only ipykernel's specs (`<python> -m ipykernel_launcher …`) are asked; for any other kernel
    `language_info` gives None and the notebook is served as it is. An answer is kept for as
    long as the spec names the same interpreter file, unchanged, with the same environment.
    """

    def __init__(self, kernel_spec_manager, log):
        self.kernel_spec_manager = kernel_spec_manager
        self.log = log
        self._asked: dict[tuple, asyncio.Future] = {}
        self._ahead: asyncio.Future | None = None

    async def language_info(self, kernel_name: str) -> dict | None:
        try:
            spec = await ensure_async(self.kernel_spec_manager.get_kernel_spec(kernel_name))
        except NoSuchKernel:
            return None  # JupyterLab asks the reader for a kernel, and the notebook changes anyway
        if spec.argv[1:3] != IPYKERNEL:
            return None
        # the interpreter jupyter_client starts for this spec (`python` is the server's own)
        manager = KernelManager(kernel_name=kernel_name, kernel_spec_manager=self.kernel_spec_manager)
        python = manager.format_kernel_cmd()[0]
        try:
            stat = os.stat(python)
        except OSError as error:
            self.log.warning("nudge.lab: kernel %r: can't run %s (%s)", kernel_name, python, error)
            return None
        key = (os.path.realpath(python), stat.st_mtime_ns, json.dumps(spec.env, sort_keys=True))
        if key not in self._asked:
            self._asked[key] = asyncio.ensure_future(self._ask(kernel_name, python, spec.env))
        return await self._asked[key]

    async def _ask(self, kernel_name: str, python: str, env: dict) -> dict | None:
        process = await asyncio.create_subprocess_exec(
            python, "-c", LANGUAGE_INFO_SCRIPT, env={**os.environ, **env},
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        out, err = await process.communicate()
        try:
            return json.loads(out.splitlines()[-1])
        except (IndexError, ValueError):
            self.log.warning(
                "nudge.lab: kernel %r: its Python could not say its language_info, so notebooks for it"
                " may open as modified:\n%s",
                kernel_name,
                (out + err).decode(errors="replace"),
            )
            return None

    def ask_ahead(self, kernel_name: str) -> None:
        """Ask now, in the background, what a notebook for `kernel_name` will need when it opens."""
        self._ahead = asyncio.ensure_future(self.language_info(kernel_name))


def serve_with_kernel_language(contents_manager, languages: KernelLanguages) -> None:
    """A notebook read through `contents_manager` carries the `language_info` its kernel will report."""
    get = contents_manager.get

    async def get_as_its_kernel_will_have_it(path, content=True, type=None, format=None, **kwargs):
        model = await ensure_async(get(path, content=content, type=type, format=format, **kwargs))
        if model["type"] == "notebook" and model.get("content"):
            metadata = model["content"]["metadata"]
            kernel_name = metadata.get("kernelspec", {}).get("name")
            info = kernel_name and await languages.language_info(kernel_name)
            if info:
                metadata["language_info"] = info
        return model

    contents_manager.get = get_as_its_kernel_will_have_it


def _jupyter_server_extension_points():
    return [{"module": "nudge.lab"}]


def _load_jupyter_server_extension(serverapp) -> None:
    serverapp.contents_manager.register_pre_save_hook(keep_previews)
    serverapp.web_app.settings["page_config_hook"] = without_lite_extensions
    serverapp.web_app.settings["nudge_languages"] = languages = KernelLanguages(
        serverapp.kernel_spec_manager, serverapp.log
    )
    serve_with_kernel_language(serverapp.contents_manager, languages)


async def _start_jupyter_server_extension(serverapp) -> None:
    # the default kernel's Python is asked while the page loads, not when the first notebook opens
    serverapp.web_app.settings["nudge_languages"].ask_ahead(serverapp.kernel_manager.default_kernel_name)
