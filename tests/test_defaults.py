"""The blank-default matrix (issue 13): every default the contract gives reaches the domain typed
exactly as an explicit cell would, and the school still solves and passes the checker.

One test per optional column left blank (in every row), per Settings row left out (or present
with a blank value) and per optional sheet missing. Each starts from one explicit tiny school in
which the value is filled in, expects the same school with the contract's default in that place,
then solves it (workers=1, short limit) and checks the schedule.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from parasched.io.input_writer import build_input_workbook, problem_rows
from parasched.io.reader import read_problem
from parasched.scheduler.check import check_schedule
from parasched.scheduler.errors import DataError
from parasched.scheduler.model import (
    Absence,
    Availability,
    Duty,
    DutyKind,
    Para,
    ParaRole,
    Problem,
    ProviderHours,
    Role,
    Session,
    Settings,
    Student,
    StudentBlock,
    Support,
)
from parasched.solver.options import SolverOptions
from parasched.workflows.solve import solve
from tests.fixtures import t

# Every value differs from the contract's default where the contract allows it.
EXPLICIT = Problem(
    Settings(
        school_name="Tiny School",
        days=("Mon", "Tue"),
        week_of=dt.date(2026, 12, 7),
        school_start=t("07:45"),
        school_end=t("12:00"),
        time_step=15,
        lunch_minutes=45,
        lunch_window=(t("10:30"), t("12:30")),
        breaks_per_day=1,
        break_minutes=30,
        max_continuous_minutes=150,
        min_support_minutes=30,
        time_limit_seconds=20,
    ),
    (
        Para(
            "P1",
            "Ana Ruiz",
            t("07:30"),
            t("12:30"),
            days=("Mon", "Tue"),
            skills=frozenset({"behavior", "medical"}),
            gender="f",
            lunch_minutes=30,
            lunch_window=(t("11:00"), t("12:00")),
            max_duty_minutes=120,
        ),
        Para(
            "P2",
            "Ben Cole",
            t("08:00"),
            t("12:00"),
            role=Role.SUBSTITUTE,
            skills=frozenset({"behavior"}),
            gender="m",
            general_duties=False,
        ),
        Para(
            "P3",
            "Cara Diaz",
            t("08:00"),
            t("12:00"),
            days=("Tue",),
            skills=frozenset({"asl", "behavior"}),
            gender="f",
            max_duty_minutes=60,
        ),
    ),
    (
        Student(
            "S1",
            "Hana Ito",
            grade="3",
            homeroom="Room 101",
            support=Support.FLEX,
            group_max=2,
            skills_required=frozenset({"behavior"}),
            gender="f",
            gender_match=True,
            priority=1,
            max_minutes_with_same_para=120,
            preferred_paras=("P1",),
            avoid_paras=("P2",),
            weekly_flex_minutes=60,
        ),
        Student("S2", "Gus Park", grade="K", homeroom="Room 102", support=Support.SHARED, priority=3, gender="m"),
        Student("S3", "Fay Long", support=Support.NONE, group_max=2, priority=1),
    ),
    (
        StudentBlock(
            "S3",
            t("08:00"),
            t("10:00"),
            days=("Mon",),
            activity="Reading",
            location="Room 103",
            support=Support.SHARED,
            skills_required=frozenset({"asl"}),
            protected=True,
        ),
        StudentBlock(
            "S3",
            t("10:00"),
            t("12:00"),
            days=("Mon", "Tue"),
            activity="Math",
            location="Room 104",
            support=Support.FLEX,
            skills_required=frozenset({"behavior"}),
        ),
    ),
    (Availability("P3", "Mon", t("09:00"), t("11:00")),),
    (
        Duty(
            "D1",
            "Bus line",
            DutyKind.BUS,
            t("08:00"),
            t("08:30"),
            days=("Mon",),
            location="Front door",
            staff_needed=2,
            skills_required=frozenset({"medical"}),
            priority=1,
        ),
        Duty("D2", "Recess", DutyKind.RECESS, t("10:00"), t("10:30"), days=("Mon", "Tue"), location="Yard", priority=3),
    ),
    (
        Session(
            "T1",
            ("S1",),
            kind="speech",
            provider="Ms Reed",
            para_role=ParaRole.ASSIST,
            skills_required=frozenset({"behavior"}),
            priority=1,
            days=("Tue",),
            start=t("09:00"),
            end=t("09:30"),
        ),
        Session(
            "T2",
            ("S2", "S3"),
            kind="OT",
            provider="Mr Ode",
            para_role=ParaRole.DELIVER,
            priority=3,
            sessions_per_week=1,
            duration_minutes=30,
            allowed_days=("Mon",),
            window=(t("08:30"), t("11:30")),
        ),
    ),
    (ProviderHours("Mr Ode", t("08:00"), t("12:00"), days=("Mon",)),),
    (
        Absence("P2", ("Tue",), t("09:00"), t("10:00"), reason="training"),
        Absence("S2", ("Mon",), t("08:00"), t("09:00"), reason="doctor"),
    ),
)

Default = Callable[[Any], Any] | Any  # a value, or a function of the record (a duty's name is its id)

# (sheet, columns blanked together, Problem field, {record field: the contract's default})
COLUMNS: list[tuple[str, tuple[str, ...], str, dict[str, Default]]] = [
    ("Paras", ("role",), "paras", {"role": Role.PARA}),
    ("Paras", ("days",), "paras", {"days": ()}),
    ("Paras", ("skills",), "paras", {"skills": frozenset()}),
    ("Paras", ("lunch_minutes",), "paras", {"lunch_minutes": None}),
    ("Paras", ("lunch_window",), "paras", {"lunch_window": None}),
    ("Paras", ("max_duty_minutes",), "paras", {"max_duty_minutes": None}),
    ("Paras", ("general_duties",), "paras", {"general_duties": True}),
    ("Paras", ("gender",), "paras", {"gender": ""}),
    ("Availability", ("start", "end"), "availability", {"start": None, "end": None}),
    ("Students", ("grade",), "students", {"grade": ""}),
    ("Students", ("homeroom",), "students", {"homeroom": ""}),
    ("Students", ("support",), "students", {"support": Support.ONE_TO_ONE}),
    ("Students", ("group_max",), "students", {"group_max": 3}),
    ("Students", ("skills_required",), "students", {"skills_required": frozenset()}),
    # gender_match = yes needs a gender: both left blank together
    ("Students", ("gender", "gender_match"), "students", {"gender": "", "gender_match": False}),
    ("Students", ("gender_match",), "students", {"gender_match": False}),
    ("Students", ("priority",), "students", {"priority": 2}),
    ("Students", ("max_minutes_with_same_para",), "students", {"max_minutes_with_same_para": None}),
    ("Students", ("preferred_paras",), "students", {"preferred_paras": ()}),
    ("Students", ("avoid_paras",), "students", {"avoid_paras": ()}),
    ("Students", ("weekly_flex_minutes",), "students", {"weekly_flex_minutes": 0}),
    ("StudentSchedule", ("days",), "student_blocks", {"days": ()}),
    ("StudentSchedule", ("activity",), "student_blocks", {"activity": ""}),
    ("StudentSchedule", ("location",), "student_blocks", {"location": ""}),
    ("StudentSchedule", ("support",), "student_blocks", {"support": None}),
    ("StudentSchedule", ("skills_required",), "student_blocks", {"skills_required": frozenset()}),
    ("StudentSchedule", ("protected",), "student_blocks", {"protected": False}),
    ("Duties", ("name",), "duties", {"name": lambda d: d.duty_id}),
    ("Duties", ("kind",), "duties", {"kind": DutyKind.OTHER}),
    ("Duties", ("days",), "duties", {"days": ()}),
    ("Duties", ("location",), "duties", {"location": ""}),
    ("Duties", ("staff_needed",), "duties", {"staff_needed": 1}),
    ("Duties", ("skills_required",), "duties", {"skills_required": frozenset()}),
    ("Duties", ("priority",), "duties", {"priority": 2}),
    ("Therapy", ("kind",), "sessions", {"kind": ""}),
    ("Therapy", ("provider",), "sessions", {"provider": ""}),
    ("Therapy", ("para_role",), "sessions", {"para_role": ParaRole.NONE}),
    ("Therapy", ("skills_required",), "sessions", {"skills_required": frozenset()}),
    ("Therapy", ("priority",), "sessions", {"priority": 2}),
    ("Therapy", ("days",), "sessions", {"days": ()}),
    ("Therapy", ("allowed_days",), "sessions", {"allowed_days": ()}),
    ("Therapy", ("window_start", "window_end"), "sessions", {"window": None}),
    ("Providers", ("days",), "provider_hours", {"days": ()}),
    ("Absences", ("days",), "absences", {"days": ()}),
    ("Absences", ("start", "end"), "absences", {"start": None, "end": None}),
    ("Absences", ("reason",), "absences", {"reason": ""}),
]

SETTING_FIELDS = {"time_step_minutes": "time_step"}  # setting name -> Settings field, where they differ
SETTING_NAMES = [name for name, _ in problem_rows(EXPLICIT)["Settings"]]
OPTIONAL_SHEETS = ("Settings", "Availability", "StudentSchedule", "Duties", "Therapy", "Providers", "Absences")
SHEET_FIELDS = {
    "Availability": "availability",
    "StudentSchedule": "student_blocks",
    "Duties": "duties",
    "Therapy": "sessions",
    "Providers": "provider_hours",
    "Absences": "absences",
}


def _write(tmp_path: Path, rows: dict[str, list[list[Any]]], drop_sheet: str | None = None) -> Path:
    wb = build_input_workbook(rows)
    if drop_sheet is not None:
        del wb[drop_sheet]
    path = tmp_path / "school.xlsx"
    wb.save(path)
    return path


def _solves_and_passes(problem: Problem) -> None:
    # the rules hold whatever the search finds in the time: a short limit keeps 80 solves quick
    result = solve(problem, SolverOptions(time_limit=0.5, workers=1))
    report = check_schedule(problem, result.schedule)
    assert [str(v) for v in report.violations] == []
    assert result.schedule.assignments, "the school gets a schedule"


def _expected(field_name: str, defaults: dict[str, Default]) -> Problem:
    def fill(record: Any) -> Any:
        return dataclasses.replace(record, **{f: d(record) if callable(d) else d for f, d in defaults.items()})

    return dataclasses.replace(EXPLICIT, **{field_name: tuple(fill(r) for r in getattr(EXPLICIT, field_name))})


def test_the_explicit_school_reads_back_as_written(tmp_path: Path) -> None:
    """The starting point of every case below: nothing left blank, nothing defaulted."""
    assert read_problem(_write(tmp_path, problem_rows(EXPLICIT))).problem == EXPLICIT


@pytest.mark.parametrize(
    ("sheet", "columns", "field_name", "defaults"), COLUMNS, ids=[f"{s}.{'+'.join(c)}" for s, c, _, _ in COLUMNS]
)
def test_blank_optional_column(
    tmp_path: Path, sheet: str, columns: tuple[str, ...], field_name: str, defaults: dict[str, Default]
) -> None:
    rows = problem_rows(EXPLICIT)
    header = next(iter(build_input_workbook({})[sheet].iter_rows(max_row=1, values_only=True)))
    for col in columns:
        j = header.index(col)
        assert any(r[j] is not None for r in rows[sheet]), f"the explicit school fills {sheet}.{col}"
        for r in rows[sheet]:
            r[j] = None
    read = read_problem(_write(tmp_path, rows)).problem
    expected = _expected(field_name, defaults)
    assert read == expected
    for record, want in zip(getattr(read, field_name), getattr(expected, field_name), strict=True):
        for f in defaults:  # typed as the explicit cell would be: Support.ONE_TO_ONE, never the text '1:1'
            assert type(getattr(record, f)) is type(getattr(want, f)), f
    _solves_and_passes(read)


@pytest.mark.parametrize("mode", ["row left out", "blank value"])
@pytest.mark.parametrize("setting", SETTING_NAMES)
def test_settings_row_absent_or_blank(tmp_path: Path, setting: str, mode: str) -> None:
    rows = problem_rows(EXPLICIT)
    if mode == "row left out":
        rows["Settings"] = [r for r in rows["Settings"] if r[0] != setting]
    else:
        rows["Settings"] = [[n, None if n == setting else v] for n, v in rows["Settings"]]
    read = read_problem(_write(tmp_path, rows)).problem
    name = SETTING_FIELDS.get(setting, setting)
    default = getattr(Settings(), name)
    assert getattr(EXPLICIT.settings, name) != default, "the explicit school sets it"
    assert read == dataclasses.replace(EXPLICIT, settings=dataclasses.replace(EXPLICIT.settings, **{name: default}))
    assert type(getattr(read.settings, name)) is type(default)
    if mode == "row left out":  # a blank value reads as the very same school: solved once is enough
        _solves_and_passes(read)


@pytest.mark.parametrize("sheet", OPTIONAL_SHEETS)
def test_optional_sheet_missing(tmp_path: Path, sheet: str) -> None:
    read = read_problem(_write(tmp_path, problem_rows(EXPLICIT), drop_sheet=sheet)).problem
    if sheet == "Settings":
        expected = dataclasses.replace(EXPLICIT, settings=Settings())
    else:
        expected = dataclasses.replace(EXPLICIT, **{SHEET_FIELDS[sheet]: ()})
    assert read == expected
    _solves_and_passes(read)


@pytest.mark.parametrize(
    ("record", "field_name", "bad"),
    [
        (EXPLICIT.students[0], "support", "1:1"),
        (EXPLICIT.student_blocks[0], "support", "shared"),
        (EXPLICIT.paras[0], "role", "para"),
        (EXPLICIT.duties[0], "kind", "bus"),
        (EXPLICIT.sessions[0], "para_role", "assist"),
    ],
)
def test_a_text_where_an_enum_belongs_fails_at_construction(record: Any, field_name: str, bad: str) -> None:
    """The class of bug closed: a reader or script storing the text fails here, naming the field."""
    with pytest.raises(DataError) as info:
        dataclasses.replace(record, **{field_name: bad})
    assert info.value.column == field_name
    assert info.value.text.startswith(f"{field_name} is the text '{bad}', not a ")
