"""Write each edition's notebooks from the English ones: `python -m tools.edition_notebooks`.

Every notebook page of the book (chapters, exercises, solutions) is written again in each
translated edition's language (`nudge.i18n.EDITIONS`): each Markdown cell block by block from the
page's catalog (`locales/<locale>/LC_MESSAGES/<docname>.po`), everything else as it is. A block is
what Sphinx's gettext made one entry of: a heading, a paragraph (in a list item, a table cell or a
quote too) or a displayed formula. Blocks are found with the book's own MyST parser, as myst-nb
finds them, so each one's English is exactly its catalog's msgid (a paragraph's lines joined by
spaces); the translation replaces the block's text in the cell and keeps the Markdown around it
(`#`, `-`, `|`, `$$`). Code cells, their outputs (English outputs of the same code; the questions
and explorers in them speak the reader's language at run time) and nbgrader's metadata stay
byte for byte, except that a translated Markdown cell nbgrader checks keeps a checksum of its
own text, and that the saved faces of questions and explorers are shown in the edition's language
(`saved_face_in`): a reader sees them before running the notebook. A link to a
page of the published book (a student notebook's) leads to the page in the edition. The
notebook's metadata names the language (`metadata.nudge.language`).

A block with words whose catalog entry is missing, empty or stale (fuzzy), and a catalog entry no
block uses, is reported (page, cell id, text) and fails the run unless `--allow-untranslated`
(English is kept for such a block).

Where they go:

- `--site`: into each built edition (`_build/html/<tag>/_sources/<docname>.ipynb`), where a page's
  download button points, in place of the English notebook Sphinx copied there;
  `python -m tools.editions` does this after building an edition.
- `--into DIR` (default `_build/notebooks`): `DIR/<tag>/<docname>.ipynb`, with a `.nudge-lang`
  file (`nudge.i18n.MARKER`) in `DIR/<tag>/` so that a kernel started in that folder speaks the
  language: `make edition-notebooks`, then open `DIR/<tag>/` in JupyterLab.
"""

from __future__ import annotations

import argparse
import copy
import functools
import re
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import yaml

from nudge import frames, i18n, questions
from tools.toc import ROOT, toc_files

SITE = ROOT / "_build" / "html"
NOTEBOOKS = ROOT / "_build" / "notebooks"
PAGE_LOCALES = ROOT / "locales"


# --- the blocks of a Markdown cell -------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """One translatable unit of a Markdown cell: its English as Sphinx extracts it (`msgid`), and
    where its text is in the cell's source (`start`, `end`: offsets)."""

    msgid: str
    start: int
    end: int


class Unlocatable(ValueError):
    """A block whose text the parser reports but which can't be found in the cell's source."""


@functools.cache
def book_config() -> dict:
    return yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))


@functools.cache
def parser():
    """The book's MyST parser, with the extensions `_config.yml` enables."""
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    extensions = book_config().get("parse", {}).get("myst_enable_extensions", [])
    return create_md_parser(MdParserConfig(enable_extensions=set(extensions)), RendererHTML)


#: token types whose content is a block of its own in Sphinx's catalog, kept with its line breaks
LITERAL_BLOCKS = {"math_block", "math_block_label", "amsmath", "fence", "code_block"}


def blocks(source: str) -> list[Block]:
    """The translatable blocks of one Markdown cell, in order.

    >>> [b.msgid for b in blocks("# Title\\n\\nOne line,\\nthen two.\\n\\n- an item\\n\\n$$\\nx^2\\n$$")]
    ['Title', 'One line, then two.', 'an item', '\\nx^2\\n']
    >>> b = blocks("| a | bb |\\n|---|---|\\n| c | d |")[1]
    >>> b.msgid, "| a | bb |"[b.start:b.end]
    ('bb', 'bb')
    """
    lines = source.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    found: list[Block] = []
    cursor = 0
    for token in parser().parse(source):
        if token.map is None:
            continue
        if token.type == "inline":
            msgid = token.content.replace("\n", " ").strip()
            start, end = _locate_inline(source, lines, offsets, token.map[0], token.content, cursor)
        elif token.type in LITERAL_BLOCKS:
            msgid = token.content
            first = max(cursor, offsets[token.map[0]])
            start = source.find(token.content, first)
            if start < 0 or start >= offsets[min(token.map[1], len(lines))]:
                raise Unlocatable(f"a {token.type} not found in its lines: {token.content[:60]!r}")
            end = start + len(token.content)
        else:
            continue
        if msgid:
            found.append(Block(msgid, start, end))
            cursor = end
    return found


def _locate_inline(source: str, lines: list[str], offsets: list[int], line: int, content: str, cursor: int):
    """Where an inline token's text is: its first line found on the token's first line (at or after
    `cursor`: table cells share a line), each further line on the lines after it (a list item's or a
    quote's continuation lines carry their indentation or `>` before the text)."""
    parts = content.split("\n")
    column = source.find(parts[0], max(cursor, offsets[line]))
    if column < 0 or column + len(parts[0]) > offsets[line] + len(lines[line]):
        raise Unlocatable(f"not found on line {line + 1}: {parts[0][:60]!r}")
    start = column
    end = column + len(parts[0])
    for number, part in enumerate(parts[1:], start=line + 1):
        at = lines[number].find(part) if number < len(lines) else -1
        if at < 0:
            raise Unlocatable(f"not found on line {number + 1}: {part[:60]!r}")
        end = offsets[number] + at + len(part)
    return start, end


def structure(source: str) -> list[tuple[str, str]]:
    """A cell's Markdown structure without its words: the kinds of its blocks and inline markup, in order
    (the same in an English cell and its translation; a translation may move a formula within its sentence)."""
    kinds = []
    for token in parser().parse(source):
        if token.type != "inline":
            kinds.append((token.type, token.markup))
        else:
            words = ("text", "softbreak")  # a translated paragraph is one line
            inner = sorted((child.type, child.markup) for child in token.children or () if child.type not in words)
            kinds.extend(inner)
    return kinds


# --- the catalogs --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    msgid: str
    msgstr: str
    fuzzy: bool


def page_catalog(locale: str, docname: str) -> dict[str, Entry]:
    """A page's catalog: English -> its entry (empty when the page has none)."""
    from babel.messages.pofile import read_po

    path = PAGE_LOCALES / locale / "LC_MESSAGES" / f"{docname}.po"
    if not path.is_file():
        return {}
    with open(path, "rb") as source:
        catalog = read_po(source, locale=locale, abort_invalid=True)
    return {m.id: Entry(m.id, m.string or "", m.fuzzy) for m in catalog if m.id and isinstance(m.id, str)}


# --- one notebook --------------------------------------------------------------------------------


@dataclass
class Problem:
    """A block left in English, or an entry no block uses: what a translator has to look at."""

    docname: str
    cell: str
    text: str
    why: str

    def __str__(self) -> str:
        return f"{self.docname}, cell {self.cell}: {self.why}: {self.text[:100]!r}"


@dataclass
class Result:
    notebook: nbformat.NotebookNode
    translated: int = 0
    problems: list[Problem] = field(default_factory=list)


def translate_cell(source: str, entries: dict[str, Entry], used: set[str]) -> tuple[str, int, list[tuple[str, str]]]:
    """A Markdown cell in the catalog's language: (its text, blocks translated, [(block, why it stays English)])."""
    pieces, last, translated, missing = [], 0, 0, []
    for block in blocks(source):
        entry = entries.get(block.msgid)
        if entry is not None:
            used.add(block.msgid)
        if not i18n.has_words(block.msgid):
            continue  # a formula or a number alone: the catalog leaves it out, the page keeps it
        if entry is None:
            missing.append((block.msgid, "not in the catalog (run `make catalogs`)"))
        elif not entry.msgstr:
            missing.append((block.msgid, "not translated"))
        elif entry.fuzzy:
            missing.append((block.msgid, "stale (fuzzy: its English changed)"))
        else:
            pieces += [source[last : block.start], entry.msgstr]
            last = block.end
            translated += 1
    pieces.append(source[last:])
    return "".join(pieces), translated, missing


def translate_notebook(notebook: nbformat.NotebookNode, docname: str, edition: i18n.Edition) -> Result:
    """`notebook` (the English page `docname`) in `edition`'s language: a new notebook, and what stayed English."""
    entries = page_catalog(edition.locale, docname)
    result = Result(copy.deepcopy(notebook))
    used: set[str] = set()
    for number, cell in enumerate(result.notebook.cells):
        if cell.cell_type == "code":
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                if "text/html" in data:
                    data["text/html"] = saved_face_in(data["text/html"], edition)
        if cell.cell_type != "markdown":
            continue
        where = cell.get("id") or f"#{number}"
        try:
            text, count, missing = translate_cell(cell.source, entries, used)
        except Unlocatable as exc:
            result.problems.append(Problem(docname, where, cell.source, f"a block can't be placed ({exc})"))
            continue
        if structure(text) != structure(cell.source):
            result.problems.append(Problem(docname, where, cell.source, "its translation changes the Markdown"))
            continue
        result.problems += [Problem(docname, where, english, why) for english, why in missing]
        result.translated += count
        text = edition_links(text, edition)
        if text != cell.source:
            cell.source = text
            _keep_checksum(cell)
    elsewhere = site_only(notebook)
    unused = [e.msgid for e in entries.values() if e.msgid not in used | elsewhere and i18n.has_words(e.msgid)]
    result.problems += [Problem(docname, "-", msgid, "in the catalog but in no Markdown cell") for msgid in unused]
    result.notebook.metadata.setdefault(i18n.METADATA, {})[i18n.METADATA_LANGUAGE] = edition.tag
    return result


def saved_face_in(face: str, edition: i18n.Edition) -> str:
    """An output's HTML with a question's or an explorer's saved face in `edition`'s language."""
    return frames.saved_face_in(questions.saved_face_in(face, edition), edition)


def edition_links(text: str, edition: i18n.Edition) -> str:
    """Links to the published book's pages (a student notebook's, made by nbgrader: it goes out alone) lead
    to the same pages in `edition`.

    >>> edition_links("[chapter 1](https://nudge-book.github.io/nudge/chapters/01_intuition.html)", i18n.EDITIONS[0])
    '[chapter 1](https://nudge-book.github.io/nudge/ko/chapters/01_intuition.html)'
    """
    address = re.escape(book_config()["html"]["baseurl"].rstrip("/") + "/")
    editions = "|".join(re.escape(other.tag) for other in i18n.EDITIONS)
    return re.sub(rf"\]\(({address})(?!(?:{editions})/)", rf"](\g<1>{edition.tag}/", text)


def site_only(notebook: nbformat.NotebookNode) -> set[str]:
    """A page's words that the website shows and the notebook has no Markdown for: a figure's caption and
    alt text (myst-nb's `mystnb` metadata of the code cell that draws it: code cells stay as they are) and
    the words the book's Sphinx extensions put around cells (`_ext/nudge_solutions.py`: a model answer's fold)."""
    found = set(extension_words())
    for cell in notebook.cells:
        if cell.cell_type == "code":
            found |= set(_strings(cell.get("metadata", {}).get("mystnb", {})))
    return found


def _strings(value) -> Iterator[str]:
    if isinstance(value, str):
        yield value.replace("\n", " ").strip()
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


@functools.cache
def extension_words() -> tuple[str, ...]:
    import importlib.util

    spec = importlib.util.spec_from_file_location("nudge_solutions", ROOT / "_ext" / "nudge_solutions.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return (module.PROMPT_SHOW, module.PROMPT_HIDE, module.WRITTEN_ANSWER)


def _keep_checksum(cell) -> None:
    """A Markdown cell nbgrader checks (a written answer's cell) carries the checksum of its own text:
    nbgrader tells an unanswered cell by it."""
    meta = cell.get("metadata", {}).get("nbgrader")
    if meta and "checksum" in meta:
        from nbgrader.utils import compute_checksum

        meta["checksum"] = compute_checksum(cell)


# --- every notebook ------------------------------------------------------------------------------


def notebook_pages(toc: Path = ROOT / "_toc.yml") -> list[str]:
    """The pages of the table of contents that are notebooks, as docnames."""
    return [docname for docname in toc_files(toc) if (ROOT / f"{docname}.ipynb").is_file()]


def edition_notebooks(edition: i18n.Edition, docnames: Iterable[str]) -> Iterator[tuple[str, Result]]:
    for docname in docnames:
        english = nbformat.read(ROOT / f"{docname}.ipynb", as_version=4)
        yield docname, translate_notebook(english, docname, edition)


def write(edition: i18n.Edition, docnames: list[str], into: Path, marker: bool) -> tuple[int, int, list[Problem]]:
    """Write `edition`'s notebooks under `into` (`into/<docname>.ipynb`), with the language marker when
    `marker`; returns (notebooks, blocks translated, problems)."""
    count, translated, problems = 0, 0, []
    for docname, result in edition_notebooks(edition, docnames):
        target = into / f"{docname}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(result.notebook, target)
        count += 1
        translated += result.translated
        problems += result.problems
    if marker:
        (into / i18n.MARKER).write_text(edition.tag + "\n", encoding="utf-8")
    return count, translated, problems


def site_folder(edition: i18n.Edition, site: Path = SITE) -> Path:
    """Where a built edition keeps the notebooks its download buttons link to."""
    return site / edition.tag / "_sources"


def write_edition(edition: i18n.Edition, docnames: list[str], places: list[tuple[Path, bool]], strict: bool) -> bool:
    """Write `edition`'s notebooks into each of `places` ((folder, with the language marker)), saying how
    many and how long; whether that went without a problem (or problems are allowed: not `strict`)."""
    clean = True
    for folder, marker in places:
        started = time.perf_counter()
        count, translated, problems = write(edition, docnames, folder, marker)
        seconds = time.perf_counter() - started
        where = _shown(folder)
        print(f"{edition.tag}: {count} notebooks, {translated} blocks translated, into {where} in {seconds:.1f} s")
        for problem in problems:
            print(f"  {'error' if strict else 'warning'}: {problem}", file=sys.stderr)
        clean = clean and not (problems and strict)
    if not clean:
        print(
            f"{edition.tag}: some text would be left in English: translate it (CONTRIBUTING.md, "
            '"Translating the book"), or pass --allow-untranslated',
            file=sys.stderr,
        )
    return clean


def run(editions: list[i18n.Edition], docnames: list[str], into: Path | None, site: Path | None, strict: bool) -> int:
    failed = False
    for edition in editions:
        places = []
        if site is not None:
            folder = site_folder(edition, site)
            if not folder.is_dir():
                print(f"error: no built {edition.tag} edition in {folder.parent}: run `make editions`", file=sys.stderr)
                return 1
            places.append((folder, False))
        if into is not None:
            places.append((into / edition.tag, True))
        failed |= not write_edition(edition, docnames, places, strict)
    return 1 if failed else 0


def _shown(path: Path) -> str:
    path = path.resolve()
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)


def translated_editions(codes: list[str]) -> list[i18n.Edition]:
    """The translated editions a command line names (locales or tags), or all of them; English is the
    source, not an edition made from it (a ValueError saying so, or naming the editions there are)."""
    editions = [i18n.edition(code) for code in codes] or list(i18n.EDITIONS)
    if i18n.ENGLISH in editions:
        tags = ", ".join(edition.tag for edition in i18n.EDITIONS)
        raise ValueError(f"English is the source (`make book` builds it); name a translated edition: {tags}")
    return editions


def main(argv: list[str] | None = None) -> int:
    cli = argparse.ArgumentParser(prog="python -m tools.edition_notebooks", description=__doc__.split("\n\n")[0])
    cli.add_argument("editions", nargs="*", help="locales or tags (default: every translated edition)")
    cli.add_argument("--into", type=Path, help=f"into DIR/<tag>/, with a {i18n.MARKER} (default: {_shown(NOTEBOOKS)})")
    cli.add_argument("--site", action="store_true", help="write into each built edition's _sources/ instead")
    cli.add_argument("--toc", type=Path, default=ROOT / "_toc.yml", help="table of contents (default: _toc.yml)")
    cli.add_argument("--allow-untranslated", action="store_true", help="report text left in English, don't fail")
    args = cli.parse_args(argv)
    try:
        editions = translated_editions(args.editions)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not args.toc.is_file():
        print(f"error: no table of contents {args.toc}", file=sys.stderr)
        return 2
    into = args.into if args.into is not None or args.site else NOTEBOOKS
    site = SITE if args.site else None
    return run(editions, notebook_pages(args.toc), into, site, strict=not args.allow_untranslated)


if __name__ == "__main__":
    sys.exit(main())
