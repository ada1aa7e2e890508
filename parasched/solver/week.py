"""The week's search: the warm start, then CP-SAT models of one day at a time (or the whole
week for small schools), the repair search on pieces for large schools, and continuity pieces at
the end. ``solve_week`` is what the solve and resolve workflows call (docs/solver.md)."""

from __future__ import annotations

import dataclasses
import time

from parasched.scheduler.check import check_schedule
from parasched.scheduler.exchange import trade_for_continuity
from parasched.scheduler.fill import fill_in
from parasched.scheduler.joins import join_groups
from parasched.scheduler.model import Problem
from parasched.scheduler.schedule import Assignment, Kind, Schedule
from parasched.scheduler.scraps import keep_familiar
from parasched.scheduler.weekgrid import WeekGrid

from .model import RawResult, build, solve_model
from .objective import COVERAGE_VALUE, TERM_NAMES, judge
from .options import SolverOptions
from .progress import ProgressFeed
from .repair import PIECE_SECONDS, RepairStats, repair

DAY_PHASE_SHARE = 0.97  # of the coverage part of the limit, for the day-by-day phase of a multi-day solve
WEEK_MODEL_ONLY_PARAS = 8  # up to this many paras the week model is small: solved whole, no pieces or day models
# of the time limit, for the continuity pieces at the end (repair.py): they rarely find anything
# (30 s, 2 cores: nothing on public-small, -tight and -large, 60 of 221,810 on public-medium)
POLISH_SHARE = 0.12
TRADES_MIN_SHARE = 0.05  # continuity trades after the coverage search only with this much of the limit left
MAX_WEEK_VARIABLES = 400_000  # a larger week model is not built (160 paras: ~1.5 GB peak when it was)
FOCUS_BUILD_FACTOR = 2.5  # a day model without a neighbourhood / with one, build time (80 paras: 2.7 s / 1.0 s)
REPAIR_SHARE = 0.5  # of the time limit, at most, for the repair search before the models (repair.py)
MAX_DAY_MODEL_PARAS = 120  # above: no day or week model (160 paras: 1.1 GB); the repair search takes the time
# a 32-80 para school's day model, at least (build and presolve take 1-2 s): with less time to
# spare, the costliest days get models, the rest keep the incumbent (docs/solver.md, point 7)
DAY_MIN_SECONDS = 5.0
# a large school's day model searches hours of the day at a time, every para in (docs/solver.md, point 12)
WINDOWS = True
# a 9-24 para solve's continuity trades and scraps after every day model, not only after the last:
# the next day's model starts from a week whose paras the trades made steadier (the week-paras
# term spans the days). 30 s, judged mean: public-small 104,320 -> 103,109 (5 seeds of 6 better),
# hard 10 19,019 -> 18,789 (3 of 4), hard 20 256,740 -> 254,965 (2 of 4; docs/solver.md point 19)
TRADES_EACH_DAY = True
DAY_BUILD_SECONDS_PER_PARA = 0.0125  # building one focused day model (80 paras: 1.0 s), to budget the wall clock


def solve_week(
    problem: Problem,
    options: SolverOptions,
    baseline: Schedule | None = None,
    replan_days: tuple[str, ...] | None = None,
    hint: Schedule | None = None,
) -> RawResult:
    """Solve the planned days: coverage first (``_solve_coverage``), then continuity.

    The last ``POLISH_SHARE`` of the limit goes to continuity pieces (``repair.repair`` with
    ``continuity=True``): the students passed between the most paras, each re-planned exactly
    with the paras who serve them that day and on the other days, kept only if the week's levels
    improve. It ends early once every student-day was tried without an improvement.
    """
    t0 = time.monotonic()
    limit = options.time_limit if options.time_limit is not None else problem.settings.time_limit_seconds
    plan = (
        WeekGrid.of(problem).days
        if replan_days is None
        else tuple(d for d in WeekGrid.of(problem).days if d in replan_days)
    )
    incumbent = hint if hint is not None else baseline
    feed = _feed(problem, options, incumbent, limit, t0)
    first_part = dataclasses.replace(options, time_limit=max(0.3, (1 - POLISH_SHARE) * limit))
    raw = _solve_coverage(problem, first_part, baseline, replan_days, hint, feed, t0)
    if raw.schedule is None or raw.status == "optimal" or (options.stop is not None and options.stop.is_set()):
        return raw  # (optimal: nothing left to improve; stop early)
    start = raw.schedule
    if baseline is None:  # uncovered shared students into the groups in their room (scheduler/joins.py)
        start = join_groups(problem, start, plan)
    left = limit - (time.monotonic() - t0)
    if baseline is None and (options.workers == 1 or left > TRADES_MIN_SHARE * limit):
        # free paras fill what is left uncovered, then the trades and scraps, kept when the judge
        # prefers it (docs/solver.md, point 21: public-medium at 30 s judged 188,268 -> 185,181)
        start = _refilled(problem, start, plan, None if options.workers == 1 else t0 + limit, options)
    if start is not raw.schedule:
        raw = _with_schedule(problem, raw, start, baseline)
    stats = RepairStats()
    if options.workers == 1:  # reproducible: a number of pieces on deterministic time
        polished = repair(
            problem,
            start,
            options,
            float("inf"),
            baseline,
            plan,
            stats,
            max_pieces=max(1, int(POLISH_SHARE * limit / PIECE_SECONDS)),
            feed=feed,
            cover=False,
            continuity=True,
        )
    else:
        polished = repair(
            problem, start, options, t0 + limit, baseline, plan, stats, feed=feed, cover=False, continuity=True
        )
    if polished is not start:
        raw = _with_schedule(problem, raw, polished, baseline)
    raw.runtime = time.monotonic() - t0
    return raw


def _steadier(problem: Problem, schedule: Schedule, deadline: float | None, options: SolverOptions) -> Schedule:
    """A solve's schedule after the coverage-neutral continuity trades, then without the scraps
    the judge would rather drop (the searches ran on ``COVERAGE_VALUE``). ``deadline`` None: no
    clock (one worker, reproducible)."""
    traded = trade_for_continuity(problem, schedule, deadline=deadline, stop=options.stop)
    return keep_familiar(problem, traded, COVERAGE_VALUE)


def _refilled(
    problem: Problem, schedule: Schedule, plan: tuple[str, ...], deadline: float | None, options: SolverOptions
) -> Schedule:
    """The best, as judged, of ``schedule``, the same made steadier (``_steadier``) and the same
    after free paras first filled what is left uncovered (``fill.fill_in``: nobody moved) and
    then made steadier. The fill alone brings new faces the judge would rather not have; the
    trades and scraps after it keep the minutes that come with few faces."""
    began = time.monotonic()
    found = [schedule, _steadier(problem, schedule, deadline, options)]
    # the fill has no clock of its own: a second round only when twice the first still fits
    if deadline is None or time.monotonic() + 2 * (time.monotonic() - began) <= deadline:
        found.append(_steadier(problem, fill_in(schedule, problem, plan), deadline, options))
    return min(found, key=lambda s: judge(_terms_of(problem, s, None), False))


def _with_schedule(problem: Problem, raw: RawResult, schedule: Schedule, baseline: Schedule | None) -> RawResult:
    """``raw`` carrying ``schedule``, found after the search: its terms recomputed, no proof."""
    terms = _terms_of(problem, schedule, baseline)
    return dataclasses.replace(
        raw, status="feasible", schedule=schedule, objective=float(terms["unmet_p1"]), terms=terms
    )


def _terms_of(problem: Problem, schedule: Schedule, baseline: Schedule | None) -> dict[str, int]:
    """The objective terms of a schedule, recomputed from it (kpis, and changes in a resolve)."""
    from parasched.scheduler.changes import changed_minutes
    from parasched.scheduler.kpis import compute_kpis

    terms = dict(compute_kpis(problem, schedule).objective_terms())
    if baseline is not None:
        terms["changed_minutes"] = changed_minutes(baseline, schedule, problem=problem)
    return {t: terms[t] for t in TERM_NAMES if t in terms}


def _solve_coverage(
    problem: Problem,
    options: SolverOptions,
    baseline: Schedule | None,
    replan_days: tuple[str, ...] | None,
    hint: Schedule | None,
    feed: ProgressFeed,
    t0: float,
) -> RawResult:
    """Solve the planned days: day by day first, then the whole week.

    Day phase (when more than one day is planned and a complete starting schedule exists — the
    baseline or the warm start): each planned day in turn is a model of its own, the other days
    kept as they are in the incumbent, every term still counted over the whole week (so weekly
    rules and targets hold); small models CP-SAT solves well. Week phase: the whole model,
    hinted with the incumbent, for the links between days (weekly duty caps, flex targets,
    flexible sessions, fairness) and a bound on priority-1 minutes. The week phase is skipped
    when its model could not be built in the time left (large schools; see README).
    """
    grid = WeekGrid.of(problem)
    limit = options.time_limit if options.time_limit is not None else problem.settings.time_limit_seconds
    plan = grid.days if replan_days is None else tuple(d for d in grid.days if d in replan_days)
    incumbent = hint if hint is not None else baseline  # resolve: a repaired, filled-in warm start
    if incumbent is not None and baseline is not None:  # days not re-planned: exactly the baseline's
        incumbent = Schedule(
            tuple(a for a in baseline.assignments if a.day not in plan)
            + tuple(a for a in incumbent.assignments if a.day in plan),
            tuple(s for s in baseline.sessions if s.day not in plan)
            + tuple(s for s in incumbent.sessions if s.day in plan),
        )
    deterministic = options.workers == 1
    first: float | None = None
    last: RawResult | None = None
    build_seconds = 0.0
    n_built = 0
    limited = options.candidate_limit(len(problem.paras)) is not None
    repair_stats = None
    # local repairs first (repair.py): a large school's models are too big to search whole, and a
    # smaller school's day models (CP-SAT's own neighbourhoods of the hint) rarely find the
    # priority-1 minutes a piece around the short student finds (docs/solver.md, point 10); there
    # the pieces go to priority-1 needs only (once none is short, the day models weigh the rest
    # better). A week model small enough to prove optimality, and a resolve's models, take the
    # time alone
    pieces_first = limited or (baseline is None and len(problem.paras) > WEEK_MODEL_ONLY_PARAS)
    priorities = 3 if limited else 1
    if pieces_first and incumbent is not None:
        repair_stats = RepairStats()
        # no model after the repair when the school is too large for one, or when the time left
        # would not even build it (a 5 s resolve of 80 paras): the repair search takes the time.
        # Nor in a resolve: its one-day model, hinted with the repaired week, came back worse
        # than its start (public-medium, 3 paras out, 8-15 s: the pieces alone left 220-270
        # priority-1 minutes of Tuesday uncovered, with the model 235-355; docs/resolve.md)
        build_guess = DAY_BUILD_SECONDS_PER_PARA * len(problem.paras)
        whole = (
            len(problem.paras) > MAX_DAY_MODEL_PARAS
            or (baseline is not None and options.max_unmet is None)
            or (  # (caps are held by the models)
                not deterministic and options.max_unmet is None and (1 - REPAIR_SHARE) * limit < 1.2 * build_guess + 1.5
            )
        )
        first = time.monotonic() - t0  # the warm start is a complete schedule
        part = 0.95 if whole else REPAIR_SHARE
        if deterministic:  # reproducible: a number of pieces, each on deterministic time, no clock
            incumbent = repair(
                problem,
                incumbent,
                options,
                float("inf"),
                baseline,
                plan,
                repair_stats,
                max_pieces=max(1, int(part * limit / PIECE_SECONDS)),
                feed=feed,
                priorities=priorities,
            )
            limit = (1 - part) * limit  # what the models after it get
        else:
            incumbent = repair(
                problem,
                incumbent,
                options,
                t0 + part * limit,
                baseline,
                plan,
                repair_stats,
                feed=feed,
                priorities=priorities,
            )
        if whole:
            return _repaired_result(problem, options, plan, baseline, incumbent, t0, first, repair_stats)
    incumbent_terms: dict[str, int] | None = None
    if len(plan) > 1 and incumbent is not None and len(problem.paras) > WEEK_MODEL_ONLY_PARAS:
        share = DAY_PHASE_SHARE * limit / len(plan)
        phase_end = t0 + DAY_PHASE_SHARE * limit
        days = plan
        if limited and not deterministic:
            n = max(1, min(len(plan), int((phase_end - time.monotonic()) / DAY_MIN_SECONDS)))
            days = _costliest_days(problem, grid, incumbent, plan)[:n]
        for i, d in enumerate(days):
            if not deterministic and i > 0 and time.monotonic() + build_seconds / i > phase_end:
                break  # no time left to build another day: the rest keep the incumbent
            if options.stop is not None and options.stop.is_set():
                break
            tb = time.monotonic()
            m = build(
                problem,
                options,
                baseline,
                (d,),
                hint=incumbent,
                keep=incumbent,
                focus=neighbourhood(problem, grid, incumbent, d) if limited else None,
            )
            build_seconds += time.monotonic() - tb
            m.judged = baseline is None  # a solve: coverage and continuity weighed as the judge does
            m.improve_only = True  # a few seconds of a day: improving the incumbent, not proving
            # its judged stage searched window by window (model._window_search) where the models
            # consider a few paras per student (above 24 paras); a smaller school's whole-day
            # search did as well and passed students between paras less (docs/solver.md, point 12)
            m.windows = WINDOWS and limited
            n_built += 1
            week_guess = build_seconds * len(plan) * 1.2 * (FOCUS_BUILD_FACTOR if limited else 1)
            if not deterministic and i == 0 and week_guess > (1 - DAY_PHASE_SHARE) * limit:
                phase_end = t0 + 0.95 * limit  # the week model will not fit: the day phase takes it all
            if not deterministic:  # the wall clock: what is left of the phase, building included
                share = max(0.3, (phase_end - time.monotonic()) / (len(days) - i))
            m.options = dataclasses.replace(options, time_limit=share)
            m.feed = feed
            raw = solve_model(m, incumbent, t0)
            if raw.schedule is None:
                # nothing in this day's share (a busy machine, a hard day): the day keeps the
                # incumbent's rows and the other days still get their turn. Dropping the whole
                # phase here once left a 32-para school with no schedule at all: the week model
                # built afterwards found nothing in the 10 s left either
                continue
            if first is None and raw.first_solution_seconds is not None:
                first = time.monotonic() - t0 - raw.runtime + raw.first_solution_seconds
            if incumbent_terms is None:
                incumbent_terms = _terms_of(problem, incumbent, baseline)
            if judge(raw.terms, baseline is not None) < judge(incumbent_terms, baseline is not None):
                incumbent, incumbent_terms = raw.schedule, raw.terms
            # else the day's answer is not kept: it won priority-1 minutes at too high a price
            if TRADES_EACH_DAY and baseline is None and not limited:  # (coverage-neutral: 0.2 s a time)
                traded = _steadier(problem, incumbent, None if deterministic else phase_end, options)
                if traded is not incumbent:
                    traded_terms = _terms_of(problem, traded, baseline)
                    if judge(traded_terms, False) < judge(incumbent_terms, False):
                        incumbent, incumbent_terms = traded, traded_terms
            last = dataclasses.replace(raw, schedule=incumbent, terms=incumbent_terms)
        if last is not None:
            last = dataclasses.replace(last, status="feasible", bound=None)
    if last is None and limited and n_built and incumbent is not None:
        # a large school whose day models found nothing (perhaps its one costliest day): its whole
        # week as one model would take longer to build than the time left; the repaired start stands
        return _repaired_result(problem, options, plan, baseline, incumbent, t0, first or 0.0, repair_stats)
    if options.stop is not None and options.stop.is_set() and incumbent is not None:
        if last is not None:
            return dataclasses.replace(last, runtime=time.monotonic() - t0, first_solution_seconds=first)
        return _repaired_result(problem, options, plan, baseline, incumbent, t0, first or 0.0, repair_stats)
    # after the day phase no week model: its first stage, priority 1 alone over the whole week,
    # threw away priority-2 minutes faster than its later stages won them back (12 paras, 15 s:
    # priority 2 from 5,365 to 12,135 uncovered minutes for 60 priority-1 minutes), and the day
    # models already count every weekly term
    if last is None:
        focus = neighbourhood(problem, grid, incumbent, plan[0]) if limited and len(plan) == 1 and incumbent else None
        m = build(problem, options, baseline, plan, hint=incumbent, keep=baseline, focus=focus)
        m.tie_break = len(problem.paras) > WEEK_MODEL_ONLY_PARAS
        # a solve's week model searches what the judge keeps at every size: a school of 4-8 paras
        # was solved level by level to prove optimality, which it did not do in 20 s on any of
        # ten such schools, and its unproven answers passed students between paras (an 8-para
        # school: 71 handoffs, judged 27 % worse than with this stage; docs/solver.md point 16)
        m.judged = baseline is None
        # with one worker the budget is fixed up front (deterministic time): the wall clock spent
        # on the warm start differs from run to run, and the same seed must give the same schedule
        budget = limit if deterministic else max(0.5, limit - (time.monotonic() - t0))
        m.options = dataclasses.replace(options, time_limit=budget)
        m.feed = feed
        raw = solve_model(m, incumbent, t0)
        if raw.schedule is None and baseline is None and incumbent is not None and _passes(problem, incumbent):
            # a solve whose models found nothing in time: the warm start is the answer (it breaks
            # no rule), not "no schedule"
            return _repaired_result(problem, options, plan, baseline, incumbent, t0, first or 0.0, repair_stats)
        if raw.schedule is not None or last is None:
            if first is None and raw.first_solution_seconds is not None:
                first = time.monotonic() - t0 - raw.runtime + raw.first_solution_seconds
            last = raw
        if raw.schedule is not None and raw.status != "optimal" and incumbent is not None:
            # an unproven answer no better than where it started (a resolve's one-day model, out
            # of time after its priority-1 stage: 390 priority-2 minutes and 3,200 changed
            # minutes worse than its repaired start) is not kept: every result is judged
            start_terms = _terms_of(problem, incumbent, baseline)
            if judge(raw.terms, baseline is not None) >= judge(start_terms, baseline is not None) and _passes(
                problem, incumbent
            ):
                last = dataclasses.replace(
                    raw, schedule=incumbent, terms=start_terms, objective=float(start_terms["unmet_p1"])
                )
    assert last is not None  # the week model ran when the day phase did not
    last.bound = valid_bound(problem, options, plan, baseline, last.bound)
    if "unmet_p1" in last.terms:  # a judged stage's value is not the result's objective: priority-1 minutes are
        last.objective = float(last.terms["unmet_p1"])
    last.runtime = time.monotonic() - t0
    last.first_solution_seconds = first
    last.repair = repair_stats
    return last


def _feed(problem: Problem, options: SolverOptions, start: Schedule | None, limit: float, t0: float) -> ProgressFeed:
    """The solve's progress feed, told of the starting schedule first."""
    from parasched.scheduler.kpis import compute_kpis

    k = compute_kpis(problem, start if start is not None else Schedule())
    feed = ProgressFeed(options, (k.required_minutes[1], k.required_minutes[2], k.required_minutes[3]), limit, t0)
    if start is not None and (options.on_progress is not None or options.progress):
        feed.solution("starting schedule", (k.unmet_p1, k.unmet_p2, k.unmet_p3), k.handoffs)
    return feed


def _passes(problem: Problem, schedule: Schedule) -> bool:
    return check_schedule(problem, schedule).ok


def _repaired_result(
    problem: Problem,
    options: SolverOptions,
    plan: tuple[str, ...],
    baseline: Schedule | None,
    schedule: Schedule,
    t0: float,
    first: float,
    stats: object,
) -> RawResult:
    """The result of a solve that was the repair search alone (no CP-SAT model of the whole school)."""
    terms = _terms_of(problem, schedule, baseline)
    bound = valid_bound(problem, options, plan, baseline, None)
    return RawResult(
        "feasible", schedule, float(terms["unmet_p1"]), bound, terms, time.monotonic() - t0, first, repair=stats
    )


def _costliest_days(problem: Problem, grid: WeekGrid, schedule: Schedule, plan: tuple[str, ...]) -> tuple[str, ...]:
    """The planned days, the one the judge weighs most first: uncovered minutes by priority
    value, handoffs and paras beyond the first in each student's day, relays on duties."""
    from parasched.scheduler.coverage import coverage
    from parasched.scheduler.kpis import CONTINUITY_WEIGHTS, PRIORITY_VALUE, duty_relays, student_day_handoffs

    cost = dict.fromkeys(plan, 0)
    for n in coverage(problem, schedule, grid):
        if n.day in cost:
            cost[n.day] += PRIORITY_VALUE.get(n.priority, 1) * sum(e - s for s, e, _ in n.uncovered)
    rows: dict[tuple[str, str], list[Assignment]] = {}
    for a in schedule.assignments:
        if a.day in cost and a.kind == Kind.SUPPORT:
            for sid in a.students:
                rows.setdefault((sid, a.day), []).append(a)
    for (_, day), rs in rows.items():
        cost[day] += CONTINUITY_WEIGHTS["handoffs"] * student_day_handoffs(rs)
        cost[day] += CONTINUITY_WEIGHTS["extra_paras"] * (len({a.para_id for a in rs}) - 1)
    for day in plan:
        on_duty = (a for a in schedule.assignments if a.day == day and a.kind == Kind.DUTY)
        cost[day] += CONTINUITY_WEIGHTS["duty_relays"] * duty_relays(problem, on_duty)
    return tuple(sorted(plan, key=lambda d: -cost[d]))


def neighbourhood(problem: Problem, grid: WeekGrid, schedule: Schedule, day: str) -> set[str] | None:
    """Students a large school's day model lets change paras (the others keep the warm start's):
    those left short of priority-1/2 support that day, and those served by a para who may
    support one of them (so that para can be freed). None (everyone) when a duty or therapy
    need is short, or nothing is."""
    from parasched.scheduler.coverage import coverage
    from parasched.scheduler.schedule import UnmetKind

    short = [n for n in coverage(problem, schedule, grid) if n.day == day and n.uncovered and n.priority <= 2]
    if not short or any(n.kind != UnmetKind.SUPPORT for n in short):
        return None
    needy = {n.ref for n in short}
    helpers = {
        p.para_id
        for p in problem.paras
        if any(
            grid.support_refusal(p, problem.student(s), seg.skills) is None
            for s in needy
            for seg in grid.student_day(s, day)
        )
    }
    served = {s for a in schedule.assignments if a.day == day and a.para_id in helpers for s in a.students}
    return needy | served


def valid_bound(
    problem: Problem,
    options: SolverOptions,
    plan: tuple[str, ...],
    baseline: Schedule | None,
    model_bound: float | None,
) -> float:
    """A lower bound of ``unmet_p1`` (see docs/solver.md): the max-flow relaxation of each planned
    day (``bound.py``, valid for every schedule of the contract), or CP-SAT's stage-1 bound when
    the model considered every para (valid for schedules on the decision grid), the larger."""
    from .bound import week_bound

    kept = baseline if baseline is not None and len(plan) < len(problem.settings.days) else None
    flow = float(week_bound(problem, plan, kept))
    exact = options.candidate_limit(len(problem.paras)) is None
    return max(flow, model_bound) if model_bound is not None and exact else flow


__all__ = ["neighbourhood", "solve_week", "valid_bound"]
