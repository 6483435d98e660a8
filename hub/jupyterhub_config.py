"""JupyterHub for one machine and one course: an instructor and students, local accounts.

Each user's server is JupyterLab from the environment in hub/requirements.txt (the venv JupyterHub
runs from: `NUDGE_HUB_VENV`), with nbgitpuller and nbgrader's *Assignments* tab. What the users'
servers read lives in the hub's folder (`NUDGE_HUB_HOME`, by default the folder holding the venv;
`make hub` uses /srv/nudge-hub), never in the repository, which the accounts may not be able to
read. tools/run_hub.py copies hub/etc there; its folders come first in `JUPYTER_CONFIG_PATH`:

- etc/jupyter: nbgrader's exchange and course id for everyone (nbgrader_config.py), and the
  formgrader and course list switched off (server and JupyterLab);
- etc/instructor, for the instructor only, before it: the formgrader and course list switched
  on, and the course folder (the instructor's clone of the book's repository, ~/course: not
  ~/nudge, where the students' nbgitpuller link clones their copy, also when the instructor
  opens it).

JupyterHub's own files (its database, cookie secret, proxy pid) are root's alone, in its
subfolder `jupyterhub` (mode 700).

The formgrader opens in a browser tab of its own, at /user/<instructor>/formgrader: JupyterHub ≥ 4.1
forbids framing a user's server (`frame-ancestors 'none'`), so JupyterLab's embedded Formgrader tab
stays blank, and relaxing that policy would let any user's page frame the instructor's server
(nbgrader #1870, #1947). hub/README.md says how to open it.

`make hub` runs this with NUDGE_HUB_TRIAL=1: on 127.0.0.1 only, one shared password for the
accounts it made (JupyterHub's dummy authenticator). Without it, users log in with their system
password (PAM): put the hub behind HTTPS before anyone else can reach it.
"""

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
VENV = Path(os.environ.get("NUDGE_HUB_VENV", sys.prefix))
HOME = Path(os.environ.get("NUDGE_HUB_HOME", VENV.parent))
INSTRUCTOR = os.environ.get("NUDGE_HUB_INSTRUCTOR", "instructor")
STUDENTS = [name for name in os.environ.get("NUDGE_HUB_STUDENTS", "student1,student2").split(",") if name]
TRIAL = os.environ.get("NUDGE_HUB_TRIAL") == "1"
PORT = int(os.environ.get("NUDGE_HUB_PORT", "8000"))
# the ports only the hub and its proxy use, which tools/run_hub.py picks free at every start: fixed
# ones (JupyterHub's 8081, the proxy's API on 8001) collide with another hub on the machine
HUB_PORT = int(os.environ.get("NUDGE_HUB_INTERNAL_PORT", "8081"))
PROXY_API_PORT = int(os.environ.get("NUDGE_HUB_PROXY_API_PORT", "8001"))

c = get_config()  # noqa: F821 (JupyterHub defines it when it reads this file)

c.JupyterHub.bind_url = f"http://127.0.0.1:{PORT}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = HUB_PORT
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{PROXY_API_PORT}"
c.ConfigurableHTTPProxy.command = [str(HERE / "node_modules" / ".bin" / "configurable-http-proxy")]
# the hub's own files (its database, cookie secret, proxy pid): no account but root reads them
STATE = HOME / "jupyterhub"
STATE.mkdir(parents=True, exist_ok=True)
STATE.chmod(0o700)
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.pid_file = str(STATE / "proxy.pid")

# --- who may log in -------------------------------------------------------------------------------
c.Authenticator.allowed_users = {INSTRUCTOR, *STUDENTS}
c.Authenticator.admin_users = {INSTRUCTOR}
if TRIAL:
    c.JupyterHub.authenticator_class = "dummy"
    c.DummyAuthenticator.password = os.environ["NUDGE_HUB_PASSWORD"]
else:
    c.JupyterHub.authenticator_class = "pam"

# --- each user's server: JupyterLab as that system user, in their home folder -----------------------
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [str(VENV / "bin" / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
# nothing of the environment the hub was started in reaches a user's server (JupyterHub passes on
# PYTHONPATH and VIRTUAL_ENV by default: a clone's package would shadow the hub's), PATH is set below
c.Spawner.env_keep = ["LANG", "LC_ALL", "JUPYTERHUB_SINGLEUSER_APP"]
c.Spawner.http_timeout = 120
c.Spawner.start_timeout = 120


def per_user_configuration(spawner):
    """Everyone reads etc/jupyter; the instructor reads etc/instructor first (copies of hub/etc)."""
    folders = [HOME / "etc" / "jupyter"]
    if spawner.user.name == INSTRUCTOR:
        folders.insert(0, HOME / "etc" / "instructor")
    spawner.environment["JUPYTER_CONFIG_PATH"] = os.pathsep.join(map(str, folders))
    spawner.environment["PATH"] = os.pathsep.join([str(VENV / "bin"), "/usr/local/bin", "/usr/bin", "/bin"])
    if "NUDGE_EXCHANGE" in os.environ:  # another exchange than /srv/nbgrader/exchange (hub/etc/jupyter)
        spawner.environment["NUDGE_EXCHANGE"] = os.environ["NUDGE_EXCHANGE"]


c.Spawner.pre_spawn_hook = per_user_configuration

# --- the formgrader's links to the course's files ---------------------------------------------------
# Opened in a tab of its own, the formgrader links an assignment's folder and its Preview to
# /tree/course/…, a submission's notebook to /notebooks/…, a file to /edit/…: paths on the host's
# root, without the user's prefix /user/<name>/ (nbgrader's formgrader static/js/utils.js, `linkTo`,
# made for a server alone), which on a hub are the hub's own, and 404. The proxy hands those three
# to the hub's user-redirect (forwarded as /user-redirect/tree/…, which the hub sends on to
# /hub/user-redirect/tree/…, where the login cookie is), and that sends the logged-in user to the
# same page of their own server (Jupyter Notebook's, which hub/requirements.txt installs).
USER_REDIRECT = f"http://127.0.0.1:{HUB_PORT}/user-redirect"
c.Proxy.extra_routes = {f"/{page}/": USER_REDIRECT for page in ("tree", "notebooks", "edit")}
