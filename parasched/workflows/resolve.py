"""Re-solve after absences: keep everyone safe, change as little as possible.

The workflow (``resolve``):

1. **Which absences are new.** Absences come from the input's Absences sheet, a separate
   workbook and the command line. Those of a separate workbook and the command line are new.
   A row of the input's own sheet that the baseline already respects (no row of an absent para,
   no support or therapy for an absent student in that time) is known leave the baseline was
   planned around; the others are new too (the coordinator typed today's absences into the
   input). Each absence is judged day by day.
2. **Check the baseline** against the problem with the known absences only (what it was built
   for). Its violations are reported, never silently changed.
3. **Apply the new absences.** Baseline rows that become impossible (an absent para's blocks,
   support to an absent student) are the rows to repair.
4. **Re-plan only the affected days**: days with a new absence, plus the days chosen with
   ``--day``. A day with a new absence is always re-planned (keeping it would leave an absent
   para on duty). Every other day is kept exactly as in the baseline.
5. **Repair, then solve.** The baseline is first made possible again with the fewest edits
   (``repaired``: rows of absent people cut away, lunches and breaks put back where owed); that
   repaired baseline is what the solver starts from and what its change penalty is counted
   against (``workflows.solve`` with ``baseline``/``replan_days``): the coverage tiers of
   ``solve`` first, then fewest weighted changed para-minutes beyond the unavoidable repairs
   (the weights of ``changes.changed_minutes``), then the remaining tiers. So a para whose
   student is out is free time, not "moved", and is used only where something needs them.
   The solver starts from that baseline with its gaps closed by hand-style fixes that move
   nobody: a shared student left alone joins the group a para already supports in their room
   (``joins.join_groups``), then free paras fill in (``fill.fill_in``). If the solver finds
   nothing better in time, that is the answer (it breaks no rule; it covers less).
6. **Report** the Changes (``changes.diff``), per para what changed for them, and what is still
   uncovered with reasons.

Nothing here knows Excel or CP-SAT.
"""

from __future__ import annotations

import contextlib
import dataclasses
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from parasched.scheduler import changes as ch
from parasched.scheduler.errors import InputError, Issue
from parasched.scheduler.fill import fill_in
from parasched.scheduler.joins import join_groups
from parasched.scheduler.model import Absence, Problem
from parasched.scheduler.schedule import Assignment, Change, Kind, Schedule, SolveResult, Status, UnmetKind
from parasched.scheduler.timegrid import DAYS, Interval, fmt_span, intersect, overlaps, subtract
from parasched.scheduler.weekgrid import WeekGrid

if TYPE_CHECKING:  # pragma: no cover
    from parasched.solver.options import SolverOptions


MAX_BROKEN_SHOWN = 20
AFTER_SOLVE_RANKINGS = 3  # work after the solver, in units of one ``_rank`` of a schedule (measured)
BUDGET_MARGIN = 0.1  # of the limit, kept back for the solver overrunning its own limit (measured 0.1-0.4 s)
MIN_SOLVE_SECONDS = 0.5  # the solver always gets at least this (it returns the warm start if short)


# -- absences -----------------------------------------------------------------------------------
def per_day(problem: Problem, absences: Iterable[Absence]) -> tuple[Absence, ...]:
    """Each absence split into one record per school day it covers (duplicates dropped)."""
    out: list[Absence] = []
    seen: set[tuple[str, str, int | None, int | None]] = set()
    for a in absences:
        for day in problem.days_of(a.days):
            key = (a.person_id, day, a.start, a.end)
            if key in seen:
                continue
            seen.add(key)
            out.append(dataclasses.replace(a, days=(day,)))
    return tuple(out)


def _span(a: Absence) -> Interval:
    return (a.start, a.end) if a.start is not None and a.end is not None else (0, 24 * 60)


def respected(absence: Absence, baseline: Schedule, problem: Problem) -> bool:
    """True when the baseline already plans around this (one-day) absence.

    A para: no row of theirs (work, lunch or break) in the absent time. A student: no support or
    therapy row naming them, and no placed session of theirs, in the absent time.
    """
    span = _span(absence)
    pid = absence.person_id
    is_para = pid in {p.para_id for p in problem.paras}
    days = set(problem.days_of(absence.days))
    for a in baseline.assignments:
        if a.day not in days or not overlaps((a.start, a.end), span):
            continue
        if is_para and a.para_id == pid:
            return False
        if not is_para and pid in a.students:
            return False
    if not is_para:
        for s in baseline.sessions:
            if s.day in days and overlaps((s.start, s.end), span):
                try:
                    if pid in problem.session(s.session_id).student_ids:
                        return False
                except KeyError:
                    continue
    return True


def split_absences(
    problem: Problem, baseline: Schedule, extra: Iterable[Absence] = ()
) -> tuple[tuple[Absence, ...], tuple[Absence, ...]]:
    """(known, new) one-day absences.

    The problem's own Absences rows are known when the baseline respects them (see the module
    docstring), else new. The ``extra`` ones (an absences workbook, the command line) are new,
    unless the input's sheet already holds the same known absence.
    """
    known: list[Absence] = []
    new: list[Absence] = []
    for a in per_day(problem, problem.absences):
        (known if respected(a, baseline, problem) else new).append(a)
    seen = {(a.person_id, a.days, a.start, a.end) for a in (*known, *new)}
    for a in per_day(problem, extra):
        if (a.person_id, a.days, a.start, a.end) not in seen:
            new.append(a)
    return tuple(known), tuple(new)


def with_absences(problem: Problem, absences: Iterable[Absence]) -> Problem:
    """The problem with exactly these absences (validated again: unknown ids -> InputError)."""
    return dataclasses.replace(problem, absences=tuple(absences))


def absence_days(problem: Problem, absences: Iterable[Absence]) -> tuple[str, ...]:
    """School days touched by any of the absences, in week order."""
    days = {d for a in absences for d in problem.days_of(a.days)}
    return tuple(d for d in problem.settings.days if d in days)


def absent_paras(problem: Problem, absences: Iterable[Absence], days: Iterable[str] | None = None) -> tuple[str, ...]:
    """Paras with an absence (on ``days`` when given), in Paras order."""
    wanted = set(days) if days is not None else None
    ids = {a.person_id for a in absences if wanted is None or set(problem.days_of(a.days)) & wanted}
    return tuple(p.para_id for p in problem.paras if p.para_id in ids)


# -- the baseline ---------------------------------------------------------------------------------
def baseline_issues(problem: Problem, baseline: Schedule) -> list[Issue]:
    """References in the baseline that this input does not know (the baseline belongs elsewhere)."""
    paras = {p.para_id for p in problem.paras}
    students = {s.student_id for s in problem.students}
    duties = {d.duty_id for d in problem.duties}
    sessions = {s.session_id for s in problem.sessions}
    days = set(problem.settings.days)
    issues: list[Issue] = []

    def bad(where: str, text: str) -> None:
        if len(issues) < 50:
            issues.append(Issue(text, where))

    for a in baseline.assignments:
        where = f"baseline Assignments ({a.para_id} {a.day} {fmt_span(a.start, a.end)})"
        if a.para_id not in paras:
            bad(where, f"'{a.para_id}' is not a para_id in the input's Paras; is this the baseline of this input?")
        if a.day not in days:
            bad(
                where, f"'{a.day}' is not a school day of the input (Settings days: {', '.join(problem.settings.days)})"
            )
        for sid in a.students:
            if sid not in students:
                bad(where, f"'{sid}' is not a student_id in the input's Students")
        if a.kind == Kind.DUTY and a.ref not in duties:
            bad(where, f"'{a.ref}' is not a duty_id in the input's Duties")
        if a.kind == Kind.THERAPY and a.ref not in sessions:
            bad(where, f"'{a.ref}' is not a session_id in the input's Therapy")
    for s in baseline.sessions:
        where = f"baseline Sessions ({s.session_id} {s.day} {fmt_span(s.start, s.end)})"
        if s.session_id not in sessions:
            bad(where, f"'{s.session_id}' is not a session_id in the input's Therapy")
        if s.day not in days:
            bad(where, f"'{s.day}' is not a school day of the input")
    return issues


def broken_rows(baseline: Schedule, problem: Problem, new_absences: Iterable[Absence]) -> tuple[Assignment, ...]:
    """Baseline rows the new absences make impossible: an absent para's rows in their absent time,
    support or therapy rows naming a student while that student is absent."""
    grid = WeekGrid(with_absences(problem, new_absences))
    out: list[Assignment] = []
    for a in baseline.assignments:
        hit = any(overlaps((a.start, a.end), iv) for iv in grid.absent(a.para_id, a.day))
        hit = hit or any(overlaps((a.start, a.end), iv) for sid in a.students for iv in grid.absent(sid, a.day))
        if hit:
            out.append(a)
    return tuple(sorted(out))


def repaired(baseline: Schedule, problem: Problem, replan_days: Iterable[str]) -> Schedule:
    """The baseline made possible again on ``replan_days`` under ``problem``'s absences, changing
    only what must change: the warm start of the re-plan.

    - a para's rows are cut to their available time; a lunch or break no longer inside it, or
      beyond what is owed now, is dropped;
    - absent students leave support rows (a row with nobody left is dropped), and therapy rows
      and placed sessions of an occurrence that can no longer run are dropped;
    - a lunch owed but missing (or dropped) is put back at the first start in the window where the
      para is free, else where it displaces the fewest work minutes; missing breaks likewise.

    Every other day is returned as it is. Coverage may fall (the solver then fills the gaps).
    """
    replan = set(replan_days)
    grid = WeekGrid.of(problem)
    held = _held_sessions(baseline, problem, grid, replan)
    rows: list[Assignment] = [a for a in baseline.assignments if a.day not in replan]
    by_para_day: dict[tuple[str, str], list[Assignment]] = {}
    for a in baseline.assignments:
        if a.day not in replan:
            continue
        for piece in _repair_row(a, grid, held):
            by_para_day.setdefault((piece.para_id, piece.day), []).append(piece)
    for para in problem.paras:
        for day in problem.settings.days:
            if day not in replan:
                continue
            day_rows = by_para_day.pop((para.para_id, day), [])
            rows += _rest_owed(para.para_id, day, day_rows, grid)
    for leftover in by_para_day.values():  # paras unknown to the problem: keep (the checker reports them)
        rows += leftover
    sessions = [s for s in baseline.sessions if s.day not in replan or (s.session_id, s.day, s.start, s.end) in held]
    staffed = {(a.para_id, a.ref, a.day) for a in rows if a.kind == Kind.THERAPY}
    sessions = [
        dataclasses.replace(s, para_id="")
        if s.day in replan and s.para_id and (s.para_id, s.session_id, s.day) not in staffed
        else s
        for s in sessions
    ]
    return dataclasses.replace(
        baseline, assignments=tuple(sorted(rows)), sessions=tuple(sorted(sessions)), unmet=(), changes=()
    )


def _held_sessions(
    baseline: Schedule, problem: Problem, grid: WeekGrid, replan: set[str]
) -> set[tuple[str, str, int, int]]:
    """Placed sessions on re-planned days that can still run: (session_id, day, start, end)."""
    fixed = {(o.session_id, o.day, o.start) for o in grid.fixed_occurrences()}
    out: set[tuple[str, str, int, int]] = set()
    for s in baseline.sessions:
        if s.day not in replan:
            continue
        try:
            ses = problem.session(s.session_id)
        except KeyError:
            continue
        if ses.is_flexible:
            ok = any(a <= s.start and s.end <= b for a, b in grid.session_allowed(ses, s.day))
        else:
            ok = (s.session_id, s.day, s.start) in fixed
        if ok:
            out.add((s.session_id, s.day, s.start, s.end))
    return out


def _repair_row(a: Assignment, grid: WeekGrid, held: set[tuple[str, str, int, int]]) -> list[Assignment]:
    """The parts of one baseline row still possible (see ``repaired``)."""
    try:
        grid.problem.para(a.para_id)
        avail = grid.para_available(a.para_id, a.day)
    except KeyError:
        avail = ((0, 24 * 60),)
    inside = any(s <= a.start and a.end <= e for s, e in avail)
    if a.kind in (Kind.LUNCH, Kind.BREAK):
        return [a] if inside else []
    if a.kind == Kind.THERAPY:
        alive = any(ref == a.ref and d == a.day and st <= a.start and a.end <= en for ref, d, st, en in held)
        return [a] if alive and inside else []
    pieces = intersect([(a.start, a.end)], avail)
    if a.kind != Kind.SUPPORT or not a.students:
        return [dataclasses.replace(a, start=s, end=e) for s, e in pieces]
    out: list[Assignment] = []
    away = {sid: grid.absent(sid, a.day) for sid in a.students}
    for s, e in pieces:
        cuts = sorted({s, e, *(p for ivs in away.values() for iv in ivs for p in iv if s < p < e)})
        for x, y in pairwise(cuts):
            present = tuple(sid for sid in a.students if not any(u <= x and y <= v for u, v in away[sid]))
            if not present:
                continue
            if out and out[-1].end == x and out[-1].students == present:
                out[-1] = dataclasses.replace(out[-1], end=y)
            else:
                out.append(dataclasses.replace(a, start=x, end=y, students=present))
    return out


def _rest_owed(para_id: str, day: str, rows: list[Assignment], grid: WeekGrid) -> list[Assignment]:
    """``rows`` with the lunch and breaks owed that day: missing ones put back, extra ones dropped."""
    avail = grid.para_available(para_id, day)
    lunches = [a for a in rows if a.kind == Kind.LUNCH]
    breaks = sorted(a for a in rows if a.kind == Kind.BREAK)
    work = [a for a in rows if a.kind not in (Kind.LUNCH, Kind.BREAK)]
    rule = grid.lunch_rule(para_id, day)
    keep_lunch: list[Assignment] = []
    if rule is not None:
        ok = [
            a
            for a in lunches
            if a.end - a.start == rule.minutes and rule.window[0] <= a.start and a.end <= rule.window[1]
        ]
        keep_lunch = ok[:1]
    bm = grid.settings.break_minutes
    owed = grid.breaks_owed(para_id, day)
    keep_breaks = [a for a in breaks if a.end - a.start == bm][:owed]
    rest = [*keep_lunch, *keep_breaks]
    if rule is not None and not keep_lunch:
        free = intersect(avail, [rule.window])
        placed = _place(para_id, day, rule.minutes, free, work, rest, grid.settings.time_step, Kind.LUNCH)
        if placed is not None:
            work = _cut(work, placed)
            rest.append(placed)
    for _ in range(owed - len(keep_breaks)):
        placed = _place(para_id, day, bm, avail, work, rest, grid.settings.time_step, Kind.BREAK)
        if placed is None:
            break
        work = _cut(work, placed)
        rest.append(placed)
    return sorted([*work, *rest])


def _place(
    para_id: str,
    day: str,
    length: int,
    free: tuple[Interval, ...],
    work: list[Assignment],
    rest: list[Assignment],
    step: int,
    kind: Kind,
) -> Assignment | None:
    """The first start on the grid inside ``free`` that overlaps no lunch/break and the fewest
    work minutes (0 = free time)."""
    best: tuple[int, int] | None = None
    for s, e in free:
        c = -(-s // step) * step
        while c + length <= e:
            if not any(overlaps((c, c + length), (r.start, r.end)) for r in rest):
                lost = sum(max(0, min(c + length, w.end) - max(c, w.start)) for w in work)
                if best is None or lost < best[0]:
                    best = (lost, c)
                if lost == 0:
                    break
            c += step
        if best is not None and best[0] == 0:
            break
    if best is None:
        return None
    return Assignment(para_id, day, best[1], best[1] + length, kind)


def _cut(work: list[Assignment], hole: Assignment) -> list[Assignment]:
    """Work rows with the time of ``hole`` removed."""
    out: list[Assignment] = []
    for w in work:
        for s, e in subtract([(w.start, w.end)], [(hole.start, hole.end)]):
            out.append(dataclasses.replace(w, start=s, end=e))
    return out


def keep_days(baseline: Schedule, new: Schedule, replan_days: Iterable[str]) -> Schedule:
    """``new`` with every day outside ``replan_days`` exactly as in ``baseline`` (rows and sessions).

    Unmet rows are taken from ``new`` (the solver explains them for the whole week).
    """
    replan = set(replan_days)
    rows = [a for a in baseline.assignments if a.day not in replan] + [a for a in new.assignments if a.day in replan]
    sess = [s for s in baseline.sessions if s.day not in replan] + [s for s in new.sessions if s.day in replan]
    return dataclasses.replace(new, assignments=tuple(sorted(rows)), sessions=tuple(sorted(sess)))


# -- the workflow ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class ResolveOutcome:
    """Everything ``resolve`` did, for the writer and the terminal report."""

    problem: Problem  # all absences applied: the problem the new schedule must pass
    base_problem: Problem  # known absences only: the problem the baseline was checked against
    baseline: Schedule
    new_absences: tuple[Absence, ...]
    replan_days: tuple[str, ...]
    broken: tuple[Assignment, ...]  # baseline rows the new absences made impossible
    result: SolveResult  # the new schedule, ``schedule.changes`` filled in
    baseline_report: Any = None  # CheckReport of the baseline against base_problem (None = not checked)
    notes: tuple[str, ...] = ()
    absent_paras: tuple[str, ...] = ()
    changed_minutes: int = 0  # weighted as in the objective, against the baseline
    solved: bool = True  # False when no day needed re-planning (the baseline is returned as is)
    chosen_changed_minutes: int = 0  # weighted, beyond the unavoidable repairs (what the solver minimizes)
    answer: str = "solver"  # whose schedule this is: solver, filled (free time only), repaired, baseline
    new_report: Any = None  # CheckReport of the new schedule against ``problem`` (None = not checked)

    @property
    def schedule(self) -> Schedule:
        return self.result.schedule

    @property
    def changes(self) -> tuple[Change, ...]:
        return self.result.schedule.changes

    @property
    def raw_changed_minutes(self) -> int:
        return sum(c.end - c.start for c in self.changes)


def check_baseline(problem: Problem, baseline: Schedule, names: bool = False) -> Any:
    """The checker's report on the baseline (import late: the checker is independent of us).

    ``names``: students as ``S07 (name)`` in the sentences (``--verbose`` only)."""
    from parasched.scheduler.check import check_schedule

    return check_schedule(problem, baseline, names=names)


def plan(
    problem: Problem, baseline: Schedule, extra_absences: Sequence[Absence] = (), days: Sequence[str] = ()
) -> tuple[Problem, Problem, tuple[Absence, ...], tuple[str, ...], tuple[str, ...]]:
    """(problem with every absence, base problem, new absences, re-plan days, notes) — no solving.

    Raises InputError when the baseline names paras, students, duties, sessions or days the
    input does not have.
    """
    issues = baseline_issues(problem, baseline)
    if issues:
        raise InputError(issues)
    with_absences(problem, (*problem.absences, *extra_absences))  # unknown ids -> InputError, located
    known, new = split_absences(problem, baseline, extra_absences)
    base = with_absences(problem, known)
    full = with_absences(problem, (*known, *new))
    chosen = tuple(d for d in problem.settings.days if d in set(days))
    hit = absence_days(problem, new)
    notes: list[str] = []
    if days:
        extra = [d for d in hit if d not in chosen]
        if extra:
            notes.append(
                f"also re-planning {', '.join(extra)}: new absences fall on "
                f"{'that day' if len(extra) == 1 else 'those days'}"
            )
    replan = tuple(d for d in problem.settings.days if d in set(chosen) | set(hit))
    return full, base, new, replan, tuple(notes)


def resolve(
    problem: Problem,
    baseline: Schedule,
    options: SolverOptions | None = None,
    *,
    extra_absences: Sequence[Absence] = (),
    days: Sequence[str] = (),
    check: bool = True,
    on_baseline_checked: Callable[[Any], None] | None = None,
    names: bool = False,
    start_from: Schedule | None = None,
) -> ResolveOutcome:
    """Re-plan the week after absences (see the module docstring).

    ``problem``: the input as read (its own Absences sheet included); ``extra_absences``: from a
    separate workbook or the command line; ``days``: days chosen to re-plan (``--day``).
    ``on_baseline_checked`` is called with the baseline's check report before solving (so the
    terminal shows it while the solver runs); ``names`` lets its sentences name students.
    ``start_from``: a schedule of the new situation to start from instead of the baseline
    repaired and filled in (benchmarks: a longer run from a quick answer, never worse than it).
    """
    t0 = time.monotonic()
    full, base, new, replan, notes = plan(problem, baseline, extra_absences, days)
    tc = time.monotonic()
    report = check_baseline(base, baseline, names=names) if check else None
    check_seconds = time.monotonic() - tc
    if report is not None and on_baseline_checked is not None:
        on_baseline_checked(report)
    broken = broken_rows(baseline, base, new)
    away = absent_paras(full, new, replan)
    if not replan:
        result = SolveResult(Status.OPTIMAL, dataclasses.replace(baseline, changes=()), objective=0.0, bound=0.0)
        return ResolveOutcome(
            full,
            base,
            baseline,
            new,
            replan,
            broken,
            result,
            report,
            (*notes, "no new absences and no --day: the baseline is kept as it is"),
            away,
            0,
            solved=False,
            answer="baseline",
        )

    from parasched.workflows.solve import solve

    if options is None:
        from parasched.solver.options import SolverOptions

        options = SolverOptions()
    start = repaired(baseline, full, replan)
    filled = (
        fill_in(join_groups(full, start, replan), full, replan)
        if start_from is None
        else keep_days(baseline, start_from, replan)
    )
    tr = time.monotonic()
    filled_rank = _rank(full, filled, start)
    rank_seconds = time.monotonic() - tr
    solve_options = options
    if options.workers > 1:  # the limit is a wall budget for the whole workflow (1 worker: deterministic time)
        limit = options.time_limit if options.time_limit is not None else full.settings.time_limit_seconds
        # what is left after the solver: ranking its answer, reasons, Changes (each about one ranking)
        # and, when asked, the check of the new schedule (about as long as the baseline's)
        after = AFTER_SOLVE_RANKINGS * rank_seconds + check_seconds + BUDGET_MARGIN * limit
        solve_options = dataclasses.replace(
            options, time_limit=max(MIN_SOLVE_SECONDS, limit - (time.monotonic() - t0) - after)
        )
    solved = solve(full, solve_options, baseline=start, replan_days=replan, hint=filled)
    found = solved.status not in (Status.INFEASIBLE, Status.UNKNOWN)
    answer = "solver"
    filled_report = None
    got = _rank(full, solved.schedule, start) if found else ()
    if not found or filled_rank < got:
        # the solver found nothing (better) in time: the repaired baseline filled in from free time
        from parasched.scheduler.check import check_schedule

        filled_report = check_schedule(full, filled, names=names)
        safe = filled if filled_report.ok else start
        if not found or (filled_rank if safe is filled else _rank(full, safe, start)) < got:
            answer = "filled" if safe is filled else "repaired"
            solved = SolveResult(
                Status.FEASIBLE, _with_unmet(full, safe, baseline, replan), runtime=solved.runtime, stats=solved.stats
            )
            notes = (
                *notes,
                f"the solver found {'no' if not found else 'no better'} schedule within the time "
                "limit: this is the baseline with the rows the absences made impossible removed "
                + ("and the gaps filled from free time only" if safe is filled else "")
                + "; a longer --time-limit may cover more",
            )
    schedule = keep_days(baseline, solved.schedule, replan)
    changes = ch.diff(baseline, schedule, full)
    schedule = dataclasses.replace(schedule, changes=changes)
    result = dataclasses.replace(solved, schedule=schedule)
    weighted = ch.changed_minutes(baseline, schedule, problem=full, changes=changes)
    chosen = ch.changed_minutes(start, schedule, problem=full)
    new_report = None
    if check:
        if answer == "filled" and filled_report is not None:
            new_report = filled_report  # the same rows: checked already
        else:
            from parasched.scheduler.check import check_schedule

            new_report = check_schedule(full, schedule, names=names)
    return ResolveOutcome(
        full,
        base,
        baseline,
        new,
        replan,
        broken,
        result,
        report,
        notes,
        away,
        weighted,
        chosen_changed_minutes=chosen,
        answer=answer,
        new_report=new_report,
    )


def _rank(problem: Problem, schedule: Schedule, reference: Schedule) -> tuple[int, ...]:
    """The objective's first tiers of a schedule: unmet minutes by priority, weighted changes
    against ``reference``, flex minutes short (smaller is better, compared in this order)."""
    from parasched.scheduler.coverage import unmet_rows

    unmet = {1: 0, 2: 0, 3: 0}
    flex = 0
    for u in unmet_rows(problem, schedule):
        if u.kind == UnmetKind.FLEX:
            flex += u.minutes
        else:
            unmet[u.priority] += u.minutes
    return (unmet[1], unmet[2], unmet[3], ch.changed_minutes(reference, schedule, problem=problem), flex)


def _with_unmet(problem: Problem, schedule: Schedule, baseline: Schedule, replan: Iterable[str]) -> Schedule:
    """``schedule`` with its Unmet rows recomputed for ``problem``, with reasons.

    Rows of days kept from the baseline take the baseline's own reason when it has the same row;
    only the others are explained (explaining is the slow part on a large school)."""
    from parasched.scheduler.coverage import unmet_rows

    grid = WeekGrid.of(problem)
    rows = unmet_rows(problem, schedule, grid)
    days = set(replan)
    known = {(u.kind, u.ref, u.day, u.start, u.end): u.reason for u in baseline.unmet if u.reason}
    done: list[Any] = []
    todo: list[Any] = []
    for u in rows:
        reason = known.get((u.kind, u.ref, u.day, u.start, u.end)) if u.day and u.day not in days else None
        if reason:
            done.append(dataclasses.replace(u, reason=reason))
        else:
            todo.append(u)
    try:
        from parasched.scheduler.explain import explain

        todo = list(explain(problem, schedule, todo, grid))
    except ImportError:  # pragma: no cover - reasons come with the solver
        pass
    return dataclasses.replace(schedule, unmet=tuple(sorted((*done, *todo), key=_unmet_order)))


def _unmet_order(u: Any) -> tuple[int, int, int, str, str]:
    return (u.priority, DAYS.index(u.day) if u.day in DAYS else len(DAYS), u.start or 0, str(u.kind), u.ref)


# -- what to tell people -------------------------------------------------------------------------
def para_lines(outcome: ResolveOutcome) -> list[str]:
    """One line per change, grouped by para:
    ``P04: Tue 09:00-11:30 was 1:1 S03, now 1:1 S12 (covering P07)``."""
    grid = WeekGrid.of(outcome.problem)
    lines: list[str] = []
    absent = set(outcome.absent_paras)
    for para_id, rows in ch.by_para(outcome.changes).items():
        for c in rows:
            note = ""
            away = grid.absent(para_id, c.day) if para_id in absent else ()
            if away and any(s <= c.start and c.end <= e for s, e in away):
                note = " (absent)"
            else:
                who = ch.covering(c, outcome.baseline, absent)
                if who:
                    note = f" (covering {', '.join(who)})"
                else:
                    out_ = [
                        sid
                        for sid in ch.students_of(c.before)
                        if any(s <= c.start and c.end <= e for s, e in grid.absent(sid, c.day))
                    ]
                    if out_ and c.after == ch.FREE:
                        note = f" ({', '.join(out_)} absent)"
            lines.append(f"{para_id}: {c.day} {fmt_span(c.start, c.end)} was {c.before}, now {c.after}{note}")
    return lines


def affected_paras(outcome: ResolveOutcome) -> tuple[str, ...]:
    """Paras whose schedule changed, in Paras order."""
    ids = {c.para_id for c in outcome.changes}
    return tuple(p.para_id for p in outcome.problem.paras if p.para_id in ids)


def uncovered_lines(outcome: ResolveOutcome, names: bool = False) -> list[str]:
    """What is still uncovered on the re-planned days (and week-level shortfalls), with reasons.

    Students appear by id; ``names=True`` (``--verbose``) adds their names.
    """
    replan = set(outcome.replan_days)
    out: list[tuple[tuple[int, int, int, int], str]] = []
    for u in outcome.schedule.unmet:
        if u.day and u.day not in replan:
            continue
        who = u.ref
        if names and u.kind in (UnmetKind.SUPPORT, UnmetKind.FLEX):
            with contextlib.suppress(KeyError):
                who = f"{u.ref} ({outcome.problem.student(u.ref).name})"
        when = f"{u.day} {fmt_span(u.start, u.end)}" if u.day and u.start is not None and u.end is not None else "week"
        reason = f": {u.reason}" if u.reason else ""
        key = (u.priority, DAYS.index(u.day) if u.day in DAYS else len(DAYS), u.start or 0, len(out))
        out.append((key, f"{u.kind} {who} {when}, {u.minutes} min, priority {u.priority}{reason}"))
    return [t for _, t in sorted(out)]


def absence_text(problem: Problem, absences: Iterable[Absence]) -> str:
    """``P07 Tue, P11 Tue 10:00-12:00, S03 Tue`` (ids only)."""
    parts = []
    for a in absences:
        days = ",".join(problem.days_of(a.days))
        when = f" {fmt_span(a.start, a.end)}" if a.start is not None and a.end is not None else ""
        parts.append(f"{a.person_id} {days}{when}")
    return ", ".join(parts)


def report_lines(outcome: ResolveOutcome, names: bool = False) -> list[str]:
    """The terminal report: absences, days re-planned, who is affected and how, what is uncovered,
    and the new schedule's own check. Students by id; ``names`` adds their names (``--verbose``)."""
    p = outcome.problem
    lines = [f"New absences: {absence_text(p, outcome.new_absences) or 'none'}"]
    kept = [d for d in p.settings.days if d not in outcome.replan_days]
    if outcome.replan_days:
        lines.append(
            f"Re-planned: {', '.join(outcome.replan_days)}"
            + (f" (kept as in the baseline: {', '.join(kept)})" if kept else "")
        )
    else:
        lines.append("Re-planned: no day (the baseline is kept as it is)")
    if outcome.broken:
        lines.append(f"Baseline rows the absences make impossible (to repair): {len(outcome.broken)}")
        shown = outcome.broken[:MAX_BROKEN_SHOWN]
        lines += [f"  {a.para_id} {a.day} {fmt_span(a.start, a.end)} {ch.label(a)}" for a in shown]
        if len(outcome.broken) > len(shown):
            lines.append(f"  ... and {len(outcome.broken) - len(shown)} more (see the Changes sheet)")
    r = outcome.result
    if outcome.solved:
        gap = f", gap {r.gap:.1%}" if r.gap is not None and outcome.answer == "solver" else ""
        kept_note = {
            "filled": " (kept: the baseline repaired and filled in from free time, see the note)",
            "repaired": " (kept: the baseline repaired, see the note)",
        }.get(outcome.answer, "")
        lines.append(f"Solver: {r.status}, {r.runtime:.1f} s{gap}{kept_note}")
    affected = affected_paras(outcome)
    lines.append(
        f"Changes: {len(outcome.changes)} row(s), {outcome.raw_changed_minutes} para-minutes "
        f"(weighted {outcome.changed_minutes}; {outcome.chosen_changed_minutes} of them by choice, the rest "
        "forced by the absences); "
        f"paras affected: {len(affected)}" + (f" ({', '.join(affected)})" if affected else "")
    )
    lines += [f"  {x}" for x in para_lines(outcome)]
    uncovered = uncovered_lines(outcome, names=names)
    if uncovered:
        lines.append(f"Still uncovered ({len(uncovered)}):")
        lines += [f"  {x}" for x in uncovered]
    else:
        lines.append("Still uncovered: nothing on the re-planned days.")
    return lines


__all__ = [
    "ResolveOutcome",
    "absence_days",
    "absence_text",
    "absent_paras",
    "affected_paras",
    "baseline_issues",
    "broken_rows",
    "keep_days",
    "para_lines",
    "per_day",
    "plan",
    "report_lines",
    "resolve",
    "respected",
    "split_absences",
    "uncovered_lines",
    "with_absences",
]
