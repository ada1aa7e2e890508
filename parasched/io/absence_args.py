"""Absences typed on the command line: ``--absent P07`` (whole day), ``--absent P11:10:00-12:00``.

``--absent`` applies to the days given with ``--day``. Without ``--day`` it is accepted only when
the week has exactly one school day (``Settings.days``); otherwise the person's day is ambiguous
and the command stops with exit 2 asking for ``--day``.

Ids are matched exactly, or case-insensitively when that names exactly one para or student
(``p07`` finds ``P07``). An id that is neither a para nor a student is an error.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from parasched.scheduler.errors import DataError, InputError, Issue
from parasched.scheduler.model import Absence, Problem
from parasched.scheduler.timegrid import DAYS, fmt_span

DAY_NAMES = {d.lower(): d for d in DAYS} | {
    "monday": "Mon",
    "tuesday": "Tue",
    "wednesday": "Wed",
    "thursday": "Thu",
    "friday": "Fri",
    "saturday": "Sat",
    "sunday": "Sun",
    "tues": "Tue",
    "thur": "Thu",
    "thurs": "Thu",
}

_TIME = r"\d{1,2}:\d{2}(?:\s*[AaPp][Mm])?"
_PART = re.compile(rf"^(?P<id>.+?):(?P<start>{_TIME})\s*-\s*(?P<end>{_TIME})$")
_CLOCK = re.compile(r"^(?P<h>\d{1,2}):(?P<m>\d{2})\s*(?P<ampm>[AaPp][Mm])?$")


@dataclass(frozen=True)
class AbsentArg:
    """One ``--absent`` value: a person, and a part of the day (None = the whole day)."""

    text: str
    person_id: str
    start: int | None = None
    end: int | None = None


def parse_time(text: str) -> int | None:
    """Minutes from midnight for ``8:30``, ``08:30``, ``1:30 PM``; None when not a time."""
    m = _CLOCK.match(text.strip())
    if not m:
        return None
    h, mi = int(m["h"]), int(m["m"])
    if m["ampm"]:
        if not 1 <= h <= 12:
            return None
        h = h % 12 + (12 if m["ampm"].lower() == "pm" else 0)
    if h > 24 or mi > 59 or (h == 24 and mi):
        return None
    return h * 60 + mi


def parse_absent(text: str) -> AbsentArg:
    """``P07`` or ``P11:10:00-12:00``; raises InputError with a message naming the value."""
    raw = text.strip()
    where = f"--absent {text}"
    if not raw:
        raise InputError([Issue("no id given; expected e.g. --absent P07 or --absent P07:10:00-12:00", where)])
    m = _PART.match(raw)
    if m is None:
        if re.search(r":\d", raw):
            raise InputError(
                [Issue("expected ID (whole day) or ID:HH:MM-HH:MM (part of the day), e.g. P11:10:00-12:00", where)]
            )
        return AbsentArg(text, raw)
    start, end = parse_time(m["start"]), parse_time(m["end"])
    if start is None or end is None:
        bad = m["start"] if start is None else m["end"]
        raise InputError([Issue(f"'{bad}' is not a time; expected HH:MM such as 10:00", where)])
    if end <= start:
        raise InputError([Issue(f"end {m['end']} is not after start {m['start']}", where)])
    return AbsentArg(text, m["id"].strip(), start, end)


def parse_days(values: Sequence[str], school_days: Sequence[str]) -> tuple[str, ...]:
    """``--day`` values (``Tue``, ``tuesday``, ``Mon-Wed``, ``Mon,Wed``) as school days in week order."""
    chosen: set[str] = set()
    issues: list[Issue] = []
    for value in values:
        for part in (p.strip() for p in value.split(",")):
            if not part:
                continue
            ends = [x.strip() for x in part.split("-")]
            names = [DAY_NAMES.get(x.lower()) for x in ends]
            if len(ends) > 2 or any(n is None for n in names):
                issues.append(
                    Issue(f"'{part}' is not a day; expected one of {', '.join(school_days)}", f"--day {value}")
                )
                continue
            first, last = DAYS.index(names[0] or ""), DAYS.index(names[-1] or "")
            if last < first:
                issues.append(Issue(f"'{part}' runs backwards; expected e.g. Mon-Wed", f"--day {value}"))
                continue
            for d in DAYS[first : last + 1]:
                if d not in school_days:
                    if len(ends) == 1:
                        issues.append(
                            Issue(
                                f"'{d}' is not a school day of this week (Settings days: {', '.join(school_days)})",
                                f"--day {value}",
                            )
                        )
                    continue
                chosen.add(d)
    if issues:
        raise InputError(issues)
    return tuple(d for d in school_days if d in chosen)


def resolve_id(person_id: str, problem: Problem) -> str | None:
    """The para or student id meant (exact, else a unique case-insensitive match), or None."""
    ids = [p.para_id for p in problem.paras] + [s.student_id for s in problem.students]
    if person_id in ids:
        return person_id
    found = [i for i in ids if i.lower() == person_id.lower()]
    return found[0] if len(found) == 1 else None


def absences_from_args(values: Sequence[str], days: Sequence[str], problem: Problem) -> tuple[Absence, ...]:
    """Absence records for ``--absent`` values on ``days`` (see the module docstring).

    Raises InputError (exit 2) naming every bad value: unknown ids, bad times, times off the
    grid, and ``--absent`` without ``--day`` in a week of several days.
    """
    if not values:
        return ()
    school_days = problem.settings.days
    if not days:
        if len(school_days) != 1:
            raise InputError(
                [
                    Issue(
                        f"which day? --absent needs --day (e.g. --day {school_days[0]}) when the "
                        f"week has several school days ({', '.join(school_days)})",
                        "--absent",
                    )
                ]
            )
        days = tuple(school_days)
    issues: list[Issue] = []
    out: list[Absence] = []
    step = problem.settings.time_step
    for value in values:
        try:
            arg = parse_absent(value)
        except InputError as exc:
            issues += exc.issues
            continue
        where = f"--absent {value}"
        pid = resolve_id(arg.person_id, problem)
        if pid is None:
            issues.append(Issue(f"'{arg.person_id}' is neither a para_id in Paras nor a student_id in Students", where))
            continue
        if arg.start is not None and arg.end is not None and (arg.start % step or arg.end % step):
            issues.append(
                Issue(
                    f"{fmt_span(arg.start, arg.end)} is not on the {step}-minute grid; "
                    f"expected times that are multiples of {step} minutes",
                    where,
                )
            )
            continue
        try:
            out.append(Absence(pid, tuple(days), arg.start, arg.end, reason="--absent"))
        except DataError as exc:
            issues.append(Issue(exc.text, where))
    if issues:
        raise InputError(issues)
    return tuple(out)


__all__ = ["AbsentArg", "absences_from_args", "parse_absent", "parse_days", "parse_time", "resolve_id"]
