"""Build the CP-SAT model and solve it stage by stage.

``build(problem, options, baseline, replan_days)`` creates variables, adds every constraint
family (``constraints.CONSTRAINTS``, in order) and the objective terms; ``solve_model`` runs the
stages of ``objective.stages`` and returns the best schedule found. How a week is searched with
these models (day models, repair and continuity pieces) is ``week.py``.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from parasched.scheduler.kpis import PRIORITY_VALUE
from parasched.scheduler.model import Problem, Support
from parasched.scheduler.schedule import Kind, Schedule
from parasched.scheduler.timegrid import fmt_span
from parasched.scheduler.weekgrid import WeekGrid

from .constraints import add_constraints
from .extract import extract
from .hint import hint_values
from .objective import TERM_NAMES, build_terms, exact_relays, judged_stage, primary, stage_name, stage_share, stages
from .options import SolverOptions
from .variables import Label, ModelData, build_variables

MIN_STAGE_SECONDS = 0.5  # a stage given less wall time is skipped (its presolve alone takes that)
# a model improving a complete schedule (``improve_only``) that has found nothing better for this
# share of its time (and at least STALL_MIN_SECONDS) stops: its time passes to the next day model
# and, at the end, the solve returns early (docs/solver.md, point 11, "When a solve ends")
STALL_SHARE = 0.5
STALL_MIN_SECONDS = 3.0
# a small school's week model (``judged``, never proved in practice) stops likewise, after a
# quarter of its time and at least 10 s: with the day models' 3 s a 20 s solve of a 4-para school
# stopped before its late continuity gains (judged 7,590 against 7,110-7,250; docs/solver.md, point 17)
WEEK_STALL_SHARE = 0.25
WEEK_STALL_MIN_SECONDS = 10.0
# a day model's judged stage (``ModelData.windows``): this many minutes of the day re-planned at
# once with every para, everything else held, each for this many seconds (docs/solver.md, point 12)
WINDOW_MINUTES = 90
WINDOW_SECONDS = 1.5


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


def build(
    problem: Problem,
    options: SolverOptions,
    baseline: Schedule | None = None,
    replan_days: tuple[str, ...] | None = None,
    hint: Schedule | None = None,
    keep: Schedule | None = None,
    focus: set[str] | None = None,
    week_seen: dict[str, set[str]] | None = None,
    busy: tuple[tuple[str, int, int], ...] = (),
) -> ModelData:
    """The whole model: variables, constraints, objective terms.

    Days not in ``replan_days`` are copied from ``keep`` (default: ``baseline``); with a
    ``baseline`` the planned days pay ``changed_minutes`` against it. ``week_seen``: each
    student's paras on days outside the problem (a repair piece's other days), so that
    ``extra_week_paras`` counts only the paras new to the student's week. ``busy``: (para, start,
    end) away from the model that is still work (a one-day piece's rows that stay), counted in
    the para's continuous stretch.
    """
    grid = WeekGrid.of(problem)
    plan = grid.days if replan_days is None else tuple(d for d in grid.days if d in replan_days)
    m = ModelData(problem, grid, options, plan, baseline)
    m.week_seen = week_seen or {}
    m.busy = busy
    kept = keep if keep is not None else baseline
    if kept is not None:
        m.copied = Schedule(
            tuple(a for a in kept.assignments if a.day not in plan),
            tuple(s for s in kept.sessions if s.day not in plan),
        )
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
        self.last = time.monotonic()  # when the search last found a better solution (or began)
        self.stalled = False  # stopped for finding nothing better for a while (``_stall_seconds``)

    def on_solution_callback(self) -> None:
        self.last = time.monotonic()
        if self.first is None:
            self.first = time.monotonic() - self.t0
        stop = self.m.options.stop
        if stop is not None and stop.is_set():
            self.StopSearch()
            return
        feed = self.m.feed
        if feed is not None:
            terms = self.m.terms
            unmet = (
                self.Value(terms["unmet_p1"][0]),
                self.Value(terms["unmet_p2"][0]),
                self.Value(terms["unmet_p3"][0]),
            )
            feed.solution(self.stage, unmet, self.Value(terms["handoffs"][0]) if "handoffs" in terms else None)


def solve_model(
    m: ModelData, hint: Schedule | None = None, clock: float | None = None, shares: dict[str, int] | None = None
) -> RawResult:
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
    stalled = False  # a stage found nothing better for a while: the stages after it get their own share only
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
            if stalled or (shares is not None and not any(t in shares for t, _ in weights)):
                # after a stall, or with shares a stage not named there: its share at most, no
                # time passed on
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
        seconds = max(0.05, min(budget, stage_end - time.monotonic()))
        searched_apart = False  # the stage searched in parts of its own, not by one run of the model
        if values is not None and m.windows and judged_stage(weights) and len(m.plan_days) == 1:
            values = _window_search(m, values, weights, seconds, t0, label)
            searched_apart = True
        elif values is not None and m.improve_only and judged_stage(weights):
            # a solve's day model: two thirds with what covers priority 1 held, then the whole
            # model, each stopping when it stalls (docs/solver.md, point 18); a short stage held
            # throughout (point 20)
            searched_apart = seconds < HOLD_ALL_BELOW
            values = _priority1_held(m, values, weights, seconds if searched_apart else HOLD_SHARE * seconds, t0, label)
            seconds = max(0.05, min((1 - HOLD_SHARE) * seconds, stage_end - time.monotonic()))
        if searched_apart and values is not None:
            status_all = "feasible"
            best = [_evaluate(m, values, h) for h in held]
            if i == 0:
                objective, bound = float(best[0]), None
            for n, h in zip(best, held, strict=True):
                m.model.add(sum(w * m.terms[t][0] for t, w in h) <= n)
            continue
        if values is not None:
            _hint(m.model, values)
        st, solver, cb = _run(m, m.model, seconds, t0, label, hinted=values is not None)
        if first is None and cb.first is not None:
            first = cb.first
        # a day model's leftover goes to the next day (week.py); a small school's week model
        # has no next day: what a stalled stage leaves ends the model sooner
        stalled = stalled or (cb.stalled and not m.improve_only)
        if st in (cp_model.INFEASIBLE, cp_model.MODEL_INVALID):
            if values is None:
                return RawResult(
                    "infeasible", None, None, None, runtime=time.monotonic() - t0, variables=n_vars, constraints=n_cons
                )
            break
        if st not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            status_all = "feasible" if values is not None else "unknown"
            if values is None:
                break
        else:
            found = exact_relays(m, list(solver.response_proto.solution))
            if values is None or _evaluate(m, found, weights) < _evaluate(m, values, weights):
                values = _filled(m, found) if _refill(weights) and i + 1 < len(plan) else found
            # else no better: keep the incumbent, which may be better on the later tiers
            if st != cp_model.OPTIMAL:
                status_all = "feasible"
        best = [_evaluate(m, values, h) for h in held]
        if i == 0:
            objective = float(best[0])
            bound = (
                _level_bound(m, weights, solver.best_objective_bound)
                if st in (cp_model.OPTIMAL, cp_model.FEASIBLE)
                else None
            )
        for n, h in zip(best, held, strict=True):
            m.model.add(sum(w * m.terms[t][0] for t, w in h) <= n)
    runtime = time.monotonic() - t0
    if values is None:
        return RawResult(status_all, None, None, None, runtime=runtime, variables=n_vars, constraints=n_cons)
    terms = {t: int(values[m.terms[t][0].Index()]) for t in TERM_NAMES if t in m.terms}
    return RawResult(status_all, extract(m, values), objective, bound, terms, runtime, first, n_vars, n_cons)


REFILL_AFTER = ("unmet_p1", "unmet_p2")


def _refill(weights: list[tuple[str, int]]) -> bool:
    """Whether a stage looked at one high priority alone (its lower priorities are filled in after)."""
    return weights[0][0] in REFILL_AFTER and not judged_stage(weights)


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


def _run(
    m: ModelData, model: cp_model.CpModel, budget: float, t0: float, label: str, hinted: bool = False
) -> tuple[cp_model.CpSolverStatus, cp_model.CpSolver, _Progress]:
    """One CP-SAT run with the options (with 1 worker the limit is deterministic time).
    ``hinted``: the model carries a complete, feasible hint."""
    opts = m.options
    solver = cp_model.CpSolver()
    prm = solver.parameters
    prm.num_workers = opts.workers
    prm.random_seed = opts.seed
    prm.log_search_progress = opts.log
    if opts.workers == 1:
        prm.max_deterministic_time = budget
        # a safety net only, the deterministic limit decides on a machine that is not overloaded
        # (reproducible runs cannot also be held to the wall clock: 10x plus 5 s)
        prm.max_time_in_seconds = 10 * budget + 5
    else:
        prm.max_time_in_seconds = budget
    # Ctrl-C is the command's to handle (it sets options.stop): CP-SAT catching SIGINT on a
    # solver thread aborts the process
    prm.catch_sigint_signal = False
    # light presolve: many short solves, where full probing and symmetry cost more than they give
    prm.cp_model_probing_level = 0
    prm.symmetry_level = 0
    prm.max_presolve_iterations = 1  # measured: a 20-para day improves 2x faster than with full presolve
    if m.improve_only and hinted and opts.workers > 1:
        # with 2 workers CP-SAT gives one to the LP search that proves bounds a few-second day
        # stage never closes; both on neighbourhoods of the hint improve faster (docs/solver.md)
        prm.use_lns_only = True
    for name, val in opts.params.items():
        setattr(prm, name, val)
    cb = _Progress(m, t0, label)
    stop = opts.stop
    stall = _stall_seconds(m, budget, hinted)
    if stop is not None and stop.is_set():
        return cp_model.UNKNOWN, solver, cb
    if stop is None and stall is None:
        return solver.solve(model, cb), solver, cb
    done = threading.Event()

    def watch() -> None:  # Ctrl-C / cancel, or a stalled search: stop even when no new solution comes
        while not done.wait(0.1):
            if stop is not None and stop.is_set():
                solver.stop_search()
                return
            if stall is not None and time.monotonic() - cb.last > stall:
                cb.stalled = True
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


def _stall_seconds(m: ModelData, budget: float, hinted: bool) -> float | None:
    """How long a search may go without a better solution before it stops, or None (no such rule).

    Only for models improving a complete schedule on the wall clock (2+ workers): the day models
    (``improve_only``) and a small school's week model, which searches the judge's weights
    (``judged``) and so proves nothing in practice (a 4-para school: bound 80 against 6,840 after
    42 s). Finding nothing better for half their time (a week model: a quarter, at least 10 s)
    means the rest is better spent elsewhere, or not at all. A resolve's week model, searched
    level by level, stops when it has proved; with one worker the search must stay reproducible,
    so it runs its budget."""
    if not ((m.improve_only or m.judged) and hinted and m.options.workers > 1):
        return None
    if m.improve_only:
        stall = max(STALL_MIN_SECONDS, STALL_SHARE * budget)
    else:
        stall = max(WEEK_STALL_MIN_SECONDS, WEEK_STALL_SHARE * budget)
    return stall if stall < budget else None


def _window_search(
    m: ModelData, values: list[int], weights: list[tuple[str, int]], budget: float, t0: float, label: str
) -> list[int]:
    """A day model's judged stage searched window by window: ``WINDOW_MINUTES`` of the day
    re-planned with every para, whatever lies outside the window held at the incumbent (so the
    window's edges keep every rule: runs, relays and rests crossing them are the model's own),
    each for ``WINDOW_SECONDS``, an answer kept when the stage's sum is lower. The windows tile
    the day from a random offset in a random order, again and again. Measured on public-tight's
    costliest day (20 s from the repaired start): judged 688,640 -> 674,075-675,480, where the
    whole day model, one search, reached 678,040-680,140."""
    day = m.plan_days[0]
    rng = random.Random(m.options.seed)
    step = max(5, WINDOW_MINUTES // 2)
    end = time.monotonic() + budget
    deterministic = m.options.workers == 1
    runs = max(1, int(budget / WINDOW_SECONDS)) if deterministic else None
    stall = _stall_seconds(m, budget, hinted=True)
    best = _evaluate(m, values, weights)
    last_gain, done = time.monotonic(), 0
    queue: list[int] = []
    while True:
        left = end - time.monotonic()
        if deterministic and runs is not None and done >= runs:
            break
        if not deterministic and left < 0.2:
            break
        if m.options.stop is not None and m.options.stop.is_set():
            break
        if stall is not None and time.monotonic() - last_gain > stall:
            break
        if not queue:
            queue = _tiles(m, values, day, rng.randrange(0, step, 5), step, rng)
        a = queue.pop()
        b = a + WINDOW_MINUTES
        # the window is held in the model itself and let go after it: a copy of an 80-para day
        # model per window took a 300 s solve's peak memory from 751 MB to 1,005 MB
        held = _hold_outside(m, m.model, values, day, a, b)
        _hint(m.model, values)
        seconds = WINDOW_SECONDS if deterministic else min(WINDOW_SECONDS, left)
        where = f"{label} {fmt_span(max(a, m.bps[day][0]), b)}"
        try:
            st, solver, _ = _run(m, m.model, seconds, t0, where, hinted=True)
        finally:
            _let_go(m.model, held)
        done += 1
        if st in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            found = exact_relays(m, list(solver.response_proto.solution))
            value = _evaluate(m, found, weights)
            if value < best:
                values, best, last_gain = found, value, time.monotonic()
    return values


def _tiles(m: ModelData, values: list[int], day: str, offset: int, step: int, rng: random.Random) -> list[int]:
    """The starts of the day's windows (every ``step`` minutes from ``offset`` back), in the order
    to try them, last first: drawn at random, each window as likely as the priority value of the
    support minutes it leaves uncovered (plus one), so a school short at a few times searches
    there first and a school short everywhere searches everywhere."""
    first, last = m.bps[day][0], m.bps[day][-1]
    short: dict[int, int] = {}
    for (sid, d, k), need in m.needs.items():
        if d == day and need.support != Support.FLEX and not any(values[v.Index()] for _, v in m.cover[(sid, d, k)]):
            s0, s1 = m.seg(d, k)
            short[s0] = short.get(s0, 0) + PRIORITY_VALUE.get(need.priority, 1) * (s1 - s0)
    starts = list(range(first - offset, last, step))
    weight = {a: 1 + sum(v for s0, v in short.items() if a <= s0 < a + WINDOW_MINUTES) for a in starts}
    # weighted sampling without replacement (Efraimidis-Spirakis): key u ** (1 / weight)
    return sorted(starts, key=lambda a: rng.random() ** (1 / weight[a]))


def _hold_outside(
    m: ModelData, model: cp_model.CpModel, values: list[int], day: str, a: int, b: int
) -> dict[int, list[int]]:
    """Fix, in ``model``, every decision that is not wholly inside [a, b) of ``day`` to ``values``:
    whatever occupies a para in a segment (support, groups, duties, sessions, lunches and breaks:
    a variable is listed in each segment it occupies, so one across an edge is held), and the
    placements of flexible sessions. Returns the held variables' domains before (``_let_go``)."""
    held: set[int] = set()
    for (_, d, k), occupying in m.para_at.items():
        s0, s1 = m.seg(d, k)
        if d == day and a <= s0 and s1 <= b:
            continue
        held.update(v.Index() for v, _, _ in occupying)
    for occ in m.occs:
        if occ.var is not None and not (a <= occ.start and occ.end <= b):
            held.add(occ.var.Index())
    return _pin(model, held, values)


# of a solve's day-model judged stage, searched with the incumbent's priority-1 rows held; the
# rest searches the whole model (docs/solver.md, point 18: public-small at 30 s judged 1.4 %
# better over six seeds; holding the whole stage would lose the chains a long run finds)
HOLD_SHARE = 0.67
# a judged stage shorter than this is searched with priority 1 held throughout: in 2 s a day
# model's unheld third won little (public-small's Monday at 30 s: 30 judged points against 3,700
# for the held part), while the chains it exists for are found by a long run's 25 s stages
# (docs/solver.md, point 20: public-small at 30 s judged 2.7 % better over eight seeds)
HOLD_ALL_BELOW = 5.0


def _priority1_held(
    m: ModelData, values: list[int], weights: list[tuple[str, int]], seconds: float, t0: float, label: str
) -> list[int]:
    """The stage searched for ``seconds`` with the incumbent's priority-1 rows held
    (``_hold_priority1``); the better of its answer and ``values``."""
    pinned = _hold_priority1(m, values)
    _hint(m.model, values)
    try:
        st, solver, _ = _run(m, m.model, seconds, t0, label, hinted=True)
    finally:
        _let_go(m.model, pinned)
    if st in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        found = exact_relays(m, list(solver.response_proto.solution))
        if _evaluate(m, found, weights) < _evaluate(m, values, weights):
            return found
    return values


def _hold_priority1(m: ModelData, values: list[int]) -> dict[int, list[int]]:
    """Fix, in the model, every variable that puts a para on a priority-1 student (alone) or a
    priority-1 duty in ``values``. The repair search before the day models is priority 1's; a day
    model's few seconds of neighbourhood search then go to priority 2 and 3 and continuity, and
    priority 1 can only rise (its uncovered minutes stay free to take). Returns the held
    variables' domains before (``_let_go``)."""

    def first(label: Label) -> bool:
        if label[0] == Kind.SUPPORT:  # (a group's variable names no student: not held)
            return label[1] is not None and m.students[label[1]].priority == 1
        return label[0] == Kind.DUTY and m.problem.duty(label[1]).priority == 1

    on = (v.Index() for occupying in m.para_at.values() for v, label, _ in occupying if first(label))
    return _pin(m.model, {i for i in on if values[i] == 1}, values)


def _pin(model: cp_model.CpModel, indexes: set[int], values: list[int]) -> dict[int, list[int]]:
    """Narrow each listed variable's domain to its value in ``values``, in the model itself;
    returns the domains before (``_let_go``)."""
    proto = model.Proto()
    before: dict[int, list[int]] = {}
    for i in indexes:
        domain = proto.variables[i].domain
        before[i] = list(domain)
        domain.clear()
        domain.extend((values[i], values[i]))
    return before


def _let_go(model: cp_model.CpModel, before: dict[int, list[int]]) -> None:
    """Give held variables back their domains (``_hold_outside``, ``_hold_priority1``)."""
    proto = model.Proto()
    for i, domain in before.items():
        proto.variables[i].domain.clear()
        proto.variables[i].domain.extend(domain)


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
    solver.parameters.max_time_in_seconds = 10 * time_limit + 5
    solver.parameters.catch_sigint_signal = False
    solver.parameters.max_deterministic_time = time_limit
    solver.parameters.num_workers = 1
    st = solver.solve(trial)
    if st not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return exact_relays(m, list(solver.response_proto.solution))


__all__ = ["RawResult", "build", "complete_hint", "solve_model"]
