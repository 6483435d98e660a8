"""The book's build and test tooling: scripts the Makefile runs (`python -m tools.NAME`), and the
pieces the tests and the benchmarks share. Not part of the `nudge` wheel (see pyproject.toml)."""
