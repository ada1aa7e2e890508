"""The problem data: frozen records validated at construction.

Each record checks itself in ``__post_init__`` (raising :class:`DataError` naming the field);
:class:`Problem` checks every cross-reference once, collecting all problems into one
:class:`InputError`. Change records only through ``dataclasses.replace``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from .errors import DataError, InputError, Issue, Source
from .timegrid import DAYS, Interval, fmt_span, fmt_time, overlaps

PRIORITIES = (1, 2, 3)
PRIORITY_NAMES = {1: "critical", 2: "required", 3: "desirable"}


class Support(StrEnum):
    """How much para support a student needs in a block."""

    ONE_TO_ONE = "1:1"
    SHARED = "shared"
    FLEX = "flex"
    NONE = "none"


class Role(StrEnum):
    PARA = "para"
    SUBSTITUTE = "substitute"


class DutyKind(StrEnum):
    LUNCH = "lunch"
    RECESS = "recess"
    BUS = "bus"
    ARRIVAL = "arrival"
    DISMISSAL = "dismissal"
    HALLWAY = "hallway"
    OTHER = "other"


class ParaRole(StrEnum):
    """What a para does in a therapy session."""

    NONE = "none"  # the provider has the student; no para needed
    ASSIST = "assist"  # a qualified para stays for the whole session
    DELIVER = "deliver"  # a para runs it (e.g. an RBT delivering ABA)


DAY_MINUTES = 24 * 60
WEEK_MINUTES = 7 * DAY_MINUTES  # the most minutes any weekly figure can mean
MAX_GROUP = 50  # a whole class with one para; beyond is a typo, and it would only slow the model down
MAX_STAFF_NEEDED = 50  # paras on one duty at once: no school duty needs more
MAX_TIME_LIMIT_SECONDS = 24 * 3600.0  # a solve is an overnight job at the very most


def _kind(expected: type | tuple[type, ...]) -> str:
    types = expected if isinstance(expected, tuple) else (expected,)
    names = {
        int: "a whole number",
        float: "a number",
        str: "text",
        bool: "yes/no (True/False)",
        tuple: "a tuple",
        dt.date: "a date",
    }
    return " or ".join(names.get(t, f"a {t.__name__} value") for t in types)


def _check_types(record: object, spec: dict[str, tuple[type | tuple[type, ...], bool]]) -> None:
    """Each field of ``spec`` holds its type (``(expected, may_be_none)``): a reader or script that
    passes the text ``'1:1'`` where ``Support.ONE_TO_ONE`` belongs fails here, naming the field,
    not deep in the solver. ``bool`` is never accepted for a number (True is an int in Python)."""
    for name, (expected, optional) in spec.items():
        value = getattr(record, name)
        if value is None and optional:
            continue
        is_number = expected in (int, float) or (isinstance(expected, tuple) and int in expected)
        if isinstance(value, expected) and not (is_number and isinstance(value, bool)):
            if isinstance(value, float) and not math.isfinite(value):
                raise DataError(f"{name} is {value}; expected a finite number", name)
            continue
        found = f"the text '{value}'" if isinstance(value, str) else f"{type(value).__name__} {value!r}"
        if isinstance(expected, type) and issubclass(expected, StrEnum):
            allowed = ", ".join(m.value for m in expected)
            raise DataError(
                f"{name} is {found}, not a {expected.__name__} ({allowed}); convert the cell with the reader's parser",
                name,
            )
        raise DataError(f"{name} is {found}; expected {_kind(expected)}", name)


def _check_strings(record: object, names: Iterable[str]) -> None:
    """Fields holding several values (days, ids, tags) are collections of text, never one text
    (a str would be read letter by letter: 'Mon' as the days 'M', 'o', 'n')."""
    for name in names:
        value = getattr(record, name)
        if isinstance(value, str | bytes) or not isinstance(value, tuple | frozenset | set | list):
            raise DataError(f"{name} is {type(value).__name__} {value!r}; expected a collection of text values", name)
        bad = next((v for v in value if not isinstance(v, str)), None)
        if bad is not None:
            raise DataError(f"{name} holds {type(bad).__name__} {bad!r}; expected text values", name)


def _check_interval(record: object, name: str) -> None:
    value = getattr(record, name)
    if value is None:
        return
    if not (
        isinstance(value, tuple)
        and len(value) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    ):
        raise DataError(f"{name} is {value!r}; expected (start, end) in minutes from midnight", name)
    if not (0 <= value[0] <= DAY_MINUTES and 0 <= value[1] <= DAY_MINUTES):
        raise DataError(f"{name} must lie within one day", name)


def _check_range(
    value: int | float | None, low: float, high: float, column: str, unit: str = "", why: str = ""
) -> None:
    """A number outside what the domain can mean (a week has 7 x 1,440 minutes) is a typo: refuse it
    with the range, before it costs minutes of solving or gigabytes of memory."""
    if value is None or low <= value <= high:
        return
    what = f" {unit}" if unit else ""
    reason = f"; {why}" if why else ""
    found = f"{value:g}" if abs(value) >= 1e7 or isinstance(value, float) else str(value)
    raise DataError(f"'{found}'{what} is out of range; expected {low:g} to {high:,g}{what}{reason}", column)


def _check_days(days: tuple[str, ...], column: str = "days") -> None:
    for d in days:
        if d not in DAYS:
            raise DataError(f"'{d}' is not a day; expected one of {', '.join(DAYS)}", column)
    if len(set(days)) != len(days):
        raise DataError("a day is listed twice", column)


def _check_span(start: int, end: int, step: int | None = None, what: str = "") -> None:
    if not (0 <= start < 24 * 60 and 0 < end <= 24 * 60):
        raise DataError(f"{what}times must lie within one day", "start")
    if end <= start:
        raise DataError(f"end {fmt_time(end)} is not after start {fmt_time(start)}", "end")


def _check_priority(priority: int) -> None:
    if priority not in PRIORITIES:
        raise DataError(
            f"'{priority}' is not a priority; expected 1 (critical), 2 (required) or 3 (desirable)", "priority"
        )


def _norm_tags(tags: frozenset[str]) -> frozenset[str]:
    return frozenset(t.strip().lower() for t in tags if t.strip())


@dataclass(frozen=True)
class Settings:
    """School-wide settings (the optional Settings sheet)."""

    school_name: str = ""
    days: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri")
    week_of: dt.date | None = None
    school_start: int = 8 * 60
    school_end: int = 15 * 60
    time_step: int = 5
    lunch_minutes: int = 30
    lunch_window: Interval = (10 * 60 + 30, 13 * 60 + 30)
    breaks_per_day: int = 0
    break_minutes: int = 15
    max_continuous_minutes: int | None = None
    min_support_minutes: int = 15
    time_limit_seconds: float = 60.0

    def __post_init__(self) -> None:
        _check_types(
            self,
            {
                "school_name": (str, False),
                "days": (tuple, False),
                "week_of": (dt.date, True),
                "school_start": (int, False),
                "school_end": (int, False),
                "time_step": (int, False),
                "lunch_minutes": (int, False),
                "lunch_window": (tuple, False),
                "breaks_per_day": (int, False),
                "break_minutes": (int, False),
                "max_continuous_minutes": (int, True),
                "min_support_minutes": (int, False),
                "time_limit_seconds": ((int, float), False),
            },
        )
        _check_strings(self, ("days",))
        _check_interval(self, "lunch_window")
        _check_days(self.days)
        if not self.days:
            raise DataError("no school days; expected e.g. Mon-Fri", "days")
        if self.time_step <= 0 or 60 % self.time_step != 0:
            raise DataError(f"'{self.time_step}' does not divide an hour; expected e.g. 5, 10, 15", "time_step_minutes")
        if self.school_end <= self.school_start:
            raise DataError("school_end is not after school_start", "school_end")
        if self.lunch_minutes < 0:
            raise DataError("lunch_minutes is negative; expected 0 or more", "lunch_minutes")
        if self.lunch_window[1] <= self.lunch_window[0]:
            raise DataError("the lunch window ends before it starts", "lunch_window")
        if self.lunch_minutes > self.lunch_window[1] - self.lunch_window[0]:
            raise DataError("lunch_minutes is longer than the lunch window", "lunch_minutes")
        if self.breaks_per_day < 0:
            raise DataError("breaks_per_day is negative; expected 0 or more", "breaks_per_day")
        if self.break_minutes <= 0:
            raise DataError("break_minutes must be positive", "break_minutes")
        if self.max_continuous_minutes is not None and self.max_continuous_minutes <= 0:
            raise DataError("max_continuous_minutes must be positive", "max_continuous_minutes")
        if self.min_support_minutes < 0:
            raise DataError("min_support_minutes is negative; expected 0 (no minimum) or more", "min_support_minutes")
        if self.time_limit_seconds <= 0:
            raise DataError("time_limit_seconds must be positive", "time_limit_seconds")
        if not (0 <= self.school_start < DAY_MINUTES and 0 < self.school_end <= DAY_MINUTES):
            raise DataError("school_start and school_end must lie within one day", "school_start")
        _check_range(self.lunch_minutes, 0, DAY_MINUTES, "lunch_minutes", "minutes")
        _check_range(self.break_minutes, 1, DAY_MINUTES, "break_minutes", "minutes")
        day = self.school_end - self.school_start
        most = max(0, (day - self.lunch_minutes - 1) // self.break_minutes)
        _check_range(
            self.breaks_per_day,
            0,
            most,
            "breaks_per_day",
            "breaks",
            f"{self.break_minutes}-minute breaks and the {self.lunch_minutes}-minute lunch must leave "
            f"working time in the {day}-minute school day",
        )
        _check_range(self.max_continuous_minutes, 1, DAY_MINUTES, "max_continuous_minutes", "minutes")
        _check_range(self.min_support_minutes, 0, DAY_MINUTES, "min_support_minutes", "minutes")
        _check_range(
            self.time_limit_seconds, 0, MAX_TIME_LIMIT_SECONDS, "time_limit_seconds", "seconds", "a day at the most"
        )
        for name in ("school_start", "school_end"):
            if getattr(self, name) % self.time_step:
                raise DataError(f"{name} is not on the {self.time_step}-minute grid", name)
        for v in self.lunch_window:
            if v % self.time_step:
                raise DataError(f"the lunch window is not on the {self.time_step}-minute grid", "lunch_window")
        for name in ("lunch_minutes", "break_minutes"):
            if getattr(self, name) % self.time_step:
                raise DataError(f"{name} is not a multiple of the {self.time_step}-minute grid", name)

    def date_of(self, day: str) -> dt.date | None:
        """Calendar date of a school day when ``week_of`` (the first day's date) is given."""
        if self.week_of is None:
            return None
        return self.week_of + dt.timedelta(days=DAYS.index(day) - DAYS.index(self.days[0]))


@dataclass(frozen=True)
class Para:
    """A paraprofessional (or substitute) and their usual hours."""

    para_id: str
    name: str
    start: int
    end: int
    days: tuple[str, ...] = ()  # empty = every school day
    role: Role = Role.PARA
    skills: frozenset[str] = frozenset()
    gender: str = ""
    lunch_minutes: int | None = None
    lunch_window: Interval | None = None
    max_duty_minutes: int | None = None
    general_duties: bool = True
    source: Source | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        _check_types(
            self,
            {
                "para_id": (str, False),
                "name": (str, False),
                "start": (int, False),
                "end": (int, False),
                "days": (tuple, False),
                "role": (Role, False),
                "gender": (str, False),
                "lunch_minutes": (int, True),
                "lunch_window": (tuple, True),
                "max_duty_minutes": (int, True),
                "general_duties": (bool, False),
            },
        )
        _check_strings(self, ("days", "skills"))
        _check_interval(self, "lunch_window")
        if not self.para_id.strip():
            raise DataError("para_id is blank", "para_id")
        if not self.name.strip():
            raise DataError("name is blank", "name")
        _check_days(self.days)
        _check_span(self.start, self.end)
        object.__setattr__(self, "skills", _norm_tags(self.skills))
        object.__setattr__(self, "gender", self.gender.strip().lower())
        if self.lunch_minutes is not None and self.lunch_minutes < 0:
            raise DataError("lunch_minutes is negative", "lunch_minutes")
        if self.lunch_window is not None and self.lunch_window[1] <= self.lunch_window[0]:
            raise DataError("the lunch window ends before it starts", "lunch_window")
        if self.max_duty_minutes is not None and self.max_duty_minutes < 0:
            raise DataError("max_duty_minutes is negative", "max_duty_minutes")
        _check_range(self.lunch_minutes, 0, DAY_MINUTES, "lunch_minutes", "minutes", "a day at the most")
        _check_range(
            self.max_duty_minutes, 0, WEEK_MINUTES, "max_duty_minutes", "minutes", "a week has 7 x 1,440 minutes"
        )

    @property
    def is_substitute(self) -> bool:
        return self.role == Role.SUBSTITUTE


@dataclass(frozen=True)
class Availability:
    """A per-day exception to a para's hours; ``start``/``end`` None means not working."""

    para_id: str
    day: str
    start: int | None = None
    end: int | None = None
    source: Source | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        _check_types(self, {"para_id": (str, False), "day": (str, False), "start": (int, True), "end": (int, True)})
        _check_days((self.day,), "day")
        if (self.start is None) != (self.end is None):
            raise DataError(
                "give both start and end, or leave both blank for a day off", "end" if self.end is None else "start"
            )
        if self.start is not None and self.end is not None:
            _check_span(self.start, self.end)


@dataclass(frozen=True)
class Student:
    """A student with IEP support needs."""

    student_id: str
    name: str
    grade: str = ""
    homeroom: str = ""
    support: Support = Support.ONE_TO_ONE
    group_max: int = 3
    skills_required: frozenset[str] = frozenset()
    gender: str = ""
    gender_match: bool = False
    priority: int = 2
    max_minutes_with_same_para: int | None = None
    preferred_paras: tuple[str, ...] = ()
    avoid_paras: tuple[str, ...] = ()
    weekly_flex_minutes: int = 0
    source: Source | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        _check_types(
            self,
            {
                "student_id": (str, False),
                "name": (str, False),
                "grade": (str, False),
                "homeroom": (str, False),
                "support": (Support, False),
                "group_max": (int, False),
                "gender": (str, False),
                "gender_match": (bool, False),
                "priority": (int, False),
                "max_minutes_with_same_para": (int, True),
                "preferred_paras": (tuple, False),
                "avoid_paras": (tuple, False),
                "weekly_flex_minutes": (int, False),
            },
        )
        _check_strings(self, ("skills_required", "preferred_paras", "avoid_paras"))
        if not self.student_id.strip():
            raise DataError("student_id is blank", "student_id")
        if not self.name.strip():
            raise DataError("name is blank", "name")
        if self.group_max < 1:
            raise DataError(f"'{self.group_max}' is too small; expected a group size of 1 or more", "group_max")
        _check_priority(self.priority)
        object.__setattr__(self, "skills_required", _norm_tags(self.skills_required))
        object.__setattr__(self, "gender", self.gender.strip().lower())
        if self.gender_match and not self.gender:
            raise DataError("gender_match is yes but the student's gender is blank", "gender")
        if self.max_minutes_with_same_para is not None and self.max_minutes_with_same_para <= 0:
            raise DataError("max_minutes_with_same_para must be positive", "max_minutes_with_same_para")
        if self.weekly_flex_minutes < 0:
            raise DataError("weekly_flex_minutes is negative", "weekly_flex_minutes")
        _check_range(self.group_max, 1, MAX_GROUP, "group_max", "students", "one para with a whole class at most")
        _check_range(
            self.max_minutes_with_same_para,
            1,
            DAY_MINUTES,
            "max_minutes_with_same_para",
            "minutes",
            "it counts per day",
        )
        _check_range(
            self.weekly_flex_minutes, 0, WEEK_MINUTES, "weekly_flex_minutes", "minutes", "a week has 7 x 1,440 minutes"
        )
        if set(self.preferred_paras) & set(self.avoid_paras):
            raise DataError("a para is both preferred and avoided", "avoid_paras")


@dataclass(frozen=True)
class StudentBlock:
    """One StudentSchedule row: where a student is and what support they need there."""

    student_id: str
    start: int
    end: int
    days: tuple[str, ...] = ()  # empty = every school day
    activity: str = ""
    location: str = ""  # blank = the student's homeroom
    support: Support | None = None  # None = the student's default
    skills_required: frozenset[str] = frozenset()
    protected: bool = False
    source: Source | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        _check_types(
            self,
            {
                "student_id": (str, False),
                "start": (int, False),
                "end": (int, False),
                "days": (tuple, False),
                "activity": (str, False),
                "location": (str, False),
                "support": (Support, True),
                "protected": (bool, False),
            },
        )
        _check_strings(self, ("days", "skills_required"))
        _check_days(self.days)
        _check_span(self.start, self.end)
        object.__setattr__(self, "skills_required", _norm_tags(self.skills_required))


@dataclass(frozen=True)
class Duty:
    """A supervision duty (lunch, recess, bus...) needing ``staff_needed`` paras every minute."""

    duty_id: str
    name: str
    kind: DutyKind
    start: int
    end: int
    days: tuple[str, ...] = ()
    location: str = ""
    staff_needed: int = 1
    skills_required: frozenset[str] = frozenset()
    priority: int = 2
    source: Source | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        _check_types(
            self,
            {
                "duty_id": (str, False),
                "name": (str, False),
                "kind": (DutyKind, False),
                "start": (int, False),
                "end": (int, False),
                "days": (tuple, False),
                "location": (str, False),
                "staff_needed": (int, False),
                "priority": (int, False),
            },
        )
        _check_strings(self, ("days", "skills_required"))
        if not self.duty_id.strip():
            raise DataError("duty_id is blank", "duty_id")
        _check_days(self.days)
        _check_span(self.start, self.end)
        if self.staff_needed < 1:
            raise DataError(f"'{self.staff_needed}' is too small; expected 1 or more", "staff_needed")
        _check_range(self.staff_needed, 1, MAX_STAFF_NEEDED, "staff_needed", "paras", "paras on one duty at once")
        _check_priority(self.priority)
        object.__setattr__(self, "skills_required", _norm_tags(self.skills_required))


@dataclass(frozen=True)
class Session:
    """A therapy session: fixed (``days/start/end``) or flexible (placed by the solver)."""

    session_id: str
    student_ids: tuple[str, ...]
    kind: str = ""
    provider: str = ""
    para_role: ParaRole = ParaRole.NONE
    skills_required: frozenset[str] = frozenset()
    priority: int = 2
    # fixed
    days: tuple[str, ...] = ()
    start: int | None = None
    end: int | None = None
    # flexible
    sessions_per_week: int | None = None
    duration_minutes: int | None = None
    allowed_days: tuple[str, ...] = ()
    window: Interval | None = None
    source: Source | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        _check_types(
            self,
            {
                "session_id": (str, False),
                "student_ids": (tuple, False),
                "kind": (str, False),
                "provider": (str, False),
                "para_role": (ParaRole, False),
                "priority": (int, False),
                "days": (tuple, False),
                "start": (int, True),
                "end": (int, True),
                "sessions_per_week": (int, True),
                "duration_minutes": (int, True),
                "allowed_days": (tuple, False),
                "window": (tuple, True),
            },
        )
        _check_strings(self, ("student_ids", "skills_required", "days", "allowed_days"))
        _check_interval(self, "window")
        if not self.session_id.strip():
            raise DataError("session_id is blank", "session_id")
        if not self.student_ids:
            raise DataError("no students; expected one or more student ids", "student_ids")
        if len(set(self.student_ids)) != len(self.student_ids):
            raise DataError("a student is listed twice", "student_ids")
        _check_priority(self.priority)
        _check_days(self.days)
        _check_days(self.allowed_days, "allowed_days")
        object.__setattr__(self, "skills_required", _norm_tags(self.skills_required))
        fixed = self.start is not None or self.end is not None
        flexible = self.sessions_per_week is not None or self.duration_minutes is not None
        if fixed and flexible:
            raise DataError(
                "both fixed times (start/end) and flexible fields are filled; expected one or the other",
                "sessions_per_week",
            )
        if not fixed and not flexible:
            raise DataError(
                "neither start/end (a fixed session) nor sessions_per_week and "
                "duration_minutes (a flexible one) are given",
                "start",
            )
        if fixed:
            if self.start is None or self.end is None:
                raise DataError("a fixed session needs both start and end", "start" if self.start is None else "end")
            _check_span(self.start, self.end)
            if self.allowed_days or self.window:
                raise DataError("allowed_days/window apply to flexible sessions only", "allowed_days")
        else:
            if self.sessions_per_week is None or self.sessions_per_week < 1:
                raise DataError("a flexible session needs sessions_per_week of 1 or more", "sessions_per_week")
            if self.duration_minutes is None or self.duration_minutes < 1:
                raise DataError("a flexible session needs duration_minutes of 1 or more", "duration_minutes")
            _check_range(self.sessions_per_week, 1, len(DAYS), "sessions_per_week", "sessions", "at most one a day")
            _check_range(self.duration_minutes, 1, DAY_MINUTES, "duration_minutes", "minutes", "a day at the most")
            if self.days:
                raise DataError("days apply to fixed sessions; use allowed_days for a flexible one", "days")
            if self.window is not None:
                if self.window[1] <= self.window[0]:
                    raise DataError("window_end is not after window_start", "window_end")
                if self.window[1] - self.window[0] < self.duration_minutes:
                    raise DataError("the window is shorter than duration_minutes", "window_end")
        if self.para_role == ParaRole.NONE and not self.provider.strip():
            raise DataError("a session with para_role none needs a provider", "provider")

    @property
    def is_flexible(self) -> bool:
        return self.sessions_per_week is not None

    @property
    def needs_para(self) -> bool:
        return self.para_role != ParaRole.NONE

    @property
    def duration(self) -> int:
        """Minutes per occurrence."""
        if self.is_flexible:
            assert self.duration_minutes is not None
            return self.duration_minutes
        assert self.start is not None and self.end is not None
        return self.end - self.start


@dataclass(frozen=True)
class ProviderHours:
    """When a therapy provider can see students."""

    provider: str
    start: int
    end: int
    days: tuple[str, ...] = ()
    source: Source | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        _check_types(
            self, {"provider": (str, False), "start": (int, False), "end": (int, False), "days": (tuple, False)}
        )
        _check_strings(self, ("days",))
        if not self.provider.strip():
            raise DataError("provider is blank", "provider")
        _check_days(self.days)
        _check_span(self.start, self.end)


@dataclass(frozen=True)
class Absence:
    """A para or student out; ``start``/``end`` None means the whole day."""

    person_id: str
    days: tuple[str, ...] = ()
    start: int | None = None
    end: int | None = None
    reason: str = ""
    source: Source | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        _check_types(
            self,
            {
                "person_id": (str, False),
                "days": (tuple, False),
                "start": (int, True),
                "end": (int, True),
                "reason": (str, False),
            },
        )
        _check_strings(self, ("days",))
        if not self.person_id.strip():
            raise DataError("person_id is blank", "person_id")
        _check_days(self.days)
        if (self.start is None) != (self.end is None):
            raise DataError(
                "give both start and end, or leave both blank for the whole day", "end" if self.end is None else "start"
            )
        if self.start is not None and self.end is not None:
            _check_span(self.start, self.end)


def _where(record: object, column: str | None = None) -> str:
    src: Source | None = getattr(record, "source", None)
    return src.cell(column) if src else ""


@dataclass(frozen=True)
class Problem:
    """A whole school week: everything the scheduler needs, cross-checked once."""

    settings: Settings
    paras: tuple[Para, ...]
    students: tuple[Student, ...]
    student_blocks: tuple[StudentBlock, ...] = ()
    availability: tuple[Availability, ...] = ()
    duties: tuple[Duty, ...] = ()
    sessions: tuple[Session, ...] = ()
    provider_hours: tuple[ProviderHours, ...] = ()
    absences: tuple[Absence, ...] = ()

    def __post_init__(self) -> None:
        issues = self.validate()
        errors = [i for i in issues if i.severity == "error"]
        if errors:
            raise InputError(errors)

    # -- lookups -------------------------------------------------------------------------------
    def para(self, para_id: str) -> Para:
        return self._para_index[para_id]

    def student(self, student_id: str) -> Student:
        return self._student_index[student_id]

    def duty(self, duty_id: str) -> Duty:
        return self._duty_index[duty_id]

    def session(self, session_id: str) -> Session:
        return self._session_index[session_id]

    # cached_property writes the instance __dict__ directly, so it works on a frozen dataclass
    @cached_property
    def _para_index(self) -> dict[str, Para]:
        return {p.para_id: p for p in self.paras}

    @cached_property
    def _student_index(self) -> dict[str, Student]:
        return {s.student_id: s for s in self.students}

    @cached_property
    def _duty_index(self) -> dict[str, Duty]:
        return {d.duty_id: d for d in self.duties}

    @cached_property
    def _session_index(self) -> dict[str, Session]:
        return {s.session_id: s for s in self.sessions}

    def days_of(self, days: tuple[str, ...]) -> tuple[str, ...]:
        """The school days a days cell means (blank = every school day), in week order."""
        if not days:
            return self.settings.days
        return tuple(d for d in self.settings.days if d in days)

    # -- cross-reference validation ------------------------------------------------------------
    def validate(self) -> list[Issue]:
        """Every cross-reference problem at once (errors), without raising."""
        issues: list[Issue] = []

        def err(record: object, column: str | None, text: str) -> None:
            issues.append(Issue(text, _where(record, column)))

        def dupes(records: tuple[object, ...], key: str, sheet: str) -> None:
            seen: dict[str, object] = {}
            for r in records:
                k = getattr(r, key)
                if k.lower() in seen:
                    first = getattr(seen[k.lower()], "source", None)
                    at = f" (first at row {first.row})" if first else ""
                    err(r, key, f"'{k}' is a duplicate {key}{at}; expected ids unique within {sheet}")
                else:
                    seen[k.lower()] = r

        dupes(self.paras, "para_id", "Paras")
        dupes(self.students, "student_id", "Students")
        dupes(self.duties, "duty_id", "Duties")
        dupes(self.sessions, "session_id", "Therapy")
        para_ids = {p.para_id for p in self.paras}
        student_ids = {s.student_id for s in self.students}
        providers = {h.provider for h in self.provider_hours}

        for s in self.students:
            for col, ids in (("preferred_paras", s.preferred_paras), ("avoid_paras", s.avoid_paras)):
                for pid in ids:
                    if pid not in para_ids:
                        err(s, col, f"'{pid}' is not a para_id in Paras; expected ids from the Paras sheet")
        for a in self.availability:
            if a.para_id not in para_ids:
                err(a, "para_id", f"'{a.para_id}' is not a para_id in Paras; expected ids from the Paras sheet")
        for b in self.student_blocks:
            if b.student_id not in student_ids:
                err(
                    b,
                    "student_id",
                    f"'{b.student_id}' is not a student_id in Students; expected ids from the Students sheet",
                )
        for ses in self.sessions:
            for sid in ses.student_ids:
                if sid not in student_ids:
                    err(
                        ses,
                        "student_ids",
                        f"'{sid}' is not a student_id in Students; expected ids from the Students sheet",
                    )
            if ses.is_flexible and ses.sessions_per_week is not None:
                n_days = len(self.days_of(ses.allowed_days))
                if ses.sessions_per_week > n_days:
                    err(
                        ses,
                        "sessions_per_week",
                        f"'{ses.sessions_per_week}' sessions a week cannot fit at most one a day on "
                        f"{n_days} allowed day(s)",
                    )
        for ab in self.absences:
            if ab.person_id not in para_ids and ab.person_id not in student_ids:
                err(ab, "person_id", f"'{ab.person_id}' is neither a para_id nor a student_id")

        # a student is in one place at a time
        by_student: dict[str, list[StudentBlock]] = {}
        for b in self.student_blocks:
            by_student.setdefault(b.student_id, []).append(b)
        for blocks in by_student.values():
            for i, b1 in enumerate(blocks):
                for b2 in blocks[i + 1 :]:
                    common = set(self.days_of(b1.days)) & set(self.days_of(b2.days))
                    if common and overlaps((b1.start, b1.end), (b2.start, b2.end)):
                        other = f"row {b2.source.row}" if b2.source else "another row"
                        day = next(d for d in self.settings.days if d in common)
                        err(
                            b1,
                            "start",
                            f"student '{b1.student_id}' is in two places on {day}: "
                            f"{fmt_span(b1.start, b1.end)} overlaps {other} "
                            f"({fmt_span(b2.start, b2.end)}); expected one row per time",
                        )

        # grid
        step = self.settings.time_step
        grid_checks: list[tuple[object, str, int | None]] = []
        for p in self.paras:
            grid_checks += [(p, "start", p.start), (p, "end", p.end)]
            if p.lunch_minutes is not None:
                grid_checks.append((p, "lunch_minutes", p.lunch_minutes))
            if p.lunch_window is not None:
                grid_checks += [(p, "lunch_window", p.lunch_window[0]), (p, "lunch_window", p.lunch_window[1])]
        spans: tuple[Availability | StudentBlock | Duty | ProviderHours | Absence, ...] = (
            *self.availability,
            *self.student_blocks,
            *self.duties,
            *self.provider_hours,
            *self.absences,
        )
        for rec in spans:
            grid_checks += [(rec, "start", rec.start), (rec, "end", rec.end)]
        for ses in self.sessions:
            grid_checks += [(ses, "start", ses.start), (ses, "end", ses.end)]
            if ses.window is not None:
                grid_checks += [(ses, "window_start", ses.window[0]), (ses, "window_end", ses.window[1])]
            if ses.duration_minutes is not None:
                grid_checks.append((ses, "duration_minutes", ses.duration_minutes))
        for owner, col, value in grid_checks:
            if value is not None and value % step:
                shown = str(value) if col in ("duration_minutes", "lunch_minutes") else fmt_time(value)
                err(owner, col, f"'{shown}' is not on the {step}-minute grid; expected a multiple of {step} minutes")

        # fixed sessions: provider one place at a time, inside provider hours
        fixed = [s for s in self.sessions if not s.is_flexible]
        for i, s1 in enumerate(fixed):
            assert s1.start is not None and s1.end is not None
            if s1.provider and s1.provider in providers:
                for day in self.days_of(s1.days):
                    hours = [
                        (h.start, h.end)
                        for h in self.provider_hours
                        if h.provider == s1.provider and day in self.days_of(h.days)
                    ]
                    if not any(a <= s1.start and s1.end <= b for a, b in hours):
                        err(
                            s1,
                            "start",
                            f"fixed session at {day} {fmt_span(s1.start, s1.end)} is outside "
                            f"provider '{s1.provider}' hours in Providers; expected a time the "
                            "provider is in",
                        )
                        break
            for s2 in fixed[i + 1 :]:
                assert s2.start is not None and s2.end is not None
                common = set(self.days_of(s1.days)) & set(self.days_of(s2.days))
                if not common or not overlaps((s1.start, s1.end), (s2.start, s2.end)):
                    continue
                if s1.provider and s1.provider == s2.provider:
                    err(
                        s2,
                        "start",
                        f"provider '{s1.provider}' is booked twice: session '{s2.session_id}' "
                        f"overlaps '{s1.session_id}'; expected one session at a time per provider",
                    )
                shared = set(s1.student_ids) & set(s2.student_ids)
                if shared:
                    err(
                        s2,
                        "start",
                        f"student '{sorted(shared)[0]}' is in two sessions at once: "
                        f"'{s2.session_id}' overlaps '{s1.session_id}'",
                    )
        return issues
