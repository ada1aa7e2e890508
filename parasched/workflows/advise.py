"""The advise workflow: which hire, hours or training would cover the most unmet minutes.

``advise(problem, baseline, options)``:

1. The baseline is re-solved first (warm-started, a short limit, one CP-SAT worker, so figures
   are reproducible): the *reference*. Every change is compared with it, so minutes found by the
   extra search alone are never credited to a change.
2. Candidate changes come from the data and the reference's Unmet needs
   (:func:`parasched.scheduler.staffing.staffing_changes`).
3. Each candidate is applied to the frozen Problem and the week re-solved the same way,
   warm-started from the reference (with the lunches and breaks new hours owe), in parallel on
   the available cores (a process pool). The re-solved schedule is judged by the independent
   checker; its KPIs are the candidate's figures. A re-solve whose schedule also passes the
   checker on the school as it is did not need its change: nothing is credited to it (and the
   best such schedule becomes the reference).
4. Changes that cover nothing (or break a rule) are never recommended; the rest are ranked by
   minutes gained per priority (1 first, as the solver's tiers), then by cost in para-hours.
5. ``budget`` N >= 2: the best combination of up to N changes among the top ones, every
   combination when there are few (exact), else adding one change at a time (greedy).
"""

from __future__ import annotations

import dataclasses
import itertools
import multiprocessing
import os
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from parasched.scheduler.advice import (
    Advice,
    Covered,
    Evaluation,
    cost_text,
    covered_text,
    day_position,
    report_lines,
    sentence,
)
from parasched.scheduler.check import check_schedule
from parasched.scheduler.errors import InputError, Issue
from parasched.scheduler.model import Problem
from parasched.scheduler.schedule import Assignment, Kind, Schedule, Unmet
from parasched.scheduler.staffing import (
    ChangeKind,
    StaffingChange,
    days_text,
    staffing_changes,
)
from parasched.scheduler.timegrid import fmt_span, overlaps

MAX_EXACT_COMBINATIONS = 20  # more combinations of the top changes than this: greedy
TOP_FOR_COMBINATIONS = 6


@dataclass(frozen=True)
class AdviceOptions:
    """``time_limit``: seconds per re-solve; ``jobs``: processes (None = the machine's cores);
    ``candidates``: how many changes are re-solved; ``budget``: largest combination sought."""

    time_limit: float = 5.0
    seed: int = 0
    jobs: int | None = None
    candidates: int = 20
    budget: int = 1

    def __post_init__(self) -> None:
        if self.time_limit <= 0:
            raise ValueError("time_limit must be positive")
        if self.jobs is not None and self.jobs < 1:
            raise ValueError("jobs must be 1 or more")
        if self.candidates < 1:
            raise ValueError("candidates must be 1 or more")
        if self.budget < 1:
            raise ValueError("budget must be 1 or more")


@dataclass(frozen=True)
class _Task:
    changes: tuple[StaffingChange, ...]
    hint: Schedule


@dataclass(frozen=True)
class _Outcome:
    after: tuple[int, int, int]
    unmet: tuple[Unmet, ...]
    schedule: Schedule | None
    violations: tuple[str, ...]
    error: str
    seconds: float
    valid_without: bool = False  # the schedule breaks no rule even without the changes


def apply_changes(problem: Problem, changes: Sequence[StaffingChange]) -> Problem:
    """``problem`` with every change made, in order."""
    for c in changes:
        problem = c.apply(problem)
    return problem


def complete_hint(changed: Problem, changes: Sequence[StaffingChange], hint: Schedule) -> Schedule:
    """``hint`` with the lunches and breaks now owed to the new or longer-working paras, taken
    from a greedy schedule of the changed school, so the warm start breaks no rule."""
    from parasched.scheduler.greedy import greedy_schedule
    from parasched.scheduler.weekgrid import WeekGrid

    paras = {c.para_id for c in changes if c.kind in (ChangeKind.EXTEND, ChangeKind.HIRE, ChangeKind.SUBSTITUTE)}
    if not paras:
        return hint
    grid = WeekGrid.of(changed)
    rows: dict[tuple[str, str], list[Assignment]] = defaultdict(list)
    for a in hint.assignments:
        if a.para_id in paras:
            rows[(a.para_id, a.day)].append(a)
    extra: list[Assignment] = []
    for a in greedy_schedule(changed, grid).assignments:
        if a.para_id not in paras or a.kind not in (Kind.LUNCH, Kind.BREAK):
            continue
        mine = rows[(a.para_id, a.day)]
        if a.kind == Kind.LUNCH:
            if grid.lunch_rule(a.para_id, a.day) is None or any(r.kind == Kind.LUNCH for r in mine):
                continue
        elif sum(r.kind == Kind.BREAK for r in mine) >= grid.breaks_owed(a.para_id, a.day):
            continue
        if any(overlaps((r.start, r.end), (a.start, a.end)) for r in mine):
            continue
        extra.append(a)
        mine.append(a)
    return dataclasses.replace(hint, assignments=(*hint.assignments, *extra))


def _resolve(problem: Problem, task: _Task, time_limit: float, seed: int) -> _Outcome:
    """Re-solve the week with the task's changes made, warm-started; judged by the checker."""
    from parasched.solver.options import SolverOptions
    from parasched.workflows.solve import solve

    t0 = time.monotonic()
    try:
        changed = apply_changes(problem, task.changes)
        hint = complete_hint(changed, task.changes, task.hint)
        options = SolverOptions(
            time_limit=time_limit,
            workers=1,
            seed=seed,
        )
        result = solve(changed, options, hint=hint)
    except InputError as exc:
        return _Outcome((0, 0, 0), (), None, (), "; ".join(str(i) for i in exc.issues), time.monotonic() - t0)
    except ValueError as exc:  # a DataError: the change makes a record impossible (hours past midnight)
        return _Outcome((0, 0, 0), (), None, (), str(exc), time.monotonic() - t0)
    if result.schedule is None or not result.schedule.assignments:
        return _Outcome((0, 0, 0), (), None, (), f"no schedule within {time_limit:g} s", time.monotonic() - t0)
    report = check_schedule(changed, result.schedule)
    k = report.kpis
    valid_without = bool(task.changes) and check_schedule(problem, result.schedule).ok
    return _Outcome(
        (k.unmet_p1, k.unmet_p2, k.unmet_p3),
        result.schedule.unmet,
        result.schedule,
        tuple(str(v) for v in report.violations),
        "",
        time.monotonic() - t0,
        valid_without,
    )


class _Runner:
    """Runs re-solves in a process pool (or in this process with one job)."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self.pool: ProcessPoolExecutor | None = None
        if jobs > 1:
            # spawn, not fork: a fork of a process that has run CP-SAT's threads can hang
            self.pool = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"))

    def run(
        self,
        problem: Problem,
        tasks: list[_Task],
        time_limit: float,
        seed: int,
        done: Callable[[int, _Outcome], None] | None = None,
    ) -> list[_Outcome]:
        done = done or (lambda _i, _o: None)
        if self.pool is None:
            out = []
            for i, task in enumerate(tasks):
                out.append(_resolve(problem, task, time_limit, seed))
                done(i, out[-1])
            return out
        futures: list[Future[_Outcome]] = [self.pool.submit(_resolve, problem, t, time_limit, seed) for t in tasks]
        out = []
        for i, f in enumerate(futures):
            try:
                o = f.result()
            except BrokenProcessPool as exc:  # a worker died (out of memory, killed): that change only
                o = _Outcome((0, 0, 0), (), None, (), f"the re-solve stopped ({exc})", 0.0)
            out.append(o)
            done(i, o)
        return out

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


# -- the workflow -------------------------------------------------------------------------------
def advise(
    problem: Problem,
    baseline: Schedule,
    options: AdviceOptions | None = None,
    on_progress: Callable[[str], None] | None = None,
    changes: Sequence[StaffingChange] | None = None,
) -> Advice:
    """Rank staffing changes by the unmet minutes each would cover (see the module docstring).

    ``changes``: evaluate these instead of the generated candidates (a principal's own idea).
    ``on_progress`` gets one line per finished re-solve (ids only, never student names).
    """
    from parasched.scheduler.kpis import compute_kpis

    options = options or AdviceOptions()
    say = on_progress or (lambda _line: None)
    t0 = time.monotonic()
    base_k = compute_kpis(problem, baseline)
    baseline_unmet = (base_k.unmet_p1, base_k.unmet_p2, base_k.unmet_p3)
    jobs = max(1, min(options.jobs or os.cpu_count() or 1, options.candidates))
    runner = _Runner(jobs)
    notes: list[str] = []
    try:
        say(f"Re-solving the schedule as it is ({options.time_limit:g} s), the reference every change is compared with")
        ref_out = runner.run(problem, [_Task((), baseline)], options.time_limit, options.seed)[0]
        if ref_out.error or ref_out.schedule is None:
            raise InputError(
                [
                    Issue(
                        f"the schedule could not be re-solved for comparison ({ref_out.error}); "
                        "try a longer --eval-limit"
                    )
                ]
            )
        if ref_out.after < baseline_unmet:
            more = sum(baseline_unmet) - sum(ref_out.after)
            notes.append(
                f"Re-solving the schedule as it is already covers {more} more minutes; the changes "
                "below are compared with that re-solved schedule."
            )
        reference_schedule = ref_out.schedule
        cands = (
            list(changes)
            if changes is not None
            else staffing_changes(problem, reference_schedule, reference_schedule.unmet, options.candidates)
        )
        tasks = [_Task((c,), reference_schedule) for c in cands]
        say(
            f"Re-solving the week with each of {len(cands)} candidate change(s), {options.time_limit:g} s each, "
            f"{jobs} at a time"
        )

        def done(i: int, o: _Outcome) -> None:
            figures = o.error or f"uncovered P1/P2/P3 {o.after[0]}/{o.after[1]}/{o.after[2]} min"
            say(f"  [{i + 1}/{len(tasks)}] {cands[i].describe(problem)}: {figures} ({o.seconds:.1f} s)")

        outcomes = runner.run(problem, tasks, options.time_limit, options.seed, done)
        # a re-solve that found more without using its change: the school can do that today
        better = [o for o in outcomes if o.valid_without and o.after < ref_out.after]
        if better:
            ref_out = _as_reference(problem, min(better, key=lambda o: o.after))
            notes.append(
                f"One re-solve found a schedule covering {sum(baseline_unmet) - sum(ref_out.after)} more "
                "minutes than the one advised on without using its change; the changes are compared "
                "with that schedule."
            )
        reference = _evaluation(problem, (), ref_out, baseline_unmet, ref_out)
        evals = [_evaluation(problem, (c,), o, ref_out.after, ref_out) for c, o in zip(cands, outcomes, strict=True)]
        useful = sorted((e for e in evals if e.useful), key=Evaluation.rank_key)
        useless = tuple(sorted((e for e in evals if not e.useful), key=Evaluation.rank_key))
        best: Evaluation | None = None
        method = ""
        tried = 0
        if options.budget >= 2 and len(useful) >= 2:
            by_changes = {e.changes: o for e, o in zip(evals, outcomes, strict=True)}
            best, method, tried = _best_combination(problem, useful, by_changes, options, runner, ref_out, say)
    finally:
        runner.close()
    return Advice(
        baseline_unmet,
        reference,
        tuple(useful),
        useless,
        best,
        method,
        tried,
        options.budget,
        jobs,
        options.time_limit,
        time.monotonic() - t0,
        tuple(notes),
    )


def _as_reference(problem: Problem, o: _Outcome) -> _Outcome:
    """A schedule found with a change but valid without it, its Unmet rows explained for the school as is."""
    from parasched.scheduler.coverage import unmet_rows
    from parasched.scheduler.explain import explain

    assert o.schedule is not None
    rows = tuple(explain(problem, o.schedule, unmet_rows(problem, o.schedule)))
    return dataclasses.replace(o, unmet=rows, schedule=dataclasses.replace(o.schedule, unmet=rows), valid_without=False)


def _compatible(changes: Sequence[StaffingChange]) -> bool:
    """Two changes rewriting the same para or duty do not combine (the second would undo the first)."""
    touched = [c.touches for c in changes]
    return len(set(touched)) == len(touched)


def _best_combination(
    problem: Problem,
    useful: list[Evaluation],
    outcomes: dict,
    options: AdviceOptions,
    runner: _Runner,
    ref_out: _Outcome,
    say: Callable[[str], None],
) -> tuple[Evaluation | None, str, int]:
    """The best set of 2..budget changes among the top ones, when it beats the best single change."""
    top = [e.changes[0] for e in useful[:TOP_FOR_COMBINATIONS]]
    rank = {c.key: i for i, c in enumerate(top)}

    def task(combo: tuple[StaffingChange, ...], start: _Outcome) -> _Task:
        # start from a member's own re-solved schedule: still possible with the others added
        assert start.schedule is not None
        return _Task(combo, start.schedule)

    combos = [
        combo for r in range(2, options.budget + 1) for combo in itertools.combinations(top, r) if _compatible(combo)
    ]
    best_single = useful[0]
    if len(combos) <= MAX_EXACT_COMBINATIONS:
        say(f"Trying every combination of up to {options.budget} of the top {len(top)} changes ({len(combos)})")
        starts = [outcomes[(min(c, key=lambda x: rank[x.key]),)] for c in combos]
        outs = runner.run(
            problem, [task(c, s) for c, s in zip(combos, starts, strict=True)], options.time_limit, options.seed
        )
        evals = [_evaluation(problem, c, o, ref_out.after, ref_out) for c, o in zip(combos, outs, strict=True)]
        good = sorted((e for e in evals if e.useful), key=Evaluation.rank_key)
        best = good[0] if good and good[0].gained > best_single.gained else None
        return best, f"every combination of up to {options.budget} of the top {len(top)} changes", len(combos)
    # greedy: add the change that helps most on top of the current set, while it helps
    say(f"Building the best combination of up to {options.budget} changes one change at a time")
    current, current_out, tried = best_single, outcomes[best_single.changes], 0
    while len(current.changes) < options.budget:
        nexts = [(*current.changes, c) for c in top if c not in current.changes and _compatible((*current.changes, c))]
        if not nexts:
            break
        outs = runner.run(problem, [task(c, current_out) for c in nexts], options.time_limit, options.seed)
        tried += len(nexts)
        scored = sorted(
            ((_evaluation(problem, c, o, ref_out.after, ref_out), o) for c, o in zip(nexts, outs, strict=True)),
            key=lambda eo: eo[0].rank_key(),
        )
        improving = [(e, o) for e, o in scored if e.useful and e.gained > current.gained]
        if not improving:
            break
        current, current_out = improving[0]
    best = current if len(current.changes) > 1 else None
    return best, f"greedy, one change at a time over the top {len(top)} changes", tried


# -- what a change covers -----------------------------------------------------------------------
def _evaluation(
    problem: Problem, changes: tuple[StaffingChange, ...], out: _Outcome, before: tuple[int, int, int], ref: _Outcome
) -> Evaluation:
    labels = tuple(c.describe(problem) for c in changes)
    cost = sum(c.cost_minutes(problem) for c in changes)
    if out.error:
        return Evaluation(changes, labels, cost, before, before, error=out.error, seconds=out.seconds)
    if out.valid_without:  # its figures are search luck, not the change: nothing is credited
        return Evaluation(
            changes, labels, cost, before, before, violations=out.violations, seconds=out.seconds, not_needed=True
        )
    covered, worse, reasons = _diff(ref.unmet, out.unmet)
    return Evaluation(
        changes,
        labels,
        cost,
        before,
        out.after,
        covered,
        worse,
        reasons,
        out.violations,
        seconds=out.seconds,
        schedule=out.schedule,
    )


def _need_key(u: Unmet) -> tuple[str, str, int]:
    return (str(u.kind), u.ref, u.priority)


def _diff(
    before: Sequence[Unmet], after: Sequence[Unmet]
) -> tuple[tuple[Covered, ...], tuple[Covered, ...], tuple[str, ...]]:
    """Needs with fewer (and with more) uncovered minutes, and the reasons of the rows that went."""
    by_day_before: dict[tuple[str, str, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_day_after: dict[tuple[str, str, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    spans: dict[tuple[str, str, int], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for u in before:
        by_day_before[_need_key(u)][u.day] += u.minutes
        if u.start is not None and u.end is not None:
            spans[_need_key(u)][u.day].append(fmt_span(u.start, u.end))
    for u in after:
        by_day_after[_need_key(u)][u.day] += u.minutes
        if u.start is not None and u.end is not None:
            spans[_need_key(u)][u.day].append(fmt_span(u.start, u.end))
    covered: list[Covered] = []
    worse: list[Covered] = []
    gone_days: set[tuple[str, str, int, str]] = set()
    for key in sorted(set(by_day_before) | set(by_day_after), key=lambda k: (k[2], k[0], k[1])):
        b, a = by_day_before.get(key, {}), by_day_after.get(key, {})
        less = {d: b.get(d, 0) - a.get(d, 0) for d in set(b) | set(a)}
        for sign, out in ((1, covered), (-1, worse)):
            days = sorted((d for d, m in less.items() if sign * m > 0), key=day_position)
            if not days:
                continue
            minutes = sum(sign * less[d] for d in days)
            shown = tuple(dict.fromkeys(s for d in days for s in spans[key].get(d, [])))
            out.append(Covered(key[0], key[1], key[2], tuple(d for d in days if d), shown, minutes))
            if sign == 1:
                gone_days |= {(*key, d) for d in days}
    # the same reason on several days is said once, with the days it holds on
    days_of: dict[str, list[str]] = {}
    first: dict[str, str] = {}
    for u in before:
        if u.reason and (*_need_key(u), u.day) in gone_days:
            reason = f"{u.ref}: {u.reason}"  # the reason itself does not always name whose need it is
            same = reason.replace(f"{u.day} ", "") if u.day else reason
            first.setdefault(same, reason)
            days_of.setdefault(same, [])
            if u.day and u.day not in days_of[same]:
                days_of[same].append(u.day)
    reasons = tuple(first[k] + (f" (the same on {days_text(d[1:])})" if len(d) > 1 else "") for k, d in days_of.items())
    return tuple(covered), tuple(worse), reasons


__all__ = [
    "Advice",
    "AdviceOptions",
    "Covered",
    "Evaluation",
    "advise",
    "apply_changes",
    "cost_text",
    "covered_text",
    "report_lines",
    "sentence",
]
