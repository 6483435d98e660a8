"""Bring every translation catalog up to date with the English source: `python -m tools.catalogs`.

Two kinds of catalog, both gettext `.po` files that translators fill and nobody else edits:

- **pages**: `locales/<locale>/LC_MESSAGES/<docname>.po`, one per page of `_toc.yml`, from
  Sphinx's gettext builder (every paragraph, heading, list item and caption of the page; code
  cells and their outputs are not text to translate);
- **runtime**: `nudge/locales/<locale>/LC_MESSAGES/nudge.po`, what code shows a reader: the
  tables of words of the front ends (`nudge.questions.MESSAGES`, `nudge.explorer.MESSAGES`,
  `nudge.i18n.SITE_MESSAGES`) and the literal text of every `ask(...)` and `explore(...)` call in
  the chapters (prompt, hints, options, explanations; caption, alt text, slider labels).
- **checks**: `nudge/locales/<locale>/LC_MESSAGES/checks.po`, what an exercise's check tells a
  student: the template (the first argument, a literal string) of every `Problem(...)` and
  `Message(...)` call in `nudge/checks/`, and the `hint=` and `shown=` words of the check cells in
  `solutions/` (the exercises' source). Each entry's `#.` line names its fields, which a
  translation keeps (it may reorder them).

Updating keeps every translation whose English is unchanged; an entry whose English changed a
little keeps its old translation marked fuzzy (stale) (`git diff` shows the old English beside it);
a new entry is added untranslated; an entry whose English is gone is dropped. A catalog whose
entries didn't change is left byte for byte as it was. `tests/test_editions.py` then fails on any
untranslated or fuzzy entry of a published page (`locales/published.yml`).

`python -m tools.catalogs --stats` prints the size of each catalog instead (entries, English words).
"""

from __future__ import annotations

import argparse
import ast
import io
import os
import re
import sys
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from nudge import i18n
from nudge.i18n import has_words
from tools.toc import ROOT

PAGE_LOCALES = ROOT / "locales"
#: the pages whose translation is published, per locale: their catalogs must be complete
PUBLISHED = PAGE_LOCALES / "published.yml"
#: where the chapters' `ask` and `explore` calls are read from
RUNTIME_SOURCES = ("chapters/*.ipynb",)
#: where the checks' templates are read from, and the check cells' own words (`hint=`, `shown=`)
CHECKS_SOURCES = "nudge/checks/*.py"
CHECK_CELLS = "solutions/*/*.ipynb"
CHECK_CELL_TEXT = {"hint", "shown"}
#: the calls whose first argument is a template
TEMPLATE_CALLS = {"Problem", "Message"}
#: what a field holds, for the translator's note of each entry (`#.`); other fields are named only
FIELD_NOTES = {
    "name": "the answer's name, `k`, or a phrase naming it",
    "call": "a call of the student's code, `slope(f, 3.0, 0.1)`, or a phrase with one",
    "kind": "what the answer should be, a phrase of another entry",
    "what": "what was expected, a phrase of another entry",
    "value": "a value, as Python shows it",
    "method": "another entry: forward, backward or central",
    "other": "another entry, like the field beside it",
    "sentence": "another entry's sentence, without its subject",
    "hint": "another entry's sentence",
    "problem": "another entry's sentence",
    "message": "another entry's sentence",
}
#: the comment that opens a new catalog
HEADER = """\
# Nudge in {language}: {what}.
# Written by `python -m tools.catalogs` from the English source; translators fill in the msgstr
# lines and nothing else (CONTRIBUTING.md, "Translating the book").
#"""
#: header lines that change on every run: ignored when deciding whether a catalog changed
DATES = re.compile(rb'^"(POT-Creation-Date|PO-Revision-Date): .*\n', re.M)


# --- the runtime catalog's English ---------------------------------------------------------


class NotTranslatable(ValueError):
    """A reader-facing argument that is not a literal string, so no catalog can hold it."""


def _strings(node: ast.AST, where: str) -> Iterator[str]:
    """The literal strings of an argument (a string, or a list or tuple of them)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.List | ast.Tuple):
        for item in node.elts:
            yield from _strings(item, where)
    elif isinstance(node, ast.JoinedStr):
        raise NotTranslatable(f"{where}: an f-string can't be translated; write the text out, or pass it in")


#: per call: the arguments a reader reads, and for pairs which item is text (choices: both; mistakes: the hint)
ASK_TEXT = {"hints", "explain"}
EXPLORE_TEXT = {"alt", "title"}
SLIDERS = {"Lin", "Log", "Values"}


def _call_name(node: ast.Call) -> str:
    return node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")


def code_messages(source: str, where: str) -> Iterator[str]:
    """The English a reader meets from one code cell's `ask`, `explore` and slider calls.

    >>> list(code_messages('ask("Slope?", number=3, hints=["Rise over run."], mistakes=[(2, "Too small.")])', "c"))
    ['Slope?', 'Rise over run.', 'Too small.']
    """
    from IPython.core.inputtransformer2 import TransformerManager

    with warnings.catch_warnings():  # a cell's own escapes ("\\l" in TeX) are the cell's business, not ours
        warnings.simplefilter("ignore", SyntaxWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        tree = ast.parse(TransformerManager().transform_cell(source))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _call_name(node)
        if name == "ask":
            if node.args:
                yield from _strings(node.args[0], where)
            for keyword in node.keywords:
                if keyword.arg in ASK_TEXT:
                    yield from _strings(keyword.value, where)
                elif keyword.arg in ("choices", "mistakes") and isinstance(keyword.value, ast.List | ast.Tuple):
                    for pair in keyword.value.elts:
                        items = pair.elts if isinstance(pair, ast.Tuple) else []
                        for item in items if keyword.arg == "choices" else items[1:]:
                            yield from _strings(item, where)
        elif name == "explore" or name in SLIDERS:
            wanted = EXPLORE_TEXT if name == "explore" else {"label"}
            for keyword in node.keywords:
                if keyword.arg in wanted:
                    yield from _strings(keyword.value, where)


def runtime_template() -> Catalog:
    """Every English text code shows a reader, with where it comes from."""
    import nbformat

    from nudge import explorer, questions

    template = Catalog(domain=i18n.DOMAIN, project="Nudge", fuzzy=False)

    def add(text: str, where: str, line: int = 0) -> None:
        if has_words(text):
            message = template.get(text)
            if message is None:
                template.add(text, locations=[(where, line)])
            elif (where, line) not in message.locations:
                message.locations.append((where, line))

    for text in questions.MESSAGES.values():
        add(text, "nudge/questions.py", 0)
    # `frame_failed` is drawn into a picture, in the book's font, which has no CJK glyphs: it stays English
    add(explorer.MESSAGES["preview"], "nudge/explorer.py", 0)
    for text in i18n.SITE_MESSAGES:
        add(text, "nudge/i18n.py", 0)
    for pattern in RUNTIME_SOURCES:
        for path in sorted(ROOT.glob(pattern)):
            notebook = nbformat.read(path, as_version=4)
            for number, cell in enumerate(notebook.cells):
                if cell.cell_type == "code":
                    where = path.relative_to(ROOT).as_posix()
                    for text in code_messages(cell.source, f"{where}, cell {number}"):
                        add(text, where, number)
    return template


# --- the checks' English ---------------------------------------------------------------------


def _forwards_its_template(node: ast.Call, parents: dict) -> bool:
    """A call inside `def __init__(self, template, /, **fields)` that passes that parameter on (`Problem`'s
    own `Message(template, **fields)`): its callers' templates are the ones collected."""
    first = node.args[0]
    if not isinstance(first, ast.Name) or first.id != "template":
        return False
    scope = parents.get(node)
    while scope is not None and not isinstance(scope, ast.FunctionDef):
        scope = parents.get(scope)
    return scope is not None and any(arg.arg == "template" for arg in scope.args.posonlyargs)


def check_templates(source: str, where: str) -> Iterator[tuple[str, int]]:
    """The template (a literal string) of every `Problem(...)` and `Message(...)` call of a module, and its line.

    >>> list(check_templates('raise Problem("{name} is too large.", name=name)', "m.py"))
    [('{name} is too large.', 1)]
    >>> list(check_templates('Message(f"{name} is too large.")', "m.py"))
    Traceback (most recent call last):
    ...
    tools.catalogs.NotTranslatable: m.py:1: Message(...) takes a literal template, with named fields, not an f-string
    """
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or _call_name(node) not in TEMPLATE_CALLS:
            continue
        call = f"{where}:{node.lineno}: {_call_name(node)}(...)"
        if not node.args:
            raise NotTranslatable(f"{call} takes its template as its first argument")
        first = node.args[0]
        if isinstance(first, ast.JoinedStr):
            raise NotTranslatable(f"{call} takes a literal template, with named fields, not an f-string")
        if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
            if _forwards_its_template(node, parents):
                continue
            raise NotTranslatable(
                f"{call} takes a literal template (a string, with named fields), not {ast.unparse(first)}; "
                "a message made elsewhere is passed with Problem.of(message)"
            )
        yield first.value, node.lineno


def check_cell_words(source: str, where: str) -> Iterator[str]:
    """The words a check cell passes a checker (`hint=`, `shown=`), as the templates they become.

    >>> list(check_cell_words('check_close("v", v, [1, 2], hint="Add {1} to each.")', "c"))
    ['Add {{1}} to each.']
    """
    from IPython.core.inputtransformer2 import TransformerManager

    tree = ast.parse(TransformerManager().transform_cell(source))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _call_name(node).startswith("check_"):
            for keyword in node.keywords:
                if keyword.arg in CHECK_CELL_TEXT:
                    for text in _strings(keyword.value, where):
                        yield i18n.Message.literal(text).template


def field_note(template: str) -> list[str]:
    """The translator's note on an entry: its fields, and what the usual ones hold."""
    names = i18n.field_names(template)
    if not names:
        return []
    return ["fields: " + "; ".join(f"{{{n}}} {FIELD_NOTES[n]}" if n in FIELD_NOTES else f"{{{n}}}" for n in names)]


def checks_template() -> Catalog:
    """Every template an exercise's check can show a student, with where it comes from."""
    import nbformat

    template = Catalog(domain=i18n.CHECKS_DOMAIN, project="Nudge", fuzzy=False)

    def add(text: str, where: str, line: int) -> None:
        message = template.get(text)
        if message is None:
            template.add(text, locations=[(where, line)], auto_comments=field_note(text))
        elif (where, line) not in message.locations:
            message.locations.append((where, line))

    for path in sorted(ROOT.glob(CHECKS_SOURCES)):
        where = path.relative_to(ROOT).as_posix()
        for text, line in sorted(check_templates(path.read_text(encoding="utf-8"), where), key=lambda found: found[1]):
            add(text, where, line)
    for path in sorted(ROOT.glob(CHECK_CELLS)):
        where = path.relative_to(ROOT).as_posix()
        notebook = nbformat.read(path, as_version=4)
        for number, cell in enumerate(notebook.cells):
            if cell.cell_type == "code" and "check_" in cell.source:
                for text in check_cell_words(cell.source, f"{where}, cell {number}"):
                    add(text, where, number)
    return template


# --- the pages' English ----------------------------------------------------------------------


#: the themes' own words around every page (pydata-sphinx-theme and Sphinx's templates, through `_()`), which
#: their catalogs leave in English for some editions (pydata-sphinx-theme has no Korean): the site's own
#: `sphinx` catalog translates them, as it does its templates' words
THEME_WORDS = (
    "Skip to main content", "Back to top", "Color mode", "Light", "Dark", "System Settings",
    "next page", "previous page", "Version warning", "Link to this heading", "Link to this image", "On this page",
    "Section Navigation", "Site navigation", "Breadcrumb", "Home",
)  # fmt: skip


def page_templates(out: Path) -> dict[str, Catalog]:
    """Sphinx's gettext templates of every page (docname -> catalog), without executing a notebook."""
    from jupyter_book.sphinx import build_sphinx

    overrides = {
        "external_toc_path": "_toc.yml",
        "nb_execution_mode": "off",  # the text to translate is the source's, not the outputs'
        "gettext_compact": False,
        # myst-nb shows the gettext builder a figure's plain-text face; the picture (and its alt text) instead
        "nb_mime_priority_overrides": [["gettext", "image/png", 1]],  # one catalog per page
        "html_extra_path": [],  # the frames and scripts made by the html build are no text
        "gettext_uuid": False,
        "gettext_last_translator": "",
        "latex_individualpages": False,  # Jupyter Book reads it from its command line
    }
    status = build_sphinx(
        str(ROOT),
        str(out),
        noconfig=True,
        path_config=str(ROOT / "_config.yml"),
        confoverrides=overrides,
        builder="gettext",
        doctreedir=str(out.parent / "gettext-doctrees"),
        freshenv=True,
        quiet=True,
    )
    if status != 0:
        raise SystemExit(f"Sphinx's gettext builder failed ({status})")
    templates = {}
    for pot in sorted(out.rglob("*.pot")):
        with open(pot, "rb") as source:
            template = read_po(source)
        for message in list(template):
            if message.id and not has_words(message.id):  # a formula alone: the page keeps it as it is
                del template[message.id]
                continue
            # locations relative to the repository, not to the scratch folder
            message.locations = [(_from_root(pot.parent / where), 0) for where, _ in message.locations]
        templates[pot.relative_to(out).with_suffix("").as_posix()] = template
    themes = templates.setdefault("sphinx", Catalog(fuzzy=False))
    for text in THEME_WORDS:
        if text not in themes:
            themes.add(text, locations=[("themes", 0)])  # no file of ours: the themes' templates
    return templates


def _from_root(path: Path) -> str:
    resolved = Path(os.path.normpath(path))
    return resolved.relative_to(ROOT).as_posix() if resolved.is_relative_to(ROOT) else resolved.name


# --- updating ---------------------------------------------------------------------------------


#: babel writes a stale entry's old English (`#| msgid`) wrapped over lines it can't read back: it reads
#: them as translator comments starting "| ", which every update then kept and wrapped again
MISREAD_PREVIOUS = "| "
#: a translator's comment on an entry: why a glossary term is rightly missing from it
EXCEPTION = "glossary-exception:"


def translator_comments(comments: list[str]) -> list[str]:
    """An entry's translator comments as written, from what babel read back: it wraps a long comment
    over lines and reads each line as a comment of its own; the lines of a wrapped old English
    (`MISREAD_PREVIOUS`), and the words they left behind, are dropped.

    >>> translator_comments(["glossary-exception: limit (the safeguard's", "shortcomings)", "| msgid", "so"])
    ["glossary-exception: limit (the safeguard's shortcomings)"]
    """
    kept: list[str] = []
    for comment in comments:
        if comment.startswith(MISREAD_PREVIOUS):
            continue
        if comment.startswith(EXCEPTION) or not kept:
            kept.append(comment)
        elif kept[-1].count("(") > kept[-1].count(")"):  # the rest of a wrapped comment
            kept[-1] += " " + comment
    return [c for c in kept if c.startswith(EXCEPTION)]


def _serialised(catalog: Catalog) -> bytes:
    """The catalog as its .po file: no line numbers (a cell moved is not a change for a translator), and
    no old English beside a stale entry (babel can't read its own wrapped `#|` lines back: the diff
    shows what changed)."""
    for message in catalog:
        message.user_comments = translator_comments(message.user_comments)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, ignore_obsolete=True, include_previous=False, include_lineno=False)
    return buffer.getvalue()


def update(po: Path, template: Catalog, locale: str) -> str:
    """Bring one catalog up to date with its template; what happened to it ('new', 'updated', '')."""
    if po.is_file():
        with open(po, "rb") as source:
            catalog = read_po(source, locale=locale)
        before = po.read_bytes()
    else:
        name = i18n.edition(locale).name
        header = HEADER.format(language=name, what=po.relative_to(ROOT).as_posix())
        catalog = Catalog(locale=locale, domain=template.domain, project="Nudge", header_comment=header, fuzzy=False)
        before = None
    catalog.update(template, no_fuzzy_matching=False, update_creation_date=False)
    catalog.fuzzy = False  # the header's own flag: a catalog is never stale as a whole
    after = _serialised(catalog)
    if before is not None and DATES.sub(b"", before) == DATES.sub(b"", after):
        return ""
    po.parent.mkdir(parents=True, exist_ok=True)
    po.write_bytes(after)
    return "new" if before is None else "updated"


def update_all(locales: list[str]) -> list[str]:
    changed = []
    with tempfile.TemporaryDirectory(prefix="nudge-gettext-") as tmp:
        templates = page_templates(Path(tmp) / "pot")
    runtime = runtime_template()
    checks = checks_template()
    for locale in locales:
        for docname, template in templates.items():
            po = PAGE_LOCALES / locale / "LC_MESSAGES" / f"{docname}.po"
            if what := update(po, template, locale):
                changed.append(f"{what}: {po.relative_to(ROOT)}")
        for po, template in (
            (i18n.catalog_path(locale), runtime),
            (i18n.catalog_path(locale, i18n.CHECKS_DOMAIN), checks),
        ):
            if what := update(po, template, locale):
                changed.append(f"{what}: {po.relative_to(ROOT)}")
    return changed


# --- sizes ------------------------------------------------------------------------------------


def words(text: str) -> int:
    """The English words of an entry: not its math, nor a message's fields (`{name}`, `{length:.4g}`).

    >>> words("{name} has length {length:.4g}, not $x^2$.")
    3
    """
    return len(re.findall(r"[^\W_]+", re.sub(r"\$[^$]*\$|\{\w+(?:![rsa])?(?::[^{}]*)?\}", " ", text)))


def stats(locale: str) -> dict[str, tuple[int, int, int]]:
    """Per catalog of `locale`: (entries, translated entries, English words)."""
    found = {}
    runtime = [i18n.catalog_path(locale), i18n.catalog_path(locale, i18n.CHECKS_DOMAIN)]
    for po in sorted((PAGE_LOCALES / locale).rglob("*.po")) + runtime:
        if po.is_file():
            with open(po, "rb") as source:
                catalog = [m for m in read_po(source, locale=locale) if m.id]
            done = sum(bool(m.string) and not m.fuzzy for m in catalog)
            found[po.relative_to(ROOT).as_posix()] = (len(catalog), done, sum(words(m.id) for m in catalog))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.catalogs", description=__doc__.split("\n\n")[0])
    parser.add_argument("locales", nargs="*", help="locales to update (default: every edition's)")
    parser.add_argument("--stats", action="store_true", help="print each catalog's size instead of updating")
    args = parser.parse_args(argv)
    locales = args.locales or [edition.locale for edition in i18n.EDITIONS]
    for locale in locales:
        i18n.edition(locale)  # a clear message for a language the book has no edition in
    if args.stats:
        for locale in locales:
            rows = stats(locale)
            for name, (entries, done, count) in rows.items():
                print(f"{name:60} {entries:5} entries {done:5} translated {count:6} words")
            total = [sum(column) for column in zip(*rows.values(), strict=True)] if rows else [0, 0, 0]
            print(f"{locale + ' total':60} {total[0]:5} entries {total[1]:5} translated {total[2]:6} words\n")
        return 0
    try:
        changed = update_all(locales)
    except NotTranslatable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print("\n".join(changed) if changed else "every catalog is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
