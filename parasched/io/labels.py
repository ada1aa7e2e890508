"""How people, blocks and times are named on the sheets people read (names, ids or initials)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from parasched.scheduler.model import Problem, Support
from parasched.scheduler.schedule import Assignment, Kind, SolveResult
from parasched.scheduler.timegrid import fmt_span, fmt_time
from parasched.scheduler.weekgrid import WeekGrid

DAY_NAMES = {
    "Mon": "Monday",
    "Tue": "Tuesday",
    "Wed": "Wednesday",
    "Thu": "Thursday",
    "Fri": "Friday",
    "Sat": "Saturday",
    "Sun": "Sunday",
}


def time_cell(minutes: int | None) -> str | None:
    """``08:05`` for 485 (``timegrid.fmt_time``); None stays None, a blank cell."""
    return None if minutes is None else fmt_time(minutes)


def span(start: int, end: int) -> str:
    return fmt_span(start, end)


def initials(name: str) -> str:
    """``A.L.`` for ``Ana Lopez``; letters only, so nothing of the name but its initials leaks."""
    parts = [w for w in name.replace("-", " ").split() if any(ch.isalpha() for ch in w)]
    return "".join(next(ch for ch in w if ch.isalpha()).upper() + "." for w in parts)


def fmt_minutes(m: int) -> str:
    """``2h 05m`` for 125, ``45m`` for 45."""
    h, mm = divmod(int(m), 60)
    return f"{h}h {mm:02d}m" if h else f"{mm}m"


@dataclass
class Labels:
    """Everything a sheet needs to name things, under one naming policy.

    ``anonymize``: students appear as initials + id; ``names=False``: students appear as ids.
    Paras always appear by name and id (staff, not students).
    """

    problem: Problem
    result: SolveResult
    anonymize: bool = False
    names: bool = True

    @cached_property
    def grid(self) -> WeekGrid:
        return WeekGrid(self.problem)

    @cached_property
    def _students(self) -> dict:
        return {s.student_id: s for s in self.problem.students}

    @cached_property
    def _paras(self) -> dict:
        return {p.para_id: p for p in self.problem.paras}

    @property
    def schedule(self):
        return self.result.schedule

    # -- people --------------------------------------------------------------------------------
    def student(self, sid: str) -> str:
        """Short label used in grids and lists."""
        st = self._students.get(sid)
        if st is None:
            return sid
        if self.anonymize:
            ini = initials(st.name)
            return f"{ini} {sid}" if ini else sid
        if self.names:
            return st.name
        return sid

    def student_full(self, sid: str) -> str:
        """Heading label: name and id (or initials and id when anonymized)."""
        st = self._students.get(sid)
        if st is None:
            return sid
        if self.anonymize:
            ini = initials(st.name)
            return f"{ini} ({sid})" if ini else sid
        if self.names:
            return f"{st.name} ({sid})"
        return sid

    def students(self, sids: tuple[str, ...] | list[str]) -> str:
        return ", ".join(self.student(s) for s in sids)

    def para(self, pid: str) -> str:
        p = self._paras.get(pid)
        return p.name if p else pid

    def para_full(self, pid: str) -> str:
        p = self._paras.get(pid)
        return f"{p.name} ({pid})" if p else pid

    # -- days ----------------------------------------------------------------------------------
    def date(self, day: str) -> dt.date | None:
        return self.problem.settings.date_of(day) if day else None

    def day_title(self, day: str) -> str:
        d = self.date(day)
        name = DAY_NAMES.get(day, day)
        return f"{name} {d.strftime('%b')} {d.day}" if d else name

    def week_title(self) -> str:
        s = self.problem.settings
        return f"week of {s.week_of.isoformat()}" if s.week_of else f"week {s.days[0]}-{s.days[-1]}"

    # -- blocks --------------------------------------------------------------------------------
    def group_kind(self, a: Assignment) -> str:
        """Category used for colors: ``1:1``, ``shared``, ``duty``, ``therapy``, ``lunch``, ``break``."""
        if a.kind == Kind.SUPPORT:
            if len(a.students) == 1 and self.segment_support(a.students[0], a.day, a.start) == Support.ONE_TO_ONE:
                return "1:1"
            return "shared"
        return str(a.kind)

    def segment_support(self, sid: str, day: str, t: int) -> Support | None:
        if sid not in self._students:
            return None
        for seg in self.grid.student_day(sid, day):
            if seg.start <= t < seg.end:
                return seg.support
        return None

    def what(self, a: Assignment) -> str:
        """``Support 1:1``, ``Duty: Lunchroom``, ``Therapy: speech (T1)``, ``Lunch``, ``Break``."""
        if a.kind == Kind.SUPPORT:
            return "Support 1:1" if self.group_kind(a) == "1:1" else "Support (shared)"
        if a.kind == Kind.DUTY:
            return f"Duty: {self.duty_name(a.ref)}"
        if a.kind == Kind.THERAPY:
            return f"Therapy: {self.session_kind(a.ref)} ({a.ref})"
        return "Lunch" if a.kind == Kind.LUNCH else "Break"

    def block_label(self, a: Assignment) -> str:
        """The text inside a grid block."""
        if a.kind == Kind.SUPPORT:
            return self.students(a.students)
        if a.kind == Kind.DUTY:
            return self.duty_name(a.ref)
        if a.kind == Kind.THERAPY:
            who = self.students(a.students or self.session_students(a.ref))
            return f"{self.session_kind(a.ref)}: {who}" if who else self.session_kind(a.ref)
        return "Lunch" if a.kind == Kind.LUNCH else "Break"

    def block_short(self, a: Assignment) -> str:
        """A shorter label for narrow blocks: ids (students, duty, session), L for lunch, B for break."""
        if a.kind == Kind.SUPPORT:
            return ",".join(a.students)
        if a.kind in (Kind.DUTY, Kind.THERAPY):
            return a.ref
        return "L" if a.kind == Kind.LUNCH else "B"

    def duty_name(self, duty_id: str) -> str:
        for d in self.problem.duties:
            if d.duty_id == duty_id:
                return d.name or d.duty_id
        return duty_id

    def session_kind(self, session_id: str) -> str:
        for s in self.problem.sessions:
            if s.session_id == session_id:
                return s.kind or "therapy"
        return "therapy"

    def session_students(self, session_id: str) -> tuple[str, ...]:
        for s in self.problem.sessions:
            if s.session_id == session_id:
                return s.student_ids
        return ()

    def where(self, a: Assignment) -> str:
        if a.location:
            return a.location
        if a.kind == Kind.DUTY:
            for d in self.problem.duties:
                if d.duty_id == a.ref:
                    return d.location
        return ""
