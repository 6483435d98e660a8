"""The GitHub workflows: every commit is tested with `.ci/run`, and only a tested commit is published.

The files are parsed and their jobs, permissions and trigger chain checked; each rule is also
tried on a broken copy, so a check that could not fail would show here.
"""

from __future__ import annotations

import copy

import pytest
import yaml

from conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"


def load(name: str) -> dict:
    data = yaml.safe_load((WORKFLOWS / name).read_text())
    # YAML 1.1 reads the bare key `on` as true
    data["on"] = data.pop(True, data.get("on"))
    return data


def steps_using(job: dict, action: str) -> list[dict]:
    return [s for s in job.get("steps", []) if str(s.get("uses", "")).startswith(action + "@")]


def problems_of_testing(test: dict) -> list[str]:
    problems = []
    triggers = test["on"]
    for event in ("push", "pull_request", "schedule"):
        if event not in triggers:
            problems.append(f"test.yml does not run on {event}")
    if "schedule" in triggers and not all(len(entry["cron"].split()) == 5 for entry in triggers["schedule"]):
        problems.append("test.yml: a schedule entry is not a five-field cron line")
    if test.get("permissions") != {"contents": "read"}:
        problems.append(f"test.yml may do more than read the code: {test.get('permissions')}")
    runs = [job for job in test["jobs"].values() if any(s.get("run") == "bash .ci/run" for s in job.get("steps", []))]
    if not runs:
        problems.append("no job of test.yml runs `bash .ci/run`")
    return problems


def publish_problems(publish: dict, test: dict) -> list[str]:
    """What would let publish.yml deploy a commit whose tests did not pass."""
    problems = []
    triggers = publish["on"]
    if set(triggers) != {"workflow_run"}:
        problems.append(f"publish.yml starts on {sorted(triggers)}: only a finished test run may start it")
    else:
        run = triggers["workflow_run"]
        if run.get("workflows") != [test["name"]] or run.get("types") != ["completed"]:
            problems.append(f"publish.yml does not wait for the {test['name']!r} workflow to complete: {run}")
        if run.get("branches") != ["main"]:
            problems.append("publish.yml publishes branches other than main")
    jobs = publish["jobs"]
    gated = set()
    for name, job in jobs.items():
        condition = str(job.get("if", ""))
        needs = job.get("needs", [])
        needs = [needs] if isinstance(needs, str) else needs
        if "github.event.workflow_run.conclusion == 'success'" in condition and "pull_request" in condition:
            gated.add(name)
        elif needs and all(n in gated for n in needs):
            gated.add(name)  # jobs are listed before the jobs that need them
        else:
            problems.append(f"publish.yml job {name!r} runs whether or not the tests passed")
        for checkout in steps_using(job, "actions/checkout"):
            if checkout.get("with", {}).get("ref") != "${{ github.event.workflow_run.head_sha }}":
                problems.append(f"publish.yml job {name!r} checks out another commit than the tested one")
    if not any(steps_using(job, "actions/deploy-pages") for job in jobs.values()):
        problems.append("publish.yml deploys nothing")
    return problems


def caches(workflow: dict) -> dict:
    found = {}
    for job in workflow["jobs"].values():
        for action in ("actions/setup-python", "actions/setup-node"):
            for step in steps_using(job, action):
                found[action] = step.get("with", {})
    return found


@pytest.fixture(scope="module")
def workflows():
    return {"test": load("test.yml"), "publish": load("publish.yml")}


def test_every_commit_is_tested_with_ci_run(workflows):
    assert not problems_of_testing(workflows["test"])


def test_publish_deploys_only_a_commit_whose_tests_passed(workflows):
    assert not publish_problems(workflows["publish"], workflows["test"])


def test_publish_has_the_least_permissions_pages_needs(workflows):
    assert workflows["publish"]["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}


def test_only_the_job_that_pushes_the_students_branch_may_write_and_it_runs_git_alone(workflows):
    publish = workflows["publish"]
    jobs = publish["jobs"]
    writers = [
        name for name, job in jobs.items() if job.get("permissions", publish["permissions"])["contents"] != "read"
    ]
    assert writers == ["students-branch"] and jobs["students-branch"]["permissions"] == {"contents": "write"}
    commands = [
        line.split()[0] for step in jobs["students-branch"]["steps"] for line in step.get("run", "").splitlines()
    ]
    assert commands and set(commands) == {"git"}, commands
    assert "students-branch" in jobs["deploy"]["needs"]  # the site goes live once its launch links lead somewhere


def test_testing_and_publishing_share_python_node_and_their_caches(workflows):
    tested, published = caches(workflows["test"]), caches(workflows["publish"])
    assert tested == published
    assert tested["actions/setup-python"]["cache"] == "pip" and tested["actions/setup-node"]["cache"] == "npm"


def test_every_job_has_a_time_limit_where_a_kernel_can_hang(workflows):
    assert all("timeout-minutes" in job for job in workflows["test"]["jobs"].values())
    assert "timeout-minutes" in workflows["publish"]["jobs"]["build"]


def _broken(publish: dict, change) -> dict:
    publish = copy.deepcopy(publish)
    change(publish)
    return publish


@pytest.mark.parametrize(
    "change",
    [
        lambda p: p["on"].update(push={"branches": ["main"]}),
        lambda p: p.update(on={"push": {"branches": ["main"]}}),
        lambda p: p["on"]["workflow_run"].update(workflows=["lint"]),
        lambda p: p["on"]["workflow_run"].update(types=["requested"]),
        lambda p: p["jobs"]["build"].pop("if"),
        lambda p: p["jobs"]["build"].update({"if": "always()"}),
        lambda p: p["jobs"]["deploy"].pop("needs"),
        lambda p: p["jobs"]["build"]["steps"][0].pop("with"),
    ],
    ids=["push-too", "push-only", "other-workflow", "not-completed", "no-if", "always", "deploy-alone", "main-head"],
)
def test_the_check_fails_when_publish_stops_depending_on_the_tests(workflows, change):
    assert publish_problems(_broken(workflows["publish"], change), workflows["test"])


def test_the_check_fails_when_tests_stop_running_on_pull_requests(workflows):
    test = copy.deepcopy(workflows["test"])
    del test["on"]["pull_request"]
    assert problems_of_testing(test)
