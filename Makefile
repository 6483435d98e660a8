SHELL := /bin/bash
# Nudge: two commands matter. `make book` builds the site; `make test` runs every test.
# Both start from nothing: they make .venv, install the pinned requirements and the npm
# packages, and (for tests) Debian's chromium, by themselves.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
EXTRA := _build/nudge-extra
# pytest workers: notebooks and browser pages run side by side on the two cores
JOBS ?= 2
EDITION ?= full
# EDITION=student: the site without the solutions, into _build/student/_build/html; its table
# of contents is _toc.yml without them (tools/student_toc.py writes it at every build)
STUDENT := $(filter student,$(EDITION))
BOOK_BUILD := $(if $(STUDENT),_build/student/_build,_build)
BOOK_TOC := $(if $(STUDENT),_build/_toc_student.yml,_toc.yml)
BOOK_LOG := $(if $(STUDENT),_build/student/book.log,_build/book.log)
# the branch students clone (`make students-branch`), which the student edition's launch buttons open
STUDENTS_BRANCH := students
# JupyterLite (live code in the browser, under _build/html/lite): LITE=0 skips it, ~10 s faster
LITE ?= 1
PY_SOURCES := nudge tests tools bench _ext
# pytest with the notebooks and browser pages side by side on the two cores; nbval compares every
# output of the chapters with the committed one (`make nbval` and `make bench` use these; `make test`
# has the book's build do it, tools/execute.py): a file's tests stay in one process (loadfile), and the
# files that read the graded class share one (tests/conftest.py), so that no process waits for another
PYTEST = $(BIN)/python -m pytest -n $(JOBS) --dist loadfile
NBVAL := --nbval --nbval-current-env --nbval-cell-timeout=300 --nbval-sanitize-with tests/nbval_sanitize.cfg
LINT = $(BIN)/ruff check $(PY_SOURCES) && $(BIN)/ruff format --check $(PY_SOURCES)

.PHONY: book editions edition-notebooks catalogs student students-branch hub test-hub exercises chapter test bench bench-suite lab serve unit nbval browser lint notebooks clean help

help:
	@echo "make book      build the website into _build/html"
	@echo "make test      build the book, then run every test (unit, doctest, nbval, browser)"
	@echo "make lab       JupyterLab on the book, with live sliders (LAB_OPTIONS=\"--port=8890 ...\")"
	@echo "make serve     serve the built site on http://127.0.0.1:8000/nudge/"
	@echo "make notebooks re-run the chapters in place after editing them (refreshes outputs)"
	@echo "make exercises regenerate the student notebooks in exercises/ from solutions/"
	@echo "make chapter N=08 TOPIC=jacobians TITLE=\"...\"   start a chapter from the templates"
	@echo "make book EDITION=student   the site without solutions, into _build/student"
	@echo "make editions  the book and its Korean, Simplified and Traditional Chinese editions (_build/html/ko, ...)"
	@echo "make edition-notebooks  the chapters, exercises and solutions in each translated language, into _build/notebooks/<tag>"
	@echo "make catalogs  bring the translation catalogs (locales/, nudge/locales/) up to date with the English"
	@echo "make bench-suite  after make test: each test file's CPU-seconds, and the least time they allow make test"
	@echo "make hub       the course's JupyterHub on 127.0.0.1, to try grading before term"
	@echo "make test-hub  the hub end to end: a student submits, the instructor grades (root)"

# --- set-up: each step is redone only when what it installs from changes -------------

$(BIN)/.installed: requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

# JupyterLab as `make lab` runs it (tests/test_lab.py too): the book's server extension (nudge/lab.py)
# is enabled in the venv
LAB_CONFIG := $(VENV)/etc/jupyter/jupyter_server_config.d/nudge.json
$(LAB_CONFIG): $(BIN)/.installed
	mkdir -p $(dir $@)
	echo '{"ServerApp": {"jpserver_extensions": {"nudge.lab": true}}}' > $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# MathJax (and mathjs, which the check-yourself questions load on their first check) are served
# from the site itself (no CDN), and not from _static/, whose every .js
# Jupyter Book would add to every page; only what the pages load is copied
$(EXTRA)/vendor/.copied: node_modules/.installed
	rm -rf $(EXTRA)/vendor && mkdir -p $(EXTRA)/vendor/mathjax
	cp -r $(addprefix node_modules/mathjax/es5/,tex-chtml.js input output ui a11y adaptors) $(EXTRA)/vendor/mathjax/
	cp node_modules/mathjax/LICENSE $(EXTRA)/vendor/mathjax/
	mkdir -p $(EXTRA)/vendor/mathjs
	cp node_modules/mathjs/lib/browser/math.js node_modules/mathjs/LICENSE $(EXTRA)/vendor/mathjs/
	touch $@

# mathjs for the question widgets in Jupyter (nudge.web), from npm like the site's copy
WIDGET_MATHJS := nudge/web/vendor/math.js
$(WIDGET_MATHJS): node_modules/.installed
	mkdir -p $(dir $@)
	cp node_modules/mathjs/lib/browser/math.js $@

# MathJax for the question widgets where the page has none that typesets (JupyterLab), which the
# kernel sends: the single file tex-svg.js (SVG needs no fonts), and its licence for the wheel
WIDGET_MATHJAX := nudge/web/vendor/tex-svg.js
$(WIDGET_MATHJAX): node_modules/.installed
	mkdir -p $(dir $@)
	cp node_modules/mathjax/LICENSE $(dir $@)LICENSE.mathjax
	cp node_modules/mathjax/es5/tex-svg.js $@

# the browser tests drive Debian's chromium (Playwright can't download its own browser here)
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null; }

# --- the two commands ---------------------------------------------------------------

# executions are cached per notebook (keyed on its code) and Sphinx re-reads only changed
# pages; neither sees a change to the helper package, which can change any output, so such a
# change starts both afresh. (CI builds a clean clone: everything is executed there.)
_build/.package-stamp: $(wildcard nudge/*.py nudge/*/*.py) _config.yml
	rm -rf _build/.jupyter_cache _build/.doctrees _build/student/_build/.doctrees _build/editions/*/.doctrees
	mkdir -p _build && touch $@

# Sphinx copies _static/ only when some page is out of date: a changed script or style alone
# would never reach the site, so it makes every page (not every execution) out of date
_build/.static-stamp: $(wildcard _static/* _ext/*.py _ext/templates/*.html _ext/editions_static/* nudge/web/*.js nudge/web/*.css)
	rm -rf _build/.doctrees _build/student/_build/.doctrees _build/editions/*/.doctrees
	mkdir -p _build && touch $@

# what the notebooks see while the book is built: explorers draw their frames into the site.
# glibc's malloc hands each frame's picture buffers (MBs) back to the system and takes them again
# with fresh zeroed pages, frame after frame; kept in the heap instead, a frame takes ~9% less time
BOOK_ENV = NUDGE_LANG=en NUDGE_FRAMES_DIR=$(CURDIR)/$(EXTRA)/nudge-frames NUDGE_FRAME_CACHE=$(CURDIR)/_build/nudge-frame-cache \
	  $(if $(CHECK_OUTPUTS),NUDGE_CHECK_OUTPUTS=1) NUDGE_LITE=$(LITE) $(if $(STUDENT),NUDGE_LAUNCH_BRANCH=$(STUDENTS_BRANCH)) MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=134217728

# the notebooks are executed two at a time into the execution cache first, by nbval (tools/execute.py),
# since Jupyter Book runs them one after another; under `make test` (CHECK_OUTPUTS=1) nbval also holds
# every chapter's outputs to the committed ones: that is the chapters' one execution in `make test`
book: $(BIN)/.installed $(EXTRA)/vendor/.copied $(WIDGET_MATHJS) $(WIDGET_MATHJAX) _build/.package-stamp _build/.static-stamp $(BOOK_TOC)
	mkdir -p $(dir $(BOOK_LOG))
	$(BOOK_ENV) $(BIN)/python -m tools.execute $(BOOK_TOC) 2>&1 | tee $(BOOK_LOG); exit $${PIPESTATUS[0]}
	$(BOOK_ENV) $(BIN)/jupyter-book build . $(if $(STUDENT),--toc $(BOOK_TOC) --path-output _build/student) \
	  --builder html -n -W --keep-going 2>&1 | tee -a $(BOOK_LOG); \
	  exit $${PIPESTATUS[0]}
	$(BIN)/python -m tools.prune_frames $(BOOK_BUILD)/html
	@echo "Built. Open $(BOOK_BUILD)/html/index.html in a browser (or run: make serve$(if $(STUDENT), EDITION=student))."

# the translated editions, after the English one: each is Sphinx again over the same execution cache
# and frames (nothing is executed or drawn again), in the language of its catalogs (locales/), into
# _build/html/<tag>/ (ko, zh-Hans, zh-Hant), two at a time (tools/editions.py); the English site is
# left as `make book` made it. Prints each edition's time; the English build's is in _build/book.log
editions: book
	$(BOOK_ENV) $(BIN)/python -m tools.editions 2>&1 | tee _build/editions.log; exit $${PIPESTATUS[0]}

# each translated edition's notebooks, from the English ones and the page catalogs, into _build/notebooks/<tag>/ with
# a .nudge-lang file (a kernel started there speaks the language): open that folder in JupyterLab (`make editions`
# writes them too, and into each edition's site for its download buttons; tools/edition_notebooks.py)
edition-notebooks: $(BIN)/.installed
	$(BIN)/python -m tools.edition_notebooks

# the catalogs translators fill, brought up to date with the English source: new text is added
# untranslated, changed text keeps its old translation marked fuzzy (stale) (tools/catalogs.py)
catalogs: $(BIN)/.installed
	$(BIN)/python -m tools.catalogs

_build/_toc_student.yml: _toc.yml tools/student_toc.py
	$(BIN)/python -m tools.student_toc _toc.yml $@

# the student edition as well, which tests/test_exercises.py searches for solutions; cheap, since
# its chapters come from the shared execution cache (and LITE=0: no second JupyterLite site)
student:
	$(MAKE) --no-print-directory book EDITION=student LITE=0

# the student notebooks, made from their nbgrader sources in solutions/ (the tests fail when a
# committed one differs from what this makes)
exercises: $(BIN)/.installed
	$(BIN)/python -m tools.make_exercises

# a new chapter from tools/templates/: its notebook, its exercises' source, _toc.yml and instructors.md
chapter: $(BIN)/.installed
	$(BIN)/python -m tools.new_chapter "$(N)" "$(TOPIC)" $(if $(TITLE),"$(TITLE)")

# the branch `students`: chapters/, exercises/ and the package, with a history of its own that
# never held solutions/ (nbgitpuller links and Binder point at it; instructors.md), and each translated
# edition's chapters and exercises under its tag (ko/, ...), which that edition's Binder and Colab buttons open
students-branch: edition-notebooks
	$(BIN)/python -m tools.students_branch --branch $(STUDENTS_BRANCH)

# the course's JupyterHub on 127.0.0.1, to try before term (root: it makes local accounts; hub/README.md).
# Everything the hub's accounts read or run lives in HUB_HOME, outside the repository, which may sit
# in a folder only root can read (a clone under /root): the venv, with the book's package installed
# (not linked to this clone), the bare repository students pull from and everyone's Jupyter
# configuration (tools/run_hub.py). The venv comes from a Python every account can run: Debian's
# (a pyenv Python under /root is root's alone), whose venv module Debian packages apart
HUB_HOME ?= /srv/nudge-hub
HUB_VENV := $(HUB_HOME)/venv
HUB_PYTHON ?= /usr/bin/python3
# each stamp is named by a hash of what it installs from: it is redone when that changes, in any
# clone (hub/requirements.txt: a new venv; the package: the package again)
content_hash = $(firstword $(shell sha256sum $(1) | sha256sum))
HUB_REQUIREMENTS := $(HUB_VENV)/.requirements-$(call content_hash,hub/requirements.txt)
HUB_PACKAGE := $(HUB_VENV)/.package-$(call content_hash,pyproject.toml $(sort $(wildcard nudge/*.py nudge/*/*.py nudge/web/*.js nudge/web/*.css)))

$(HUB_REQUIREMENTS):
	@$(HUB_PYTHON) -c 'import ensurepip, venv' 2>/dev/null || { \
	  echo "installing Debian's python3-venv for the hub's environment"; \
	  apt-get update -qq && apt-get install -y -qq --no-install-recommends python3-venv >/dev/null; }
	@mkdir -p $(HUB_HOME) 2>/dev/null && chmod 755 $(HUB_HOME) || { \
	  echo "the hub's environment goes into $(HUB_HOME): run as root (sudo make hub), or set HUB_HOME"; exit 1; }
	rm -rf $(HUB_VENV)
	$(HUB_PYTHON) -m venv $(HUB_VENV)
	$(HUB_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(HUB_VENV)/bin/python -m pip install --quiet -r hub/requirements.txt
	touch $@

# the package is built from a copy, so that no build products land in the clone (with mathjs and
# MathJax for the question widgets); MathJax's tex-svg.js also goes into the venv's share/nudge/mathjax,
# where feedback pages take it from on the hub (nudge.grading.MATHJAX_PLACES), which has no npm
$(HUB_PACKAGE): $(HUB_REQUIREMENTS) node_modules/.installed $(WIDGET_MATHJS) $(WIDGET_MATHJAX)
	rm -f $(HUB_VENV)/.package-*
	copy=$$(mktemp -d) && cp -r nudge pyproject.toml $$copy/ && \
	  $(HUB_VENV)/bin/python -m pip install --quiet --no-deps --force-reinstall $$copy; \
	  status=$$?; rm -rf $$copy; exit $$status
	mkdir -p $(HUB_VENV)/share/nudge/mathjax
	cp node_modules/mathjax/es5/tex-svg.js node_modules/mathjax/LICENSE $(HUB_VENV)/share/nudge/mathjax/
	$(HUB_VENV)/bin/python -m pip check  # what the package needs must be in hub/requirements.txt
	chmod -R a+rX $(HUB_VENV)
	touch $@

hub/node_modules/.installed: hub/package.json hub/package-lock.json
	npm ci --prefix hub --no-audit --no-fund --loglevel=error
	touch $@

hub: $(HUB_PACKAGE) hub/node_modules/.installed
	$(HUB_VENV)/bin/python tools/run_hub.py --home $(HUB_HOME) $(if $(PORT),--port $(PORT))

# the hub end to end (tests/test_hub.py): an instructor and a student on a hub of their own, in
# chromium; not part of `make test` (a few minutes, and it needs root for the accounts)
test-hub: $(BIN)/.installed $(HUB_PACKAGE) hub/node_modules/.installed chromium
	NUDGE_HUB_VENV=$(HUB_VENV) $(BIN)/python -m pytest -m "hub or install" tests/test_hub.py tests/test_students_requirements.py

# the front ends' own logic (nudge/web/*.js) with node's test runner, then everything else with pytest
JSTEST = PYTHON=$(CURDIR)/$(BIN)/python node --test tests/js/

# the tests `make test` runs (the hub's run apart, in `make test-hub`)
TEST_MARKERS := not hub and not install

# (the chapters were run once, by nbval, as the book was built: CHECK_OUTPUTS reaches `book` from here;
# each test's time goes to _build/pytest.xml)
test: CHECK_OUTPUTS := 1
test: book student editions chromium $(LAB_CONFIG)
	$(LINT)
	$(JSTEST)
	$(PYTEST) -m "$(TEST_MARKERS)" --junitxml=_build/pytest.xml tests nudge

# --- everything else ----------------------------------------------------------------

# build and test times, frames, live latency and page weights of the committed HEAD, measured
# on a fresh clone; prints a table and writes bench/results/*.json (QUICK=1: skip the slow parts);
# then the static explorers' latency over an emulated 100 ms round trip, on this checkout's site
# the design before the frames were fetched ahead (1x PNG, each fetched when shown), built from its
# own commit for the latency table (BASELINE= leaves it out)
BASELINE ?= e1b036dc32

bench: $(BIN)/.installed node_modules/.installed chromium
	$(BIN)/python -m pip install --quiet -r bench/requirements.txt
	$(BIN)/python -m bench.run $(if $(QUICK),--quick)
	$(MAKE) --no-print-directory book LITE=0
	$(if $(BASELINE),$(BIN)/python -m bench.baseline $(BASELINE) _build/bench-baseline)
	$(BIN)/python -m bench.latency --json bench/results/latency.json $(if $(BASELINE),--baseline-site \
	  _build/bench-baseline/book/_build/html --baseline-label "before ($(BASELINE): 1x PNG, on demand)")

# `make test`'s tests once, one after another, on the build `make test` left: each file's CPU-seconds (the whole
# machine's busy time around its tests), and the floor their sum puts under the suite's time on this machine's
# cores (bench/suite.py)
bench-suite: $(BIN)/.installed
	$(BIN)/python -m bench.suite --markers "$(TEST_MARKERS)"

unit: $(BIN)/.installed node_modules/.installed
	$(JSTEST)
	$(BIN)/python -m pytest -n $(JOBS) -m "not book and not browser and not hub and not install" tests nudge

nbval: $(BIN)/.installed
	$(PYTEST) $(NBVAL) chapters

lint: $(BIN)/.installed
	$(LINT)

# each runs in its own folder, as the build and nbval run it (nbconvert's default), without timing
# metadata or widget state, and without the site's frames directory (previews, not the site's frames),
# then saved without widget views, as JupyterLab saves them (a trusted notebook opened later shows the
# previews): re-running an unchanged notebook changes no byte
notebooks: $(BIN)/.installed
	env -u NUDGE_FRAMES_DIR $(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	  --ExecutePreprocessor.timeout=300 --ExecutePreprocessor.kernel_name=python3 \
	  --ExecutePreprocessor.record_timing=False --ExecutePreprocessor.store_widget_state=False chapters/*.ipynb
	$(BIN)/python -m tools.keep_previews chapters/*.ipynb

# JupyterLab on the whole repository, so that a chapter's link to its exercises opens them, starting at
# chapter 1; LAB_OPTIONS takes JupyterLab's own options (e.g. LAB_OPTIONS="--port=8890 --no-browser
# --ServerApp.ip=0.0.0.0"); as root (a container) it runs with --allow-root; LAB_ROOT serves another copy
LAB_OPTIONS ?=
LAB_ROOT ?= $(CURDIR)
lab: $(LAB_CONFIG) $(WIDGET_MATHJS) $(WIDGET_MATHJAX)
	$(BIN)/jupyter lab --ServerApp.root_dir=$(LAB_ROOT) --LabApp.default_url=/lab/tree/chapters/01_intuition.ipynb \
	  $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_OPTIONS)

# as GitHub Pages serves it: under the published path, gzip, the 404 page for missing addresses;
# the edition `make book` built (`make serve EDITION=student` serves the student edition)
PORT ?= 8000
serve:
	@test -f $(BOOK_BUILD)/html/index.html || { echo "no site yet: run 'make book$(if $(STUDENT), EDITION=student)' first"; exit 1; }
	$(BIN)/python -m tools.site $(BOOK_BUILD)/html --port $(PORT)

clean:
	rm -rf _build
