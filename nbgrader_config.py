"""nbgrader configuration for the Nudge exercises: this repository is the course directory.

`solutions/<id>/<id>.ipynb` is the source of each assignment (solutions, visible checks,
hidden tests, points); `exercises/<id>/<id>.ipynb` is the student version made from it:

    make exercises                      # regenerate every exercise notebook (authors)

Grading a class, from this folder, with the sqlite gradebook `gradebook.db` and no server
(the book's page "For instructors", instructors.md, explains each step):

    nbgrader db student import students.csv         # optional: id,first_name,last_name,email
    nbgrader generate_assignment ch01_intuition     # record the assignment in the gradebook
    # hand out exercises/ch01_intuition/ch01_intuition.ipynb (LMS, e-mail, nbgitpuller link)
    # then put the submissions in submitted/<student>/ch01_intuition/ch01_intuition.ipynb, or put
    # the LMS's download in downloaded/ch01_intuition/archive/ and run
    nbgrader zip_collect ch01_intuition
    nbgrader autograde ch01_intuition
    nbgrader generate_feedback ch01_intuition        # feedback/<student>/ch01_intuition/*.html
    nbgrader export                                  # grades.csv

Student work (gradebook.db, downloaded/, submitted/, autograded/, feedback/, grades.csv)
lands in this folder: keep it out of version control.
"""

import re

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbformat.v4 import new_markdown_cell
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
    NbGraderPreprocessor,
    SaveCells,
)


class StudentVersion(NbGraderPreprocessor):
    """Turn a cleared solution notebook into the student's notebook.

    - the title cell `(sol-<id>)=` / `# Solutions N: ...` becomes `(ex-<id>)=` / `# Exercises N: ...`,
      so the book can show both pages with their own labels;
    - cells tagged `solution-only` (a note that the page shows model solutions) are left out;
    - the lines a cleared solution region leaves empty at the end of a code cell are dropped;
    - a first cell says where the notebook comes from (CONTRIBUTING.md: generated files say so).
    """

    def preprocess(self, nb, resources):
        assignment = resources["nbgrader"]["assignment"]
        notebook = resources["nbgrader"]["notebook"]
        nb.cells = [cell for cell in nb.cells if "solution-only" not in cell.metadata.get("tags", [])]
        for cell in nb.cells:
            if cell.cell_type == "markdown" and cell.source.startswith("(sol-"):
                cell.source = re.sub(r"^\(sol-", "(ex-", cell.source)
                cell.source = re.sub(r"^# Solutions ", "# Exercises ", cell.source, count=1, flags=re.M)
                break
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.source = cell.source.rstrip()
        header = new_markdown_cell(
            f"*Generated from `solutions/{assignment}/{notebook}.ipynb` by `make exercises`; "
            "don't edit this file, edit its source and regenerate.*",
            metadata={"tags": ["remove-cell"]},
        )
        header["id"] = "generated"
        nb.cells.insert(0, header)
        return nb, resources


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
# a check cell a student deleted is put back (and run) rather than silently scoring nothing
c.OverwriteCells.add_missing_cells = True
# a check stops a student's function after a few seconds; this bounds a whole cell
c.Execute.timeout = 120
# the autograded notebook keeps the hidden tests for the instructor; the feedback students
# get must not show them (nbgrader's default feedback would print the test code)
c.GenerateFeedback.preprocessors = [GetGrades, ClearHiddenTests, CSSHTMLHeaderPreprocessor]

# --- collecting from a learning management system ------------------------------------------
# `nbgrader zip_collect ch01_intuition` reads downloaded/ch01_intuition/archive/ (zip files
# or notebooks). This pattern reads Canvas's names, `<student>_<id>_<submission>_<file>` with
# LATE_ for late work and -1, -2 for resubmissions, e.g. doejane_1234_56789_ch01_intuition.ipynb;
# for another LMS, change it (it must capture student_id and file_id, the notebook's name).
c.FileNameCollectorPlugin.named_regexp = (
    r"(?i).*/(?P<student_id>[a-z0-9]+)_(?:late_)?\d+_\d+_(?P<file_id>ch\d\d_[a-z0-9_]+?)(?:-\d+)?\.ipynb$"
)

# --- JupyterHub ----------------------------------------------------------------------------
# On a hub, hand out exercises with nbgitpuller links (instructors.md shows the link) and
# collect with the LMS as above; or use nbgrader's exchange (release_assignment / fetch /
# submit / collect), which needs a shared folder, set here:
# c.Exchange.root = "/srv/nbgrader/exchange"
