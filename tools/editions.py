"""Build the translated editions of the site beside the English one: `python -m tools.editions`.

Run after the English build (`make book`), which executed every notebook into the execution cache
and drew every explorer frame: each edition reads the same cache (nothing is executed again) with
Sphinx's `language` and the page catalogs of `locales/`, into `_build/html/<tag>/` (`ko`,
`zh-Hans`, `zh-Hant`: `nudge.i18n.EDITIONS`). The frames and the vendored scripts are the English
build's, linked into each edition's folder rather than copied (hard links; a copy where the file
system has none). Two editions are built at a time, each in a process of its own (Sphinx patches
docutils' globals, so one process builds one book), with the English build's settings (`-n -W
--keep-going`): a warning fails the edition.

`python -m tools.editions --toc _build/_toc_small.yml --allow-warnings ko` builds one edition of a few pages, for a
quick look while translating.

Each edition's notebooks are written after its pages (`tools/edition_notebooks.py`): into the
edition's `_sources/`, where its pages' download buttons point, and into `_build/notebooks/<tag>/`
for JupyterLab and the students' branch; a block of a notebook left in English fails the edition as a
warning would. A page's Binder and Colab buttons open its notebook in the edition's folder of the
students' branch (`tools/students_branch.py`), which holds the chapters and exercises.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from nudge import i18n, settings
from tools import edition_notebooks, students_branch
from tools.toc import ROOT

SITE = ROOT / "_build" / "html"
#: each edition's Sphinx environment and log, kept between builds (Sphinx re-reads only what changed)
WORK = ROOT / "_build" / "editions"
#: what the English build put into the site that every edition shares
SHARED = ("nudge-frames", "vendor")


def overrides(edition: i18n.Edition, toc: str) -> dict:
    """The English book's configuration, in `edition`'s language and place."""
    base = settings.base_url() or "https://nudge-book.github.io/nudge/"
    return {
        "external_toc_path": toc,
        "latex_individualpages": False,  # Jupyter Book reads it from its command line
        "nitpicky": True,
        "language": edition.locale,
        "locale_dirs": [str(ROOT / "locales")],
        "gettext_compact": False,
        # Sphinx compiles each catalog it reads (.po to .mo) beside it: in locales/, ignored by git
        "gettext_auto_build": True,
        "html_baseurl": f"{base.rstrip('/')}/{edition.tag}/",
        "html_extra_path": [],  # shared with the English edition instead (`link_shared`)
        # Binder and Colab open the edition's notebook, `<tag>/<page>.ipynb` on the students' branch
        # (`make students-branch` puts each edition's chapters and exercises there, never its solutions)
        "html_theme_options": {
            "repository_branch": students_branch.BRANCH,
            "path_to_docs": edition.tag,
            "search_bar_text": i18n.gettext(i18n.SEARCH_BAR, edition),  # an option, which the theme shows as it is
        },
        # a page whose notebook that branch doesn't hold (a solution) gets no launch buttons (`_ext/nudge_site.py`)
        "nudge_launch_folders": list(students_branch.NOTEBOOK_FOLDERS),
    }


def build_one(edition: i18n.Edition, toc: str, strict: bool = True) -> int:
    """One edition, in this process (`--one`)."""
    from jupyter_book.sphinx import build_sphinx

    out = SITE / edition.tag
    status = build_sphinx(
        str(ROOT),
        str(out),
        noconfig=True,
        path_config=str(ROOT / "_config.yml"),
        confoverrides=overrides(edition, toc),
        doctreedir=str(WORK / edition.tag / ".doctrees"),
        builder="html",
        warningiserror=strict,
        keep_going=True,
    )
    if status == 0 or not strict:
        link_shared(out)
        notebooks = edition_notebooks.notebook_pages(ROOT / toc)
        places = [
            (edition_notebooks.site_folder(edition, SITE), False),  # the download buttons' notebooks
            (edition_notebooks.NOTEBOOKS / edition.tag, True),  # for JupyterLab, with the language marker
        ]
        if not edition_notebooks.write_edition(edition, notebooks, places, strict):
            return 1
    return 0 if status == 0 else 1


def link_shared(out: Path) -> None:
    """The English build's frames and scripts, in the edition's folder where its pages look for them."""
    for name in SHARED:
        source, target = SITE / name, out / name
        if not source.is_dir():
            raise SystemExit(f"{source} is missing: build the English edition first (make book)")
        shutil.rmtree(target, ignore_errors=True)
        try:
            shutil.copytree(source, target, copy_function=os.link)
        except OSError:  # no hard links across file systems
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(source, target)


def build(editions: list[i18n.Edition], toc: str, jobs: int, strict: bool = True) -> int:
    """Every edition in `editions`, `jobs` at a time; each one's output in `_build/editions/<tag>/build.log`."""
    if not (SITE / "index.html").is_file():
        print(f"no English site in {SITE}: build it first (make book)", file=sys.stderr)
        return 1
    env = {**os.environ, settings.LITE: "0", settings.LANG: "en"}

    def run(edition: i18n.Edition) -> tuple[i18n.Edition, int, float]:
        log = WORK / edition.tag / "build.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        with open(log, "w") as out:
            command = [sys.executable, "-m", "tools.editions", "--one", "--toc", toc, edition.locale]
            command += [] if strict else ["--allow-warnings"]
            code = subprocess.call(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        return edition, code, time.perf_counter() - started

    failed = 0
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for edition, code, seconds in pool.map(run, editions):
            log = WORK / edition.tag / "build.log"
            where = SITE / edition.tag / "index.html"
            if code:
                failed += 1
                print(f"{edition.tag}: failed after {seconds:.0f} s; the end of {log}:", file=sys.stderr)
                print("".join(log.read_text().splitlines(keepends=True)[-40:]), file=sys.stderr)
            else:
                print(f"{edition.tag}: built in {seconds:.0f} s: {where.relative_to(ROOT)}")
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.editions", description=__doc__.split("\n\n")[0])
    parser.add_argument("editions", nargs="*", help="locales or tags (default: every translated edition)")
    parser.add_argument("--toc", default="_toc.yml", help="the table of contents (default: _toc.yml)")
    parser.add_argument("--jobs", type=int, default=2, help="editions built at a time (default: 2)")
    parser.add_argument(
        "--allow-warnings", action="store_true", help="for a partial table of contents, whose links point outside it"
    )
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)  # a worker: one edition, here
    args = parser.parse_args(argv)
    try:
        editions = edition_notebooks.translated_editions(args.editions)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.one:
        return build_one(editions[0], args.toc, strict=not args.allow_warnings)
    return build(editions, args.toc, args.jobs, strict=not args.allow_warnings)


if __name__ == "__main__":
    sys.exit(main())
