#!/usr/bin/env python3
"""Benchmark of ``parasched advise``: the time to advise on an 80-para school with 20 candidates.

The school is the generator's (``samples/generator.py``, easy kind, seed 0). The week is solved
first (the baseline, 2 workers, ``--solve-limit``); then ``advise`` re-solves the school as it is
(the reference) and with each of the candidate changes, ``--eval-limit`` seconds of one worker
each, ``--jobs`` processes at a time. Printed: one markdown table (baseline, reference, candidates,
recommended, wall times, the best change and what it covers).

    python benchmarks/advise.py                       # 80 paras, 20 candidates, 2 jobs, 5 s each
    python benchmarks/advise.py --paras 40 --candidates 10 --budget 2
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script from anywhere: samples.generator is importable
    sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--paras", type=int, default=80)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--kind", default="easy", choices=("easy", "hard"))
    ap.add_argument("--candidates", type=int, default=20)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--eval-limit", type=float, default=5.0, help="seconds per re-solve (one worker)")
    ap.add_argument("--solve-limit", type=float, default=30.0, help="seconds for the baseline solve (2 workers)")
    ap.add_argument("--budget", type=int, default=1)
    args = ap.parse_args(argv)

    from parasched.scheduler.kpis import compute_kpis
    from parasched.solver.options import SolverOptions
    from parasched.workflows.advise import AdviceOptions, advise
    from parasched.workflows.solve import solve
    from samples.generator import generate_school

    problem = generate_school(args.paras, seed=args.seed, kind=args.kind)
    t0 = time.monotonic()
    base = solve(problem, SolverOptions(time_limit=args.solve_limit, workers=2, seed=args.seed)).schedule
    solve_s = time.monotonic() - t0
    k = compute_kpis(problem, base)
    lines: list[str] = []
    t1 = time.monotonic()
    advice = advise(
        problem,
        base,
        AdviceOptions(
            time_limit=args.eval_limit, seed=args.seed, jobs=args.jobs, candidates=args.candidates, budget=args.budget
        ),
        on_progress=lambda line: print(line, file=sys.stderr, flush=True),
    )
    advise_s = time.monotonic() - t1
    evaluated = [*advice.recommendations, *advice.not_recommended]
    per = [e.seconds for e in evaluated]
    best = advice.recommendations[0] if advice.recommendations else None
    cpu = platform.processor() or platform.machine()
    lines.append(
        f"advise benchmark, {time.strftime('%Y-%m-%d %H:%M')} UTC, {os.cpu_count()} cores ({cpu}), "
        f"load {os.getloadavg()[0]:.1f}"
    )
    lines.append("")
    lines.append(
        "| school | students | baseline solve | uncovered P1/P2/P3 (baseline -> reference) | candidates "
        "| recommended | jobs | per re-solve (median / max) | advise wall | best change | gained P1/P2/P3 "
        "| para-hours |"
    )
    lines.append("|---|---|---|---|---|---|---|---|---|---|---|---|")
    ref = advice.reference.after
    lines.append(
        f"| {args.kind} {args.paras} (seed {args.seed}) | {len(problem.students)} | {solve_s:.1f} s "
        f"| {k.unmet_p1}/{k.unmet_p2}/{k.unmet_p3} -> {ref[0]}/{ref[1]}/{ref[2]} | {len(evaluated)} "
        f"| {len(advice.recommendations)} | {advice.jobs} | "
        f"{statistics.median(per) if per else 0:.1f} s / {max(per, default=0):.1f} s (limit {args.eval_limit:g} s) "
        f"| {advise_s:.1f} s | {best.label if best else '-'} "
        f"| {'/'.join(str(g) for g in best.gained) if best else '-'} | {best.cost_hours if best else 0:g} |"
    )
    if advice.combination is not None:
        c = advice.combination
        lines.append("")
        lines.append(
            f"Best combination ({advice.combination_method}): {c.label}: gained "
            f"{'/'.join(str(g) for g in c.gained)}, {c.cost_hours:g} para-hours a week"
        )
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
