"""The advise workflow: which hire, hours or training would cover the most unmet minutes.

``advise(problem, baseline, options)``:

1. Candidate changes come from the data and the baseline's Unmet needs
   (:func:`parasched.scheduler.staffing.staffing_changes`).
2. Each candidate is applied to the frozen Problem and the week re-solved, warm-started from the
   baseline with a short limit (one CP-SAT worker each, so a candidate's figures are
   reproducible), in parallel on the available cores. The re-solved schedule is judged by the
   independent checker; its KPIs are the candidate's figures.
3. The baseline itself is re-solved the same way: the *reference*. Gains are measured against it,
   so minutes found by the extra search alone are never credited to a change.
4. Changes that cover nothing (or break a rule) are never recommended; the rest are ranked by
   minutes gained per priority (1 first, as the solver's tiers), then by cost in para-hours.
5. ``budget`` N >= 2: the best combination of up to N changes among the top ones, every
   combination when there are few (exact), else adding one change at a time (greedy).
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field

from parasched.scheduler.check import check_schedule
from parasched.scheduler.errors import InputError, Issue
from parasched.scheduler.model import Problem
from parasched.scheduler.schedule import Schedule, Unmet
from parasched.scheduler.staffing import (
    KIND_ORDER,
    ChangeKind,
    StaffingChange,
    days_text,
    priority_words,
    staffing_changes,
)
from parasched.scheduler.timegrid import DAYS, fmt_span

MAX_EXACT_COMBINATIONS = 20  # more combinations of the top changes than this: greedy
TOP_FOR_COMBINATIONS = 6
MAX_REASONS = 3


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
class Covered:
    """One need whose uncovered minutes change: a student's support, a duty or a session."""

    kind: str
    ref: str
    priority: int
    days: tuple[str, ...]
    spans: tuple[str, ...]  # the times it was uncovered, e.g. "11:00-13:00"
    minutes: int  # uncovered minutes removed (or, in ``Evaluation.worse``, added)


@dataclass(frozen=True)
class Evaluation:
    """A change (or a combination) re-solved: uncovered minutes per priority before and after."""

    changes: tuple[StaffingChange, ...]
    labels: tuple[str, ...]  # each change as an instruction
    cost_minutes: int  # para-minutes a week added
    before: tuple[int, int, int]  # the reference's uncovered minutes, priority 1-3
    after: tuple[int, int, int]
    covered: tuple[Covered, ...] = ()
    worse: tuple[Covered, ...] = ()
    reasons_removed: tuple[str, ...] = ()
    violations: tuple[str, ...] = ()
    error: str = ""  # the re-solve failed (no schedule within the limit, or the change is impossible)
    seconds: float = 0.0

    @property
    def gained(self) -> tuple[int, int, int]:
        return (self.before[0] - self.after[0], self.before[1] - self.after[1], self.before[2] - self.after[2])

    @property
    def useful(self) -> bool:
        """Covers more, in the solver's order of tiers, and breaks no rule."""
        return not self.error and not self.violations and self.gained > (0, 0, 0)

    @property
    def cost_hours(self) -> float:
        return self.cost_minutes / 60

    @property
    def label(self) -> str:
        return " + ".join(self.labels)

    def rank_key(self) -> tuple[object, ...]:
        return (
            *(-g for g in self.gained),
            self.cost_minutes,
            len(self.changes),
            min(KIND_ORDER[c.kind] for c in self.changes),
            self.label,
        )


@dataclass(frozen=True)
class Advice:
    """What ``advise`` found. ``baseline_unmet``: the schedule advised on; ``reference``: that
    schedule re-solved like every candidate (the figures changes are compared with)."""

    baseline_unmet: tuple[int, int, int]
    reference: Evaluation
    recommendations: tuple[Evaluation, ...]
    not_recommended: tuple[Evaluation, ...]
    combination: Evaluation | None = None
    combination_method: str = ""
    combinations_tried: int = 0
    budget: int = 1
    jobs: int = 1
    time_limit: float = 0.0
    seconds: float = 0.0
    notes: tuple[str, ...] = field(default_factory=tuple)


# -- evaluating one change set (runs in a worker process) ---------------------------------------
@dataclass(frozen=True)
class _Outcome:
    after: tuple[int, int, int]
    unmet: tuple[Unmet, ...]
    schedule: Schedule | None
    violations: tuple[str, ...]
    error: str
    seconds: float


def apply_changes(problem: Problem, changes: Sequence[StaffingChange]) -> Problem:
    """``problem`` with every change made, in order."""
    for c in changes:
        problem = c.apply(problem)
    return problem


def _resolve(
    problem: Problem, changes: tuple[StaffingChange, ...], hint: Schedule, time_limit: float, seed: int
) -> _Outcome:
    """Re-solve the week with ``changes`` made, warm-started from ``hint``; judged by the checker."""
    from parasched.solver.options import SolverOptions
    from parasched.workflows.solve import solve

    t0 = time.monotonic()
    try:
        changed = apply_changes(problem, changes)
        result = solve(changed, SolverOptions(time_limit=time_limit, workers=1, seed=seed), hint=hint)
    except InputError as exc:
        return _Outcome((0, 0, 0), (), None, (), "; ".join(str(i) for i in exc.issues), time.monotonic() - t0)
    if result.schedule is None or not result.schedule.assignments:
        return _Outcome((0, 0, 0), (), None, (), f"no schedule within {time_limit:g} s", time.monotonic() - t0)
    report = check_schedule(changed, result.schedule)
    k = report.kpis
    return _Outcome(
        (k.unmet_p1, k.unmet_p2, k.unmet_p3),
        result.schedule.unmet,
        result.schedule,
        tuple(str(v) for v in report.violations),
        "",
        time.monotonic() - t0,
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
        tasks: list[tuple[StaffingChange, ...]],
        problem: Problem,
        hints: list[Schedule],
        time_limit: float,
        seed: int,
        done: Callable[[int, _Outcome], None],
    ) -> list[_Outcome]:
        if self.pool is None:
            out = []
            for i, (t, h) in enumerate(zip(tasks, hints, strict=True)):
                out.append(_resolve(problem, t, h, time_limit, seed))
                done(i, out[-1])
            return out
        futures: list[Future[_Outcome]] = [
            self.pool.submit(_resolve, problem, t, h, time_limit, seed) for t, h in zip(tasks, hints, strict=True)
        ]
        for i, f in enumerate(futures):
            done(i, f.result())
        return [f.result() for f in futures]

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
    options = options or AdviceOptions()
    say = on_progress or (lambda _line: None)
    t0 = time.monotonic()
    from parasched.scheduler.coverage import unmet_rows
    from parasched.scheduler.kpis import compute_kpis

    base_k = compute_kpis(problem, baseline)
    baseline_unmet = (base_k.unmet_p1, base_k.unmet_p2, base_k.unmet_p3)
    rows = unmet_rows(problem, baseline)
    cands = list(changes) if changes is not None else staffing_changes(problem, baseline, rows, options.candidates)
    jobs = max(1, min(options.jobs or os.cpu_count() or 1, len(cands) + 1))
    runner = _Runner(jobs)
    notes: list[str] = []
    try:
        tasks: list[tuple[StaffingChange, ...]] = [(), *((c,) for c in cands)]
        say(
            f"Re-solving the week {len(tasks)} times ({len(cands)} candidate change(s) and the schedule as it is), "
            f"{options.time_limit:g} s each, {jobs} at a time"
        )

        def done(i: int, o: _Outcome) -> None:
            what = "the schedule as it is" if i == 0 else cands[i - 1].describe(problem)
            figures = o.error or f"uncovered P1/P2/P3 {o.after[0]}/{o.after[1]}/{o.after[2]} min"
            say(f"  [{i + 1}/{len(tasks)}] {what}: {figures} ({o.seconds:.1f} s)")

        outcomes = runner.run(tasks, problem, [baseline] * len(tasks), options.time_limit, options.seed, done)
        ref_out = outcomes[0]
        if ref_out.error or ref_out.schedule is None:
            raise InputError(
                [
                    Issue(
                        f"the schedule could not be re-solved for comparison ({ref_out.error}); "
                        "try a longer --eval-limit"
                    )
                ]
            )
        reference = _evaluation(problem, (), ref_out, baseline_unmet, ref_out)
        if reference.after < baseline_unmet:
            more = sum(baseline_unmet) - sum(reference.after)
            notes.append(
                f"Re-solving the schedule as it is already covers {more} more minutes; the changes "
                "below are compared with that re-solved schedule."
            )
        evals = [
            _evaluation(problem, (c,), o, reference.after, ref_out) for c, o in zip(cands, outcomes[1:], strict=True)
        ]
        useful = sorted((e for e in evals if e.useful), key=Evaluation.rank_key)
        useless = tuple(sorted((e for e in evals if not e.useful), key=Evaluation.rank_key))
        best: Evaluation | None = None
        method = ""
        tried = 0
        if options.budget >= 2 and len(useful) >= 2:
            schedules = {e.changes: o.schedule for e, o in zip(evals, outcomes[1:], strict=True)}
            best, method, tried = _best_combination(
                problem, useful, schedules, baseline, options, runner, reference, ref_out, say
            )
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


def _compatible(changes: Sequence[StaffingChange]) -> bool:
    """Two changes rewriting the same para or duty do not combine (the second would undo the first)."""
    touched = [c.touches for c in changes]
    return len(set(touched)) == len(touched)


def _best_combination(
    problem: Problem,
    useful: list[Evaluation],
    schedules: dict,
    baseline: Schedule,
    options: AdviceOptions,
    runner: _Runner,
    reference: Evaluation,
    ref_out: _Outcome,
    say: Callable[[str], None],
) -> tuple[Evaluation | None, str, int]:
    """The best set of 2..budget changes among the top ones, when it beats the best single change."""
    top = [e.changes[0] for e in useful[:TOP_FOR_COMBINATIONS]]
    rank = {c.key: i for i, c in enumerate(top)}

    def hint_for(combo: tuple[StaffingChange, ...]) -> Schedule:
        # the best member's own re-solved schedule: valid with the others added too, a better start
        first = min(combo, key=lambda c: rank[c.key])
        return schedules.get((first,)) or baseline

    combos = [
        combo for r in range(2, options.budget + 1) for combo in itertools.combinations(top, r) if _compatible(combo)
    ]
    best_single = useful[0]
    tried = 0
    if len(combos) <= MAX_EXACT_COMBINATIONS:
        say(f"Trying every combination of up to {options.budget} of the top {len(top)} changes ({len(combos)})")
        outs = runner.run(
            combos, problem, [hint_for(c) for c in combos], options.time_limit, options.seed, lambda i, o: None
        )
        tried = len(combos)
        evals = [_evaluation(problem, c, o, reference.after, ref_out) for c, o in zip(combos, outs, strict=True)]
        good = sorted((e for e in evals if e.useful), key=Evaluation.rank_key)
        best = good[0] if good and good[0].rank_key() < best_single.rank_key() else None
        return best, f"every combination of up to {options.budget} of the top {len(top)} changes", tried
    # greedy: add the change that helps most on top of the current set, while it helps
    say(f"Building the best combination of up to {options.budget} changes one change at a time")
    current = best_single
    current_schedule = schedules.get(current.changes) or baseline
    while len(current.changes) < options.budget:
        nexts = [(*current.changes, c) for c in top if c not in current.changes and _compatible((*current.changes, c))]
        if not nexts:
            break
        outs = runner.run(
            nexts, problem, [current_schedule] * len(nexts), options.time_limit, options.seed, lambda i, o: None
        )
        tried += len(nexts)
        evals = [(_evaluation(problem, c, o, reference.after, ref_out), o) for c, o in zip(nexts, outs, strict=True)]
        good = sorted(((e, o) for e, o in evals if e.useful), key=lambda eo: eo[0].rank_key())
        if not good or good[0][0].gained <= current.gained:
            break
        current, current_schedule = good[0][0], good[0][1].schedule or current_schedule
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
    covered, worse, reasons = _diff(ref.unmet, out.unmet)
    return Evaluation(
        changes, labels, cost, before, out.after, covered, worse, reasons, out.violations, seconds=out.seconds
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
            days = sorted((d for d, m in less.items() if sign * m > 0), key=_day_pos)
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
            same = u.reason.replace(f"{u.day} ", "") if u.day else u.reason
            first.setdefault(same, u.reason)
            days_of.setdefault(same, [])
            if u.day and u.day not in days_of[same]:
                days_of[same].append(u.day)
    reasons = tuple(first[k] + (f" (the same on {days_text(d[1:])})" if len(d) > 1 else "") for k, d in days_of.items())
    return tuple(covered), tuple(worse), reasons


def _day_pos(day: str) -> int:
    return DAYS.index(day) if day in DAYS else len(DAYS)


# -- words a principal can forward --------------------------------------------------------------
def need_label(problem: Problem, c: Covered, names: bool = False) -> str:
    """``S02`` (student ids only unless ``names``), ``duty D1``, ``therapy T1``."""
    if c.kind in ("support", "flex"):
        if names:
            try:
                return f"{c.ref} ({problem.student(c.ref).name})"
            except KeyError:
                return c.ref
        return c.ref
    if c.kind == "duty":
        return f"duty {c.ref}"
    return f"therapy session {c.ref}"


def covered_text(problem: Problem, c: Covered, names: bool = False) -> str:
    """``S02 on Mon-Fri 11:00-13:00 (600 min, priority 1)``."""
    when = days_text(c.days) if c.days else "the week"
    spans = f" {', '.join(c.spans[:3])}" if c.spans else ""
    extra = " and other times" if len(c.spans) > 3 else ""
    flex = " flex" if c.kind == "flex" else ""
    return f"{need_label(problem, c, names)}{flex} on {when}{spans}{extra} ({c.minutes} min, priority {c.priority})"


def _minutes_by_priority(gained: tuple[int, int, int]) -> str:
    """``600 more minutes a week of critical (priority 1) needs and 30 of required (priority 2) needs``."""
    parts = [(g, priority_words(p)) for p, g in zip((1, 2, 3), gained, strict=True) if g > 0]
    first = f"{parts[0][0]} more minutes a week of {parts[0][1]} needs"
    rest = [f"{g} of {words} needs" for g, words in parts[1:]]
    return first if not rest else f"{first} and {' and '.join(rest)}"


def cost_text(e: Evaluation) -> str:
    if e.cost_minutes == 0:
        if any(c.kind == ChangeKind.TRAIN for c in e.changes):
            return "It adds no para hours (only the training)."
        return "It adds no para hours."
    return f"It adds {e.cost_hours:g} para-hours a week."


def sentence(problem: Problem, e: Evaluation, names: bool = False) -> str:
    """One plain paragraph a principal can forward."""
    action = " and ".join(label[0].lower() + label[1:] for label in e.labels)
    if not e.useful:
        why = e.error or (
            "it would break a rule: " + e.violations[0] if e.violations else "nothing more would be covered"
        )
        return f"If we {action}, {why}."
    g1, g2, g3 = (max(0, g) for g in e.gained)
    whom = "; ".join(covered_text(problem, c, names) for c in e.covered[:4])
    more = f" and {len(e.covered) - 4} more" if len(e.covered) > 4 else ""
    text = f"If we {action}, we would cover {_minutes_by_priority((g1, g2, g3))}: {whom}{more}. {cost_text(e)}"
    lost = [g for g in e.gained if g < 0]
    if lost:
        text += (
            f" In exchange, {-sum(lost)} minutes of lower-priority needs now covered would be left "
            f"uncovered ({'; '.join(covered_text(problem, c, names) for c in e.worse[:3])})."
        )
    return text


def _figures(e: Evaluation) -> str:
    parts = []
    for p, (b, a) in enumerate(zip(e.before, e.after, strict=True), start=1):
        if b or a:
            parts.append(f"P{p} {b - a:+d} min ({b} -> {a} uncovered)")
    return ", ".join(parts) or "nothing uncovered"


def report_lines(problem: Problem, advice: Advice, names: bool = False) -> list[str]:
    """The terminal report: the week as it is, each recommendation, the best combination."""
    ref = advice.reference
    lines = [
        "Uncovered now: "
        + ", ".join(f"priority {p} {m} min" for p, m in enumerate(ref.after, start=1))
        + f" (the schedule re-solved for {advice.time_limit:g} s, as every change is)."
    ]
    lines += list(advice.notes)
    n = len(advice.recommendations) + len(advice.not_recommended)
    lines.append(f"Evaluated {n} change(s) in {advice.seconds:.1f} s, {advice.jobs} at a time.")
    if not sum(ref.after):
        lines.append("Every need is covered: no staffing change is needed.")
    lines.append("")
    if advice.recommendations:
        lines.append("Recommendations (most critical minutes covered first; cost in para-hours a week):")
    elif sum(ref.after):
        lines.append("No change among those evaluated covers any more minutes.")
    for i, e in enumerate(advice.recommendations, start=1):
        lines += _evaluation_lines(problem, f"{i}.", e, names)
    if advice.combination is not None:
        c = advice.combination
        lines.append("")
        lines.append(
            f"Best combination of up to {advice.budget} changes ({advice.combination_method}, "
            f"{advice.combinations_tried} tried):"
        )
        lines += _evaluation_lines(problem, "*", c, names)
    elif advice.budget >= 2 and len(advice.recommendations) >= 2:
        lines.append("")
        lines.append(
            f"No combination of up to {advice.budget} changes covers more than recommendation 1 alone "
            f"({advice.combination_method}, {advice.combinations_tried} tried)."
        )
    if advice.not_recommended:
        lines.append("")
        lines.append("Not recommended (cover nothing more, or the re-solve failed):")
        for e in advice.not_recommended:
            why = e.error or (f"breaks a rule: {e.violations[0]}" if e.violations else "covers nothing more")
            lines.append(f"  - {e.label}: {why}")
    return lines


def _evaluation_lines(problem: Problem, mark: str, e: Evaluation, names: bool) -> list[str]:
    cost = "no extra para hours" if e.cost_minutes == 0 else f"{e.cost_hours:g} para-hours a week"
    out = [f"{mark} {e.label}", f"   covers: {_figures(e)}; cost: {cost}"]
    for c in e.covered[:6]:
        out.append(f"   + {covered_text(problem, c, names)}")
    if len(e.covered) > 6:
        out.append(f"   + {len(e.covered) - 6} more need(s)")
    for c in e.worse[:3]:
        out.append(f"   - now uncovered: {covered_text(problem, c, names)}")
    for r in e.reasons_removed[:MAX_REASONS]:
        out.append(f"   why it helps, the reason it removes: {r}")
    out.append(f'   "{sentence(problem, e, names)}"')
    return out


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
