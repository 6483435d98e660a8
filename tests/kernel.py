"""A real IPython kernel for a test, driven cell by cell as JupyterLab drives it."""

from __future__ import annotations

import os
from pathlib import Path

from jupyter_client.manager import start_new_kernel

from conftest import ROOT


class Kernel:
    """`with Kernel(env) as k: k.run("print(1)")` returns what the cell printed; an error fails with its traceback.

    The kernel imports `nudge` from `package` (default: this checkout), ahead of the installed one.
    """

    def __init__(self, env: dict | None = None, package: Path = ROOT, cwd: Path = ROOT):
        self.env = {**os.environ, **(env or {}), "PYTHONPATH": os.pathsep.join([str(package), str(ROOT)])}
        self.cwd = cwd

    def __enter__(self):
        self.manager, self.client = start_new_kernel(kernel_name="python3", env=self.env, cwd=str(self.cwd))
        return self

    def __exit__(self, *exc):
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)

    def run(self, code: str, timeout: float = 120) -> str:
        printed, errors = [], []

        def output(msg):
            content = msg["content"]
            if msg["msg_type"] == "stream":
                printed.append(content["text"])
            elif msg["msg_type"] == "error":
                errors.append("\n".join(content["traceback"]))

        reply = self.client.execute_interactive(code, timeout=timeout, output_hook=output)
        if reply["content"]["status"] != "ok" or errors:
            raise AssertionError(f"the cell failed:\n{code}\n" + "\n".join(errors))
        return "".join(printed)
