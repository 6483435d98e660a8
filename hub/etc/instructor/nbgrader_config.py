"""nbgrader for the instructor only: the course folder is the instructor's clone of the book's
repository, ~/nudge, whose own nbgrader_config.py (the book's) nbgrader reads there too."""

import os

c = get_config()  # noqa: F821 (nbgrader defines it when it reads this file)
c.CourseDirectory.root = os.path.expanduser("~/nudge")
