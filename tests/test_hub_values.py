"""The Zero to JupyterHub values (hub/z2jh-values.yaml) fail closed: their `hub.extraConfig` code,
run as the chart runs it (after loading `hub.config` into JupyterHub's configuration `c`), refuses
to start the hub with the chart's default authenticator (dummy: anyone gets in, under any name) or
with none, and with no instructor named; with a real authenticator it starts and gives the
instructor, and only them, the instructor's configuration. No Kubernetes cluster is needed (nor
available where the book is tested): the chart itself is not rendered here.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import yaml
from traitlets.config import Config

from conftest import ROOT

VALUES = yaml.safe_load((ROOT / "hub" / "z2jh-values.yaml").read_text())
#: the hub as the proxy reaches it: the chart's jupyterhub_config.py (4.4.0) sets hub_connect_url to its Service
CHART_HUB_URL = "http://hub:8081"


def start_hub(**config) -> Config:
    """The configuration the chart's jupyterhub_config.py builds from the values, `config` merged
    into their hub.config as a course's own values file would be; then its hub.extraConfig, in
    the chart's order (sorted by key)."""
    c = Config()
    c.JupyterHub.hub_connect_url = CHART_HUB_URL  # what the chart sets before it loads the values
    merged = {section: dict(values) for section, values in VALUES["hub"]["config"].items()}
    for section, values in config.items():
        merged.setdefault(section, {}).update(values)
    for section, values in merged.items():
        c[section].update(values)
    for _, code in sorted(VALUES["hub"]["extraConfig"].items()):
        exec(code, {"c": c})
    return c


def test_the_chart_default_authenticator_is_refused():
    with pytest.raises(SystemExit, match="no real authenticator"):
        start_hub(Authenticator={"admin_users": ["lecturer1"]})


def test_no_authenticator_at_all_is_refused():
    c = Config()
    with pytest.raises(SystemExit, match="no real authenticator"):
        exec(VALUES["hub"]["extraConfig"]["nudge-fail-closed"], {"c": c})


def test_a_hub_without_an_instructor_is_refused():
    with pytest.raises(SystemExit, match="admin_users"):
        start_hub(JupyterHub={"authenticator_class": "generic-oauth"})


def test_a_real_authenticator_starts_and_the_instructor_alone_gets_the_formgrader():
    c = start_hub(JupyterHub={"authenticator_class": "generic-oauth"}, Authenticator={"admin_users": ["lecturer1"]})
    hook = c.KubeSpawner.pre_spawn_hook
    spawned = {}
    for name in ("lecturer1", "doejane"):
        spawner = SimpleNamespace(user=SimpleNamespace(name=name), environment={})
        hook(spawner)
        spawned[name] = spawner.environment
    assert spawned == {"lecturer1": {"JUPYTER_CONFIG_PATH": "/opt/nudge/hub/etc/instructor"}, "doejane": {}}


def test_no_volume_is_shared_between_users():
    """A shared exchange volume would let every pod (all uid 1000) read everyone's submissions."""
    singleuser = VALUES["singleuser"]
    assert not singleuser.get("storage", {}).get("extraVolumes") and not singleuser.get("initContainers")


def test_the_formgraders_links_reach_the_instructors_server():
    """The formgrader links /tree/…, /notebooks/…, /edit/… without the user's prefix: the proxy sends
    them to the hub's user-redirect (tests/test_hub.py follows the same routes on a running hub)."""
    c = start_hub(JupyterHub={"authenticator_class": "generic-oauth"}, Authenticator={"admin_users": ["lecturer1"]})
    redirect = f"{CHART_HUB_URL}/user-redirect"
    assert c.Proxy.extra_routes == {"/tree/": redirect, "/notebooks/": redirect, "/edit/": redirect}
