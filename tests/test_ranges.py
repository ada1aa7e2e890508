"""Every number has a sane range (issue 14 item 3): a value the domain cannot mean (a week has at
most 7 x 1,440 minutes) is refused at its cell, at once, before it costs minutes or gigabytes."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from parasched.io.input_writer import INPUT_SHEETS, build_input_workbook, problem_rows
from parasched.io.reader import read_problem
from parasched.scheduler.errors import DataError, InputError
from parasched.scheduler.model import Settings
from tests.test_defaults import EXPLICIT


def _issues(tmp_path: Path, rows: dict[str, list[list[Any]]]) -> list[str]:
    path = tmp_path / "school.xlsx"
    build_input_workbook(rows).save(path)
    with pytest.raises(InputError) as info:
        read_problem(path)
    return [str(i) for i in info.value.issues]


@pytest.mark.parametrize(
    ("sheet", "column", "value", "message"),
    [
        (
            "Students",
            "weekly_flex_minutes",
            1e15,
            "Students!N4 (weekly_flex_minutes): '1e+15' minutes is out of range; expected 0 to 10,080 minutes; a week "
            "has 7 x 1,440 minutes",
        ),
        (
            "Students",
            "group_max",
            1000,
            "Students!F4 (group_max): '1000' students is out of range; expected 1 to 50 students; "
            "one para with a whole class at most",
        ),
        (
            "Students",
            "max_minutes_with_same_para",
            2000,
            "Students!K4 (max_minutes_with_same_para): '2000' minutes is out of range; expected 1 to 1,440 minutes; it "
            "counts per day",
        ),
        (
            "Duties",
            "staff_needed",
            1e9,
            "Duties!H3 (staff_needed): '1e+09' paras is out of range; expected 1 to 50 paras; "
            "paras on one duty at once",
        ),
        (
            "Paras",
            "max_duty_minutes",
            20000,
            "Paras!K4 (max_duty_minutes): '20000' minutes is out of range; expected 0 to 10,080 minutes; "
            "a week has 7 x 1,440 minutes",
        ),
        (
            "Paras",
            "lunch_minutes",
            2000,
            "Paras!I4 (lunch_minutes): '2000' minutes is out of range; expected 0 to 1,440 minutes; a day at the most",
        ),
        (
            "Therapy",
            "duration_minutes",
            5000,
            "Therapy!L3 (duration_minutes): '5000' minutes is out of range; expected 1 to 1,440 minutes; a day at the "
            "most",
        ),
        (
            "Therapy",
            "sessions_per_week",
            9,
            "Therapy!K3 (sessions_per_week): '9' sessions is out of range; expected 1 to 7 sessions; at most one a day",
        ),
    ],
)
def test_a_number_out_of_range_is_refused_at_its_cell(
    tmp_path: Path, sheet: str, column: str, value: float, message: str
) -> None:
    rows = problem_rows(EXPLICIT)
    rows[sheet][-1][INPUT_SHEETS[sheet].index(column)] = value
    began = time.monotonic()
    assert _issues(tmp_path, rows) == [message]
    assert time.monotonic() - began < 30  # 1e9 staff once took gigabytes; a loose bound, not a timing test


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        (
            "breaks_per_day",
            100,
            "Settings!B10 (breaks_per_day): '100' breaks is out of range; expected 0 to 6 breaks; 30-minute breaks and "
            "the 45-minute lunch must leave working time in the 255-minute school day",
        ),
        (
            "time_limit_seconds",
            1e9,
            "Settings!B14 (time_limit_seconds): '1e+09' seconds is out of range; expected 0 to 86,400 "
            "seconds; a day at the most",
        ),
        (
            "max_continuous_minutes",
            5000,
            "Settings!B12 (max_continuous_minutes): '5000' minutes is out of range; expected 1 to 1,440 minutes",
        ),
        (
            "min_support_minutes",
            3000,
            "Settings!B13 (min_support_minutes): '3000' minutes is out of range; expected 0 to 1,440 minutes",
        ),
        (
            "break_minutes",
            2000,
            "Settings!B11 (break_minutes): '2000' minutes is out of range; expected 1 to 1,440 minutes",
        ),
    ],
)
def test_a_setting_out_of_range_is_refused_at_its_cell(
    tmp_path: Path, setting: str, value: float, message: str
) -> None:
    rows = problem_rows(EXPLICIT)
    rows["Settings"] = [[n, value if n == setting else v] for n, v in rows["Settings"]]
    assert _issues(tmp_path, rows) == [message]


def test_the_largest_sane_values_are_accepted(tmp_path: Path) -> None:
    rows = problem_rows(EXPLICIT)
    students, paras = INPUT_SHEETS["Students"], INPUT_SHEETS["Paras"]
    rows["Students"][0][students.index("weekly_flex_minutes")] = 10080
    rows["Students"][0][students.index("group_max")] = 50
    rows["Paras"][0][paras.index("max_duty_minutes")] = 10080
    rows["Settings"] = [[n, 6 if n == "breaks_per_day" else v] for n, v in rows["Settings"]]
    path = tmp_path / "school.xlsx"
    build_input_workbook(rows).save(path)
    read = read_problem(path).problem
    assert (read.students[0].weekly_flex_minutes, read.students[0].group_max) == (10080, 50)
    assert read.settings.breaks_per_day == 6


@pytest.mark.parametrize(
    ("field_name", "value", "text"),
    [
        ("time_limit_seconds", float("nan"), "time_limit_seconds is nan; expected a finite number"),
        ("time_limit_seconds", float("inf"), "time_limit_seconds is inf; expected a finite number"),
        ("lunch_minutes", True, "lunch_minutes is bool True; expected a whole number"),
        ("lunch_minutes", 30.0, "lunch_minutes is float 30.0; expected a whole number"),
        ("days", "Mon", "days is the text 'Mon'; expected a tuple"),
    ],
)
def test_settings_fields_check_their_types(field_name: str, value: Any, text: str) -> None:
    with pytest.raises(DataError) as info:
        Settings(**{field_name: value})
    assert (info.value.column, info.value.text) == (field_name, text)
