"""The solve workflow: a Problem in, a SolveResult (schedule, Unmet rows with reasons) out.

``solve(problem, options, baseline=None, replan_days=None)``:
- without a baseline: the week's schedule, warm-started from the greedy scheduler;
- with a baseline (resolve): days not in ``replan_days`` are copied from the baseline unchanged
  (their duty minutes, flex minutes, placed sessions and lunches count toward the weekly rules
  and terms); re-planned days start from the baseline as a hint and pay ``changed_minutes``
  (a tier right after coverage, see ``parasched/solver/objective.py``).
"""

from __future__ import annotations

import dataclasses
import threading
import time

from parasched.scheduler.check import check_schedule
from parasched.scheduler.errors import InputError, Issue
from parasched.scheduler.schedule import Schedule, SolveResult, SolveStats, Status
from parasched.scheduler.weekgrid import WeekGrid

MIN_SEARCH_SECONDS = 0.3  # the search after the warm start always gets this much
GREEDY_SHARE = 0.5  # of the limit, at most, for the greedy warm start (a huge school: what it reached)
CASELOAD_FACTOR = 3.0  # the caseload greedy takes about this many times the slots greedy's time


def solve(
    problem,
    options=None,
    baseline: Schedule | None = None,
    replan_days: tuple[str, ...] | None = None,
    hint: Schedule | None = None,
) -> SolveResult:
    """Solve the week (or re-plan ``replan_days`` of ``baseline``); see the module docstring.

    ``hint``: the warm start when it is not the baseline itself (resolve passes the baseline
    repaired and filled in, while changes are counted against the baseline)."""
    from parasched.scheduler.coverage import unmet_rows
    from parasched.scheduler.explain import explain
    from parasched.solver.options import SolverOptions
    from parasched.solver.week import solve_week

    options = options or SolverOptions()
    if hint is not None and baseline is None and not check_schedule(problem, hint).ok:
        hint = None  # a warm start that breaks a rule of this problem (e.g. a new para's lunch) is no start
    hint = hint if hint is not None else baseline
    if hint is None and options.use_greedy_hint:
        began = time.monotonic()
        limit = options.time_limit if options.time_limit is not None else problem.settings.time_limit_seconds
        hint = _greedy(problem, began + GREEDY_SHARE * limit if options.workers > 1 else None, options.stop)
        if options.time_limit is not None and options.workers > 1:  # the warm start is part of the limit
            spent = time.monotonic() - began
            options = dataclasses.replace(options, time_limit=max(MIN_SEARCH_SECONDS, options.time_limit - spent))
    raw = solve_week(problem, options, baseline, replan_days, hint)
    stats = SolveStats(raw.variables, raw.constraints, raw.first_solution_seconds, options.workers, options.seed)
    if raw.status == "infeasible":
        raise InputError(_infeasible_issues(problem, replan_days))
    if raw.schedule is None:
        return SolveResult(Status.UNKNOWN, Schedule(), None, None, raw.runtime, stats)
    grid = WeekGrid.of(problem)
    schedule = raw.schedule
    rows = unmet_rows(problem, schedule, grid)
    schedule = dataclasses.replace(schedule, unmet=tuple(explain(problem, schedule, rows, grid)))
    status = Status.OPTIMAL if raw.status == "optimal" else Status.FEASIBLE
    tiers = tuple((t, raw.terms[t]) for t in raw.terms)
    return SolveResult(status, schedule, raw.objective, raw.bound, raw.runtime, stats, tiers)


def _greedy(problem, deadline: float | None = None, stop: threading.Event | None = None) -> Schedule | None:
    """The warm start: both greedy methods (``scheduler/greedy.py``: slot by slot, then
    caseloads), the better by the solver's judge, uncovered shared students joined to the groups
    in their room (``scheduler/joins.py``), then continuity trades on it
    (``scheduler/exchange.py``) and the scraps the judge drops (``scheduler/scraps.py``).
    Caseloads usually give students far fewer paras; slot by slot
    sometimes covers more priority-1 minutes on an understaffed school; the judge weighs both.
    Both cover shared students before 1:1 students from priority 2 on (``groups_first``: a para
    with a group covers two or three students' minutes at once; docs/solver.md point 14).
    Caseloads take about three times as long as slots (160 paras: 12 s against 4 s): when the
    time left could not hold them, the slots fill is the start."""
    from parasched.scheduler.exchange import trade_for_continuity
    from parasched.scheduler.greedy import greedy_schedule
    from parasched.scheduler.joins import join_groups
    from parasched.scheduler.kpis import compute_kpis
    from parasched.scheduler.scraps import keep_familiar
    from parasched.solver.objective import COVERAGE_VALUE, judge

    grid = WeekGrid.of(problem)
    best: tuple[tuple[int, ...], Schedule] | None = None
    took = 0.0
    for method in ("slots", "caseload"):
        if best is not None and deadline is not None and time.monotonic() + CASELOAD_FACTOR * took > deadline:
            break
        began = time.monotonic()
        try:
            start = greedy_schedule(problem, grid, deadline=deadline, method=method, groups_first=True)
        except Exception:  # a warm start is a help, never a reason to fail the solve
            continue
        took = time.monotonic() - began
        level = judge(compute_kpis(problem, start, grid).objective_terms(), False)
        if best is None or level < best[0]:
            best = (level, start)
    if best is None:
        return None
    try:
        joined = join_groups(problem, best[1], grid=grid)
        traded = trade_for_continuity(problem, joined, grid=grid, deadline=deadline, stop=stop)
        return keep_familiar(problem, traded, COVERAGE_VALUE, grid)
    except Exception:
        return best[1]


def _infeasible_issues(problem, replan_days) -> list[Issue]:
    """Name the para-days whose lunch and breaks cannot all fit in their hours."""
    grid = WeekGrid.of(problem)
    issues: list[Issue] = []
    bm = problem.settings.break_minutes
    for para in problem.paras:
        for d in grid.days:
            if replan_days is not None and d not in replan_days:
                continue
            n = grid.breaks_owed(para.para_id, d)
            rule = grid.lunch_rule(para.para_id, d)
            lunch = rule.minutes if rule else 0
            free = sum(e - s for s, e in grid.para_available(para.para_id, d))
            if n and n * bm + lunch > free:
                where = para.source.cell("start") if para.source else ""
                issues.append(
                    Issue(
                        f"{para.para_id} on {d}: {n} break(s) of {bm} min and a {lunch}-min lunch do "
                        "not fit in their hours; expected longer hours or fewer breaks",
                        where,
                    )
                )
    if not issues:
        issues.append(
            Issue(
                "the rules contradict each other (lunch, breaks and hours of some para cannot all "
                "be met); check lunch windows, breaks_per_day and Availability"
            )
        )
    return issues
