"""Reading a schedule workbook back: ours round-trips exactly; one edited by hand is read
tolerantly; what cannot be read is reported cell by cell."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from parasched.io.schedule_reader import read_schedule
from parasched.io.writer import write_schedule
from parasched.scheduler.errors import InputError
from parasched.scheduler.model import Para, Problem, Session, Settings, Student
from parasched.scheduler.schedule import (
    Assignment,
    Change,
    Kind,
    PlacedSession,
    Schedule,
    SolveResult,
    Status,
    Unmet,
    UnmetKind,
)


def _workbook(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, values in enumerate(rows, start=1):
            for c, v in enumerate(values, start=1):
                if v is not None:
                    ws.cell(row=r, column=c, value=v)
    wb.save(path)
    return path


ASSIGN_HEAD = ["para_id", "day", "start", "end", "kind", "ref", "students", "location"]


def _errors(path: Path) -> list[str]:
    with pytest.raises(InputError) as info:
        read_schedule(path)
    return [str(i) for i in info.value.issues]


def test_round_trip_of_our_own_workbook(tmp_path: Path) -> None:
    settings = Settings(days=("Mon", "Tue"), week_of=dt.date(2026, 11, 23))
    problem = Problem(
        settings,
        (Para("P1", "Pat", 480, 900),),
        (Student("S1", "Ana"), Student("S2", "Bo")),
        sessions=(Session("T1", ("S1",), provider="SLP", start=600, end=630, days=("Mon",)),),
    )
    schedule = Schedule(
        (
            Assignment("P1", "Mon", 480, 600, Kind.SUPPORT, "", ("S1", "S2"), "Rm 4"),
            Assignment("P1", "Mon", 690, 720, Kind.LUNCH),
            Assignment("P1", "Tue", 480, 495, Kind.BREAK),
        ),
        (PlacedSession("T1", "Mon", 600, 630, "SLP", ""),),
        (
            Unmet(UnmetKind.SUPPORT, "S1", "Tue", 510, 540, 30, 2, "no para free"),
            Unmet(UnmetKind.FLEX, "S2", "", None, None, 45, 3, "short"),
        ),
        (Change("P1", "Tue", 480, 495, "1:1 S1", "break"),),
    )
    path = tmp_path / "out.xlsx"
    write_schedule(path, problem, SolveResult(Status.OPTIMAL, schedule), changes_sheet=True)
    back = read_schedule(path)
    assert sorted(back.assignments) == sorted(schedule.assignments)
    assert back.sessions == schedule.sessions
    assert sorted(back.unmet) == sorted(schedule.unmet)
    assert back.changes == schedule.changes


def test_a_workbook_edited_by_hand(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "edited.xlsx",
        {
            "Notes": [["anything"]],
            " unmet ": [
                ["Kind", "REF", "Day", "Start", "End", "Minutes", "Priority", "Reason"],
                ["therapy", "T2", None, None, None, 30, "critical", "no slot"],
            ],
            "ASSIGNMENTS": [
                [],  # a blank first row: the header is the first non-blank row
                ["Notes", " Para_ID ", "DAY", "Start", "End", "Kind", "Ref", "Students", "Location", "date"],
                [
                    "covering",
                    "P1",
                    "monday",
                    dt.time(8, 0),
                    "9:00 AM",
                    "Support",
                    None,
                    "S1 , S2,",
                    "Rm 4",
                    "2026-11-23",
                ],
                [None, None, None, None, None, None, None, None, None, None],
                [None, 101, "Tue", "13:00", dt.datetime(1899, 12, 30, 13, 30), "lunch", None, None, None, None],
            ],
            "sessions": [
                ["session_id", "day", "start", "end", "provider", "para_id"],
                ["T1", "Mon", "10:00", "10:30", None, None],
            ],
        },
    )
    back = read_schedule(path)
    assert back.assignments == (
        Assignment("P1", "Mon", 480, 540, Kind.SUPPORT, "", ("S1", "S2"), "Rm 4"),
        Assignment("101", "Tue", 780, 810, Kind.LUNCH),
    )
    assert back.sessions == (PlacedSession("T1", "Mon", 600, 630),)
    assert back.unmet == (Unmet(UnmetKind.THERAPY, "T2", "", None, None, 30, 1, "no slot"),)
    assert back.changes == ()


def test_only_assignments_is_required(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "a.xlsx", {"Assignments": [ASSIGN_HEAD, ["P1", "Mon", "08:00", "08:30", "break"]]})
    assert read_schedule(path) == Schedule((Assignment("P1", "Mon", 480, 510, Kind.BREAK),))


def test_located_errors_all_at_once(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "bad.xlsx",
        {
            "Assignments": [
                ASSIGN_HEAD,
                ["P1", "Mon", "25:00", "09:00", "support", None, "S1"],
                ["P1", "Mon, Tue", "08:00", "09:00", "coffee"],
                ["", "Mon", "09:00", "08:00", "lunch"],
                ["P2", "Mon", "09:00", None, "duty", "D1"],
            ],
            "Unmet": [
                ["kind", "ref", "day", "start", "end", "minutes", "priority", "reason"],
                ["support", "S1", "Mon", "08:00", "08:30", "thirty", 2, ""],
            ],
        },
    )
    assert _errors(path) == [
        "Assignments!C2 (start): '25:00' is not a time; expected HH:MM such as 08:30",
        "Assignments!B3 (day): 'Mon, Tue' is not one day; expected a day such as Mon",
        "Assignments!E3 (kind): 'coffee' is not a kind of row; expected support, duty, therapy, lunch or break",
        "Assignments!A4 (para_id): para_id is blank; expected a para_id from Paras",
        "Assignments!D5 (end): end is blank; expected HH:MM such as 08:30",
        "Unmet!F2 (minutes): 'thirty' is not a number of minutes; expected a number such as 30",
    ]


def test_end_before_start(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "bad.xlsx", {"Assignments": [ASSIGN_HEAD, ["P1", "Mon", "09:00", "08:00", "lunch"]]})
    assert _errors(path) == ["Assignments!D2 (end): end 08:00 is not after start 09:00; expected a later end"]


def test_end_before_start_in_sessions_and_changes(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "bad.xlsx",
        {
            "Assignments": [ASSIGN_HEAD, ["P1", "Mon", "08:00", "08:30", "lunch"]],
            "Sessions": [
                ["session_id", "day", "start", "end", "provider", "para_id"],
                ["T1", "Mon", "10:00", "09:30", "SLP", ""],
            ],
            "Changes": [
                ["para_id", "day", "start", "end", "before", "after"],
                ["P1", "Tue", "11:00", "11:00", "free", "lunch"],
            ],
        },
    )
    assert _errors(path) == [
        "Sessions!D2 (end): end 09:30 is not after start 10:00; expected a later end",
        "Changes!D2 (end): end 11:00 is not after start 11:00; expected a later end",
    ]


def test_missing_columns_and_sheets(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "cols.xlsx", {"Assignments": [["para_id", "day", "begin", "end", "kind"]]})
    assert _errors(path) == [
        "Assignments row 1: column(s) start missing from the header (found: para_id, day, "
        "begin, end, kind); expected columns para_id, day, start, end, kind, ref, students, "
        "location"
    ]
    path = _workbook(tmp_path / "none.xlsx", {"Summary": [["hello"]]})
    assert _errors(path) == [
        "none.xlsx: no sheet named Assignments; expected the contract sheet Assignments with "
        "columns para_id, day, start, end, kind, ref, students, location"
    ]


def test_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "notes.xlsx"
    path.write_text("not a workbook")
    assert _errors(path) == [
        "notes.xlsx: is named .xlsx but holds text, not a workbook; it is no spreadsheet "
        "(perhaps renamed or damaged); open the real workbook in Excel and save it as .xlsx"
    ]
    assert _errors(tmp_path / "missing.xlsx") == [
        f"{tmp_path / 'missing.xlsx'}: file not found; expected a schedule workbook (.xlsx)"
    ]
