"""nbgrader for the instructor only: the course folder is the instructor's clone of the book's
repository, ~/course, whose own nbgrader_config.py (the book's) nbgrader reads there too. Not
~/nudge: that is where the students' nbgitpuller link clones the students' branch, for the
instructor too when they open the link, and nbgitpuller would offer to move a course folder there
aside ("Backup and resync"), gradebook and submissions with it."""

import os

c = get_config()  # noqa: F821 (nbgrader defines it when it reads this file)
c.CourseDirectory.root = os.path.expanduser("~/course")
