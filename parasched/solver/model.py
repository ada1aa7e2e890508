"""Build the CP-SAT model and solve it tier by tier.

``build(problem, options, baseline, replan_days)`` creates variables, adds every constraint
family (``constraints.CONSTRAINTS``, in order) and the objective terms; ``solve_model`` runs the
lexicographic stages of ``objective.stages`` and returns the best schedule found.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from parasched.scheduler.model import Problem
from parasched.scheduler.schedule import Schedule
from parasched.scheduler.weekgrid import WeekGrid

from .constraints import add_constraints
from .extract import extract
from .hint import hint_values
from .objective import TERM_NAMES, build_terms, judge, primary, stage_name, stage_share, stages
from .options import SolverOptions
from .progress import ProgressFeed
from .variables import ModelData, build_variables

MIN_STAGE_SECONDS = 0.5  # a stage given less wall time is skipped (its presolve alone takes that)
DAY_PHASE_SHARE = 0.97  # of the coverage part of the limit, for the day-by-day phase of a multi-day solve
WEEK_MODEL_ONLY_PARAS = 8  # up to this many paras the week model is small: solved whole, it can prove optimality
POLISH_SHARE = 0.25  # of the time limit, for the continuity pieces at the end (repair.py)
MAX_WEEK_VARIABLES = 400_000  # a larger week model is not built (160 paras: ~1.5 GB peak when it was)
FOCUS_BUILD_FACTOR = 2.5  # a day model without a neighbourhood / with one, build time (80 paras: 2.7 s / 1.0 s)
REPAIR_SHARE = 0.5  # of the time limit, at most, for the repair search of a large school (repair.py)
MAX_DAY_MODEL_PARAS = 120  # above: no day or week model (160 paras: 1.1 GB); the repair search takes the time
DAY_BUILD_SECONDS_PER_PARA = 0.0125  # building one focused day model (80 paras: 1.0 s), to budget the wall clock


@dataclass
class RawResult:
    """What the stages produced, before Unmet rows and reasons are added."""

    status: str  # "optimal" | "feasible" | "infeasible" | "unknown"
    schedule: Schedule | None
    objective: float | None
    bound: float | None
    terms: dict[str, int] = field(default_factory=dict)
    runtime: float = 0.0
    first_solution_seconds: float | None = None
    variables: int = 0
    constraints: int = 0
    repair: object = None  # RepairStats of the repair search, when it ran


def build(problem: Problem, options: SolverOptions, baseline: Schedule | None = None,
          replan_days: tuple[str, ...] | None = None, hint: Schedule | None = None,
          keep: Schedule | None = None, focus: set[str] | None = None) -> ModelData:
    """The whole model: variables, constraints, objective terms.

    Days not in ``replan_days`` are copied from ``keep`` (default: ``baseline``); with a
    ``baseline`` the planned days pay ``changed_minutes`` against it.
    """
    grid = WeekGrid.of(problem)
    plan = grid.days if replan_days is None else tuple(d for d in grid.days if d in replan_days)
    m = ModelData(problem, grid, options, plan, baseline)
    kept = keep if keep is not None else baseline
    if kept is not None:
        m.copied = Schedule(tuple(a for a in kept.assignments if a.day not in plan),
                            tuple(s for s in kept.sessions if s.day not in plan))
    m.hint_schedule = hint  # type: ignore[attr-defined]
    m.focus = focus  # type: ignore[attr-defined]  # students free to change paras (None = all)
    build_variables(m)
    add_constraints(m)
    build_terms(m)
    if options.max_unmet is not None:
        for pr, cap in enumerate(options.max_unmet, start=1):
            m.model.add(m.terms[f"unmet_p{pr}"][0] <= cap)
    return m


class _Progress(cp_model.CpSolverSolutionCallback):
    """Records the first solution time, feeds progress, and stops the search when asked to."""

    def __init__(self, m: ModelData, t0: float, stage: str) -> None:
        super().__init__()
        self.m, self.t0, self.stage = m, t0, stage
        self.first: float | None = None

    def on_solution_callback(self) -> None:
        if self.first is None:
            self.first = time.monotonic() - self.t0
        stop = self.m.options.stop
        if stop is not None and stop.is_set():
            self.StopSearch()
            return
        feed = self.m.feed
        if feed is not None:
            terms = self.m.terms
            unmet = (self.Value(terms["unmet_p1"][0]), self.Value(terms["unmet_p2"][0]),
                     self.Value(terms["unmet_p3"][0]))
            feed.solution(self.stage, unmet, self.Value(terms["handoffs"][0]) if "handoffs" in terms else None)


def solve_model(m: ModelData, hint: Schedule | None = None, clock: float | None = None,
                shares: dict[str, int] | None = None) -> RawResult:
    """Solve stage by stage, each constrained to the best value of the previous ones.

    Stages (``objective.stages(m)``) share the time limit (``options.time_limit``) by
    ``objective.stage_share``, time one stage leaves passing to the next; or by ``shares``
    (term -> share, others 1; a stage of terms not named there gets at most its share of the
    limit). ``clock``: when the whole solve began, so progress lines show time since then.
    """

    def share(weights: list[tuple[str, int]]) -> int:
        return stage_share(weights) if shares is None else max(shares.get(t, 1) for t, _ in weights)

    opts = m.options
    t0 = time.monotonic()
    limit = opts.time_limit if opts.time_limit is not None else m.problem.settings.time_limit_seconds
    plan = stages(m)
    proto = m.model.Proto()
    n_vars, n_cons = len(proto.variables), len(proto.constraints)
    values: list[int] | None = None
    status_all = "optimal"
    objective = bound = None
    first: float | None = None
    if hint is not None:
        full = complete_hint(m, hint_values(m, hint), max(0.5, 0.2 * limit))
        if full is not None:
            values = full  # a complete schedule before the search starts
            first = time.monotonic() - t0
    deterministic = opts.workers == 1  # budgets fixed up front, deterministic time: same seed, same result
    start_limit = limit if deterministic else limit - (time.monotonic() - t0)
    for i, weights in enumerate(plan):
        if opts.stop is not None and opts.stop.is_set():
            status_all = "feasible"
            break
        if deterministic:
            budget = max(0.05, start_limit) * share(weights) / sum(share(w) for w in plan)
            stage_end = float("inf")
        else:
            remaining = max(0.05, limit - (time.monotonic() - t0))
            budget = remaining * share(weights) / sum(share(w) for w in plan[i:])
            if shares is not None and not any(t in shares for t, _ in weights):
                # with shares: a stage not named there gets its share at most, no time passed on
                budget = min(budget, limit * share(weights) / sum(share(w) for w in plan))
            stage_end = time.monotonic() + budget
        expr = sum(w * m.terms[t][0] for t, w in weights)
        held = primary(weights)  # what later stages must keep (the levels, not the tie-breakers)
        m.model.minimize(expr)
        if values is not None:
            now = [_evaluate(m, values, h) for h in held]
            at_floor = all(n <= sum(w * m.floors.get(t, 0) for t, w in h) for n, h in zip(now, held, strict=True))
            if at_floor or (not deterministic and budget < MIN_STAGE_SECONDS):
                # at its least possible value, or too little time to beat presolve: keep the incumbent
                for n, h in zip(now, held, strict=True):
                    m.model.add(sum(w * m.terms[t][0] for t, w in h) <= n)
                status_all = status_all if at_floor else "feasible"
                if i == 0:
                    objective, bound = float(now[0]), (float(now[0]) if at_floor else None)
                continue
        scope = "week" if len(m.plan_days) == len(m.grid.days) else ",".join(m.plan_days)
        label = f"{scope}: {stage_name(weights)}"
        if values is not None:
            _hint(m.model, values)
        st, solver, cb = _run(m, m.model, max(0.05, min(budget, stage_end - time.monotonic())), t0, label)
        if first is None and cb.first is not None:
            first = cb.first
        if st in (cp_model.INFEASIBLE, cp_model.MODEL_INVALID):
            if values is None:
                return RawResult("infeasible", None, None, None, runtime=time.monotonic() - t0,
                                 variables=n_vars, constraints=n_cons)
            break
        if st not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            status_all = "feasible" if values is not None else "unknown"
            if values is None:
                break
        else:
            found = list(solver.response_proto.solution)
            if values is None or _evaluate(m, found, weights) < _evaluate(m, values, weights):
                values = _filled(m, found) if weights[0][0] in REFILL_AFTER and i + 1 < len(plan) else found
            # else no better: keep the incumbent, which may be better on the later tiers
            if st != cp_model.OPTIMAL:
                status_all = "feasible"
        best = [_evaluate(m, values, h) for h in held]
        if i == 0:
            objective = float(best[0])
            bound = _level_bound(m, weights, solver.best_objective_bound) \
                if st in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None
        for n, h in zip(best, held, strict=True):
            m.model.add(sum(w * m.terms[t][0] for t, w in h) <= n)
    runtime = time.monotonic() - t0
    if values is None:
        return RawResult(status_all, None, None, None, runtime=runtime, variables=n_vars, constraints=n_cons)
    terms = {t: int(values[m.terms[t][0].Index()]) for t in TERM_NAMES if t in m.terms}
    return RawResult(status_all, extract(m, values), objective, bound, terms, runtime, first, n_vars, n_cons)


REFILL_AFTER = ("unmet_p1", "unmet_p2")


def _filled(m: ModelData, values: list[int]) -> list[int]:
    """After a stage that looked at one priority only: the lower-priority minutes it let go,
    filled in again from free time (``scheduler.fill``: nobody moved), when that is a solution
    of the model; else the values as they are. Measured on a 12-para school's Monday: priority
    2 back from 7,250 to 6,035 uncovered minutes in 0.1 s, before the priority-2 stage."""
    from parasched.scheduler.fill import fill_in

    try:
        filled = fill_in(extract(m, values), m.problem, m.plan_days)
        full = complete_hint(m, hint_values(m, filled), 0.5)
    except Exception:  # the fill is a shortcut only: never lose the solution we have
        return values
    return full if full is not None else values


def _level_bound(m: ModelData, weights: list[tuple[str, int]], stage_bound: float) -> float:
    """A lower bound of the stage's first term from CP-SAT's bound on the weighted sum:
    w1 * first >= bound - (the most all other terms can add)."""
    (_, w1), rest = weights[0], weights[1:]
    most = sum(w * m.terms[t][1] for t, w in rest)
    return float(max(0, -(-(int(stage_bound) - most) // w1)))


def _evaluate(m: ModelData, values: list[int], weights: list[tuple[str, int]]) -> int:
    return sum(w * values[m.terms[t][0].Index()] for t, w in weights)


def _run(m: ModelData, model: cp_model.CpModel, budget: float, t0: float,
         label: str) -> tuple[cp_model.CpSolverStatus, cp_model.CpSolver, _Progress]:
    """One CP-SAT run with the options (with 1 worker the limit is deterministic time)."""
    opts = m.options
    solver = cp_model.CpSolver()
    prm = solver.parameters
    prm.num_workers = opts.workers
    prm.random_seed = opts.seed
    prm.log_search_progress = opts.log
    if opts.workers == 1:
        prm.max_deterministic_time = budget
        # a safety net only, the deterministic limit decides on a machine that is not overloaded
        # (the command's wall-clock limit comes first: 3x plus 2 s)
        prm.max_time_in_seconds = 3 * budget + 2
    else:
        prm.max_time_in_seconds = budget
    # Ctrl-C is the command's to handle (it sets options.stop): CP-SAT catching SIGINT on a
    # solver thread aborts the process
    prm.catch_sigint_signal = False
    # light presolve: many short solves, where full probing and symmetry cost more than they give
    prm.cp_model_probing_level = 0
    prm.symmetry_level = 0
    prm.max_presolve_iterations = 1  # measured: a 20-para day improves 2x faster than with full presolve
    for name, val in opts.params.items():
        setattr(prm, name, val)
    cb = _Progress(m, t0, label)
    stop = opts.stop
    if stop is None:
        return solver.solve(model, cb), solver, cb
    if stop.is_set():
        return cp_model.UNKNOWN, solver, cb
    done = threading.Event()

    def watch() -> None:  # Ctrl-C / cancel: stop the search even when no new solution comes
        while not done.is_set():
            if stop.wait(0.1):
                solver.stop_search()
                return

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        st = solver.solve(model, cb)
    finally:
        done.set()
        watcher.join()
    return st, solver, cb


def _hint(model: cp_model.CpModel, values: list[int]) -> None:
    proto = model.Proto()
    proto.clear_solution_hint()
    proto.solution_hint.vars.extend(range(len(values)))
    proto.solution_hint.values.extend(values)


def complete_hint(m: ModelData, partial: dict[int, int], time_limit: float) -> list[int] | None:
    """Every variable's value for a partial hint (decision variables), or None if it breaks a rule.

    The terms, handoffs etc. follow from the decisions; a complete feasible hint lets CP-SAT
    start from the warm start at once.
    """
    trial = m.model.clone()
    proto = trial.Proto()
    for i, v in partial.items():
        dom = proto.variables[i].domain
        if not dom[0] <= v <= dom[len(dom) - 1]:
            return None
        dom[0] = v
        dom[1] = v
    proto.clear_objective()
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 3 * time_limit + 2
    solver.parameters.catch_sigint_signal = False
    solver.parameters.max_deterministic_time = time_limit
    solver.parameters.num_workers = 1
    st = solver.solve(trial)
    if st not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return list(solver.response_proto.solution)


def solve_week(problem: Problem, options: SolverOptions, baseline: Schedule | None = None,
               replan_days: tuple[str, ...] | None = None, hint: Schedule | None = None) -> RawResult:
    """Solve the planned days: coverage first (``_solve_coverage``), then continuity.

    The last ``POLISH_SHARE`` of the limit goes to continuity pieces (``repair.repair`` with
    ``continuity=True``): the students passed between the most paras, each re-planned exactly
    with the paras who serve them that day and on the other days, kept only if the week's levels
    improve. It ends early once every student-day was tried without an improvement.
    """
    t0 = time.monotonic()
    limit = options.time_limit if options.time_limit is not None else problem.settings.time_limit_seconds
    plan = WeekGrid.of(problem).days if replan_days is None else tuple(
        d for d in WeekGrid.of(problem).days if d in replan_days)
    incumbent = hint if hint is not None else baseline
    feed = _feed(problem, options, incumbent, limit, t0)
    first_part = dataclasses.replace(options, time_limit=max(0.3, (1 - POLISH_SHARE) * limit))
    raw = _solve_coverage(problem, first_part, baseline, replan_days, hint, feed, t0)
    if raw.schedule is None or raw.status == "optimal" or (options.stop is not None and options.stop.is_set()):
        return raw  # (optimal: nothing left to improve; stop early)
    from .repair import PIECE_SECONDS, RepairStats, repair

    stats = RepairStats()
    if options.workers == 1:  # reproducible: a number of pieces on deterministic time
        polished = repair(problem, raw.schedule, options, float("inf"), baseline, plan, stats,
                          max_pieces=max(1, int(POLISH_SHARE * limit / PIECE_SECONDS)), feed=feed,
                          cover=False, continuity=True)
    else:
        polished = repair(problem, raw.schedule, options, t0 + limit, baseline, plan, stats, feed=feed,
                          cover=False, continuity=True)
    if polished is not raw.schedule:
        terms = _terms_of(problem, polished, baseline)
        raw = dataclasses.replace(raw, status="feasible", schedule=polished, objective=float(terms["unmet_p1"]),
                                  terms=terms)
    raw.runtime = time.monotonic() - t0
    return raw


def _terms_of(problem: Problem, schedule: Schedule, baseline: Schedule | None) -> dict[str, int]:
    """The objective terms of a schedule, recomputed from it (kpis, and changes in a resolve)."""
    from parasched.scheduler.changes import changed_minutes
    from parasched.scheduler.kpis import compute_kpis

    terms = dict(compute_kpis(problem, schedule).objective_terms())
    if baseline is not None:
        terms["changed_minutes"] = changed_minutes(baseline, schedule, problem=problem)
    return {t: terms[t] for t in TERM_NAMES if t in terms}


def _solve_coverage(problem: Problem, options: SolverOptions, baseline: Schedule | None,
                    replan_days: tuple[str, ...] | None, hint: Schedule | None, feed: ProgressFeed,
                    t0: float) -> RawResult:
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
            + tuple(s for s in incumbent.sessions if s.day in plan))
    deterministic = options.workers == 1
    first: float | None = None
    last: RawResult | None = None
    build_seconds = 0.0
    n_built = 0
    limited = options.candidate_limit(len(problem.paras)) is not None
    repair_stats = None
    if limited and incumbent is not None:  # a large school: local repairs first (repair.py)
        from .repair import RepairStats, repair

        repair_stats = RepairStats()
        # no model after the repair when the school is too large for one, or when the time left
        # would not even build it (a 5 s resolve of 80 paras): the repair search takes the time
        build_guess = DAY_BUILD_SECONDS_PER_PARA * len(problem.paras)
        whole = len(problem.paras) > MAX_DAY_MODEL_PARAS or (  # (caps are held by the models)
            not deterministic and options.max_unmet is None and (1 - REPAIR_SHARE) * limit < 1.2 * build_guess + 1.5)
        first = time.monotonic() - t0  # the warm start is a complete schedule
        part = 0.95 if whole else REPAIR_SHARE
        if deterministic:  # reproducible: a number of pieces, each on deterministic time, no clock
            from .repair import PIECE_SECONDS

            incumbent = repair(problem, incumbent, options, float("inf"), baseline, plan, repair_stats,
                               max_pieces=max(1, int(part * limit / PIECE_SECONDS)), feed=feed)
            limit = (1 - part) * limit  # what the models after it get
        else:
            incumbent = repair(problem, incumbent, options, t0 + part * limit, baseline, plan, repair_stats,
                               feed=feed)
        if whole:
            return _repaired_result(problem, options, plan, baseline, incumbent, t0, first, repair_stats)
    incumbent_terms: dict[str, int] | None = None
    if len(plan) > 1 and incumbent is not None and len(problem.paras) > WEEK_MODEL_ONLY_PARAS:
        share = DAY_PHASE_SHARE * limit / len(plan)
        phase_end = t0 + DAY_PHASE_SHARE * limit
        for i, d in enumerate(plan):
            if not deterministic and i > 0 and time.monotonic() + build_seconds / i > phase_end:
                break  # no time left to build another day: the rest keep the incumbent
            if options.stop is not None and options.stop.is_set():
                break
            tb = time.monotonic()
            m = build(problem, options, baseline, (d,), hint=incumbent, keep=incumbent,
                      focus=neighbourhood(problem, grid, incumbent, d) if limited else None)
            build_seconds += time.monotonic() - tb
            n_built += 1
            week_guess = build_seconds * len(plan) * 1.2 * (FOCUS_BUILD_FACTOR if limited else 1)
            if not deterministic and i == 0 and week_guess > (1 - DAY_PHASE_SHARE) * limit:
                phase_end = t0 + 0.95 * limit  # the week model will not fit: the day phase takes it all
            if not deterministic:  # the wall clock: what is left of the phase, building included
                share = max(0.3, (phase_end - time.monotonic()) / (len(plan) - i))
            m.options = dataclasses.replace(options, time_limit=share)
            m.feed = feed
            raw = solve_model(m, incumbent, t0)
            if raw.schedule is None:
                last = None
                break
            if first is None and raw.first_solution_seconds is not None:
                first = time.monotonic() - t0 - raw.runtime + raw.first_solution_seconds
            if incumbent_terms is None:
                incumbent_terms = _terms_of(problem, incumbent, baseline)
            if judge(raw.terms, baseline is not None) < judge(incumbent_terms, baseline is not None):
                incumbent, incumbent_terms = raw.schedule, raw.terms
            # else the day's answer is not kept: it won priority-1 minutes at too high a price
            last = dataclasses.replace(raw, schedule=incumbent, terms=incumbent_terms)
        if last is not None:
            last = dataclasses.replace(last, status="feasible", bound=None)
    if options.stop is not None and options.stop.is_set() and incumbent is not None:
        if last is not None:
            return dataclasses.replace(last, runtime=time.monotonic() - t0, first_solution_seconds=first)
        return _repaired_result(problem, options, plan, baseline, incumbent, t0, first or 0.0, repair_stats)
    stopped = False
    # after the day phase no week model: its first stage, priority 1 alone over the whole week,
    # threw away priority-2 minutes faster than its later stages won them back (12 paras, 15 s:
    # priority 2 from 5,365 to 12,135 uncovered minutes for 60 priority-1 minutes), and the day
    # models already count every weekly term
    if not stopped and last is None:
        focus = neighbourhood(problem, grid, incumbent, plan[0]) if limited and len(plan) == 1 and incumbent else None
        m = build(problem, options, baseline, plan, hint=incumbent, keep=baseline, focus=focus)
        if last is not None and deterministic:
            budget = (1 - DAY_PHASE_SHARE) * limit
        else:
            budget = max(0.5, limit - (time.monotonic() - t0))
        m.options = dataclasses.replace(options, time_limit=budget)
        m.feed = feed
        raw = solve_model(m, incumbent, t0)
        if raw.schedule is not None or last is None:
            if first is None and raw.first_solution_seconds is not None:
                first = time.monotonic() - t0 - raw.runtime + raw.first_solution_seconds
            last = raw
    last.bound = valid_bound(problem, options, plan, baseline, last.bound)
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


def _repaired_result(problem: Problem, options: SolverOptions, plan: tuple[str, ...], baseline: Schedule | None,
                     schedule: Schedule, t0: float, first: float, stats: object) -> RawResult:
    """The result of a solve that was the repair search alone (no CP-SAT model of the whole school)."""
    terms = _terms_of(problem, schedule, baseline)
    bound = valid_bound(problem, options, plan, baseline, None)
    return RawResult("feasible", schedule, float(terms["unmet_p1"]), bound, terms, time.monotonic() - t0, first,
                     repair=stats)


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
    helpers = {p.para_id for p in problem.paras
               if any(grid.support_refusal(p, problem.student(s), seg.skills) is None
                      for s in needy for seg in grid.student_day(s, day))}
    served = {s for a in schedule.assignments if a.day == day and a.para_id in helpers for s in a.students}
    return needy | served


def valid_bound(problem: Problem, options: SolverOptions, plan: tuple[str, ...], baseline: Schedule | None,
                model_bound: float | None) -> float:
    """A lower bound of ``unmet_p1`` (see docs/solver.md): the max-flow relaxation of each planned
    day (``bound.py``, valid for every schedule of the contract), or CP-SAT's stage-1 bound when
    the model considered every para (valid for schedules on the decision grid), the larger."""
    from .bound import week_bound

    kept = baseline if baseline is not None and len(plan) < len(problem.settings.days) else None
    flow = float(week_bound(problem, plan, kept))
    exact = options.candidate_limit(len(problem.paras)) is None
    return max(flow, model_bound) if model_bound is not None and exact else flow


__all__ = ["RawResult", "build", "solve_model", "solve_week"]
