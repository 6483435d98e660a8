"""nbgrader configuration for the Nudge exercises: this repository is the course directory.

`solutions/<id>/<id>.ipynb` is the source of each assignment (solutions, visible checks,
hidden tests, points); `exercises/<id>/<id>.ipynb` is the student version made from it
(`make exercises`). The book's plug-ins for nbgrader are in `nudge/grading.py`.

Grading a class, from this folder, with the sqlite gradebook `gradebook.db` and no server: the
book's page "For instructors" (instructors.md) gives every command, and a test runs them as written.
Student work (gradebook.db, downloaded/, submitted/, autograded/, feedback/, grades.csv)
lands in this folder: keep it out of version control (.gitignore does).
"""

from pathlib import Path

import yaml
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.converters import Autograde
from nbgrader.preprocessors import (
    CheckCellMetadata,
    ClearHiddenTests,
    ClearMarkScheme,
    ClearOutput,
    ClearSolutions,
    ComputeChecksums,
    GetGrades,
    IncludeHeaderFooter,
    InstantiateTests,
    LockCells,
    OverwriteCells,
    SaveAutoGrades,
    SaveCells,
)

from nudge.grading import (
    CanvasCollector,
    FeedbackPage,
    GuardedCells,
    OfflineFeedback,
    SaveGradesKeepingSight,
    StudentVersion,
)

c = get_config()  # noqa: F821 (nbgrader defines it when it reads this file)

# --- where things are --------------------------------------------------------------------
c.CourseDirectory.course_id = "nudge"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"
# the default, spelled out: submitted/, autograded/, feedback/ and gradebook.db sit here too

# --- making the student version ----------------------------------------------------------
# a cleared answer leaves its `... ` placeholders (written outside the solution region) and
# nothing else: no `raise NotImplementedError()`, so a blank notebook runs to its check cells,
# which then say what is missing instead of crashing
c.ClearSolutions.code_stub = {"python": ""}
c.ClearSolutions.text_stub = "*Write your answer here.*"
# a link to a chapter points at the published book, whose address _config.yml holds
c.StudentVersion.site_url = yaml.safe_load((Path(__file__).parent / "_config.yml").read_text())["html"]["baseurl"]
c.GenerateAssignment.preprocessors = [
    IncludeHeaderFooter,
    InstantiateTests,
    LockCells,
    ClearSolutions,
    StudentVersion,
    ClearOutput,
    CheckCellMetadata,
    ComputeChecksums,
    SaveCells,
    ClearHiddenTests,
    ClearMarkScheme,
    ComputeChecksums,
    CheckCellMetadata,
]

# --- grading -----------------------------------------------------------------------------
# nbgrader's own steps of autograde, with two of the book's in their places: GuardedCells restores
# locked cells as OverwriteCells does, and warns once per student who changed one (or whose answer
# reaches for the checks), instead of a checksum warning for every check cell with hidden tests,
# honest or not; SaveGradesKeepingSight saves grades as SaveAutoGrades does, and names the hand
# grades a regrade reopened (nbgrader's rule), with their scores
# (a missing step fails here: nbgrader moved on, and these need a look)
ours = {OverwriteCells: GuardedCells, SaveAutoGrades: SaveGradesKeepingSight}
c.Autograde.sanitize_preprocessors = [ours.get(p, p) for p in Autograde.sanitize_preprocessors.default()]
c.Autograde.autograde_preprocessors = [ours.get(p, p) for p in Autograde.autograde_preprocessors.default()]
assert set(ours.values()) <= {*c.Autograde.sanitize_preprocessors, *c.Autograde.autograde_preprocessors}
# a check cell a student deleted is put back (and run) rather than silently scoring nothing
c.OverwriteCells.add_missing_cells = True
# a check stops a student's function after a few seconds; this bounds a whole cell
c.Execute.timeout = 120
# the autograded notebook keeps the hidden tests for the instructor; the feedback students
# get must not show them (nbgrader's default feedback would print the test code), nor the
# book's own markup (MyST labels, cells the book hides)
c.GenerateFeedback.preprocessors = [GetGrades, ClearHiddenTests, FeedbackPage, CSSHTMLHeaderPreprocessor]
# and its math must render offline: MathJax from npm written into each page, not from a CDN
c.GenerateFeedback.exporter_class = OfflineFeedback

# --- collecting from a learning management system ------------------------------------------
# `nbgrader zip_collect ch01_intuition` reads downloaded/ch01_intuition/archive/ (zip files or
# notebooks) with Canvas's names, `<student>_[late_]<user id>_<submission id>_<file>`; it stops on
# a name it can't read and lists late work (nudge/grading.py). For another LMS, set
# c.ZipCollectApp.collector_plugin = "nbgrader.plugins.FileNameCollectorPlugin" and its named_regexp.
c.ZipCollectApp.collector_plugin = CanvasCollector

# --- JupyterHub ----------------------------------------------------------------------------
# nbgrader's exchange (release_assignment / fetch / submit / collect) is set up system-wide on
# the hub (hub/etc/jupyter/nbgrader_config.py: Exchange.root, course_id), for students and instructor alike
