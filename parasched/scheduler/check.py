"""An independent judge of any schedule: every hard rule, the KPIs, and the Unmet sheet.

The checker knows nothing of the solver (it imports nothing from ``parasched.solver``): it
reads a :class:`Schedule` (ours, or a workbook edited by hand) against a :class:`Problem`, and
uses :class:`WeekGrid` and ``coverage`` for every meaning (what is owed, who may do what, where
each student is), so it agrees with the solver by construction, not by copy.

Rule codes (``Violation.rule``):

- references and grid: ``unknown_para``, ``unknown_student``, ``unknown_duty``,
  ``unknown_session``, ``day_not_planned``, ``bad_row`` (a support row naming no student),
  ``off_grid``;
- a para's day: ``overlap``, ``outside_hours``, ``para_absent``, ``lunch_missing``,
  ``lunch_split``, ``lunch_length``, ``lunch_window``, ``break_length``, ``breaks_missing``,
  ``max_continuous``;
- support: ``student_absent``, ``in_therapy``, ``student_not_there``, ``skill``, ``gender``,
  ``avoid_para``, ``not_allowed`` (any other refusal), ``one_to_one_group``, ``group_size``,
  ``location``, ``rotation``, ``short_run`` (a para with a student for less than
  min_support_minutes without covering the student's whole need stretch);
- duties: ``general_duties``, ``duty_skill``, ``duty_time``, ``max_duty_minutes``;
- therapy: ``session_missing``, ``session_time`` (a fixed session moved), ``session_length``,
  ``session_day``, ``session_window``, ``provider_hours``, ``protected``, ``session_twice``
  (twice a day), ``session_count`` (over sessions_per_week), ``provider_double_booked``,
  ``student_two_sessions``, ``therapy_time`` (a therapy row outside its session),
  ``therapy_no_para`` (a therapy row for a para_role none session), ``therapy_students``,
  ``therapy_qualification``, ``session_para`` (Sessions para_id disagrees with the therapy rows).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from itertools import pairwise

from .coverage import occurrences_of, unmet_rows
from .kpis import Kpis, compute_kpis
from .model import Para, ParaRole, Problem, Session, Student, Support
from .runs import short_runs
from .schedule import Assignment, Kind, PlacedSession, Schedule
from .timegrid import DAYS, Interval, contains, fmt_span, fmt_time, intersect, merge, overlaps, subtract
from .weekgrid import Occurrence, StudentSegment, WeekGrid


@dataclass(frozen=True)
class Violation:
    """One broken hard rule, with a sentence a coordinator understands."""

    rule: str
    para_id: str = ""
    student_id: str = ""
    day: str = ""
    start: int | None = None
    end: int | None = None
    message: str = ""

    def __str__(self) -> str:
        return self.message

    def as_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "para_id": self.para_id,
            "student_id": self.student_id,
            "day": self.day,
            "start": _hhmm(self.start),
            "end": _hhmm(self.end),
            "message": self.message,
        }


@dataclass(frozen=True)
class CheckReport:
    """What the checker found: broken rules, the KPIs, and where the Unmet sheet disagrees."""

    violations: tuple[Violation, ...]
    kpis: Kpis
    unmet_disagreements: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when no hard rule is broken (Unmet disagreements are reported, not rule breaks)."""
        return not self.violations

    def rules(self) -> list[str]:
        """The rule codes broken, one per violation, in report order."""
        return [v.rule for v in self.violations]

    def as_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "violations": [v.as_dict() for v in self.violations],
            "kpis": self.kpis.as_dict(),
            "unmet_disagreements": list(self.unmet_disagreements),
        }


def _hhmm(minutes: int | None) -> str | None:
    return None if minutes is None else fmt_time(minutes)


def _when(day: str, start: int, end: int) -> str:
    return f"{day} {fmt_span(start, end)}"


def new_violations(problem: Problem, before: Schedule, after: Schedule) -> bool:
    """Whether ``after`` breaks a rule ``before`` did not (by rule, para, student and day): the
    guard of every step that edits a schedule outside the solver (trades, scraps, refills)."""
    found = check_schedule(problem, after).violations
    if not found:
        return False  # (the usual case: the input is not checked at all)
    had = {(v.rule, v.para_id, v.student_id, v.day) for v in check_schedule(problem, before).violations}
    return any((v.rule, v.para_id, v.student_id, v.day) not in had for v in found)


def check_schedule(problem: Problem, schedule: Schedule, *, names: bool = False) -> CheckReport:
    """Judge ``schedule`` against every hard rule of ``problem``.

    ``names``: show students as ``S07 (Ana Lopez)`` instead of ids only (confidential).
    """
    grid = WeekGrid(problem)
    violations = _Checker(problem, schedule, grid, names).run()
    # the KPIs and Unmet comparison need sessions that exist (unknown ones are violations already)
    known = {s.session_id for s in problem.sessions}
    clean = replace(schedule, sessions=tuple(s for s in schedule.sessions if s.session_id in known))
    return CheckReport(
        tuple(violations), compute_kpis(problem, clean, grid), tuple(unmet_disagreements(problem, clean, grid))
    )


def unmet_disagreements(problem: Problem, schedule: Schedule, grid: WeekGrid | None = None) -> list[str]:
    """Where the schedule's own Unmet rows disagree with the recomputed uncovered needs.

    Compared by (kind, ref, day) totals of minutes, since rows may be split differently.
    """
    grid = grid or WeekGrid(problem)
    want: dict[tuple[str, str, str], int] = defaultdict(int)
    for u in unmet_rows(problem, schedule, grid):
        want[(str(u.kind), u.ref, u.day)] += u.minutes
    have: dict[tuple[str, str, str], int] = defaultdict(int)
    for u in schedule.unmet:
        have[(str(u.kind), u.ref, u.day)] += u.minutes

    def order(key: tuple[str, str, str]) -> tuple[int, str, str]:
        kind, ref, day = key
        return (DAYS.index(day) if day in DAYS else len(DAYS), kind, ref)

    out: list[str] = []
    for key in sorted(set(want) | set(have), key=order):
        kind, ref, day = key
        w, h = want.get(key, 0), have.get(key, 0)
        if w == h:
            continue
        what = f"{kind} {ref}" + (f" on {day}" if day else " (week)")
        if h == 0:
            out.append(f"Unmet sheet is missing {what}: the schedule leaves {w} minutes uncovered")
        elif w == 0:
            out.append(f"Unmet sheet lists {h} minutes of {what}, but the schedule leaves nothing of it uncovered")
        else:
            out.append(f"Unmet sheet lists {h} minutes of {what}, but the schedule leaves {w} minutes uncovered")
    return out


def day_violations(
    problem: Problem,
    schedule: Schedule,
    days: Iterable[str],
    grid: WeekGrid | None = None,
    paras: Iterable[str] | None = None,
) -> list[Violation]:
    """The hard rules broken on ``days`` only, judged from those days' rows.

    For a search that changes one day at a time: a day's rules (hours, lunch, breaks, support,
    rotation, sessions of that day) in a fraction of a full check. Weekly totals (duty minutes,
    sessions per week) see only these days' rows, so they are not judged here. ``paras``: only
    these paras' days are judged for hours, lunch and breaks (a search that changed only theirs).
    """
    keep = set(days)
    grid = grid or WeekGrid.of(problem)
    part = Schedule(
        tuple(a for a in schedule.assignments if a.day in keep), tuple(s for s in schedule.sessions if s.day in keep)
    )
    checker = _Checker(problem, part, grid, False, days=keep)
    if paras is not None:
        checker.only_paras = set(paras)
    return [v for v in checker.run() if v.day in keep and v.rule not in ("max_duty_minutes", "session_count")]


class _Checker:
    def __init__(
        self, problem: Problem, schedule: Schedule, grid: WeekGrid, names: bool, days: set[str] | None = None
    ) -> None:
        self.problem = problem
        self.schedule = schedule
        self.check_days = [d for d in problem.settings.days if days is None or d in days]
        self.grid = grid
        self.names = names
        self.out: list[Violation] = []
        self.para_ids = {p.para_id for p in problem.paras}
        self.student_ids = {s.student_id for s in problem.students}
        self.duty_ids = {d.duty_id for d in problem.duties}
        self.session_ids = {s.session_id for s in problem.sessions}
        self.days = set(problem.settings.days)
        self.step = problem.settings.time_step
        self.only_paras: set[str] | None = None  # day_violations(paras=...): the others' days are not judged

    # -- helpers -------------------------------------------------------------------------------
    def add(
        self,
        rule: str,
        message: str,
        *,
        para: str = "",
        student: str = "",
        day: str = "",
        start: int | None = None,
        end: int | None = None,
    ) -> None:
        self.out.append(Violation(rule, para, student, day, start, end, message))

    def st(self, sid: str) -> str:
        if self.names and sid in self.student_ids:
            return f"{sid} ({self.problem.student(sid).name})"
        return sid

    def sts(self, sids: Iterable[str]) -> str:
        return ", ".join(self.st(s) for s in sids)

    # -- run -----------------------------------------------------------------------------------
    def run(self) -> list[Violation]:
        rows = self.valid_rows()
        sessions = self.valid_sessions()
        self.occ = occurrences_of(Schedule(sessions=tuple(sessions)))
        self.needs = {day: self._needs_by_student(day) for day in self.check_days}
        by_para_day: dict[tuple[str, str], list[Assignment]] = defaultdict(list)
        for a in self.schedule.assignments:  # a row with a bad reference still takes the para's time
            if a.para_id in self.para_ids and a.day in self.days:
                by_para_day[(a.para_id, a.day)].append(a)
        for p in self.problem.paras:
            if self.only_paras is not None and p.para_id not in self.only_paras:
                continue
            for day in self.check_days:
                self.para_day(p, day, sorted(by_para_day.get((p.para_id, day), []), key=lambda a: (a.start, a.end)))
        for a in rows:
            if a.kind == Kind.SUPPORT:
                self.support_row(a)
            elif a.kind == Kind.DUTY:
                self.duty_row(a)
            elif a.kind == Kind.THERAPY:
                self.therapy_row(a)
        self.short_runs(rows)
        self.rotation(rows)
        self.max_duty(rows)
        self.sessions(sessions, rows)
        day_pos = {d: i for i, d in enumerate(DAYS)}
        return sorted(self.out, key=lambda v: (day_pos.get(v.day, -1), v.para_id, v.start or 0, v.student_id, v.rule))

    def _needs_by_student(self, day: str) -> dict[str, list[StudentSegment]]:
        out: dict[str, list[StudentSegment]] = defaultdict(list)
        for seg in self.grid.support_needs(day, self.occ):
            out[seg.student_id].append(seg)
        return out

    # -- references ----------------------------------------------------------------------------
    def valid_rows(self) -> list[Assignment]:
        out = []
        for a in self.schedule.assignments:
            ok = True
            where = _when(a.day, a.start, a.end)
            if a.para_id not in self.para_ids:
                self.add(
                    "unknown_para",
                    f"Assignments row for '{a.para_id}' on {where}: no para with that id in Paras",
                    para=a.para_id,
                    day=a.day,
                    start=a.start,
                    end=a.end,
                )
                ok = False
            if a.day not in self.days:
                self.add(
                    "day_not_planned",
                    f"{a.para_id} has a {a.kind} row on {where}, but {a.day} is not a school day of this week",
                    para=a.para_id,
                    day=a.day,
                    start=a.start,
                    end=a.end,
                )
                ok = False
            for sid in a.students:
                if sid not in self.student_ids:
                    self.add(
                        "unknown_student",
                        f"{a.para_id}'s {a.kind} row on {where} names '{sid}', who is not in Students",
                        para=a.para_id,
                        student=sid,
                        day=a.day,
                        start=a.start,
                        end=a.end,
                    )
                    ok = False
            if a.kind == Kind.SUPPORT and not a.students:
                self.add(
                    "bad_row",
                    f"{a.para_id} has a support row on {where} naming no student",
                    para=a.para_id,
                    day=a.day,
                    start=a.start,
                    end=a.end,
                )
                ok = False
            if a.kind == Kind.DUTY and a.ref not in self.duty_ids:
                self.add(
                    "unknown_duty",
                    f"{a.para_id} is on duty '{a.ref}' on {where}, but there is no such duty in Duties",
                    para=a.para_id,
                    day=a.day,
                    start=a.start,
                    end=a.end,
                )
                ok = False
            if a.kind == Kind.THERAPY and a.ref not in self.session_ids:
                self.add(
                    "unknown_session",
                    f"{a.para_id} is in therapy session '{a.ref}' on {where}, but there is no such session in Therapy",
                    para=a.para_id,
                    day=a.day,
                    start=a.start,
                    end=a.end,
                )
                ok = False
            if a.start % self.step or a.end % self.step:
                self.add(
                    "off_grid",
                    f"{a.para_id}'s {a.kind} row {where} is not on the {self.step}-minute grid",
                    para=a.para_id,
                    day=a.day,
                    start=a.start,
                    end=a.end,
                )
            if ok:
                out.append(a)
        return out

    def valid_sessions(self) -> list[PlacedSession]:
        out = []
        for s in self.schedule.sessions:
            where = _when(s.day, s.start, s.end)
            ok = True
            if s.session_id not in self.session_ids:
                self.add(
                    "unknown_session",
                    f"Sessions places '{s.session_id}' on {where}, but there is no such session in Therapy",
                    day=s.day,
                    start=s.start,
                    end=s.end,
                )
                ok = False
            if s.day not in self.days:
                self.add(
                    "day_not_planned",
                    f"Sessions places {s.session_id} on {where}, but {s.day} is not a school day of this week",
                    day=s.day,
                    start=s.start,
                    end=s.end,
                )
                ok = False
            if s.para_id and s.para_id not in self.para_ids:
                self.add(
                    "unknown_para",
                    f"Sessions names '{s.para_id}' for {s.session_id} on {where}: no para with that id in Paras",
                    para=s.para_id,
                    day=s.day,
                    start=s.start,
                    end=s.end,
                )
            if s.start % self.step or s.end % self.step:
                self.add(
                    "off_grid",
                    f"session {s.session_id} on {where} is not on the {self.step}-minute grid",
                    day=s.day,
                    start=s.start,
                    end=s.end,
                )
            if ok:
                out.append(s)
        return out

    # -- a para's day --------------------------------------------------------------------------
    def para_day(self, para: Para, day: str, rows: list[Assignment]) -> None:
        pid = para.para_id
        for i, a in enumerate(rows):
            for b in rows[i + 1 :]:
                if b.start >= a.end:
                    break
                self.add(
                    "overlap",
                    f"{pid} is in two places on {day}: {a.kind} {fmt_span(a.start, a.end)} "
                    f"overlaps {b.kind} {fmt_span(b.start, b.end)}",
                    para=pid,
                    day=day,
                    start=b.start,
                    end=min(a.end, b.end),
                )
        avail = self.grid.para_available(pid, day)
        away = self.grid.absent(pid, day)
        for a in rows:
            span = (a.start, a.end)
            if contains(avail, span):
                continue
            if any(overlaps(span, iv) for iv in away):
                self.add(
                    "para_absent",
                    f"{pid} is absent on {day} but has a {a.kind} row {fmt_span(a.start, a.end)}",
                    para=pid,
                    day=day,
                    start=a.start,
                    end=a.end,
                )
            else:
                hours = ", ".join(fmt_span(s, e) for s, e in self.grid.para_hours(pid, day)) or "not working"
                self.add(
                    "outside_hours",
                    f"{pid} has a {a.kind} row on {_when(day, a.start, a.end)} outside their hours that day ({hours})",
                    para=pid,
                    day=day,
                    start=a.start,
                    end=a.end,
                )
        self.lunch(pid, day, rows)
        self.breaks(pid, day, rows)
        limit = self.problem.settings.max_continuous_minutes
        if limit is not None:
            for s, e in merge((a.start, a.end) for a in rows if a.kind.is_work):
                if e - s > limit:
                    self.add(
                        "max_continuous",
                        f"{pid} works {e - s} minutes without a lunch, break or free "
                        f"time on {_when(day, s, e)}; the most allowed is {limit}",
                        para=pid,
                        day=day,
                        start=s,
                        end=e,
                    )

    def lunch(self, pid: str, day: str, rows: list[Assignment]) -> None:
        rule = self.grid.lunch_rule(pid, day)
        if rule is None:
            return
        pieces = merge((a.start, a.end) for a in rows if a.kind == Kind.LUNCH)
        window = fmt_span(*rule.window)
        if not pieces:
            self.add(
                "lunch_missing",
                f"{pid} has no duty-free lunch on {day}; {rule.minutes} minutes inside {window} are owed",
                para=pid,
                day=day,
            )
            return
        if len(pieces) > 1:
            shown = ", ".join(fmt_span(s, e) for s, e in pieces)
            self.add(
                "lunch_split",
                f"{pid}'s lunch on {day} is split ({shown}); one contiguous {rule.minutes}-minute lunch is owed",
                para=pid,
                day=day,
                start=pieces[0][0],
                end=pieces[-1][1],
            )
            return
        s, e = pieces[0]
        if e - s != rule.minutes:
            self.add(
                "lunch_length",
                f"{pid}'s lunch on {_when(day, s, e)} is {e - s} minutes; {rule.minutes} are owed",
                para=pid,
                day=day,
                start=s,
                end=e,
            )
        if not contains([rule.window], (s, e)):
            self.add(
                "lunch_window",
                f"{pid}'s lunch on {_when(day, s, e)} is not inside the lunch window {window}",
                para=pid,
                day=day,
                start=s,
                end=e,
            )

    def breaks(self, pid: str, day: str, rows: list[Assignment]) -> None:
        bm = self.problem.settings.break_minutes
        good = 0
        for a in rows:
            if a.kind != Kind.BREAK:
                continue
            if a.minutes != bm:
                self.add(
                    "break_length",
                    f"{pid}'s break on {_when(day, a.start, a.end)} is {a.minutes} minutes; breaks are {bm} minutes",
                    para=pid,
                    day=day,
                    start=a.start,
                    end=a.end,
                )
            else:
                good += 1
        owed = self.grid.breaks_owed(pid, day)
        if good < owed:
            self.add(
                "breaks_missing",
                f"{pid} has {good} of the {owed} break(s) of {bm} minutes owed on {day}",
                para=pid,
                day=day,
            )

    # -- support -------------------------------------------------------------------------------
    def support_row(self, a: Assignment) -> None:
        para = self.problem.para(a.para_id)
        span = (a.start, a.end)
        where = _when(a.day, a.start, a.end)
        needs = self.needs[a.day]
        group = len(a.students) > 1
        segs_of: dict[str, list[StudentSegment]] = {}
        for sid in a.students:
            segs = [s for s in needs.get(sid, []) if overlaps(span, (s.start, s.end))]
            segs_of[sid] = segs
            gaps = subtract([span], [(s.start, s.end) for s in segs])
            if gaps:
                self.not_there(a, sid, gaps)
        for sid in a.students:
            student = self.problem.student(sid)
            segs = segs_of[sid]
            label = self.row_label(a, segs)
            seen: set[str] = set()
            for seg in segs:
                why = self.grid.support_refusal(para, student, seg.skills)
                if why is None:
                    continue
                for rule, text in self.refusal_reasons(para, student, seg.skills, why):
                    if rule in seen:
                        continue
                    seen.add(rule)
                    self.add(
                        rule,
                        f"{para.para_id} is with {label} on {where} but {text}",
                        para=para.para_id,
                        student=sid,
                        day=a.day,
                        start=a.start,
                        end=a.end,
                    )
            if group and any(seg.support == Support.ONE_TO_ONE for seg in segs):
                others = [s for s in a.students if s != sid]
                self.add(
                    "one_to_one_group",
                    f"{para.para_id} supports {self.st(sid)} together with "
                    f"{self.sts(others)} on {where}, but {self.st(sid)} needs 1:1 "
                    "support then",
                    para=para.para_id,
                    student=sid,
                    day=a.day,
                    start=a.start,
                    end=a.end,
                )
        if group:
            gmax = min(self.problem.student(s).group_max for s in a.students)
            if len(a.students) > gmax:
                self.add(
                    "group_size",
                    f"{para.para_id} supports {len(a.students)} students "
                    f"({self.sts(a.students)}) at once on {where}; the most allowed for "
                    f"this group is {gmax}",
                    para=para.para_id,
                    day=a.day,
                    start=a.start,
                    end=a.end,
                )
        self.locations(a, segs_of)

    def short_runs(self, rows: list[Assignment]) -> None:
        least = self.problem.settings.min_support_minutes
        part = Schedule(tuple(a for a in rows if a.kind == Kind.SUPPORT))
        for r, home in short_runs(self.problem, part, self.grid, self.check_days, self.occ):
            stretch = "" if home is None else f" (the need runs {_when(r.day, *home)})"
            self.add(
                "short_run",
                f"{r.para_id} is with {self.st(r.student_id)} only {r.minutes} minutes on "
                f"{_when(r.day, r.start, r.end)}{stretch}; a para stays at least {least} "
                "minutes (min_support_minutes) unless that covers the student's whole need",
                para=r.para_id,
                student=r.student_id,
                day=r.day,
                start=r.start,
                end=r.end,
            )

    def row_label(self, a: Assignment, segs: list[StudentSegment]) -> str:
        if len(a.students) > 1:
            return f"{self.sts(a.students)} (group)"
        levels = sorted({str(s.support) for s in segs})
        return f"{self.st(a.students[0])} ({'/'.join(levels) or 'support'})"

    def refusal_reasons(self, para: Para, student: Student, skills: frozenset[str], why: str) -> list[tuple[str, str]]:
        """Word a refusal from ``WeekGrid.support_refusal`` (which decides) rule by rule."""
        sid = self.st(student.student_id)
        out: list[tuple[str, str]] = []
        if para.para_id in student.avoid_paras:
            out.append(("avoid_para", f"{para.para_id} is on {sid}'s avoid list"))
        missing = sorted(skills - para.skills)
        if missing:
            listed = ", ".join(f"'{m}'" for m in missing)
            out.append(("skill", f"lacks the skill{'s' if len(missing) > 1 else ''} {listed} {sid} needs"))
        if student.gender_match and para.gender != student.gender:
            out.append(("gender", f"{sid} needs a para of the same gender"))
        return out or [("not_allowed", why)]

    def not_there(self, a: Assignment, sid: str, gaps: tuple[Interval, ...]) -> None:
        day = a.day
        where = _when(day, a.start, a.end)
        away = intersect(gaps, self.grid.absent(sid, day))
        therapy = intersect(
            gaps,
            [
                (o.start, o.end)
                for o in self.occ
                if o.day == day and sid in self.problem.session(o.session_id).student_ids
            ],
        )
        if away:
            self.add(
                "student_absent",
                f"{a.para_id} supports {self.st(sid)} on {where}, but {self.st(sid)} is "
                f"absent {', '.join(fmt_span(s, e) for s, e in away)}",
                para=a.para_id,
                student=sid,
                day=day,
                start=a.start,
                end=a.end,
            )
        elif therapy:
            self.add(
                "in_therapy",
                f"{a.para_id} supports {self.st(sid)} on {where}, but {self.st(sid)} is in "
                f"therapy {', '.join(fmt_span(s, e) for s, e in therapy)}",
                para=a.para_id,
                student=sid,
                day=day,
                start=a.start,
                end=a.end,
            )
        else:
            self.add(
                "student_not_there",
                f"{a.para_id} supports {self.st(sid)} on {where}, but {self.st(sid)} "
                f"needs no para {', '.join(fmt_span(s, e) for s, e in gaps)} (not in "
                "school or a block with support none)",
                para=a.para_id,
                student=sid,
                day=day,
                start=a.start,
                end=a.end,
            )

    def locations(self, a: Assignment, segs_of: dict[str, list[StudentSegment]]) -> None:
        where = _when(a.day, a.start, a.end)
        if a.location.strip():  # compared where the student's location is known (blank homeroom: anywhere)
            row_loc = a.location.strip().lower()
            for sid, segs in segs_of.items():
                wrong = [s for s in segs if s.location.strip() and s.location.strip().lower() != row_loc]
                if wrong:
                    self.add(
                        "location",
                        f"{a.para_id}'s support row on {where} is in {a.location}, but "
                        f"{self.st(sid)} is in {wrong[0].location or '(no location)'} "
                        f"{fmt_span(wrong[0].start, wrong[0].end)}",
                        para=a.para_id,
                        student=sid,
                        day=a.day,
                        start=a.start,
                        end=a.end,
                    )
        if len(segs_of) < 2:
            return
        points = sorted(
            {p for segs in segs_of.values() for s in segs for p in (s.start, s.end) if a.start <= p <= a.end}
            | {a.start, a.end}
        )
        for s, e in pairwise(points):
            here: dict[str, str] = {}
            for sid, segs in segs_of.items():
                for seg in segs:
                    if seg.start <= s and e <= seg.end:
                        here[sid] = seg.location.strip().lower()
            if len(set(here.values())) > 1:
                by = {
                    sid: next(seg.location for seg in segs_of[sid] if seg.start <= s and e <= seg.end) for sid in here
                }
                shown = ", ".join(f"{self.st(sid)} in {loc or '(no location)'}" for sid, loc in by.items())
                self.add(
                    "location",
                    f"{a.para_id} supports a group on {_when(a.day, s, e)} whose students are "
                    f"in different places ({shown})",
                    para=a.para_id,
                    day=a.day,
                    start=s,
                    end=e,
                )
                return

    def rotation(self, rows: list[Assignment]) -> None:
        minutes: dict[tuple[str, str, str], int] = defaultdict(int)
        for a in rows:
            if a.kind in (Kind.SUPPORT, Kind.THERAPY):
                for sid in a.students:
                    minutes[(a.para_id, sid, a.day)] += a.minutes
        for (pid, sid, day), m in minutes.items():
            cap = self.problem.student(sid).max_minutes_with_same_para
            if cap is not None and m > cap:
                self.add(
                    "rotation",
                    f"{pid} spends {m} minutes with {self.st(sid)} on {day}; the most allowed with one para is {cap}",
                    para=pid,
                    student=sid,
                    day=day,
                )

    # -- duties --------------------------------------------------------------------------------
    def duty_row(self, a: Assignment) -> None:
        para = self.problem.para(a.para_id)
        duty = self.problem.duty(a.ref)
        where = _when(a.day, a.start, a.end)
        why = self.grid.duty_refusal(para, duty)
        if why is not None:
            if not para.general_duties:
                self.add(
                    "general_duties",
                    f"{para.para_id} is on duty {duty.duty_id} on {where}, but is funded "
                    "for student support only (general_duties = no)",
                    para=para.para_id,
                    day=a.day,
                    start=a.start,
                    end=a.end,
                )
            missing = sorted(duty.skills_required - para.skills)
            if missing:
                listed = ", ".join(f"'{m}'" for m in missing)
                self.add(
                    "duty_skill",
                    f"{para.para_id} is on duty {duty.duty_id} on {where} but lacks the "
                    f"skill{'s' if len(missing) > 1 else ''} {listed} it needs",
                    para=para.para_id,
                    day=a.day,
                    start=a.start,
                    end=a.end,
                )
            if para.general_duties and not missing:
                self.add(
                    "not_allowed",
                    f"{para.para_id} is on duty {duty.duty_id} on {where} but {why}",
                    para=para.para_id,
                    day=a.day,
                    start=a.start,
                    end=a.end,
                )
        if duty not in self.grid.duties_on(a.day) or not contains([(duty.start, duty.end)], (a.start, a.end)):
            days = ", ".join(self.problem.days_of(duty.days))
            self.add(
                "duty_time",
                f"{para.para_id} is on duty {duty.duty_id} on {where}, but the duty runs "
                f"{fmt_span(duty.start, duty.end)} on {days}",
                para=para.para_id,
                day=a.day,
                start=a.start,
                end=a.end,
            )

    def max_duty(self, rows: list[Assignment]) -> None:
        minutes: dict[str, int] = defaultdict(int)
        for a in rows:
            if a.kind == Kind.DUTY:
                minutes[a.para_id] += a.minutes
        for pid, m in minutes.items():
            cap = self.problem.para(pid).max_duty_minutes
            if cap is not None and m > cap:
                self.add(
                    "max_duty_minutes", f"{pid} has {m} minutes of duty this week; the most allowed is {cap}", para=pid
                )

    # -- therapy -------------------------------------------------------------------------------
    def therapy_row(self, a: Assignment) -> None:
        ses = self.problem.session(a.ref)
        para = self.problem.para(a.para_id)
        where = _when(a.day, a.start, a.end)
        if ses.para_role == ParaRole.NONE:
            self.add(
                "therapy_no_para",
                f"{a.para_id} has a therapy row for {ses.session_id} on {where}, but that "
                "session needs no para (para_role none)",
                para=a.para_id,
                day=a.day,
                start=a.start,
                end=a.end,
            )
            return
        spans = [(o.start, o.end) for o in self.occ if o.session_id == ses.session_id and o.day == a.day]
        if not contains(spans, (a.start, a.end)):
            placed = ", ".join(fmt_span(s, e) for s, e in spans) or "not at all"
            self.add(
                "therapy_time",
                f"{a.para_id} has a therapy row for {ses.session_id} on {where}, but Sessions "
                f"places it on {a.day} {placed}",
                para=a.para_id,
                day=a.day,
                start=a.start,
                end=a.end,
            )
        extra = [s for s in a.students if s not in ses.student_ids]
        if extra:
            self.add(
                "therapy_students",
                f"{a.para_id}'s therapy row for {ses.session_id} on {where} names "
                f"{self.sts(extra)}, who {'is' if len(extra) == 1 else 'are'} not in that "
                "session",
                para=a.para_id,
                student=extra[0],
                day=a.day,
                start=a.start,
                end=a.end,
            )
        why = self.grid.session_refusal(para, ses)
        if why is not None:
            self.add(
                "therapy_qualification",
                f"{a.para_id} is in session {ses.session_id} ({ses.para_role}) on {where} but {why}",
                para=a.para_id,
                day=a.day,
                start=a.start,
                end=a.end,
            )

    def sessions(self, placed: list[PlacedSession], rows: list[Assignment]) -> None:
        by_session: dict[str, list[PlacedSession]] = defaultdict(list)
        for s in placed:
            by_session[s.session_id].append(s)
        expected = defaultdict(list)
        for o in self.grid.fixed_occurrences():
            expected[o.session_id].append(o)
        for ses in self.problem.sessions:
            mine = sorted(by_session.get(ses.session_id, []), key=lambda s: (DAYS.index(s.day), s.start))
            if ses.is_flexible:
                self.flexible(ses, mine)
            else:
                self.fixed(ses, mine, expected.get(ses.session_id, []))
        self.double_booking(placed)
        therapy_rows: dict[tuple[str, str], list[Assignment]] = defaultdict(list)
        for a in rows:
            if a.kind == Kind.THERAPY:
                therapy_rows[(a.ref, a.day)].append(a)
        for s in placed:
            ses = self.problem.session(s.session_id)
            if not ses.needs_para:
                continue
            where = _when(s.day, s.start, s.end)
            paras = sorted(
                {
                    a.para_id
                    for a in therapy_rows.get((s.session_id, s.day), [])
                    if overlaps((a.start, a.end), (s.start, s.end))
                }
            )
            if s.para_id and paras and paras != [s.para_id]:
                self.add(
                    "session_para",
                    f"Sessions names {s.para_id} for {s.session_id} on {where}, but the "
                    f"therapy rows then are {', '.join(paras)}'s",
                    para=s.para_id,
                    day=s.day,
                    start=s.start,
                    end=s.end,
                )
            elif s.para_id and not paras:
                self.add(
                    "session_para",
                    f"Sessions names {s.para_id} for {s.session_id} on {where}, but "
                    f"{s.para_id} has no therapy row for it",
                    para=s.para_id,
                    day=s.day,
                    start=s.start,
                    end=s.end,
                )
            elif not s.para_id and paras:
                self.add(
                    "session_para",
                    f"Sessions leaves the para of {s.session_id} on {where} blank, but "
                    f"{', '.join(paras)} has a therapy row for it",
                    para=paras[0],
                    day=s.day,
                    start=s.start,
                    end=s.end,
                )
            elif len(paras) > 1:
                self.add(
                    "session_para",
                    f"{s.session_id} on {where} is split between {', '.join(paras)}; one "
                    "para stays for the whole session",
                    para=paras[0],
                    day=s.day,
                    start=s.start,
                    end=s.end,
                )

    def fixed(self, ses: Session, mine: list[PlacedSession], expected: list[Occurrence]) -> None:
        matched: set[int] = set()
        for o in expected:
            hits = [i for i, s in enumerate(mine) if (s.day, s.start, s.end) == (o.day, o.start, o.end)]
            if not hits:
                self.add(
                    "session_missing",
                    f"fixed session {ses.session_id} on {_when(o.day, o.start, o.end)} is missing from Sessions",
                    day=o.day,
                    start=o.start,
                    end=o.end,
                    student=ses.student_ids[0],
                )
                continue
            matched.add(hits[0])
            for i in hits[1:]:
                matched.add(i)
                self.add(
                    "session_twice",
                    f"fixed session {ses.session_id} is listed twice on {_when(o.day, o.start, o.end)}",
                    day=o.day,
                    start=o.start,
                    end=o.end,
                )
        assert ses.start is not None and ses.end is not None
        fixed_at = f"{fmt_span(ses.start, ses.end)} on {', '.join(self.problem.days_of(ses.days))}"
        for i, s in enumerate(mine):
            if i not in matched:
                self.add(
                    "session_time",
                    f"Sessions places fixed session {ses.session_id} on "
                    f"{_when(s.day, s.start, s.end)}, but it is fixed at {fixed_at}",
                    day=s.day,
                    start=s.start,
                    end=s.end,
                    student=ses.student_ids[0],
                )

    def flexible(self, ses: Session, mine: list[PlacedSession]) -> None:
        sid0 = ses.student_ids[0]
        per_day: dict[str, int] = defaultdict(int)
        for s in mine:
            where = _when(s.day, s.start, s.end)

            def flag(rule: str, text: str, student: str = sid0, s: PlacedSession = s) -> None:
                self.add(rule, text, day=s.day, start=s.start, end=s.end, student=student, para=s.para_id)

            per_day[s.day] += 1
            if per_day[s.day] == 2:
                flag("session_twice", f"{ses.session_id} is placed more than once on {s.day}; at most one a day")
            if s.end - s.start != ses.duration:
                flag(
                    "session_length",
                    f"{ses.session_id} on {where} lasts {s.end - s.start} minutes; it should last {ses.duration}",
                )
            span = (s.start, s.end)
            if contains(self.grid.session_allowed(ses, s.day), span):
                continue
            if s.day not in self.problem.days_of(ses.allowed_days):
                flag(
                    "session_day",
                    f"{ses.session_id} is placed on {where}, but is allowed only on "
                    f"{', '.join(self.problem.days_of(ses.allowed_days))}",
                )
                continue
            reasons = 0
            window = self.grid.session_window(ses)
            if not contains([window], span):
                reasons += 1
                flag("session_window", f"{ses.session_id} on {where} is outside its window {fmt_span(*window)}")
            hours = self.grid.provider_hours(ses.provider, s.day)
            if not contains(hours, span):
                reasons += 1
                shown = ", ".join(fmt_span(a, b) for a, b in hours) or "not in"
                flag(
                    "provider_hours",
                    f"{ses.session_id} on {where} is outside provider {ses.provider}'s hours that day ({shown})",
                )
            for sid in ses.student_ids:
                prot = intersect([span], self.grid.protected(sid, s.day))
                if prot:
                    reasons += 1
                    flag(
                        "protected",
                        f"{ses.session_id} on {where} pulls {self.st(sid)} out of protected "
                        f"instruction {', '.join(fmt_span(a, b) for a, b in prot)}",
                        student=sid,
                    )
                if intersect([span], self.grid.absent(sid, s.day)):
                    reasons += 1
                    flag(
                        "student_absent",
                        f"{ses.session_id} on {where} is placed while {self.st(sid)} is absent",
                        student=sid,
                    )
            if not reasons:
                flag("session_time", f"{ses.session_id} on {where} is not at an allowed time")
        assert ses.sessions_per_week is not None
        if len(mine) > ses.sessions_per_week:
            self.add(
                "session_count",
                f"{ses.session_id} is placed {len(mine)} times this week; sessions_per_week is {ses.sessions_per_week}",
                student=sid0,
            )

    def double_booking(self, placed: list[PlacedSession]) -> None:
        by_day: dict[str, list[PlacedSession]] = defaultdict(list)
        for s in placed:
            by_day[s.day].append(s)
        for day, items in by_day.items():
            items.sort(key=lambda s: (s.start, s.end, s.session_id))
            for i, s1 in enumerate(items):
                ses1 = self.problem.session(s1.session_id)
                for s2 in items[i + 1 :]:
                    if s2.start >= s1.end:
                        break
                    if s1.session_id == s2.session_id:
                        continue  # reported as session_twice
                    ses2 = self.problem.session(s2.session_id)
                    start, end = s2.start, min(s1.end, s2.end)
                    if ses1.provider and ses1.provider == ses2.provider:
                        self.add(
                            "provider_double_booked",
                            f"provider {ses1.provider} has {s1.session_id} and "
                            f"{s2.session_id} at once on {_when(day, start, end)}",
                            day=day,
                            start=start,
                            end=end,
                        )
                    for sid in sorted(set(ses1.student_ids) & set(ses2.student_ids)):
                        self.add(
                            "student_two_sessions",
                            f"{self.st(sid)} is in {s1.session_id} and "
                            f"{s2.session_id} at once on {_when(day, start, end)}",
                            student=sid,
                            day=day,
                            start=start,
                            end=end,
                        )


__all__ = ["CheckReport", "Violation", "check_schedule", "unmet_disagreements"]
