#!/usr/bin/env python3
"""Benchmarks: how fast, how good, how it grows (see benchmarks/README.md).

For seeded generated schools of growing size (10, 20, 40, 80, 160, 320 paras by default; students,
duties and therapy in proportion; Mon-Fri) it solves each with ``workflows.solve`` and, side by side
on the same instance, runs the greedy scheduler (what filling a grid by hand roughly achieves), then
re-solves the 80-para school after 6 absences. Every run is a subprocess of its own, so one failing
instance only prints its error in the table, and the peak memory is per instance (``wait4``).

    python benchmarks/run.py --quick --time-limit 10          # 10, 20, 40 paras
    python benchmarks/run.py --sizes 80 160 --repeats 3        # medians of 3 solver seeds

Results go to ``benchmarks/results/{solve,resolve}-<date>.csv`` (with the machine and date on every
row) and a markdown table, ready for the README, is printed and saved next to them.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import dataclasses
import datetime as dt
import io
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

DEFAULT_SIZES = (10, 20, 40, 80, 160, 320)
QUICK_SIZES = (10, 20, 40)
RESOLVE_SIZE = 80
ABSENCE_DAY = "Wed"
ABSENCES_LABEL = f"6 new absences on {ABSENCE_DAY}: 4 paras all day, 1 para 10:00-12:00, 1 student all day"
NEAR_BOUND = 0.01
HAS_SCHEDULE = ("optimal", "feasible")  # "time to within 1 % of the bound"


# -- measurements (run inside a worker subprocess) -------------------------------------------------
def _coverage(problem: Any, schedule: Any) -> dict[str, Any]:
    from parasched.scheduler.kpis import compute_kpis

    k = compute_kpis(problem, schedule)
    out: dict[str, Any] = {f"cov_p{p}": round(k.coverage_percent_of(p), 2) for p in (1, 2, 3)}
    out["cov_all"] = round(k.coverage_percent, 2)
    out["unmet_p1"], out["unmet_p2"], out["unmet_p3"] = k.unmet_p1, k.unmet_p2, k.unmet_p3
    out["flex_short"] = k.flex_short
    out["handoffs"] = k.handoffs
    return out


def _events(result: Any) -> list[tuple[float, float, float | None]]:
    """(seconds, objective, bound) of each improving solution, where the solver reports them.

    Accepts ``result.events`` or ``result.stats.events`` holding tuples or records with
    ``seconds``/``time``/``elapsed``, ``objective`` and ``bound``/``best_bound``.
    """
    raw = getattr(result, "events", None)
    if raw is None:
        raw = getattr(getattr(result, "stats", None), "events", None)
    out: list[tuple[float, float, float | None]] = []
    for ev in raw or ():
        if isinstance(ev, (tuple, list)):
            t, obj, bound = [*ev, None, None, None][:3]
        elif isinstance(ev, dict):
            t = ev.get("seconds", ev.get("time", ev.get("elapsed")))
            obj, bound = ev.get("objective"), ev.get("bound", ev.get("best_bound"))
        else:
            t = next((getattr(ev, a) for a in ("seconds", "time", "elapsed") if hasattr(ev, a)), None)
            obj = getattr(ev, "objective", None)
            bound = getattr(ev, "bound", getattr(ev, "best_bound", None))
        if t is not None and obj is not None:
            out.append((float(t), float(obj), None if bound is None else float(bound)))
    return sorted(out)


# "  12.3s  stage Mon 1/5  objective ..." (the solver names the day or "week" being solved)
PROGRESS = re.compile(r"([\d.]+)s\s+stage (?:\S+ )?(\d+)/(\d+)\s+objective (-?[\d.]+)\s+bound (-?[\d.]+)"
                      r"(?:\s+coverage\s+([\d.]+)%)?")


def progress_events(text: str) -> list[tuple[float, int, float, float, float | None]]:
    """(seconds, stage, objective, bound, coverage %) of every progress line the solver printed."""
    out = []
    for line in re.split(r"[\r\n]", text):
        m = PROGRESS.search(line)
        if m:
            cov = float(m.group(6)) if m.group(6) is not None else None
            out.append((float(m.group(1)), int(m.group(2)), float(m.group(4)), float(m.group(5)), cov))
    return out


def coverage_settled_seconds(events: list[tuple[float, int, float, float, float | None]],
                             final: float) -> float | None:
    """Earliest time from which the required-minute coverage stays within ``NEAR_BOUND`` (as a
    share of the required minutes) of the final coverage ``final`` (percent)."""
    settled: float | None = None
    for t, _, _, _, cov in events:
        if cov is None:
            continue
        if cov < final - 100 * NEAR_BOUND:
            settled = None
        elif settled is None:
            settled = t
    return settled


class _Capture(io.StringIO):
    """Collects what the solver prints to stderr (its progress lines) instead of showing it."""


def _rel_gap(obj: float, bound: float | None) -> float | None:
    if bound is None:
        return None
    if abs(obj) < 1e-9:
        return 0.0
    return abs(obj - bound) / abs(obj)


def near_bound_seconds(final_bound: float | None,
                       events: list[tuple[float, float, float | None]]) -> tuple[float | None, str]:
    """Seconds until the objective was within 1 % of the final bound (the best one known), from
    the solver's event log."""
    for t, obj, bound in events:
        gap = _rel_gap(obj, final_bound if final_bound is not None else bound)
        if gap is not None and gap <= NEAR_BOUND:
            return t, "events"
    return None, "events"


def task_greedy(spec: dict[str, Any]) -> dict[str, Any]:
    from samples.generator import generate_school
    from parasched.scheduler.greedy import greedy_schedule

    problem = generate_school(spec["n_paras"], seed=spec["seed"])
    t0 = time.perf_counter()
    schedule = greedy_schedule(problem)
    seconds = time.perf_counter() - t0
    return {"students": len(problem.students), "seconds": round(seconds, 3), **_coverage(problem, schedule)}


def _options(spec: dict[str, Any], time_limit: float, seed: int) -> Any:
    from parasched.solver.options import SolverOptions

    return SolverOptions(time_limit=time_limit, workers=spec["workers"], seed=seed)


def task_solve(spec: dict[str, Any]) -> dict[str, Any]:
    from samples.generator import generate_school
    from parasched.workflows.solve import solve

    problem = generate_school(spec["n_paras"], seed=spec["seed"])
    options = _options(spec, spec["time_limit"], spec["solver_seed"])
    capture = _Capture()
    t0 = time.perf_counter()
    with contextlib.redirect_stderr(capture):
        result = solve(problem, dataclasses.replace(options, progress=True))
    wall = time.perf_counter() - t0
    stats = result.stats
    first = stats.first_solution_seconds
    events = _events(result)
    if events:  # the solver's own event log: objective against the final bound
        near, how = near_bound_seconds(result.bound, events)
        first = first if first is not None else events[0][0]
    else:  # its progress lines: required-minute coverage against the final coverage
        lines = progress_events(capture.getvalue())
        final = lines[-1][4] if lines and lines[-1][4] is not None else None
        if final is not None:
            near, how = coverage_settled_seconds(lines, final), "coverage"
        elif str(getattr(result.status, "value", result.status)) == "optimal":
            near, how = float(result.runtime), "runtime"  # proven best by the end: an upper bound
        else:
            near, how = None, "none"
        if first is None and lines:
            first = lines[0][0]
    setup = max(0.0, wall - float(result.runtime))  # greedy hint and model build, before the search
    out = {
        "students": len(problem.students),
        "status": str(getattr(result.status, "value", result.status)),
        "variables": stats.variables,
        "constraints": stats.constraints,
        "setup_s": round(setup, 2),
        "first_search_s": None if first is None else round(first, 2),
        "first_s": None if first is None else round(setup + first, 2),
        "near_s": None if near is None else round(setup + near, 2),
        "near_from": how,
        "events": len(events) or len(progress_events(capture.getvalue())),
        "runtime_s": round(float(result.runtime), 2),
        "wall_s": round(wall, 2),
        "objective": result.objective,
        "bound": result.bound,
        "gap": None if result.gap is None else round(result.gap, 5),
    }
    if out["status"] in HAS_SCHEDULE:
        out.update(_coverage(problem, result.schedule))
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


def task_resolve(spec: dict[str, Any]) -> dict[str, Any]:
    from samples.generator import generate_school
    from parasched.scheduler.greedy import greedy_schedule
    from parasched.workflows.resolve import resolve
    from parasched.workflows.solve import solve

    problem = generate_school(spec["n_paras"], seed=spec["seed"])
    solved = solve(problem, _options(spec, spec["time_limit"], spec["solver_seed"]))
    if str(getattr(solved.status, "value", solved.status)) in HAS_SCHEDULE:
        baseline, baseline_from = solved.schedule, "solve"
    else:  # still measure the resolve, from the schedule a coordinator would have
        baseline, baseline_from = greedy_schedule(problem), "greedy (the solve found none)"
    absences = absences_for(problem, spec["seed"])
    t0 = time.perf_counter()
    quick = resolve(problem, baseline, _options(spec, spec["resolve_limit"], spec["solver_seed"]),
                    extra_absences=absences, check=False)
    seconds = time.perf_counter() - t0
    t1 = time.perf_counter()
    best = resolve(problem, baseline, _options(spec, spec["long_limit"], spec["solver_seed"]),
                   extra_absences=absences, check=False)
    long_seconds = time.perf_counter() - t1
    # the fewest changes at the quick answer's coverage: a long run from the quick answer, its
    # uncovered minutes capped at the quick answer's (the uncapped long run may cover more, which
    # takes more changes, so its changes say nothing of the quick answer's)
    qk = _coverage(quick.problem, quick.schedule)
    capped = dataclasses.replace(_options(spec, spec["long_limit"], spec["solver_seed"]),
                                 max_unmet=(qk["unmet_p1"], qk["unmet_p2"], qk["unmet_p3"]))
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
    out.update(_coverage(quick.problem, quick.schedule))
    out.update({f"long_{k}": v for k, v in _coverage(best.problem, best.schedule).items()})
    return out


TASKS = {"greedy": task_greedy, "solve": task_solve, "resolve": task_resolve}


def worker(spec_json: str) -> int:
    spec = json.loads(spec_json)
    try:
        data = {"ok": True, **TASKS[spec["task"]](spec)}
    except Exception as exc:  # reported in the table; the benchmark goes on
        data = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
    Path(spec["out"]).write_text(json.dumps(data))
    return 0


# -- the driver ----------------------------------------------------------------------------------
def run_task(spec: dict[str, Any], timeout: float) -> dict[str, Any]:
    """Run one task in a subprocess; its own peak RSS (MB) comes from wait4."""
    with tempfile.TemporaryDirectory() as tmp:
        out_file = Path(tmp) / "out.json"
        err_file = Path(tmp) / "err.txt"
        spec = {**spec, "out": str(out_file)}
        with open(err_file, "w") as err:
            proc = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--worker", json.dumps(spec)],
                                    stdout=subprocess.DEVNULL, stderr=err, cwd=ROOT)
            deadline = time.monotonic() + timeout
            status = rusage = None
            while True:
                pid, status, rusage = os.wait4(proc.pid, os.WNOHANG)
                if pid:
                    break
                if time.monotonic() > deadline:
                    proc.kill()
                    _, status, rusage = os.wait4(proc.pid, 0)
                    proc.returncode = -9
                    return {"ok": False, "error": f"timed out after {timeout:.0f} s",
                            "peak_mb": round(rusage.ru_maxrss / 1024, 1)}
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
    return {"date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"), "cpu": cpu, "cores": str(cores),
            "python": platform.python_version(), "ortools": ortools_version}


def median_row(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Median of every numeric field over the successful repeats (text fields: the first)."""
    good = [r for r in rows if r.get("ok")]
    if not good:
        return rows[0]
    out: dict[str, Any] = dict(good[0])
    for key in good[0]:
        vals = [r.get(key) for r in good]
        if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in vals):
            out[key] = statistics.median(vals)  # type: ignore[type-var]
        elif any(v is None for v in vals) and key.endswith("_s"):
            nums = [v for v in vals if isinstance(v, (int, float))]
            out[key] = statistics.median(nums) if len(nums) * 2 > len(vals) else None
    out["repeats"] = len(good)
    if len(good) < len(rows):
        out["failed_repeats"] = len(rows) - len(good)
    return out


def _cov(r: dict[str, Any]) -> str:
    if r.get("cov_p1") is None:
        return "no schedule"
    return f"{r['cov_p1']:.1f} / {r['cov_p2']:.1f} / {r['cov_p3']:.1f}"


def _f(v: Any, fmt: str = "{}", none: str = "—") -> str:
    if v is None:
        return none
    if isinstance(v, float) and fmt == "{}":
        return f"{v:g}"
    return fmt.format(v)


def solve_table(rows: list[dict[str, Any]]) -> str:
    head = ("| paras | students | variables | constraints | first schedule (s) | within 1 % (s) | final gap "
            "| solver P1 / P2 / P3 % | greedy P1 / P2 / P3 % | greedy (s) | peak MB | status |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in rows:
        s, g = r["solve"], r["greedy"]
        gcov = _cov(g) if g.get("ok") else f"error: {g['error']}"
        gsec = _f(g.get("seconds"), "{:.2f}")
        if s.get("ok"):
            near = _f(s["near_s"], "{:.1f}")
            if s.get("near_from") == "runtime" and s["near_s"] is not None:
                near = f"≤ {near}"
            lines.append(
                f"| {r['n_paras']} | {s['students']} | {s['variables']:,} | {s['constraints']:,} "
                f"| {_f(s['first_s'], '{:.1f}')} | {near} | {_f(s['gap'], '{:.2%}')} "
                f"| {_cov(s)} | {gcov} | {gsec} "
                f"| {s['peak_mb']:.0f} | {s['status']} |")
        else:
            students = g.get("students", "?")
            lines.append(f"| {r['n_paras']} | {students} | | | | | | error: {s['error']} | {gcov} | {gsec} "
                         f"| {_f(s.get('peak_mb'), '{:.0f}')} | failed |")
    return "\n".join(lines)


def resolve_table(r: dict[str, Any]) -> str:
    lines = ["| paras | students | absences | baseline | re-planned | time (s) | changed min (weighted) "
             "| fewest at the same coverage (long run) | vs fewest | long run, coverage first | P1 / P2 / P3 % "
             "| peak MB | status |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    if r.get("ok"):
        held = "" if r.get("same_cov_held", True) else ", coverage not held"
        same = f"{r.get('same_cov_changed', '')} ({r.get('same_cov_seconds', 0):.0f} s{held})"
        ratio = f"{r['changed_ratio']:.2f}x" if r.get("changed_ratio") is not None else "—"
        fewest = (f"{r['fewest_changed']} ({r['long_status']}, {r['long_seconds']:.0f} s; "
                  f"P1 / P2 / P3 {r['long_cov_p1']:.1f} / {r['long_cov_p2']:.1f} / {r['long_cov_p3']:.1f})")
        lines.append(f"| {r['n_paras']} | {r['students']} | {r['absences']} | {r['baseline']} | {r['replan_days']} "
                     f"| {r['seconds']:.1f} | {r['changed']} ({r['changed_raw']} raw) | {same} | {ratio} | {fewest} "
                     f"| {_cov(r)} | {r['peak_mb']:.0f} "
                     f"| {r['status']} |")
    else:
        lines.append(f"| {r['n_paras']} | | 6 | | | | error: {r['error']} | | | | | {_f(r.get('peak_mb'), '{:.0f}')} "
                     "| failed |")
    return "\n".join(lines)


SOLVE_FIELDS = ("date", "cpu", "cores", "python", "ortools", "n_paras", "seed", "time_limit", "workers", "repeats",
                "ok", "error", "students", "status", "variables", "constraints", "setup_s",
                "first_search_s", "first_s", "near_s", "near_from",
                "runtime_s", "wall_s", "objective", "bound", "gap", "events", "cov_p1", "cov_p2", "cov_p3",
                "cov_all", "unmet_p1", "unmet_p2", "unmet_p3", "flex_short", "handoffs", "peak_mb",
                "greedy_ok", "greedy_error", "greedy_seconds", "greedy_cov_p1", "greedy_cov_p2", "greedy_cov_p3",
                "greedy_cov_all", "greedy_unmet_p1", "greedy_unmet_p2", "greedy_unmet_p3", "greedy_flex_short",
                "greedy_handoffs", "greedy_peak_mb")
RESOLVE_FIELDS = ("date", "cpu", "cores", "python", "ortools", "n_paras", "seed", "time_limit", "resolve_limit",
                  "long_limit", "workers", "ok", "error", "students", "absences", "baseline", "replan_days",
                  "status", "seconds", "changed", "changed_raw", "fewest_changed", "long_status", "long_seconds",
                  "same_cov_changed", "same_cov_seconds", "same_cov_held", "changed_ratio",
                  "cov_p1", "cov_p2", "cov_p3", "cov_all", "unmet_p1", "unmet_p2", "unmet_p3", "long_cov_p1",
                  "long_cov_p2", "long_cov_p3", "long_unmet_p1", "long_unmet_p2", "long_unmet_p3", "peak_mb")


def write_csv(path: Path, fields: Sequence[str], rows: list[dict[str, Any]]) -> None:
    with open(path, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(fields), extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow({k: ("" if r.get(k) is None else r.get(k)) for k in fields})


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", help=f"paras per school (default {DEFAULT_SIZES})")
    ap.add_argument("--quick", action="store_true", help=f"sizes {QUICK_SIZES} only")
    ap.add_argument("--time-limit", type=float, default=60.0, help="solver seconds per instance (default 60)")
    ap.add_argument("--workers", type=int, default=2, help="CP-SAT workers (default 2)")
    ap.add_argument("--repeats", type=int, default=1, help="solver seeds per instance; medians reported")
    ap.add_argument("--seed", type=int, default=1, help="school generator seed (default 1)")
    ap.add_argument("--resolve-size", type=int, default=None,
                    help=f"paras of the resolve school (default {RESOLVE_SIZE}, or the largest size <= "
                         f"{RESOLVE_SIZE} asked for)")
    ap.add_argument("--resolve-time-limit", type=float, default=None,
                    help="seconds for the resolve (default: the smaller of --time-limit and 30)")
    ap.add_argument("--long-time-limit", type=float, default=None,
                    help="seconds for the long resolve run giving the fewest changes (default 5 x --time-limit)")
    ap.add_argument("--timeout", type=float, default=None,
                    help="seconds before one instance is killed and reported as timed out "
                         "(default 3 x time limit + 600)")
    ap.add_argument("--no-resolve", action="store_true", help="skip the resolve benchmark")
    ap.add_argument("--results", type=Path, default=ROOT / "benchmarks" / "results", help="where the CSVs go")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.quick and args.sizes:
        ap.error("give --quick or --sizes, not both")
    if args.repeats < 1 or args.time_limit <= 0:
        ap.error("--repeats and --time-limit must be positive")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.worker:
        return worker(args.worker)
    sizes = sorted(set(args.sizes or (QUICK_SIZES if args.quick else DEFAULT_SIZES)))
    info = machine()
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M")
    args.results.mkdir(parents=True, exist_ok=True)
    timeout = args.timeout or args.time_limit * 3 + 600
    print(f"# parasched benchmark — {info['date']}", flush=True)
    print(f"machine: {info['cpu']}, {info['cores']} cores; Python {info['python']}; OR-Tools {info['ortools']}; "
          f"time limit {args.time_limit:g} s, {args.workers} workers, school seed {args.seed}, "
          f"repeats {args.repeats}\n", flush=True)

    base = {"seed": args.seed, "time_limit": args.time_limit, "workers": args.workers}
    rows: list[dict[str, Any]] = []
    for n in sizes:
        spec = {**base, "n_paras": n}
        greedy = run_task({**spec, "task": "greedy"}, timeout)
        solves = [run_task({**spec, "task": "solve", "solver_seed": k}, timeout) for k in range(args.repeats)]
        solve = median_row(solves)
        rows.append({"n_paras": n, "solve": solve, "greedy": greedy})
        g = f"greedy {greedy['cov_all']:.1f} %" if greedy.get("ok") else f"greedy error: {greedy['error']}"
        s = (f"solver {_f(solve.get('cov_all'), '{:.1f} %')} ({solve['status']}, gap {_f(solve['gap'], '{:.2%}')})"
             if solve.get("ok") else f"solver error: {solve['error']}")
        print(f"  {n} paras: {s}; {g}", file=sys.stderr, flush=True)

    csv_rows = []
    for r in rows:
        flat = {**info, **base, "n_paras": r["n_paras"], "repeats": r["solve"].get("repeats", 1), **r["solve"]}
        flat.update({f"greedy_{k}": v for k, v in r["greedy"].items()})
        flat["greedy_peak_mb"] = r["greedy"].get("peak_mb")
        csv_rows.append(flat)
    solve_csv = args.results / f"solve-{stamp}.csv"
    write_csv(solve_csv, SOLVE_FIELDS, csv_rows)
    md = [f"Machine: {info['cpu']}, {info['cores']} cores, Python {info['python']}, OR-Tools {info['ortools']}; "
          f"{info['date']}; time limit {args.time_limit:g} s, {args.workers} workers"
          + (f", medians of {args.repeats} solver seeds" if args.repeats > 1 else "") + ".", "",
          solve_table(rows)]

    if not args.no_resolve:
        rsize = args.resolve_size or (RESOLVE_SIZE if RESOLVE_SIZE in sizes else
                                      max([s for s in sizes if s <= RESOLVE_SIZE], default=min(sizes)))
        rlimit = args.resolve_time_limit or min(args.time_limit, 30.0)
        llimit = args.long_time_limit or 5 * args.time_limit
        rspec = {**base, "task": "resolve", "n_paras": rsize, "solver_seed": 0, "resolve_limit": rlimit,
                 "long_limit": llimit}
        res = run_task(rspec, (args.timeout or 600) + args.time_limit + rlimit + llimit)
        res = {"n_paras": rsize, **res}
        write_csv(args.results / f"resolve-{stamp}.csv", RESOLVE_FIELDS,
                  [{**info, **base, "resolve_limit": rlimit, "long_limit": llimit, **res}])
        md += ["", f"Resolve ({ABSENCES_LABEL}); resolve limit {rlimit:g} s, long run {llimit:g} s.", "",
               resolve_table(res)]

    text = "\n".join(md)
    (args.results / f"table-{stamp}.md").write_text(text + "\n")
    print(text)
    print(f"\nresults: {solve_csv.parent}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
