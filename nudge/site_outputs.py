"""A check's line on the website in the edition's language: the build renders its message data.

The solutions pages show what each check said when the page was executed, once, in English, for
every edition. In a Jupyter kernel a check shows its line as two forms (`nudge.checks.report`):
the text, which JupyterLab, Colab, VS Code and nbgrader's feedback show, and the line's `Message`
as data (`nudge.i18n.MESSAGE_MIME`: the English template and its fields). The book's build prefers
the data, and this renders it in the language of the edition being built, as the text output it
is. myst-nb finds the renderer by the package's entry point (`myst_nb.mime_renderers`, in
pyproject.toml).
"""

from __future__ import annotations

import dataclasses

from nudge import i18n


class CheckLines:
    """myst-nb's mime renderer plugin for a check line's message data."""

    # chosen over the text beside it (myst-nb takes the smallest number) by every builder
    mime_priority_overrides = (("*", i18n.MESSAGE_MIME, 1),)

    @staticmethod
    def handle_mime(renderer, data, inline: bool):
        if data.mime_type != i18n.MESSAGE_MIME:
            return None
        env = getattr(renderer.renderer, "sphinx_env", None)
        lang = i18n.edition(env.config.language or "en") if env is not None else i18n.ENGLISH
        try:
            text = i18n.Message.from_data(data.content).render(lang)
        except (AttributeError, KeyError, TypeError, ValueError) as error:
            # the English text beside it is still shown; -W makes this an error
            renderer.logger.warning(
                f"a check's line can't be shown in {lang.name}: its message data is unreadable ({error})",
                subtype="check_line",
                line=data.line,
            )
            return None
        plain = dataclasses.replace(data, mime_type="text/plain", content=text)
        return renderer.render_text_plain_inline(plain) if inline else renderer.render_text_plain(plain)
