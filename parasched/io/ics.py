"""iCalendar export: one RFC 5545 ``.ics`` file per para, so each para has the week on their phone.

Written with the ``icalendar`` library (text escaping, line folding, CRLF line ends). Dates come
from ``week_of`` (the first school day's date): read from the schedule workbook's Summary sheet,
or from the input workbook when one is given. Times are floating local times (no time zone):
08:00 is 08:00 wherever the phone is, which is what a school day means, and a workbook names no
time zone to convert from. Events carry student ids only unless ``names`` is asked for (student
names are confidential).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from icalendar import Calendar, Event

from parasched.scheduler.errors import InputError, Issue
from parasched.scheduler.model import Problem
from parasched.scheduler.schedule import Assignment, Kind, Schedule, SolveResult, Status
from parasched.scheduler.timegrid import DAYS

from .labels import Labels, span

PRODID = "-//parasched//para schedule//EN"
NO_DATE = (
    "the schedule has no date for its week: set week_of (the date of the first school day) in the "
    "Settings sheet of the input and solve again, or give --input with week_of set"
)


@dataclass(frozen=True)
class WeekInfo:
    """What the Summary sheet says about the week."""

    week_of: dt.date | None = None
    days: tuple[str, ...] = ()
    school: str = ""


def _key(text: object) -> str:
    return re.sub(r"[\s_]+", " ", str(text or "")).strip().lower()


def read_week_info(path: str | Path) -> WeekInfo:
    """``Week of``, ``Days`` and ``School`` from the Summary sheet of a schedule workbook (blank if absent)."""
    import openpyxl

    from .cells import parse_date, parse_days

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # read_schedule (called first) reports an unreadable workbook properly
        return WeekInfo()
    try:
        sheet = next((n for n in wb.sheetnames if _key(n) == "summary"), None)
        if sheet is None:
            return WeekInfo()
        values: dict[str, object] = {}
        for row in wb[sheet].iter_rows(min_row=1, max_row=60, max_col=2, values_only=True):
            if row and row[0] is not None:
                values.setdefault(_key(row[0]), row[1] if len(row) > 1 else None)
    finally:
        wb.close()
    week_of = None
    raw = values.get("week of")
    if raw not in (None, ""):
        try:
            week_of = parse_date(raw)
        except ValueError:
            week_of = None
    days: tuple[str, ...] = ()
    if values.get("days"):
        try:
            days = parse_days(values["days"]) or ()
        except ValueError:
            days = ()
    return WeekInfo(week_of, days, str(values.get("school") or ""))


def date_of(day: str, week_of: dt.date, days: Sequence[str]) -> dt.date:
    """The calendar date of ``day``: ``week_of`` is the first school day (``days[0]``, else its weekday)."""
    first = days[0] if days else DAYS[week_of.weekday()]
    return week_of + dt.timedelta(days=DAYS.index(day) - DAYS.index(first))


def uid(a: Assignment, date: dt.date, school: str = "") -> str:
    """Stable: the same assignment on the same date always gets the same UID."""
    key = "|".join(
        [school, a.para_id, date.isoformat(), str(a.start), str(a.end), str(a.kind), a.ref, ",".join(a.students)]
    )
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:24] + "@parasched"


def _texts(a: Assignment, lb: Labels | None, names: bool) -> tuple[str, str, str]:
    """(summary, location, description) of an event."""
    students = lb.students(a.students) if lb is not None and names else ", ".join(a.students)
    if lb is not None:
        what = lb.what(a)
        where = lb.where(a)
        if a.kind == Kind.THERAPY and not a.students:
            sids = lb.session_students(a.ref)
            students = lb.students(sids) if names else ", ".join(sids)
    else:
        what = {
            Kind.SUPPORT: "Support",
            Kind.DUTY: f"Duty {a.ref}",
            Kind.THERAPY: f"Therapy {a.ref}",
            Kind.LUNCH: "Lunch",
            Kind.BREAK: "Break",
        }[a.kind]
        where = a.location
    summary = f"{what}: {students}" if students and a.kind in (Kind.SUPPORT, Kind.THERAPY) else what
    desc = f"{what}, {span(a.start, a.end)}"
    if students:
        desc += f"\nStudents: {students}"
    if where:
        desc += f"\nWhere: {where}"
    return summary, where, desc


def calendar(
    para_id: str,
    assignments: Sequence[Assignment],
    week_of: dt.date,
    days: Sequence[str],
    *,
    problem: Problem | None = None,
    names: bool = False,
    school: str = "",
    now: dt.datetime | None = None,
) -> str:
    """One para's week as an iCalendar document (CRLF line ends, folded lines)."""
    now = now or dt.datetime.now(dt.UTC)
    lb = Labels(problem, SolveResult(Status.FEASIBLE, Schedule()), names=names) if problem is not None else None
    para_name = lb.para_full(para_id) if lb is not None else para_id
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"{para_name} - week of {week_of.isoformat()}")
    for a in sorted(assignments, key=lambda a: (DAYS.index(a.day), a.start, a.end)):
        date = date_of(a.day, week_of, days)
        midnight = dt.datetime.combine(date, dt.time())  # naive: a floating local time
        summary, where, desc = _texts(a, lb, names)
        event = Event()
        event.add("uid", uid(a, date, school))
        event.add("dtstamp", now.astimezone(dt.UTC))
        event.add("dtstart", midnight + dt.timedelta(minutes=a.start))
        event.add("dtend", midnight + dt.timedelta(minutes=a.end))
        event.add("summary", summary)
        if where:
            event.add("location", where)
        event.add("description", desc)
        event.add("categories", [str(a.kind).upper()])
        event.add("transp", "TRANSPARENT" if a.kind in (Kind.LUNCH, Kind.BREAK) else "OPAQUE")
        cal.add_component(event)
    return cal.to_ical().decode("utf-8")


def _listing(names: list[str]) -> str:
    return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def _file_name(para_id: str, used: set[str]) -> str:
    base = re.sub(r"[^A-Za-z0-9_.-]+", "_", para_id).strip("._") or "para"
    name = f"{base}.ics"
    if name.lower() in used:
        name = f"{base}-{hashlib.sha1(para_id.encode()).hexdigest()[:6]}.ics"
    used.add(name.lower())
    return name


def export_ics(
    schedule_path: str | Path,
    out_dir: str | Path,
    *,
    input_path: str | Path | None = None,
    names: bool = False,
    now: dt.datetime | None = None,
    force: bool = False,
) -> list[Path]:
    """Write ``<para_id>.ics`` for every para with assignments; return the files written.

    Raises :class:`InputError` when no date is known for the week, the folder cannot be used,
    or (without ``force``) one of the files is already there.
    """
    from .files import atomic_output
    from .schedule_reader import ensure_belongs, read_schedule

    schedule_path, out = Path(schedule_path), Path(out_dir)
    schedule = read_schedule(schedule_path)
    info = read_week_info(schedule_path)
    problem: Problem | None = None
    if input_path is not None:
        from .reader import read_problem

        problem = read_problem(input_path).problem
        ensure_belongs(problem, schedule, schedule_path)  # another school's schedule: refused (issue 14)
    elif names:
        raise InputError(
            [
                Issue(
                    "needs --input: student names are taken from the input workbook (the "
                    "schedule's Assignments sheet, which calendars are made from, holds student ids); "
                    "add --input school.xlsx, or leave out --names for ids only",
                    "--names",
                )
            ]
        )
    week_of, days, school = info.week_of, info.days, info.school
    if problem is not None:
        s = problem.settings
        week_of, days, school = s.week_of or week_of, s.days, s.school_name or school
    if week_of is None:
        raise InputError([Issue(NO_DATE, schedule_path.name)])
    if out.exists() and not out.is_dir():
        raise InputError([Issue("is a file, not a folder; give a folder for the .ics files", str(out))])
    if not out.exists():
        if not out.parent.exists():
            raise InputError(
                [Issue(f"folder {out.parent} does not exist; create it or choose another folder", str(out))]
            )
        out.mkdir()
    by_para: dict[str, list[Assignment]] = {}
    for a in schedule.assignments:
        by_para.setdefault(a.para_id, []).append(a)
    order = [p.para_id for p in problem.paras if p.para_id in by_para] if problem is not None else []
    order += sorted(set(by_para) - set(order))
    inputs = [p for p in (schedule_path, input_path) if p is not None]
    used: set[str] = set()
    targets = {pid: out / _file_name(pid, used) for pid in order}
    there = [t.name for t in targets.values() if t.exists()]
    if there and not force:
        raise InputError(
            [
                Issue(
                    f"already holds {_listing(there)}; choose another folder, or add --force to overwrite them",
                    str(out),
                )
            ]
        )
    written: list[Path] = []
    for pid in order:
        target = targets[pid]
        text = calendar(pid, by_para[pid], week_of, days, problem=problem, names=names, school=school, now=now)
        with atomic_output(target, inputs=inputs) as tmp:
            Path(tmp).write_bytes(text.encode("utf-8"))
        written.append(target)
    return written
