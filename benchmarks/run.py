#!/usr/bin/env python3
"""Benchmarks: coverage, continuity, rules, time and memory of parasched against a greedy fill.

Schools: the easy and the hard generator (``samples/generator.py``, ``kind="easy"``/``"hard"``) at
10-160 paras, and the public example schools of ``shared/instances/``. On each, the greedy
scheduler (about what a coordinator fills in by hand), the solver at its time limit and, with
``--long-factor 10``, the solver at 10x that limit. Every run is a subprocess of its own: its
peak memory is its own (``wait4``), and a failing run only prints its error in the table.

    python benchmarks/run.py --quick                 # shared schools + hard 10/35 paras, 30 s each
    python benchmarks/run.py                         # easy and hard 10-160 paras, shared schools
    python benchmarks/run.py --long-factor 10        # ... and a 10x longer solve of each

Measured from each schedule (``measure``): covered minutes per priority and in total against the
required minutes (``kpis.compute_kpis``), handoffs, relays on duties, distinct paras per student (day and week),
runs shorter than ``min_support_minutes`` (counted here from the rows), broken rules
(``check.check_schedule``), wall time and peak memory. Results go to
``benchmarks/results/bench-<date>.{csv,json,md}``; the markdown table is printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script from anywhere: samples.generator is importable
    sys.path.insert(0, str(ROOT))

SHARED_INSTANCES = ROOT.parent / "shared" / "instances"
DEFAULT_SIZES = (10, 20, 40, 80, 160)
QUICK_HARD_SIZES = (10, 35)
QUICK_TIME_LIMIT = 30.0
LARGE_FROM = 160  # schools this large get LARGE_TIME_LIMIT by default (the targets)
LARGE_TIME_LIMIT = 120.0
SETTLED_POINTS = 1.0  # "coverage settled": every priority within this many points of its final value
RESOLVE_SIZE = 80
ABSENCE_DAY = "Wed"
ABSENCES_LABEL = f"6 new absences on {ABSENCE_DAY}: 4 paras all day, 1 para 10:00-12:00, 1 student all day"


# -- schools ---------------------------------------------------------------------------------------
def load_school(spec: dict[str, Any]) -> Any:
    """The Problem a spec names: ``{"source": "easy"|"hard", "n_paras", "seed"}`` or
    ``{"source": "file", "path"}``."""
    if spec["source"] == "file":
        from parasched.io.reader import read_problem

        return read_problem(spec["path"]).problem
    from samples.generator import generate_school

    return generate_school(spec["n_paras"], seed=spec["seed"], kind=spec["source"])


def school_label(spec: dict[str, Any]) -> str:
    if spec["source"] == "file":
        return Path(spec["path"]).stem
    return f"{spec['source']} {spec['n_paras']} (seed {spec['seed']})"


def shared_instances(folder: Path) -> list[Path]:
    """The public example schools (an absences-only workbook is not a school)."""
    return sorted(p for p in folder.glob("*.xlsx") if not p.stem.endswith("-absences"))


# -- measurements (inside a worker subprocess) -----------------------------------------------------
def continuity(problem: Any, schedule: Any) -> dict[str, Any]:
    """Continuity figures ``compute_kpis`` lacks, from the schedule's rows alone.

    - ``paras_day``: mean over student-days with support or therapy rows of the distinct paras
      of those rows; ``paras_week``: the same per student over the week.
    - ``short_runs``: runs (back-to-back support rows of one para naming the student; a room
      change inside does not end one) shorter than ``min_support_minutes`` that do not cover the
      whole need stretch they lie in (the student's maximal need without a pause, less the
      therapy the schedule holds).
    """
    from parasched.scheduler.coverage import occurrences_of
    from parasched.scheduler.schedule import Kind
    from parasched.scheduler.timegrid import merge
    from parasched.scheduler.weekgrid import WeekGrid

    day_paras: dict[tuple[str, str], set[str]] = defaultdict(set)
    week_paras: dict[str, set[str]] = defaultdict(set)
    spans: dict[tuple[str, str, str], list[tuple[int, int]]] = defaultdict(list)
    for a in schedule.assignments:
        if a.kind not in (Kind.SUPPORT, Kind.THERAPY):
            continue
        for sid in a.students:
            day_paras[(sid, a.day)].add(a.para_id)
            week_paras[sid].add(a.para_id)
            if a.kind == Kind.SUPPORT:
                spans[(a.para_id, sid, a.day)].append((a.start, a.end))
    runs: list[tuple[str, str, int, int]] = []  # (student, day, start, end)
    for (_, sid, day), got in spans.items():
        got.sort()
        start, end = got[0]
        for s, e in got[1:]:
            if s == end:  # back to back: the same run
                end = e
                continue
            runs.append((sid, day, start, end))
            start, end = s, e
        runs.append((sid, day, start, end))
    least = problem.settings.min_support_minutes
    grid = WeekGrid.of(problem)
    held = occurrences_of(schedule)
    stretches: dict[str, dict[str, tuple[tuple[int, int], ...]]] = {}
    short = 0
    for sid, day, start, end in runs:
        if end - start >= least:
            continue
        if day not in stretches:
            by_student: dict[str, list[tuple[int, int]]] = defaultdict(list)
            for seg in grid.support_needs(day, tuple(o for o in held if o.day == day)):
                by_student[seg.student_id].append((seg.start, seg.end))
            stretches[day] = {k: merge(v) for k, v in by_student.items()}
        home = next(((s, e) for s, e in stretches[day].get(sid, ()) if s < end and start < e), None)
        if home is None or not (start <= home[0] and home[1] <= end):
            short += 1
    return {
        "paras_day": round(statistics.fmean(len(v) for v in day_paras.values()), 2) if day_paras else 0.0,
        "paras_week": round(statistics.fmean(len(v) for v in week_paras.values()), 2) if week_paras else 0.0,
        "runs": len(runs),
        "short_runs": short,
    }


def measure(problem: Any, schedule: Any) -> dict[str, Any]:
    """Coverage, continuity and rule figures of one schedule (see the module docstring)."""
    from parasched.scheduler.check import check_schedule
    from parasched.scheduler.kpis import compute_kpis

    k = compute_kpis(problem, schedule)
    out: dict[str, Any] = {}
    for p in (1, 2, 3):
        out[f"req_p{p}"] = k.required_minutes.get(p, 0)
        out[f"cov_p{p}"] = k.covered_minutes.get(p, 0)
        out[f"pct_p{p}"] = round(k.coverage_percent_of(p), 2)
    out["req_all"], out["cov_all"] = k.required_total, k.covered_total
    out["pct_all"] = round(k.coverage_percent, 2)
    out["flex_short"] = k.flex_short
    out["handoffs"] = k.handoffs
    out["duty_relays"] = k.duty_relays
    out.update(continuity(problem, schedule))
    report = check_schedule(problem, schedule)
    out["broken"] = len(report.violations)
    out["broken_rules"] = dict(Counter(report.rules()))
    return out


def task_greedy(spec: dict[str, Any]) -> dict[str, Any]:
    from parasched.scheduler.greedy import greedy_schedule
    from parasched.solver.bound import week_bound

    problem = load_school(spec)
    t0 = time.perf_counter()
    schedule = greedy_schedule(problem, method="slots")  # slot by slot, as by hand
    seconds = time.perf_counter() - t0
    return {
        "paras": len(problem.paras),
        "students": len(problem.students),
        "seconds": round(seconds, 2),
        "p1_unmet_bound": week_bound(problem),
        **measure(problem, schedule),
    }


def settled_seconds(
    events: Sequence[tuple[float, tuple[float, float, float]]], final: tuple[float, float, float]
) -> float | None:
    """Earliest time from which every priority's covered percent stays within ``SETTLED_POINTS``
    of ``final`` (None when no event reached it)."""
    settled: float | None = None
    for t, pct in events:
        if all(p >= f - SETTLED_POINTS for p, f in zip(pct, final, strict=True)):
            if settled is None:
                settled = t
        else:
            settled = None
    return settled


def task_solve(spec: dict[str, Any]) -> dict[str, Any]:
    from parasched.solver.options import SolverOptions
    from parasched.workflows.solve import solve

    problem = load_school(spec)
    events: list[tuple[float, tuple[float, float, float]]] = []
    options = SolverOptions(
        time_limit=spec["time_limit"],
        workers=spec["workers"],
        seed=spec["solver_seed"],
        on_progress=lambda p: events.append((p.elapsed, tuple(p.covered_percent))),
    )
    t0 = time.perf_counter()
    result = solve(problem, options)
    wall = time.perf_counter() - t0
    out: dict[str, Any] = {
        "paras": len(problem.paras),
        "students": len(problem.students),
        "status": str(getattr(result.status, "value", result.status)),
        "seconds": round(wall, 2),
        "runtime_s": round(float(result.runtime), 2),
        "first_s": round(events[0][0], 2) if events else None,
        "events": len(events),
    }
    if not result.schedule.assignments:
        return {
            **out,
            "error": f"no schedule (status {out['status']} after {wall:.0f} s, {len(events)} progress events)",
        }
    out.update(measure(problem, result.schedule))
    final = (out["pct_p1"], out["pct_p2"], out["pct_p3"])
    settled = settled_seconds(events, final)
    out["settled_s"] = None if settled is None else round(settled, 2)
    return out


def absences_for(problem: Any, seed: int) -> tuple[Any, ...]:
    """Six new absences on one day (the 7 a.m. scramble): four paras out all day, one para out
    10:00-12:00, one student out all day. Deterministic for a seed."""
    import random

    from parasched.scheduler.model import Absence
    from parasched.scheduler.weekgrid import WeekGrid

    rng = random.Random(seed)
    grid = WeekGrid(problem)
    day = ABSENCE_DAY if ABSENCE_DAY in problem.settings.days else problem.settings.days[0]
    working = [p.para_id for p in problem.paras if not p.is_substitute and grid.para_available(p.para_id, day)]
    chosen = rng.sample(working, min(5, len(working)))
    out = [Absence(pid, (day,), reason="sick") for pid in chosen[:4]]
    if len(chosen) > 4:
        out.append(Absence(chosen[4], (day,), 10 * 60, 12 * 60, reason="appointment"))
    present = [s.student_id for s in problem.students if grid.student_day(s.student_id, day)]
    if present:
        out.append(Absence(rng.choice(present), (day,), reason="out"))
    return tuple(out)


def _coverage(problem: Any, schedule: Any) -> dict[str, Any]:
    from parasched.scheduler.kpis import compute_kpis

    k = compute_kpis(problem, schedule)
    out: dict[str, Any] = {f"cov_p{p}": round(k.coverage_percent_of(p), 2) for p in (1, 2, 3)}
    out["cov_all"] = round(k.coverage_percent, 2)
    out["unmet_p1"], out["unmet_p2"], out["unmet_p3"] = k.unmet_p1, k.unmet_p2, k.unmet_p3
    return out


def task_resolve(spec: dict[str, Any]) -> dict[str, Any]:
    """Re-plan a solved school after ``absences_for``: the quick answer, a long run, and a long run
    from the quick answer with its uncovered minutes capped at the quick answer's (the fewest
    changes at the same coverage)."""
    from parasched.scheduler.greedy import greedy_schedule
    from parasched.solver.options import SolverOptions
    from parasched.workflows.resolve import resolve
    from parasched.workflows.solve import solve

    def opts(limit: float, **more: Any) -> SolverOptions:
        return SolverOptions(time_limit=limit, workers=spec["workers"], seed=spec["solver_seed"], **more)

    problem = load_school(spec)
    solved = solve(problem, opts(spec["time_limit"]))
    if solved.schedule.assignments:
        baseline, baseline_from = solved.schedule, "solve"
    else:  # still measure the resolve, from the schedule a coordinator would have
        baseline, baseline_from = greedy_schedule(problem), "greedy (the solve found none)"
    absences = absences_for(problem, spec["seed"])
    t0 = time.perf_counter()
    quick = resolve(problem, baseline, opts(spec["resolve_limit"]), extra_absences=absences, check=False)
    seconds = time.perf_counter() - t0
    t1 = time.perf_counter()
    best = resolve(problem, baseline, opts(spec["long_limit"]), extra_absences=absences, check=False)
    long_seconds = time.perf_counter() - t1
    qk = _coverage(quick.problem, quick.schedule)
    capped = opts(spec["long_limit"], max_unmet=(qk["unmet_p1"], qk["unmet_p2"], qk["unmet_p3"]))
    t2 = time.perf_counter()
    same = resolve(problem, baseline, capped, extra_absences=absences, check=False, start_from=quick.schedule)
    same_seconds = time.perf_counter() - t2
    sk = _coverage(same.problem, same.schedule)
    out = {
        "students": len(problem.students),
        "absences": len(absences),
        "baseline": baseline_from,
        "replan_days": " ".join(quick.replan_days),
        "status": str(getattr(quick.result.status, "value", quick.result.status)),
        "seconds": round(seconds, 2),
        "changed": quick.changed_minutes,
        "changed_raw": quick.raw_changed_minutes,
        "fewest_changed": best.changed_minutes,
        "long_status": str(getattr(best.result.status, "value", best.result.status)),
        "long_seconds": round(long_seconds, 2),
        "same_cov_changed": same.changed_minutes,
        "same_cov_seconds": round(same_seconds, 2),
        "same_cov_held": all(sk[f"unmet_p{p}"] <= qk[f"unmet_p{p}"] for p in (1, 2, 3)),
        "changed_ratio": round(quick.changed_minutes / same.changed_minutes, 3) if same.changed_minutes else None,
    }
    out.update(qk)
    out.update({f"long_{k}": v for k, v in _coverage(best.problem, best.schedule).items()})
    return out


TASKS = {"greedy": task_greedy, "solve": task_solve, "resolve": task_resolve}


def worker(spec_json: str) -> int:
    spec = json.loads(spec_json)
    try:
        data = {"ok": True, **TASKS[spec["task"]](spec)}
    except Exception as exc:  # reported in the table; the benchmark goes on
        data = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
    if data.get("error"):
        data["ok"] = False
    Path(spec["out"]).write_text(json.dumps(data))
    return 0


# -- the driver ------------------------------------------------------------------------------------
def run_task(spec: dict[str, Any], timeout: float) -> dict[str, Any]:
    """Run one task in a subprocess; its own peak RSS (MB) comes from wait4."""
    with tempfile.TemporaryDirectory() as tmp:
        out_file = Path(tmp) / "out.json"
        err_file = Path(tmp) / "err.txt"
        spec = {**spec, "out": str(out_file)}
        with open(err_file, "w") as err:
            proc = subprocess.Popen(
                [sys.executable, str(Path(__file__).resolve()), "--worker", json.dumps(spec)],
                stdout=subprocess.DEVNULL,
                stderr=err,
                cwd=ROOT,
            )
            deadline = time.monotonic() + timeout
            while True:
                pid, status, rusage = os.wait4(proc.pid, os.WNOHANG)
                if pid:
                    break
                if time.monotonic() > deadline:
                    proc.kill()
                    _, status, rusage = os.wait4(proc.pid, 0)
                    proc.returncode = -9
                    return {
                        "ok": False,
                        "error": f"timed out after {timeout:.0f} s",
                        "peak_mb": round(rusage.ru_maxrss / 1024, 1),
                    }
                time.sleep(0.05)
            proc.returncode = os.waitstatus_to_exitcode(status)
        peak = round(rusage.ru_maxrss / 1024, 1)  # Linux: kilobytes
        if out_file.exists():
            data = json.loads(out_file.read_text())
        else:
            tail = err_file.read_text().strip().splitlines()[-1:] or [f"exit code {proc.returncode}"]
            data = {"ok": False, "error": f"worker died: {tail[0]}"[:300]}
        data["peak_mb"] = peak
        return data


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        import ortools

        ortools_version = ortools.__version__
    except ImportError:  # pragma: no cover
        ortools_version = "?"
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu,
        "cores": str(cores),
        "python": platform.python_version(),
        "ortools": ortools_version,
    }


def median_row(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Median of every numeric field over the successful repeats (other fields: the first's)."""
    good = [r for r in rows if r.get("ok")]
    if not good:
        return dict(rows[0])
    out: dict[str, Any] = dict(good[0])
    for key in good[0]:
        vals = [r.get(key) for r in good]
        if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in vals):
            out[key] = statistics.median(vals)  # type: ignore[type-var]
    out["repeats"] = len(good)
    if len(good) < len(rows):
        out["failed_repeats"] = len(rows) - len(good)
    return out


def time_limit_for(spec: dict[str, Any], args: argparse.Namespace, paras: int | None) -> float:
    """``--time-limit``, else 30 s, 120 s from ``LARGE_FROM`` paras (``--quick``: always 30 s)."""
    if args.time_limit is not None:
        return float(args.time_limit)
    if not args.quick and paras is not None and paras >= LARGE_FROM:
        return LARGE_TIME_LIMIT
    return QUICK_TIME_LIMIT


def compare(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """One school's verdicts: solver against greedy, and against the long run."""
    by = {r["method"]: r for r in rows if r.get("ok")}
    g, s, lg = by.get("greedy"), by.get("solver"), by.get("solver long")
    out: dict[str, Any] = {}
    if s:
        out["p1_unmet"] = s["req_p1"] - s["cov_p1"]
    if g:
        out["p1_unmet_greedy"] = g["req_p1"] - g["cov_p1"]
    bound = next((r.get("p1_unmet_bound") for r in rows if r.get("p1_unmet_bound") is not None), None)
    if bound is not None:
        out["p1_unmet_bound"] = bound
    if g and s:
        out["p1_vs_greedy"] = round(s["pct_p1"] - g["pct_p1"], 2)
        out["total_vs_greedy"] = round(s["pct_all"] - g["pct_all"], 2)
        out["handoffs_vs_greedy"] = round(s["handoffs"] / g["handoffs"], 2) if g["handoffs"] else None
    if s and lg:
        out["p1_vs_long"] = round(s["pct_p1"] - lg["pct_p1"], 2)
        out["total_vs_long"] = round(s["pct_all"] - lg["pct_all"], 2)
    return out


def _f(v: Any, fmt: str = "{}") -> str:
    if v is None or v == "":
        return "—"
    return fmt.format(v)


TABLE_COLUMNS = (
    "school",
    "paras",
    "students",
    "method",
    "time (s)",
    "settled (s)",
    "P1 %",
    "P2 %",
    "P3 %",
    "total %",
    "handoffs",
    "duty relays",
    "paras / student-day",
    "paras / student-week",
    "short runs",
    "broken rules",
    "peak MB",
)


def table(rows: list[dict[str, Any]]) -> str:
    """The markdown table of every run (one line per school and method)."""
    lines = ["| " + " | ".join(TABLE_COLUMNS) + " |", "|" + "---|" * len(TABLE_COLUMNS)]
    for r in rows:
        head = [r["school"], _f(r.get("paras")), _f(r.get("students")), r["method"]]
        if not r.get("ok"):
            lines.append(
                "| "
                + " | ".join([*head, f"error: {r.get('error', '?')}", *[""] * 11, _f(r.get("peak_mb"), "{:.0f}")])
                + " |"
            )
            continue
        broken = str(r["broken"])
        if r.get("broken_rules"):
            broken += " (" + ", ".join(f"{k} {v}" for k, v in sorted(r["broken_rules"].items())) + ")"
        lines.append(
            "| "
            + " | ".join(
                [
                    *head,
                    _f(r.get("seconds"), "{:.1f}"),
                    _f(r.get("settled_s"), "{:.1f}"),
                    _f(r["pct_p1"], "{:.1f}"),
                    _f(r["pct_p2"], "{:.1f}"),
                    _f(r["pct_p3"], "{:.1f}"),
                    _f(r["pct_all"], "{:.1f}"),
                    f"{r['handoffs']:,}",
                    _f(r.get("duty_relays")),
                    _f(r["paras_day"], "{:.2f}"),
                    _f(r["paras_week"], "{:.2f}"),
                    str(r["short_runs"]),
                    broken,
                    _f(r.get("peak_mb"), "{:.0f}"),
                ]
            )
            + " |"
        )
    return "\n".join(lines)


def verdicts(schools: list[tuple[str, dict[str, Any]]]) -> str:
    lines = [
        "| school | P1 minutes uncovered: solver / greedy / lower bound | solver − greedy, P1 (points) "
        "| solver − greedy, total (points) | handoffs solver / greedy "
        "| solver − long run, P1 (points) | solver − long run, total (points) |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, c in schools:
        lines.append(
            f"| {name} | {_f(c.get('p1_unmet'), '{:,}')} / {_f(c.get('p1_unmet_greedy'), '{:,}')} / "
            f"{_f(c.get('p1_unmet_bound'), '{:,}')} "
            f"| {_f(c.get('p1_vs_greedy'), '{:+.1f}')} | {_f(c.get('total_vs_greedy'), '{:+.1f}')} "
            f"| {_f(c.get('handoffs_vs_greedy'), '{:.2f}')} | {_f(c.get('p1_vs_long'), '{:+.1f}')} "
            f"| {_f(c.get('total_vs_long'), '{:+.1f}')} |"
        )
    return "\n".join(lines)


def resolve_table(r: dict[str, Any]) -> str:
    lines = [
        "| paras | students | absences | baseline | re-planned | time (s) | changed min (weighted) "
        "| fewest at the same coverage (long run) | vs fewest | long run, coverage first | P1 / P2 / P3 % "
        "| peak MB | status |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    if r.get("ok"):
        held = "" if r.get("same_cov_held", True) else ", coverage not held"
        same = f"{r.get('same_cov_changed', '')} ({r.get('same_cov_seconds', 0):.0f} s{held})"
        ratio = f"{r['changed_ratio']:.2f}x" if r.get("changed_ratio") is not None else "—"
        fewest = (
            f"{r['fewest_changed']} ({r['long_status']}, {r['long_seconds']:.0f} s; "
            f"P1 / P2 / P3 {r['long_cov_p1']:.1f} / {r['long_cov_p2']:.1f} / {r['long_cov_p3']:.1f})"
        )
        lines.append(
            f"| {r['n_paras']} | {r['students']} | {r['absences']} | {r['baseline']} | {r['replan_days']} "
            f"| {r['seconds']:.1f} | {r['changed']} ({r['changed_raw']} raw) | {same} | {ratio} | {fewest} "
            f"| {r['cov_p1']:.1f} / {r['cov_p2']:.1f} / {r['cov_p3']:.1f} | {r['peak_mb']:.0f} "
            f"| {r['status']} |"
        )
    else:
        lines.append(
            f"| {r['n_paras']} | | 6 | | | | error: {r['error']} | | | | | {_f(r.get('peak_mb'), '{:.0f}')} | failed |"
        )
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        description=(__doc__ or "").split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--quick",
        action="store_true",
        help=f"the shared schools and hard {'/'.join(map(str, QUICK_HARD_SIZES))} paras, "
        f"{QUICK_TIME_LIMIT:g} s each, 1 run, no resolve",
    )
    ap.add_argument("--sizes", type=int, nargs="+", help=f"paras of the generated schools (default {DEFAULT_SIZES})")
    ap.add_argument("--generators", nargs="+", choices=("easy", "hard"), help="which generators (default both)")
    ap.add_argument("--no-instances", action="store_true", help="skip the shared example schools")
    ap.add_argument(
        "--instances",
        type=Path,
        default=SHARED_INSTANCES,
        help="folder of example schools (default ../shared/instances)",
    )
    ap.add_argument(
        "--time-limit",
        type=float,
        default=None,
        help=f"solver seconds per school (default {QUICK_TIME_LIMIT:g}, {LARGE_TIME_LIMIT:g} from {LARGE_FROM} paras)",
    )
    ap.add_argument(
        "--long-factor",
        type=float,
        default=0,
        help="also solve each school with this many times the limit (e.g. 10; default off: slow)",
    )
    ap.add_argument("--workers", type=int, default=2, help="CP-SAT workers (default 2)")
    ap.add_argument("--repeats", type=int, default=1, help="solver seeds per school; medians reported")
    ap.add_argument("--seed", type=int, default=1, help="school generator seed (default 1)")
    ap.add_argument(
        "--resolve",
        action="store_true",
        help=f"also the resolve benchmark ({RESOLVE_SIZE}-para easy school, {ABSENCES_LABEL})",
    )
    ap.add_argument(
        "--timeout",
        type=float,
        default=None,
        help="seconds before one run is killed and reported (default 3 x its limit + 600)",
    )
    ap.add_argument("--results", type=Path, default=ROOT / "benchmarks" / "results", help="where results go")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.quick and (args.sizes or args.generators):
        ap.error("--quick picks the schools itself; give --sizes/--generators without it")
    if args.repeats < 1 or (args.time_limit is not None and args.time_limit <= 0) or args.long_factor < 0:
        ap.error("--repeats, --time-limit and --long-factor must be positive")
    return args


def schools(args: argparse.Namespace) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if not args.no_instances:
        if args.instances.is_dir():
            out += [{"source": "file", "path": str(p)} for p in shared_instances(args.instances)]
        else:
            print(f"note: no shared schools at {args.instances}; skipped", file=sys.stderr)
    if args.quick:
        out += [{"source": "hard", "n_paras": n, "seed": args.seed} for n in QUICK_HARD_SIZES]
        return out
    for gen in args.generators or ("easy", "hard"):
        out += [{"source": gen, "n_paras": n, "seed": args.seed} for n in sorted(set(args.sizes or DEFAULT_SIZES))]
    return out


def run_school(spec: dict[str, Any], args: argparse.Namespace) -> list[dict[str, Any]]:
    """Greedy, solver and (with ``--long-factor``) the long solve of one school, as table rows."""
    name = school_label(spec)
    greedy = run_task({**spec, "task": "greedy"}, args.timeout or 900)
    limit = time_limit_for(spec, args, greedy.get("paras", spec.get("n_paras")))
    base = {**spec, "task": "solve", "workers": args.workers}
    rows = [{"school": name, "method": "greedy", **greedy}]
    runs = [("solver", limit)]
    if args.long_factor and args.long_factor != 1:
        runs.append(("solver long", limit * args.long_factor))
    for method, seconds in runs:
        timeout = args.timeout or seconds * 3 + 600
        got = [run_task({**base, "time_limit": seconds, "solver_seed": k}, timeout) for k in range(args.repeats)]
        rows.append({"school": name, "method": method, "time_limit": seconds, **median_row(got)})
    for r in rows:
        r.setdefault("paras", greedy.get("paras"))
        r.setdefault("students", greedy.get("students"))
        r["p1_unmet_bound"] = greedy.get("p1_unmet_bound")
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.worker:
        return worker(args.worker)
    import pandas as pd

    info = machine()
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M")
    args.results.mkdir(parents=True, exist_ok=True)
    print(f"# parasched benchmark — {info['date']}", flush=True)
    print(
        f"machine: {info['cpu']}, {info['cores']} cores; Python {info['python']}; OR-Tools {info['ortools']}; "
        f"{args.workers} workers, school seed {args.seed}, repeats {args.repeats}"
        + (f", long runs x{args.long_factor:g}" if args.long_factor else "")
        + "\n",
        flush=True,
    )
    rows: list[dict[str, Any]] = []
    verdict_rows: list[tuple[str, dict[str, Any]]] = []
    for spec in schools(args):
        got = run_school(spec, args)
        rows += got
        verdict_rows.append((got[0]["school"], compare(got)))
        for r in got:
            what = (
                f"total {r['pct_all']:.1f} %, P1 {r['pct_p1']:.1f} %, handoffs {r['handoffs']}, "
                f"short runs {r['short_runs']}, broken {r['broken']}"
                if r.get("ok")
                else f"error: {r['error']}"
            )
            print(f"  {r['school']}: {r['method']}: {what}", file=sys.stderr, flush=True)

    flat = [
        {
            **info,
            "workers": args.workers,
            "seed": args.seed,
            **r,
            "broken_rules": json.dumps(r.get("broken_rules", {}), sort_keys=True),
        }
        for r in rows
    ]
    frame = pd.DataFrame(flat)
    frame.to_csv(args.results / f"bench-{stamp}.csv", index=False)
    (args.results / f"bench-{stamp}.json").write_text(
        json.dumps(
            {
                "machine": info,
                "args": {k: str(v) for k, v in vars(args).items() if k != "worker"},
                "runs": rows,
                "verdicts": dict(verdict_rows),
            },
            indent=1,
            default=str,
        )
    )
    md = [
        f"Machine: {info['cpu']}, {info['cores']} cores, Python {info['python']}, OR-Tools {info['ortools']}; "
        f"{info['date']}; {args.workers} workers; solver limit "
        + ", ".join(sorted({f"{r['time_limit']:g} s" for r in rows if r.get("time_limit")}))
        + ".",
        "",
        table(rows),
        "",
        verdicts(verdict_rows),
    ]
    if args.resolve:
        spec = {
            "source": "easy",
            "n_paras": RESOLVE_SIZE,
            "seed": args.seed,
            "task": "resolve",
            "workers": args.workers,
            "solver_seed": 0,
            "time_limit": args.time_limit or QUICK_TIME_LIMIT,
            "resolve_limit": 10.0,
            "long_limit": 5 * (args.time_limit or QUICK_TIME_LIMIT),
        }
        res = {"n_paras": RESOLVE_SIZE, **run_task(spec, args.timeout or 1800)}
        (args.results / f"resolve-{stamp}.json").write_text(json.dumps({"machine": info, **res}, indent=1))
        md += [
            "",
            f"Resolve ({ABSENCES_LABEL}); resolve limit {spec['resolve_limit']:g} s, long run "
            f"{spec['long_limit']:g} s.",
            "",
            resolve_table(res),
        ]
    text = "\n".join(md)
    (args.results / f"bench-{stamp}.md").write_text(text + "\n")
    print(text)
    print(f"\nresults: {args.results}/bench-{stamp}.{{csv,json,md}}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
