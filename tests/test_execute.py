"""tools/execute.py: the book's notebooks executed side by side into the build's execution cache."""

from __future__ import annotations

import nbformat
from jupyter_cache import get_cache

from tools.execute import CHECK_ENV, execute


def test_notebooks_run_side_by_side_into_the_cache_and_a_failing_one_is_left_to_the_build(tmp_path):
    (tmp_path / "_config.yml").write_text(
        "execute:\n  execute_notebooks: cache\n  cache: _build/.jupyter_cache\n  exclude_patterns: ['skip/*']\n"
    )
    (tmp_path / "_toc.yml").write_text(
        "format: jb-book\nroot: intro\nchapters:\n- file: good\n- file: bad\n- file: more\n- file: skip/never\n"
    )
    (tmp_path / "intro.md").write_text("# Intro\n")
    (tmp_path / "skip").mkdir()
    for name, code in (("good", "print(6 * 7)"), ("bad", "1 / 0"), ("more", "x = 1"), ("skip/never", "1 / 0")):
        cells = [nbformat.v4.new_markdown_cell(f"# {name}"), nbformat.v4.new_code_cell(code)]
        kernel = {"kernelspec": {"name": "python3", "display_name": "Python 3"}}
        notebook = nbformat.v4.new_notebook(cells=cells, metadata=kernel)
        nbformat.write(notebook, tmp_path / f"{name}.ipynb")

    succeeded, failed = execute(tmp_path, tmp_path / "_toc.yml")

    assert succeeded == sorted(str(tmp_path / f"{n}.ipynb") for n in ("good", "more"))
    assert failed == [str(tmp_path / "bad.ipynb")]  # left out of the cache: the build runs it and says why
    cache = get_cache(str(tmp_path / "_build" / ".jupyter_cache"))
    cached = {record.uri: record for record in cache.list_cache_records()}
    assert set(cached) == set(succeeded)
    (cell,) = [c for c in cache.get_cache_bundle(cached[str(tmp_path / "good.ipynb")].pk).nb.cells if c.get("outputs")]
    assert cell.outputs[0]["text"] == "42\n"
    # run again: nothing left to execute but the one that failed
    assert execute(tmp_path, tmp_path / "_toc.yml") == ([], [str(tmp_path / "bad.ipynb")])


def test_a_strict_run_leaves_out_a_notebook_whose_output_differs_from_the_committed_one(tmp_path, monkeypatch):
    (tmp_path / "_config.yml").write_text("execute:\n  execute_notebooks: cache\n  cache: _build/.jupyter_cache\n")
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: intro\nchapters:\n- file: stale\n- file: fresh\n")
    (tmp_path / "intro.md").write_text("# Intro\n")
    for name, code, printed in (("stale", "print(7 * 6)", "41\n"), ("fresh", "print(6 * 7)", "42\n")):
        cell = nbformat.v4.new_code_cell(code, execution_count=1)
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=printed)]
        kernel = {"kernelspec": {"name": "python3", "display_name": "Python 3"}}
        nbformat.write(nbformat.v4.new_notebook(cells=[cell], metadata=kernel), tmp_path / f"{name}.ipynb")
    monkeypatch.setenv(CHECK_ENV, "1")

    ran, failed = execute(tmp_path, tmp_path / "_toc.yml")
    assert (ran, failed) == ([str(tmp_path / "fresh.ipynb")], [str(tmp_path / "stale.ipynb")])
