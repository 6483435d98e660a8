"""Where `make test`'s pytest spends the machine: each test file's share of the CPU the whole suite needs.

Usage: make bench-suite        (after `make test`, on its build)

`make test` runs its files two at a time on the two cores (`--dist loadfile`), and nearly all of its
work is CPU-bound: its wall time can't be less than the CPU-seconds the suite keeps the machine busy
for, over the number of cores. This runs the suite once in one process, one test after another, and
reads the whole machine's busy time from /proc/stat around each test (its fixtures' set-up included),
so that chromium's, the kernels' and the servers' processes count with the test that made them work;
collecting the tests is a row of its own. Writes bench/results/suite.json and prints the files,
heaviest first, with the floor their sum puts under the suite's wall time. The machine's own work
(its kernel's memory monitor, for one) is counted too, as it is in the suite's wall time. Shared
machines are noisy: compare rows of one run.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
#: where the plugin below writes what it measured (the pytest run is a process of its own)
OUT = "NUDGE_BENCH_SUITE_OUT"


def busy_seconds() -> float:
    """CPU-seconds the machine has spent on anything but idling and waiting for disks, since boot."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle, iowait = fields[3], fields[4]
    return (sum(fields[:8]) - idle - iowait) / os.sysconf("SC_CLK_TCK")


# --- the pytest plugin (`-p bench.suite`) ---------------------------------------------------------

_ROWS: list[dict] = []


def _measured(name: str):
    busy, started = busy_seconds(), time.perf_counter()
    yield
    _ROWS.append({"test": name, "cpu_s": busy_seconds() - busy, "wall_s": time.perf_counter() - started})


@pytest.hookimpl(hookwrapper=True)
def pytest_collection(session):
    yield from _measured("(collecting the tests)")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    yield from _measured(item.nodeid)


def pytest_sessionfinish(session):
    if os.environ.get(OUT):
        Path(os.environ[OUT]).write_text(json.dumps(_ROWS))


# --- the benchmark ---------------------------------------------------------------------------------


def by_file(rows: list[dict]) -> list[dict]:
    files: dict[str, dict] = collections.defaultdict(lambda: {"tests": 0, "cpu_s": 0.0, "wall_s": 0.0})
    for row in rows:
        file = files[row["test"].split("::")[0]]
        file["tests"] += "::" in row["test"]
        file["cpu_s"] += row["cpu_s"]
        file["wall_s"] += row["wall_s"]
    table = [{"file": name, **{k: round(v, 1) for k, v in f.items()}} for name, f in files.items()]
    return sorted(table, key=lambda f: -f["cpu_s"])


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--markers", required=True, help="pytest -m, as `make test` passes it")
    args = parser.parse_args(argv)
    out = RESULTS / "suite-tests.json"
    RESULTS.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    command = [sys.executable, "-m", "pytest", "-q", "-p", "bench.suite", "-p", "no:cacheprovider"]
    done = subprocess.run([*command, "-m", args.markers, "tests", "nudge"], cwd=ROOT, env={**os.environ, OUT: str(out)})
    if done.returncode != 0:
        print(f"bench: the suite failed (exit code {done.returncode}): its times are still written", file=sys.stderr)
    files = by_file(json.loads(out.read_text()))
    cores = os.cpu_count() or 1
    cpu = sum(f["cpu_s"] for f in files)
    summary = {"cores": cores, "cpu_s": round(cpu, 1), "serial_wall_s": round(time.perf_counter() - started, 1)}
    summary["floor_s"] = round(cpu / cores)
    (RESULTS / "suite.json").write_text(json.dumps({**summary, "files": files}, indent=1) + "\n")
    print(f"\n{'CPU-s':>8}{'wall s':>8}{'tests':>7}  file (its tests one after another, the machine's busy time)")
    for f in files:
        print(f"{f['cpu_s']:>8.1f}{f['wall_s']:>8.1f}{f['tests']:>7}  {f['file']}")
    print(
        f"{cpu:>8.1f}{summary['serial_wall_s']:>8.1f}  in all: on {cores} cores the suite needs at least"
        f" {summary['floor_s']} s of wall time, however its files are spread"
    )
    return done.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
