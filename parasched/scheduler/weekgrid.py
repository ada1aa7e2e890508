"""The week grid: what a Problem means minute by minute, shared by solver and checker.

Everything here is derived from the problem data alone (plus, for needs, the therapy
occurrences placed), so the solver and the independent checker agree on what is owed,
who may do what, and what each student needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import ClassVar

from .model import Duty, Para, Problem, Session, Student, Support
from .timegrid import Interval, intersect, merge, subtract


@dataclass(frozen=True)
class LunchRule:
    """A duty-free lunch owed on one day: ``minutes`` long, lying inside ``window``."""

    minutes: int
    window: Interval


@dataclass(frozen=True)
class StudentSegment:
    """A stretch of one student's day with one location, support level and skill need."""

    student_id: str
    day: str
    start: int
    end: int
    location: str
    support: Support
    skills: frozenset[str]
    protected: bool
    activity: str = ""


@dataclass(frozen=True)
class Occurrence:
    """One placed therapy occurrence (fixed, or flexible once placed)."""

    session_id: str
    day: str
    start: int
    end: int


class WeekGrid:
    """Derived, read-only views of a Problem. Build once per problem; cheap to query."""

    _recent: ClassVar[list[WeekGrid]] = []  # the last few grids made by ``of`` (their caches are shared)

    @classmethod
    def of(cls, problem: Problem) -> WeekGrid:
        """The grid of ``problem``, shared: one workflow builds its views (and caches) once.

        Problems are frozen, so a grid made for the same object stays valid."""
        for g in cls._recent:
            if g.problem is problem:
                return g
        g = cls(problem)
        cls._recent = [g, *cls._recent[:3]]
        return g

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.settings = problem.settings
        self.days = problem.settings.days
        self._available: dict[tuple[str, str], tuple[Interval, ...]] = {}
        self._student_day: dict[tuple[str, str], tuple[StudentSegment, ...]] = {}
        self._needs: dict[tuple[str, tuple[Occurrence, ...]], tuple[StudentSegment, ...]] = {}

    # -- paras ---------------------------------------------------------------------------------
    def para_hours(self, para_id: str, day: str) -> tuple[Interval, ...]:
        """Working hours on a day, Availability rows replacing the usual hours, before absences."""
        return self._para_hours.get((para_id, day), ())

    @cached_property
    def _para_hours(self) -> dict[tuple[str, str], tuple[Interval, ...]]:
        out: dict[tuple[str, str], tuple[Interval, ...]] = {}
        exceptions: dict[tuple[str, str], list[Interval]] = {}
        for a in self.problem.availability:
            ivs = exceptions.setdefault((a.para_id, a.day), [])
            if a.start is not None and a.end is not None:
                ivs.append((a.start, a.end))
        for p in self.problem.paras:
            for day in self.days:
                if (p.para_id, day) in exceptions:
                    out[(p.para_id, day)] = merge(exceptions[(p.para_id, day)])
                elif day in self.problem.days_of(p.days):
                    out[(p.para_id, day)] = ((p.start, p.end),)
        return out

    def absent(self, person_id: str, day: str) -> tuple[Interval, ...]:
        """Times a para or student is out on a day (whole day = 00:00-24:00)."""
        return self._absent.get((person_id, day), ())

    @cached_property
    def _absent(self) -> dict[tuple[str, str], tuple[Interval, ...]]:
        raw: dict[tuple[str, str], list[Interval]] = {}
        for a in self.problem.absences:
            span = (a.start, a.end) if a.start is not None and a.end is not None else (0, 24 * 60)
            for day in self.problem.days_of(a.days):
                raw.setdefault((a.person_id, day), []).append(span)
        return {k: merge(v) for k, v in raw.items()}

    def para_available(self, para_id: str, day: str) -> tuple[Interval, ...]:
        """Times a para can be given anything on a day: hours less absences."""
        key = (para_id, day)
        got = self._available.get(key)
        if got is None:
            got = self._available[key] = subtract(self.para_hours(para_id, day), self.absent(para_id, day))
        return got

    def working_days(self, para_id: str) -> tuple[str, ...]:
        return tuple(d for d in self.days if self.para_available(para_id, d))

    def lunch_rule(self, para_id: str, day: str) -> LunchRule | None:
        """The lunch owed that day, if any.

        Owed where the para's available time has one contiguous stretch inside the lunch
        window at least ``lunch_minutes`` long (the contract's "overlap by at least").
        """
        para = self.problem.para(para_id)
        minutes = para.lunch_minutes if para.lunch_minutes is not None else self.settings.lunch_minutes
        window = para.lunch_window or self.settings.lunch_window
        if minutes <= 0:
            return None
        free = intersect(self.para_available(para_id, day), [window])
        if any(e - s >= minutes for s, e in free):
            return LunchRule(minutes, window)
        return None

    def breaks_owed(self, para_id: str, day: str) -> int:
        """Breaks owed that day: ``breaks_per_day``, or as many as the para's hours can hold."""
        n = self.settings.breaks_per_day
        if n == 0:
            return 0
        bm = self.settings.break_minutes
        avail = self.para_available(para_id, day)
        fits = sum((e - s) // bm for s, e in avail)
        lunch = self.lunch_rule(para_id, day)
        if lunch is not None:
            fits -= -(-lunch.minutes // bm)
        return max(0, min(n, fits))

    # -- students ------------------------------------------------------------------------------
    @cached_property
    def _blocks_by_student(self) -> dict[str, list]:
        out: dict[str, list] = {}
        for b in self.problem.student_blocks:
            out.setdefault(b.student_id, []).append(b)
        return out

    def student_day(self, student_id: str, day: str) -> tuple[StudentSegment, ...]:
        """Where a student is and what they need on a day, less their absences (before therapy)."""
        key = (student_id, day)
        got = self._student_day.get(key)
        if got is None:
            got = self._student_day[key] = self._make_student_day(student_id, day)
        return got

    def _make_student_day(self, student_id: str, day: str) -> tuple[StudentSegment, ...]:
        student = self.problem.student(student_id)
        blocks = self._blocks_by_student.get(student_id)
        segs: list[StudentSegment] = []
        if blocks is None:
            segs.append(
                StudentSegment(
                    student_id,
                    day,
                    self.settings.school_start,
                    self.settings.school_end,
                    student.homeroom,
                    student.support,
                    student.skills_required,
                    False,
                )
            )
        else:
            for b in blocks:
                if day not in self.problem.days_of(b.days):
                    continue
                segs.append(
                    StudentSegment(
                        student_id,
                        day,
                        b.start,
                        b.end,
                        b.location or student.homeroom,
                        b.support or student.support,
                        student.skills_required | b.skills_required,
                        b.protected,
                        b.activity,
                    )
                )
        out: list[StudentSegment] = []
        away = self.absent(student_id, day)
        for seg in sorted(segs, key=lambda x: x.start):
            for s, e in subtract([(seg.start, seg.end)], away):
                out.append(_with_span(seg, s, e))
        return tuple(out)

    def protected(self, student_id: str, day: str) -> tuple[Interval, ...]:
        """Core instruction a flexible session may not pull the student out of."""
        return merge((s.start, s.end) for s in self.student_day(student_id, day) if s.protected)

    def support_needs(self, day: str, occurrences: tuple[Occurrence, ...]) -> tuple[StudentSegment, ...]:
        """Every student's segments needing (or welcoming) a para, with therapy time removed."""
        key = (day, tuple(o for o in occurrences if o.day == day))
        got = self._needs.get(key)
        if got is None:
            got = self._needs[key] = self._make_support_needs(day, key[1])
        return got

    def _make_support_needs(self, day: str, occurrences: tuple[Occurrence, ...]) -> tuple[StudentSegment, ...]:
        in_therapy: dict[str, list[Interval]] = {}
        for o in occurrences:
            if o.day != day:
                continue
            for sid in self.problem.session(o.session_id).student_ids:
                in_therapy.setdefault(sid, []).append((o.start, o.end))
        out: list[StudentSegment] = []
        for st in self.problem.students:
            for seg in self.student_day(st.student_id, day):
                if seg.support == Support.NONE:
                    continue
                for s, e in subtract([(seg.start, seg.end)], in_therapy.get(st.student_id, ())):
                    out.append(_with_span(seg, s, e))
        return tuple(out)

    def need_stretches(self, day: str, occurrences: tuple[Occurrence, ...]) -> dict[str, tuple[Interval, ...]]:
        """Each student's need stretches of the day: maximal times needing a para without a pause
        (consecutive blocks whose support is not ``none``, less therapy and absences)."""
        by_student: dict[str, list[Interval]] = {}
        for seg in self.support_needs(day, occurrences):
            by_student.setdefault(seg.student_id, []).append((seg.start, seg.end))
        return {sid: tuple(merge(spans)) for sid, spans in by_student.items()}

    # -- duties and therapy --------------------------------------------------------------------
    def duties_on(self, day: str) -> tuple[Duty, ...]:
        return tuple(d for d in self.problem.duties if day in self.problem.days_of(d.days))

    def fixed_occurrences(self) -> tuple[Occurrence, ...]:
        """Fixed sessions on each of their days, unless every student in them is out."""
        out: list[Occurrence] = []
        for ses in self.problem.sessions:
            if ses.is_flexible:
                continue
            assert ses.start is not None and ses.end is not None
            for day in self.problem.days_of(ses.days):
                if all(subtract([(ses.start, ses.end)], self.absent(sid, day)) == () for sid in ses.student_ids):
                    continue
                out.append(Occurrence(ses.session_id, day, ses.start, ses.end))
        return tuple(out)

    def provider_hours(self, provider: str, day: str) -> tuple[Interval, ...]:
        """When a provider can see students; a provider with no Providers row: the school day."""
        if not provider:
            return ((0, 24 * 60),)
        rows = [h for h in self.problem.provider_hours if h.provider == provider]
        if not rows:
            return ((self.settings.school_start, self.settings.school_end),)
        return merge((h.start, h.end) for h in rows if day in self.problem.days_of(h.days))

    def session_window(self, session: Session) -> Interval:
        """Where a flexible session may lie in a day (blank window = the school day)."""
        return session.window or (self.settings.school_start, self.settings.school_end)

    def session_allowed(self, session: Session, day: str) -> tuple[Interval, ...]:
        """Times a flexible session may occupy on a day: window, provider hours, students present
        and not in a protected block."""
        if day not in self.problem.days_of(session.allowed_days):
            return ()
        free = intersect([self.session_window(session)], self.provider_hours(session.provider, day))
        for sid in session.student_ids:
            free = subtract(free, self.protected(sid, day))
            free = subtract(free, self.absent(sid, day))
        return free

    # -- who may do what -----------------------------------------------------------------------
    def support_refusal(self, para: Para, student: Student, skills: frozenset[str]) -> str | None:
        """Why a para may not support a student needing ``skills`` (None = allowed)."""
        if para.para_id in student.avoid_paras:
            return f"{para.para_id} is on {student.student_id}'s avoid list"
        missing = skills - para.skills
        if missing:
            return f"{para.para_id} lacks {', '.join(sorted(missing))}"
        if student.gender_match and para.gender != student.gender:
            return f"{student.student_id} needs a para of the same gender"
        return None

    def duty_refusal(self, para: Para, duty: Duty) -> str | None:
        """Why a para may not take a duty (None = allowed)."""
        if not para.general_duties:
            return f"{para.para_id} is funded for student support only (general_duties = no)"
        missing = duty.skills_required - para.skills
        if missing:
            return f"{para.para_id} lacks {', '.join(sorted(missing))}"
        return None

    def session_refusal(self, para: Para, session: Session) -> str | None:
        """Why a para may not assist or deliver a session (None = allowed).

        The para must hold the session's skills and be allowed to support each of its students.
        """
        missing = session.skills_required - para.skills
        if missing:
            return f"{para.para_id} lacks {', '.join(sorted(missing))}"
        for sid in session.student_ids:
            st = self.problem.student(sid)
            why = self.support_refusal(para, st, st.skills_required)
            if why:
                return why
        return None


def _with_span(seg: StudentSegment, start: int, end: int) -> StudentSegment:
    return StudentSegment(
        seg.student_id, seg.day, start, end, seg.location, seg.support, seg.skills, seg.protected, seg.activity
    )
