"""The solutions pages as worked solutions: no nbgrader markers, no hidden tests, each answer folded.

The notebooks in `solutions/` are nbgrader's sources: an answer cell holds the students' stub
(`k = ...`) and the solution between `### BEGIN SOLUTION` and `### END SOLUTION`; a check cell
ends with the tests only the grader runs, between `### BEGIN HIDDEN TESTS` and `### END HIDDEN
TESTS`. On the website an answer shows only its solution, folded until the reader opens it, and
a check cell only the checks a student sees.

The notebooks are executed as they are (hidden tests too: a solution that fails them fails the
build); only what the page shows changes. The execution cache is keyed on every code cell's
source and metadata, so code cells are changed in the doctree after reading (`show_code_cells`),
and written answers, Markdown cells the cache ignores, in the source (`fold_written_answers`).
"""

from __future__ import annotations

import re

from docutils import nodes

from nudge import i18n

#: the pages this applies to
SOLUTIONS = "solutions/"
PROMPT_SHOW = i18n.SOLUTION_FOLD["show"]
PROMPT_HIDE = i18n.SOLUTION_FOLD["hide"]
WRITTEN_ANSWER = "A model answer"
SOLUTION_MARKER = re.compile(r"^\s*### (BEGIN|END) SOLUTION\s*$")
#: a student's placeholder beside the solution: `...`, or `name = ...` with a comment
STUB = re.compile(r"^\s*(\w+(\s*,\s*\w+)*\s*=\s*)?\.\.\.\s*(#.*)?$")


def worked_solution(source: str) -> str:
    """An answer cell as a worked solution: its solution without markers, and without the stubs.

    >>> print(worked_solution("k = ...  # by hand\\n### BEGIN SOLUTION\\nk = 6.01\\n### END SOLUTION"))
    k = 6.01
    >>> print(worked_solution("def f(x):\\n    ...\\n    ### BEGIN SOLUTION\\n    return x\\n    ### END SOLUTION"))
    def f(x):
        return x
    """
    if not any(SOLUTION_MARKER.match(line) for line in source.splitlines()):
        return source
    kept = [line for line in source.splitlines() if not (SOLUTION_MARKER.match(line) or STUB.match(line))]
    return "\n".join(kept).strip("\n")


def visible_checks(source: str) -> str:
    """A check cell without its hidden tests, as nbgrader's student version has it.

    >>> print(visible_checks('check("k")\\n\\n### BEGIN HIDDEN TESTS\\ncheck_close("k", 6.01)\\n### END HIDDEN TESTS'))
    check("k")
    """
    from nbformat.v4 import new_code_cell
    from nbgrader.preprocessors import ClearHiddenTests

    cell = new_code_cell(source)
    ClearHiddenTests(enforce_metadata=False).preprocess_cell(cell, {}, 0)
    return cell.source.strip("\n")


def _nbgrader(cell: nodes.Element) -> dict:
    return (cell.get("cell_metadata") or {}).get("nbgrader", {})


def _replace_code(cell: nodes.Element, text: str) -> None:
    for block in cell.findall(nodes.literal_block):
        new = nodes.literal_block(text, text, **block.attributes)
        block.replace_self(new)
        return


def show_code_cells(app, doctree) -> None:
    """Answer cells show their worked solution, folded; check cells only their visible checks."""
    if not app.env.docname.startswith(SOLUTIONS):
        return
    for cell in list(doctree.findall(nodes.container)):
        if cell.get("nb_element") != "cell_code":
            continue
        blocks = list(cell.findall(nodes.literal_block))
        if not blocks or blocks[0].parent.get("nb_element") != "cell_code_source":
            continue
        source = blocks[0].astext()
        if _nbgrader(cell).get("solution"):
            _replace_code(cell, worked_solution(source))
            cell["hide_mode"] = "input"
            cell["prompt_show"], cell["prompt_hide"] = PROMPT_SHOW, PROMPT_HIDE
        elif "### BEGIN HIDDEN TESTS" in source:
            _replace_code(cell, visible_checks(source))


def fold_written_answers(app, docname: str, source: list[str]) -> None:
    """A written answer (a Markdown cell nbgrader grades by hand) is folded like a code solution."""
    if not docname.startswith(SOLUTIONS) or not source[0].lstrip().startswith("{"):
        return
    import nbformat

    notebook = nbformat.reads(source[0], as_version=4)
    changed = False
    for cell in notebook.cells:
        if cell.cell_type == "markdown" and cell.metadata.get("nbgrader", {}).get("solution"):
            fence = ":" * max(4, 1 + max((len(m) for m in re.findall(r"^:{3,}", cell.source, re.M)), default=0))
            cell.source = f"{fence}{{dropdown}} {WRITTEN_ANSWER}\n{cell.source}\n{fence}"
            changed = True
    if changed:
        source[0] = nbformat.writes(notebook)


def visit_fold(self, node) -> None:
    """myst-nb's fold (`HideCodeCellNode`) without its summary's aria-label "Toggle hidden content",
    which differs from the text a reader sees ("Show the solution"): WCAG 2.5.3, axe's
    label-content-name-mismatch. The summary's name is its text."""
    from html import escape

    edition = i18n.edition(self.builder.config.language or i18n.ENGLISH.locale)  # its words in the edition's language
    show, hide = (escape(i18n.gettext(node[key], edition)) for key in ("prompt_show", "prompt_hide"))
    self.body.append(f'<details class="admonition hide {" ".join(node["classes"])}">\n<summary>\n')
    self.body.append(f'<p class="collapsed admonition-title">{show}</p>\n')
    self.body.append(f'<p class="expanded admonition-title">{hide}</p>\n</summary>\n')


def setup(app):
    from myst_nb.sphinx_ import HideCodeCellNode, depart_HideCellInput

    app.add_node(HideCodeCellNode, override=True, html=(visit_fold, depart_HideCellInput))
    app.connect("source-read", fold_written_answers)
    app.connect("doctree-read", show_code_cells)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
