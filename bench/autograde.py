"""Time nbgrader grading a class: 30 simulated submissions of chapter 1's exercises.

Usage: .venv/bin/python -m bench.autograde [--students 30] [--assignment ch01_intuition]

Builds a course folder in a temporary directory with tools/simulate_class.py (each student
answers each exercise right, wrong, with code that raises, or not at all), then times the
real command line, step by step: zip_collect, autograde, generate_feedback, export. It checks
that every exported score is what the simulated answers deserve, prints a table and writes
bench/results/autograde-<time>.json. It reports; no test asserts a time.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from tools import simulate_class as sim

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


def children_cpu() -> float:
    """CPU seconds used so far by finished child processes (nbgrader and the kernels it starts)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(course: Path, *args: str) -> tuple[float, float]:
    """Wall and CPU seconds of one nbgrader command: on a busy machine the CPU figure is the steadier one."""
    started, cpu = time.perf_counter(), children_cpu()
    sim.nbgrader(course, *args)
    return time.perf_counter() - started, children_cpu() - cpu


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--assignment", default="ch01_intuition")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="nudge-autograde-") as tmp:
        course = Path(tmp) / "course"
        started, cpu = time.perf_counter(), children_cpu()
        released = sim.make_course(course, args.assignment)
        setup = (time.perf_counter() - started, children_cpu() - cpu)
        source = nbformat.read(course / "solutions" / args.assignment / f"{args.assignment}.ipynb", as_version=4)
        roster = sim.random_class(source, nbformat.read(released, as_version=4), args.students, args.seed)
        sim.write_class(course, args.assignment, {name: nb for name, (nb, _) in roster.items()})
        steps = {"generate_assignment": setup}
        steps["zip_collect"] = timed(course, "zip_collect", args.assignment)
        steps["autograde"] = timed(course, "autograde", args.assignment)
        steps["generate_feedback"] = timed(course, "generate_feedback", args.assignment)
        steps["export"] = timed(course, "export", "--to", "grades.csv")
        with open(course / "grades.csv", newline="") as handle:
            scores = {row["student_id"]: float(row["score"]) for row in csv.DictReader(handle)}

    expected = {name: sim.expected_autograde(source, behaviours) for name, (_, behaviours) in roster.items()}
    wrong = {name: (scores.get(name), want) for name, want in expected.items() if scores.get(name) != want}
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    print(f"{args.students} submissions of {args.assignment} (load average {load:.1f}, {os.cpu_count()} cores)")
    print(f"  {'step':<20} {'wall':>7}   {'cpu':>7}")
    for step, (wall, cpu) in steps.items():
        print(f"  {step:<20} {wall:7.1f} s {cpu:7.1f} s")
    wall, cpu = steps["autograde"]
    print(f"  autograde per submission: {wall / args.students:.2f} s wall, {cpu / args.students:.2f} s cpu")
    print(f"  scores as expected: {len(expected) - len(wrong)} of {len(expected)}")

    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y-%m-%dT%H%M%S")
    record = {
        "students": args.students,
        "assignment": args.assignment,
        "seconds": {step: {"wall": wall, "cpu": cpu} for step, (wall, cpu) in steps.items()},
        "autograde_seconds_per_submission": {"wall": wall / args.students, "cpu": cpu / args.students},
        "scores_as_expected": len(expected) - len(wrong),
        "mismatches": wrong,
        "load_average": load,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
    }
    (RESULTS / f"autograde-{stamp}.json").write_text(json.dumps(record, indent=2) + "\n")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
