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
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    ClearHiddenTests,
    ClearMarkScheme,
    ClearMetadataPreprocessor,
    ClearOutput,
    ClearSolutions,
    ComputeChecksums,
    DeduplicateIds,
    Execute,
    GetGrades,
    IgnorePattern,
    IncludeHeaderFooter,
    InstantiateTests,
    LimitOutput,
    LockCells,
    OverwriteKernelspec,
    SaveCells,
)

from nudge.grading import CanvasCollector, GuardedCells, OfflineFeedback, SaveGradesKeepingSight, StudentVersion

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
# nbgrader's sanitizing steps, with its OverwriteCells made GuardedCells: the same restoring of
# locked cells, and one warning per student who changed one (or whose answer reaches for the
# checks), instead of a checksum warning for every check cell with hidden tests, honest or not
c.Autograde.sanitize_preprocessors = [ClearOutput, DeduplicateIds, OverwriteKernelspec, GuardedCells, CheckCellMetadata]
# and its grading steps, with SaveAutoGrades made SaveGradesKeepingSight: a regrade reopens every
# hand-graded answer (nbgrader's rule), and this names them, per student, with their scores
c.Autograde.autograde_preprocessors = [
    Execute,
    IgnorePattern,
    ClearMetadataPreprocessor,
    LimitOutput,
    SaveGradesKeepingSight,
    AssignLatePenalties,
    CheckCellMetadata,
]
# a check cell a student deleted is put back (and run) rather than silently scoring nothing
c.OverwriteCells.add_missing_cells = True
# a check stops a student's function after a few seconds; this bounds a whole cell
c.Execute.timeout = 120
# the autograded notebook keeps the hidden tests for the instructor; the feedback students
# get must not show them (nbgrader's default feedback would print the test code)
c.GenerateFeedback.preprocessors = [GetGrades, ClearHiddenTests, CSSHTMLHeaderPreprocessor]
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
