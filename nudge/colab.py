"""What Google Colab's front end tells the kernel: the notebook it shows.

A Colab kernel runs next to no copy of the notebook (it opened from GitHub into the browser), and no
Jupyter Server names it, so `nudge.i18n` can't read the edition's language from the file or its
folder as it does in JupyterLab. Colab's kernel can ask its front end for the notebook as shown,
through `google.colab._message` (Colab's own module, present in its kernels only; the request is
`get_ipynb`, whose reply holds the notebook under `ipynb`).

Only a kernel that has imported `google.colab` asks (Colab's does as it starts): anywhere else
`shown_notebook` is None at once, and nothing is imported.
"""

from __future__ import annotations

import sys
import warnings

#: Colab's module, as its kernels import it
MODULE = "google.colab"
#: how long the front end has to answer, in seconds: it answers at once when it can
TIMEOUT = 10


class ColabWarning(UserWarning):
    """Colab did not show this kernel its notebook: the book's code speaks English here."""


def running() -> bool:
    """Whether this is a Colab kernel."""
    return MODULE in sys.modules


def shown_notebook() -> dict | None:
    """The notebook Colab's front end shows this kernel, as nbformat JSON; None outside Colab.

    A front end that doesn't answer is not an error a reader can act on in a cell: it is a
    `ColabWarning` that says how to choose the language, and None.
    """
    if not running():
        return None
    try:
        from google.colab import _message

        reply = _message.blocking_request("get_ipynb", timeout_sec=TIMEOUT)
        notebook = reply.get("ipynb") if isinstance(reply, dict) else None
        if not isinstance(notebook, dict):
            raise ValueError(f"its reply held no notebook: {str(reply)[:80]!r}")
    except Exception as exc:  # Colab's private module: whatever it raises, the reader gets the same advice
        warnings.warn(
            f"Colab did not show the book this notebook ({type(exc).__name__}: {exc}), so the book's questions, "
            "pictures and checks speak English here. To choose their language, run "
            "`import os; os.environ['NUDGE_LANG'] = 'ko'` (or 'zh-Hans', 'zh-Hant') before them.",
            ColabWarning,
            stacklevel=2,
        )
        return None
    return notebook
