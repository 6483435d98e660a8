"""nbgrader for everyone on the hub: the course and its exchange (hub/jupyterhub_config.py puts
a copy of this folder, in the hub's folder, on every user's JUPYTER_CONFIG_PATH). The exchange is
a folder every user can write to, with the sticky bit (mode 1777), so students can submit and only
read what is released."""

import os

c = get_config()  # noqa: F821 (nbgrader defines it when it reads this file)
c.CourseDirectory.course_id = "nudge"
c.Exchange.root = os.environ.get("NUDGE_EXCHANGE", "/srv/nbgrader/exchange")
