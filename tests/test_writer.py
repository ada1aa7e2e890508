"""The schedule workbook: contract sheets exact, people's sheets readable, text never a formula."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from parasched.io.writer import write_schedule
from parasched.scheduler.model import Duty, DutyKind, Para, Problem, Session, Settings, Student, Support
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


def _problem(week_of: dt.date | None = dt.date(2026, 11, 23), student_name: str = "Ana Lopez",
             school: str = "Maple Elementary") -> Problem:
    settings = Settings(school_name=school, days=("Mon", "Tue"), week_of=week_of)
    paras = (
        Para("P1", "Pat Jones", 8 * 60, 15 * 60),
        Para("P2", "Sam Lee", 9 * 60, 14 * 60, days=("Mon",)),
    )
    students = (
        Student("S1", student_name, homeroom="Rm 4", weekly_flex_minutes=0),
        Student("S2", "Bo Chen", homeroom="Rm 5", support=Support.SHARED),
    )
    duties = (Duty("D1", "Lunchroom", DutyKind.LUNCH, 11 * 60, 11 * 60 + 30, location="Cafeteria"),)
    sessions = (Session("T1", ("S1",), kind="speech", provider="Ms SLP", start=10 * 60, end=10 * 60 + 30,
                        days=("Mon",)),)
    return Problem(settings, paras, students, duties=duties, sessions=sessions)


def _result(changes: tuple[Change, ...] = ()) -> SolveResult:
    A = Assignment
    assignments = (
        A("P1", "Mon", 480, 600, Kind.SUPPORT, "", ("S1",), "Rm 4"),
        A("P1", "Mon", 600, 630, Kind.DUTY, "D1", (), "Cafeteria"),
        A("P1", "Mon", 690, 720, Kind.LUNCH),
        A("P2", "Mon", 540, 600, Kind.SUPPORT, "", ("S2",), "Rm 5"),
        A("P1", "Tue", 480, 510, Kind.BREAK),
    )
    sessions = (PlacedSession("T1", "Mon", 600, 630, "Ms SLP", ""),)
    unmet = (
        Unmet(UnmetKind.SUPPORT, "S1", "Tue", 510, 540, 30, 2, "no qualified para free"),
        Unmet(UnmetKind.THERAPY, "T9", "", None, None, 30, 1, "no slot"),
    )
    return SolveResult(Status.OPTIMAL, Schedule(assignments, sessions, unmet, changes), objective=60.0,
                       bound=60.0, runtime=1.25)


def _rows(ws) -> list[tuple]:
    return [tuple(r) for r in ws.iter_rows(values_only=True)]


def test_contract_sheets_exact(tmp_path):
    out = tmp_path / "out.xlsx"
    write_schedule(out, _problem(), _result())
    wb = openpyxl.load_workbook(out)
    assert _rows(wb["Assignments"]) == [
        ("para_id", "day", "start", "end", "kind", "ref", "students", "location", "date"),
        ("P1", "Mon", "08:00", "10:00", "support", None, "S1", "Rm 4", "2026-11-23"),
        ("P1", "Mon", "10:00", "10:30", "duty", "D1", None, "Cafeteria", "2026-11-23"),
        ("P1", "Mon", "11:30", "12:00", "lunch", None, None, None, "2026-11-23"),
        ("P1", "Tue", "08:00", "08:30", "break", None, None, None, "2026-11-24"),
        ("P2", "Mon", "09:00", "10:00", "support", None, "S2", "Rm 5", "2026-11-23"),
    ]
    assert _rows(wb["Sessions"]) == [
        ("session_id", "day", "start", "end", "provider", "para_id"),
        ("T1", "Mon", "10:00", "10:30", "Ms SLP", None),
    ]
    assert _rows(wb["Unmet"]) == [
        ("kind", "ref", "day", "start", "end", "minutes", "priority", "reason"),
        ("therapy", "T9", None, None, None, 30, 1, "no slot"),
        ("support", "S1", "Tue", "08:30", "09:00", 30, 2, "no qualified para free"),
    ]
    assert "Changes" not in wb.sheetnames
    assert wb.sheetnames[0] == "Summary"
    assert wb["Assignments"]["C2"].data_type == "s"


def test_no_date_column_without_week_of(tmp_path):
    out = tmp_path / "out.xlsx"
    write_schedule(out, _problem(week_of=None), _result())
    header = _rows(openpyxl.load_workbook(out)["Assignments"])[0]
    assert header == ("para_id", "day", "start", "end", "kind", "ref", "students", "location")


def test_changes_sheet(tmp_path):
    out = tmp_path / "out.xlsx"
    write_schedule(out, _problem(), _result((Change("P1", "Mon", 480, 600, "support S1", "duty D1"),)))
    assert _rows(openpyxl.load_workbook(out)["Changes"]) == [
        ("para_id", "day", "start", "end", "before", "after"),
        ("P1", "Mon", "08:00", "10:00", "support S1", "duty D1"),
    ]
    out2 = tmp_path / "out2.xlsx"
    write_schedule(out2, _problem(), _result(), changes_sheet=True)
    assert _rows(openpyxl.load_workbook(out2)["Changes"]) == [("para_id", "day", "start", "end", "before", "after")]


@pytest.mark.parametrize("name", ["=HYPERLINK(\"http://x\",\"y\")", "+1+2", "-3", "@SUM(A1)"])
def test_text_never_becomes_formula(tmp_path, name):
    import zipfile

    out = tmp_path / "out.xlsx"
    write_schedule(out, _problem(school=name), _result(), names=True)
    wb = openpyxl.load_workbook(out)
    found = [c for ws in wb for row in ws.iter_rows() for c in row if c.value == name]
    assert found, "the name is written somewhere"
    assert all(c.data_type == "s" for c in found)
    with zipfile.ZipFile(out) as z:
        for n in z.namelist():
            if n.startswith("xl/worksheets/sheet"):
                assert b"<f>" not in z.read(n) and b"<f " not in z.read(n), n
