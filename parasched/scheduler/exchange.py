"""Continuity trades: two paras swap what they do over a stretch of one day.

On the By Student page a coordinator sees a student passed from Ms A to Mr B at 9:50 and back at
10:30, while Ms A spent those forty minutes with another student Mr B may support too. Swapping
the two paras' work between 9:50 and 10:30 gives both students fewer paras, and nothing else
changes: the same rows exist (the same students, duties and places at the same times), only who
does them. So a trade never changes coverage; it is kept when the continuity cost goes down
(``kpis.CONTINUITY_WEIGHTS``: handoffs, paras per student-day and per student-week, preferred
paras missed) and the checker's day rules find nothing broken for the two paras and the students
they touch (hours, eligibility, rotation, runs no shorter than ``min_support_minutes``, maximum
continuous work, weekly duty caps).

The trades tried for a student-day: each run is offered to the paras of the runs next to it
(a handoff there) and to the student's usual paras (those who have them most in the week, and
at this time on the other days), over the run's own window, over that window widened to whole
rows of both paras, and over the whole day (the two paras trade their days, lunch and breaks
included: every student's day keeps its shape and only who they see during the week changes).
A lunch or break moves only whole, and each para keeps as many lunches and break minutes as
before; therapy rows never move (inside the window both paras must have the same ones).
A trade never makes a substitute work longer (``substitute_minutes``): between a substitute and
a regular para, only trades that give the substitute no more work than they hand over.
"""

from __future__ import annotations

import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace

from .check import day_violations, new_violations
from .coverage import occurrences_of
from .kpis import CONTINUITY_WEIGHTS, duty_runs, student_day_handoffs, week_para_units
from .model import Para, Problem
from .schedule import Assignment, Kind, Schedule
from .weekgrid import StudentSegment, WeekGrid

TARGETS_PER_RUN = 3  # the student's usual paras offered each run (most minutes with them first)
MAX_ROUNDS = 6  # passes over every student-day; each after the first only where something changed
CHECK_SECONDS_PER_ROW = 1e-4  # the whole-schedule check at the end (160 paras, 8,000 rows: 0.7 s)
_FIXED = (Kind.LUNCH, Kind.BREAK, Kind.THERAPY)  # rows that stay with their para in a trade


@dataclass
class ExchangeStats:
    """What the trades did (for benchmarks and docs)."""

    tried: int = 0
    checked: int = 0
    kept: int = 0
    cost_before: int = 0
    cost_after: int = 0
    seconds: float = 0.0


def continuity_cost(problem: Problem, schedule: Schedule) -> int:
    """The continuity part of the objective (``kpis.CONTINUITY_WEIGHTS``) of a whole schedule."""
    return _State(problem, schedule, WeekGrid.of(problem)).total_cost()


def trade_for_continuity(
    problem: Problem,
    schedule: Schedule,
    *,
    grid: WeekGrid | None = None,
    days: Iterable[str] | None = None,
    deadline: float | None = None,
    stats: ExchangeStats | None = None,
    stop: threading.Event | None = None,
) -> Schedule:
    """``schedule`` with trades between paras that lower its continuity cost (module docstring).

    Coverage, lunches, breaks and sessions are those of ``schedule``. Only ``days`` (default:
    all) are changed. Stops at ``deadline`` (``time.monotonic()``), or once ``stop`` is set (Ctrl-C,
    the web page's Stop), with the trades made so far.
    When no trade was made, or the result broke a rule the input keeps (it should not: each
    trade is checked), ``schedule`` itself is returned.
    """
    t0 = time.monotonic()
    grid = grid or WeekGrid.of(problem)
    stats = stats if stats is not None else ExchangeStats()
    if deadline is not None:  # the final check runs after the last trade: it must fit too
        deadline -= CHECK_SECONDS_PER_ROW * len(schedule.assignments)
    state = _State(problem, schedule, grid)
    kept_before = stats.kept
    stats.cost_before = state.total_cost()
    plan = [d for d in grid.days if days is None or d in set(days)]
    dirty = {(sid, d) for (sid, d) in state.student_days() if d in plan}

    def out_of_time() -> bool:
        return (deadline is not None and time.monotonic() > deadline) or (stop is not None and stop.is_set())

    for _ in range(MAX_ROUNDS):
        relayed = state.relayed_duties(plan)
        if not dirty and not relayed:
            break
        todo = sorted(dirty, key=lambda k: (-state.student_day_cost(*k), k))
        dirty = set()
        for sid, day in todo:
            if out_of_time():
                break
            touched = state.improve(sid, day, stats)
            dirty |= {k for k in touched if k[1] in plan}
        for duty_id, day in relayed:
            if out_of_time():
                break
            touched = state.mend_duty(duty_id, day, stats)
            dirty |= {k for k in touched if k[1] in plan}
        if not dirty:
            break
    stats.seconds = time.monotonic() - t0
    if stats.kept == kept_before:
        stats.cost_after = stats.cost_before
        return schedule  # nothing traded: the very same schedule
    out = state.schedule()
    stats.cost_after = state.total_cost()
    if new_violations(problem, schedule, out):
        stats.cost_after = stats.cost_before
        return schedule
    return out


class _State:
    """The schedule as rows per para-day, with what the continuity cost needs, kept up to date."""

    def __init__(self, problem: Problem, schedule: Schedule, grid: WeekGrid) -> None:
        self.problem = problem
        self.grid = grid
        self.sessions = schedule.sessions
        self.paras: dict[str, Para] = {p.para_id: p for p in problem.paras}
        self.students = {s.student_id: s for s in problem.students}
        self.preferred = {s.student_id: frozenset(s.preferred_paras) for s in problem.students if s.preferred_paras}
        self.rows: dict[tuple[str, str], list[Assignment]] = defaultdict(list)
        for a in schedule.assignments:
            self.rows[(a.para_id, a.day)].append(a)
        for v in self.rows.values():
            v.sort(key=lambda a: (a.start, a.end))
        # (student, day) -> paras with a support or therapy row naming them
        self.day_paras: dict[tuple[str, str], set[str]] = defaultdict(set)
        # student -> para -> days with such a row (the week's paras are those with a count > 0)
        self.week_days: dict[str, Counter[str]] = defaultdict(Counter)
        for (pid, day), rows in self.rows.items():
            for sid in {s for a in rows if a.kind in (Kind.SUPPORT, Kind.THERAPY) for s in a.students}:
                self.day_paras[(sid, day)].add(pid)
                self.week_days[sid][pid] += 1
        # (duty, day) -> the duty's runs that day (``kpis.duty_relays``: a trade must not cut a
        # lunch wave into relays while it mends a student's day)
        self.duty_runs = duty_runs(schedule.assignments)
        self.duty_week: Counter[str] = Counter()
        for (pid, _), rows in self.rows.items():
            self.duty_week[pid] += sum(a.minutes for a in rows if a.kind == Kind.DUTY)
        occ = occurrences_of(schedule)
        self.segments: dict[tuple[str, str], list[StudentSegment]] = defaultdict(list)
        for day in grid.days:
            for seg in grid.support_needs(day, occ):
                self.segments[(seg.student_id, day)].append(seg)
        self.w = CONTINUITY_WEIGHTS
        self.priority = {st.student_id: st.priority for st in problem.students}
        self._rows_cache: dict[tuple[str, str], list[Assignment]] = {}

    # -- reading -----------------------------------------------------------------------------
    def schedule(self) -> Schedule:
        rows = [a for v in self.rows.values() for a in v]
        rows.sort(key=lambda a: (a.para_id, self.grid.days.index(a.day) if a.day in self.grid.days else 9, a.start))
        return Schedule(tuple(rows), self.sessions)

    def student_days(self) -> list[tuple[str, str]]:
        return list(self.day_paras)

    def _student_rows(
        self, sid: str, day: str, override: dict[str, list[Assignment]] | None = None
    ) -> list[Assignment]:
        if override:
            return self._collect(sid, day, override)
        got = self._rows_cache.get((sid, day))
        if got is None:
            got = self._rows_cache[(sid, day)] = self._collect(sid, day, {})
        return got

    def _collect(self, sid: str, day: str, override: dict[str, list[Assignment]]) -> list[Assignment]:
        out = []
        for pid in set(self.day_paras.get((sid, day), ())) | override.keys():
            src = override[pid] if pid in override else self.rows.get((pid, day), [])
            out += [a for a in src if a.kind in (Kind.SUPPORT, Kind.THERAPY) and sid in a.students]
        return out

    def _day_cost(self, sid: str, rows: list[Assignment]) -> tuple[int, set[str]]:
        """Handoffs, extra paras and preferred minutes missed of one student-day (weighted), and
        the day's paras (for the week term)."""
        paras = {a.para_id for a in rows}
        pref = self.preferred.get(sid)
        missed = 0
        if pref is not None:
            missed = sum(a.minutes for a in rows if a.kind == Kind.SUPPORT and a.para_id not in pref)
        handoffs = student_day_handoffs(rows)  # the KPIs' own definition
        cost = (
            self.w["handoffs"] * handoffs
            + self.w["extra_paras"] * max(0, len(paras) - 1)
            + self.w["preferred_missed"] * missed
        )
        return cost, paras

    def student_day_cost(self, sid: str, day: str) -> int:
        return self._day_cost(sid, self._student_rows(sid, day))[0]

    def _week_term(self, sid: str, counts: Counter[str]) -> int:
        return self.w["extra_week_paras"] * week_para_units(
            sum(1 for c in counts.values() if c > 0), self.priority.get(sid, 1)
        )

    def _relay_cost(self, duty_id: str, runs: int) -> int:
        return self.w["duty_relays"] * max(0, runs - self.problem.duty(duty_id).staff_needed)

    def total_cost(self) -> int:
        cost = sum(self.student_day_cost(sid, day) for sid, day in self.day_paras)
        cost += sum(self._relay_cost(duty_id, n) for (duty_id, _), n in self.duty_runs.items())
        return cost + sum(self._week_term(sid, c) for sid, c in self.week_days.items())

    # -- trying trades ------------------------------------------------------------------------
    def _runs(self, sid: str, day: str) -> list[tuple[str, int, int]]:
        """(para, start, end) of the student's support runs that day in time order (back-to-back
        rows of one para joined): the runs next to a run in this list are its neighbours in time."""
        spans = sorted(
            ((a.para_id, a.start, a.end) for a in self._student_rows(sid, day) if a.kind == Kind.SUPPORT),
            key=lambda x: (x[1], x[2], x[0]),
        )
        out: list[list] = []
        for pid, s, e in spans:
            if out and out[-1][0] == pid and out[-1][2] == s:
                out[-1][2] = e
            else:
                out.append([pid, s, e])
        return [(p, s, e) for p, s, e in out]

    def _targets(self, sid: str, day: str, start: int, end: int) -> list[str]:
        """The student's usual paras for this time: who has them at this time on other days, then
        who has them most in the week."""
        at_time: Counter[str] = Counter()
        for d in self.grid.days:
            if d == day:
                continue
            for a in self._student_rows(sid, d):
                overlap = min(a.end, end) - max(a.start, start)
                if a.kind == Kind.SUPPORT and overlap > 0:
                    at_time[a.para_id] += overlap
        week: Counter[str] = Counter()
        for d in self.grid.days:
            for a in self._student_rows(sid, d):
                week[a.para_id] += a.minutes
        order = [p for p, _ in at_time.most_common()] + [p for p, _ in week.most_common()]
        seen: list[str] = []
        for p in order:
            if p not in seen:
                seen.append(p)
        return seen[:TARGETS_PER_RUN]

    def improve(self, sid: str, day: str, stats: ExchangeStats) -> set[tuple[str, str]]:
        """Try the trades of one student-day (module docstring); returns the student-days whose
        rows changed."""
        touched: set[tuple[str, str]] = set()
        runs = self._runs(sid, day)
        for k, (pid, start, end) in enumerate(runs):
            # the paras of the runs just before and after (a handoff there), then the usual ones
            near = [r[0] for r in (runs[k - 1] if k else None, runs[k + 1] if k + 1 < len(runs) else None) if r]
            targets = list(dict.fromkeys([*near, *self._targets(sid, day, start, end)]))
            for target in targets:
                if target == pid:
                    continue
                for a, b in self._windows(day, pid, target, start, end):
                    stats.tried += 1
                    done = self._try(day, pid, target, a, b, stats)
                    if done is not None:
                        touched |= done
                        break
                else:
                    continue
                break
        return touched

    def relayed_duties(self, plan: list[str]) -> list[tuple[str, str]]:
        """The duty-days with more runs than staff (``kpis.duty_relays``), in the plan's days."""
        return sorted(k for k, n in self.duty_runs.items() if k[1] in plan and n > self.problem.duty(k[0]).staff_needed)

    def mend_duty(self, duty_id: str, day: str, stats: ExchangeStats) -> set[tuple[str, str]]:
        """Try the trades that hand a relayed duty's pieces to a para already on it (Ms A has the
        lunch wave until 12:10, Mr B the rest, while Ms A's 12:10-12:30 student is one Mr B may
        support: they swap 12:10-12:30); returns the student-days whose rows changed."""
        touched: set[tuple[str, str]] = set()
        for _ in range(8):  # each kept trade changes the runs: look again
            runs = [
                (pid, r.start, r.end)
                for (pid, d), rows in sorted(self.rows.items())
                if d == day
                for r in rows
                if r.kind == Kind.DUTY and r.ref == duty_id
            ]
            holders = list(dict.fromkeys(pid for pid, _, _ in runs))
            done = None
            for q, a, b in sorted(runs, key=lambda x: x[2] - x[1]):  # the shortest piece first
                for p in holders:
                    if p == q:
                        continue
                    for wa, wb in self._windows(day, p, q, a, b)[:-1]:  # not the whole day
                        stats.tried += 1
                        done = self._try(day, p, q, wa, wb, stats)
                        if done is not None:
                            break
                    if done is not None:
                        break
                if done is not None:
                    break
            if done is None:
                break
            touched |= done
        return touched

    def _windows(self, day: str, p: str, q: str, start: int, end: int) -> list[tuple[int, int]]:
        """The run's window, and the same widened until no work row of either para crosses its edges."""
        a, b = start, end
        for _ in range(4):
            na, nb = a, b
            for pid in (p, q):
                for r in self.rows.get((pid, day), []):
                    if r.kind in _FIXED:
                        continue
                    if r.start < na < r.end:
                        na = r.start
                    if r.start < nb < r.end:
                        nb = r.end
            if (na, nb) == (a, b):
                break
            a, b = na, nb
        out = [(start, end)] if (a, b) == (start, end) else [(start, end), (a, b)]
        return [*out, (0, 24 * 60)]  # the whole day: the two paras trade places

    def _try(self, day: str, p: str, q: str, a: int, b: int, stats: ExchangeStats) -> set[tuple[str, str]] | None:
        pp, pq = self.paras.get(p), self.paras.get(q)
        if pp is None or pq is None:
            return None
        rows_p, rows_q = self.rows.get((p, day), []), self.rows.get((q, day), [])
        split_p, split_q = _split(rows_p, a, b), _split(rows_q, a, b)
        if split_p is None or split_q is None:
            return None
        keep_p, fixed_p, in_p = split_p
        keep_q, fixed_q, in_q = split_q
        if fixed_p != fixed_q:
            return None  # a therapy session inside the window that the other para lacks
        if not in_p and not in_q:
            return None
        if _rest(in_p) != _rest(in_q):
            return None  # one para would end with two lunches, the other with none
        if pp.is_substitute != pq.is_substitute:
            sub_gets, sub_gives = (in_q, in_p) if pp.is_substitute else (in_p, in_q)
            if _work_minutes(sub_gets) > _work_minutes(sub_gives):
                return None  # a substitute would work longer
        if not self._may_take(pp, day, in_q) or not self._may_take(pq, day, in_p):
            return None
        to_p = [replace(r, para_id=p) for r in in_q]
        to_q = [replace(r, para_id=q) for r in in_p]
        duty_p = sum(r.minutes for r in to_p if r.kind == Kind.DUTY) - sum(
            r.minutes for r in in_p if r.kind == Kind.DUTY
        )
        for para, delta in ((pp, duty_p), (pq, -duty_p)):
            if (
                para.max_duty_minutes is not None
                and delta > 0
                and self.duty_week[para.para_id] + delta > para.max_duty_minutes
            ):
                return None
        new_p = _merged(sorted(keep_p + to_p, key=lambda r: (r.start, r.end)))
        new_q = _merged(sorted(keep_q + to_q, key=lambda r: (r.start, r.end)))
        override = {p: new_p, q: new_q}
        affected = {s for r in in_p + in_q for s in r.students}
        delta = 0
        day_sets: dict[str, tuple[set[str], set[str]]] = {}
        for sid in affected:
            before, paras_before = self._day_cost(sid, self._student_rows(sid, day))
            after, paras_after = self._day_cost(sid, self._student_rows(sid, day, override))
            counts = self.week_days[sid]
            moved = Counter(counts)
            for x in paras_before - paras_after:
                moved[x] -= 1
            for x in paras_after - paras_before:
                moved[x] += 1
            delta += after - before + self._week_term(sid, moved) - self._week_term(sid, counts)
            day_sets[sid] = (paras_before, paras_after)
        runs_change = duty_runs([*new_p, *new_q])  # keyed by (duty, this day)
        runs_change.subtract(duty_runs([*rows_p, *rows_q]))
        for (duty_id, _), change in runs_change.items():
            if change:
                n = self.duty_runs[(duty_id, day)]
                delta += self._relay_cost(duty_id, n + change) - self._relay_cost(duty_id, n)
        if delta >= 0:
            return None
        stats.checked += 1
        if not self._still_valid(day, p, q, override, affected):
            return None
        for r in (*rows_p, *rows_q):
            for sid in r.students:
                self._rows_cache.pop((sid, day), None)
        self.rows[(p, day)], self.rows[(q, day)] = new_p, new_q
        self.duty_week[p] += duty_p
        self.duty_week[q] -= duty_p
        self.duty_runs.update(runs_change)  # (adds the changes)
        for sid, (before_set, after_set) in day_sets.items():
            for x in before_set - after_set:
                self.week_days[sid][x] -= 1
                self.day_paras[(sid, day)].discard(x)
            for x in after_set - before_set:
                self.week_days[sid][x] += 1
                self.day_paras[(sid, day)].add(x)
        stats.kept += 1
        return {(sid, day) for sid in affected}

    def _may_take(self, para: Para, day: str, rows: list[Assignment]) -> bool:
        """Cheap first test of rows given to a para: within their hours, allowed for each
        student's needs at that time, allowed to take each duty."""
        avail = self.grid.para_available(para.para_id, day)
        for r in rows:
            if not any(s <= r.start and r.end <= e for s, e in avail):
                return False
            if r.kind == Kind.DUTY:
                if self.grid.duty_refusal(para, self.problem.duty(r.ref)) is not None:
                    return False
                continue
            for sid in r.students:
                st = self.students[sid]
                segs = [g for g in self.segments.get((sid, day), ()) if g.start < r.end and r.start < g.end]
                if not segs or any(self.grid.support_refusal(para, st, g.skills) is not None for g in segs):
                    return False
        return True

    def _still_valid(self, day: str, p: str, q: str, override: dict[str, list[Assignment]], affected: set[str]) -> bool:
        """No rule the checker judges on a day newly broken for the two paras or the students
        whose rows moved (their other paras' rows that day included, for runs and rotation)."""
        others = {x for sid in affected for x in self.day_paras.get((sid, day), ()) if x not in (p, q)}

        def part(rows_of: dict[str, list[Assignment]]) -> Schedule:
            rows = [r for pid in (p, q) for r in rows_of[pid]]
            rows += [r for x in others for r in self.rows.get((x, day), [])]
            return Schedule(tuple(rows), tuple(s for s in self.sessions if s.day == day))

        def found(s: Schedule) -> set[tuple[str, str, str, int | None]]:
            return {
                (v.rule, v.para_id, v.student_id, v.start)
                for v in day_violations(self.problem, s, (day,), self.grid, paras=(p, q))
                if v.para_id in (p, q) or v.student_id in affected
            }

        after = found(part(override))
        if not after:
            return True
        # the part alone may show what the whole schedule does not (a rule of rows left out)
        before = {p: self.rows.get((p, day), []), q: self.rows.get((q, day), [])}
        return after <= found(part(before))


def _split(
    rows: list[Assignment], a: int, b: int
) -> tuple[list[Assignment], list[tuple[int, int]], list[Assignment]] | None:
    """A para's rows of a day as (rows that stay: outside [a, b) and therapy, the therapy rows'
    times inside [a, b), rows inside [a, b) that move: work, lunch and breaks). Work rows
    crossing an edge are cut there. None when a lunch, break or therapy row crosses an edge."""
    keep: list[Assignment] = []
    therapy: list[tuple[int, int]] = []
    inside: list[Assignment] = []
    for r in rows:
        if r.end <= a or r.start >= b:
            keep.append(r)
        elif r.kind in _FIXED:
            if r.start < a or r.end > b:
                return None
            if r.kind == Kind.THERAPY:  # its para is also on the Sessions sheet: it stays
                therapy.append((r.start, r.end))
                keep.append(r)
            else:
                inside.append(r)
        else:
            if r.start < a:
                keep.append(replace(r, end=a))
            if r.end > b:
                keep.append(replace(r, start=b))
            # (most rows lie inside: a row rebuilt costs its validation again, 90,000 a solve)
            inside.append(r if a <= r.start and r.end <= b else replace(r, start=max(r.start, a), end=min(r.end, b)))
    return keep, therapy, inside


def _work_minutes(rows: list[Assignment]) -> int:
    """Minutes of work rows (what ``substitute_minutes`` counts for a substitute)."""
    return sum(r.minutes for r in rows if r.kind.is_work)


def _rest(rows: list[Assignment]) -> tuple[int, int]:
    """Lunches and break minutes among rows."""
    return (
        sum(1 for r in rows if r.kind == Kind.LUNCH),
        sum(r.minutes for r in rows if r.kind == Kind.BREAK),
    )


def _merged(rows: list[Assignment]) -> list[Assignment]:
    """Back-to-back rows of the same work joined into one (one row per contiguous block)."""
    out: list[Assignment] = []
    for r in rows:
        last = out[-1] if out else None
        if (
            last is not None
            and last.end == r.start
            and r.kind in (Kind.SUPPORT, Kind.DUTY)
            and (last.kind, last.ref, last.students, last.location) == (r.kind, r.ref, r.students, r.location)
        ):
            out[-1] = replace(last, end=r.end)
        else:
            out.append(r)
    return out


__all__ = ["ExchangeStats", "continuity_cost", "trade_for_continuity"]
