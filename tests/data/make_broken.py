"""Build the small valid school used by the reader tests, and the broken inputs in tests/data.

Run ``python tests/data/make_broken.py`` to regenerate every ``broken_*.xlsx`` file and
``broken_*`` csv folder next to this script. Each broken input breaks exactly one rule of the
workbook contract (``broken_many`` breaks several at once); tests/test_reader.py asserts the
exact messages.
"""

from __future__ import annotations

import copy
import csv
import shutil
from collections.abc import Callable
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent

Sheets = dict[str, list[list[object]]]


def valid_sheets() -> Sheets:
    """A small, valid school week (names are made up). Paras!D is start, Paras!E is end."""
    return {
        "Settings": [
            ["setting", "value"],
            ["school_name", "Test School"],
            ["days", "Mon-Fri"],
            ["week_of", "2026-09-07"],
            ["school_start", "08:00"],
            ["school_end", "15:00"],
            ["time_step_minutes", 5],
            ["lunch_minutes", 30],
            ["lunch_window", "10:30-13:30"],
        ],
        "Paras": [
            ["para_id", "name", "days", "start", "end", "skills", "gender", "role", "general_duties"],
            ["P01", "Ana Alpha", "", "08:00", "15:30", "behavior, medical", "f", "para", "yes"],
            ["P02", "Ben Beta", "", "07:30", "15:00", "behavior", "m", "", ""],
            ["P03", "Cara Gamma", "Mon-Thu", "08:00", "14:00", "", "f", "", "no"],
            ["P04", "Dan Delta", "", "08:00", "15:00", "behavior", "m", "substitute", ""],
        ],
        "Students": [
            [
                "student_id",
                "name",
                "grade",
                "homeroom",
                "support",
                "group_max",
                "skills_required",
                "gender",
                "gender_match",
                "priority",
                "preferred_paras",
                "avoid_paras",
                "weekly_flex_minutes",
            ],
            ["S01", "Sam One", "3", "Room 4", "1:1", "", "behavior", "m", "no", 1, "P02", "", ""],
            ["S02", "Sue Two", "3", "Room 5", "shared", 2, "", "f", "", "", "", "", ""],
            ["S03", "Sid Three", "4", "Room 5", "shared", "", "", "m", "", "", "", "P03", ""],
            ["S04", "Sky Four", "5", "Room 6", "flex", "", "", "", "", 3, "", "", 60],
        ],
        "StudentSchedule": [
            ["student_id", "days", "start", "end", "activity", "location", "support", "skills_required", "protected"],
            ["S01", "", "08:00", "12:00", "class", "", "", "", "yes"],
            ["S01", "", "12:00", "12:30", "lunch", "cafeteria", "none", "", ""],
            ["S01", "", "12:30", "15:00", "class", "", "", "", ""],
            ["S02", "", "08:00", "15:00", "class", "", "", "", ""],
            ["S03", "", "08:00", "15:00", "class", "", "", "", ""],
        ],
        "Duties": [
            [
                "duty_id",
                "name",
                "kind",
                "days",
                "start",
                "end",
                "location",
                "staff_needed",
                "skills_required",
                "priority",
            ],
            ["D01", "Lunchroom", "lunch", "", "11:30", "12:30", "cafeteria", 2, "", 2],
            ["D02", "Buses", "bus", "Mon, Wed", "14:30", "15:00", "front", "", "", 3],
        ],
        "Therapy": [
            [
                "session_id",
                "student_ids",
                "kind",
                "provider",
                "para_role",
                "skills_required",
                "priority",
                "days",
                "start",
                "end",
                "sessions_per_week",
                "duration_minutes",
                "allowed_days",
                "window_start",
                "window_end",
            ],
            ["T01", "S01", "speech", "Smith", "none", "", 2, "Mon, Wed", "13:00", "13:30", "", "", "", "", ""],
            ["T02", "S02, S03", "OT", "Jones", "none", "", 2, "", "", "", 2, 30, "Tue-Thu", "09:00", "12:00"],
        ],
        "Providers": [
            ["provider", "days", "start", "end"],
            ["Smith", "", "08:00", "15:00"],
            ["Jones", "Tue-Thu", "09:00", "12:00"],
        ],
        "Availability": [
            ["para_id", "day", "start", "end"],
            ["P03", "Fri", "08:00", "12:00"],
        ],
        "Absences": [
            ["person_id", "days", "start", "end", "reason"],
            ["P02", "Fri", "", "", "training"],
        ],
    }


def write_xlsx(path: Path, sheets: Sheets) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(list(row))
    wb.save(path)
    return path


def write_csv_dir(path: Path, sheets: Sheets, encoding: str = "utf-8") -> Path:
    path.mkdir(parents=True, exist_ok=True)
    for name, rows in sheets.items():
        with (path / f"{name}.csv").open("w", newline="", encoding=encoding) as fh:
            csv.writer(fh).writerows(["" if v is None else v for v in row] for row in rows)
    return path


def _set(sheet: str, row: int, col: str, value: object) -> Callable[[Sheets], None]:
    """Set the cell of Excel row ``row`` (1 = header) in the column named ``col``."""

    def change(s: Sheets) -> None:
        header = s[sheet][0]
        s[sheet][row - 1][header.index(col)] = value

    return change


def _rename_column(sheet: str, old: str, new: str) -> Callable[[Sheets], None]:
    def change(s: Sheets) -> None:
        header = s[sheet][0]
        header[header.index(old)] = new

    return change


def _drop_sheet(sheet: str) -> Callable[[Sheets], None]:
    def change(s: Sheets) -> None:
        del s[sheet]

    return change


def _add_row(sheet: str, row: list[object]) -> Callable[[Sheets], None]:
    def change(s: Sheets) -> None:
        s[sheet].append(row)

    return change


def _keep_rows(sheet: str, n: int) -> Callable[[Sheets], None]:
    def change(s: Sheets) -> None:
        del s[sheet][n:]

    return change


# name -> changes applied to the valid school (all .xlsx unless the name ends with _csv)
BROKEN: dict[str, list[Callable[[Sheets], None]]] = {
    "broken_missing_sheet": [_drop_sheet("Paras")],
    "broken_missing_column": [_rename_column("Paras", "start", "strat")],
    "broken_bad_time": [_set("Paras", 3, "start", "8:3O")],
    "broken_ambiguous_time": [_set("Paras", 3, "start", 830), _set("Paras", 4, "end", 8.5)],
    "broken_bad_day": [_set("Paras", 4, "days", "Mnday")],
    "broken_bad_support": [_set("Students", 3, "support", "full")],
    "broken_bad_int": [_set("Students", 3, "group_max", "three")],
    "broken_bad_bool": [_set("Students", 2, "gender_match", "maybe")],
    "broken_blank_required": [_set("Paras", 2, "name", "")],
    "broken_end_before_start": [_set("Duties", 2, "end", "11:00")],
    "broken_duplicate_id": [_set("Paras", 5, "para_id", "p01")],
    "broken_unknown_ref": [_set("Students", 2, "preferred_paras", "P99")],
    "broken_off_grid": [_set("Paras", 2, "start", "08:03")],
    "broken_overlap": [_set("StudentSchedule", 3, "start", "11:30")],
    "broken_settings": [_set("Settings", 7, "value", 7)],
    "broken_session_both": [_set("Therapy", 2, "sessions_per_week", 2)],
    "broken_priority": [_set("Duties", 3, "priority", 5)],
    "broken_lunch_window": [_set("Settings", 9, "value", "10:30-1330")],
    "broken_absence_person": [_set("Absences", 2, "person_id", "X99")],
    "broken_many": [
        _set("Paras", 2, "start", "8:3O"),
        _set("Paras", 3, "end", "7:00"),
        _set("Students", 5, "support", "lots"),
        _add_row("Availability", ["P77", "Tue", "", ""]),
        _set("Therapy", 2, "days", "Mon-Wed, Funday"),
    ],
    "broken_formula_error": [_set("Students", 3, "group_max", "#DIV/0!")],
    "broken_formula_uncalculated": [_set("Paras", 2, "end", "=D2+TIME(7,0,0)")],
    "broken_empty_paras": [_keep_rows("Paras", 0)],
    "broken_header_only": [_keep_rows("Paras", 1), _set("Students", 2, "preferred_paras", "")],
    "broken_bad_time_csv": [_set("Paras", 3, "start", "8:3O")],
}


def broken_sheets(name: str) -> Sheets:
    sheets = copy.deepcopy(valid_sheets())
    for change in BROKEN[name]:
        change(sheets)
    return sheets


def build_all(folder: Path = HERE) -> list[Path]:
    out = []
    for name in BROKEN:
        sheets = broken_sheets(name)
        if name.endswith("_csv"):
            target = folder / name
            if target.exists():
                shutil.rmtree(target)
            out.append(write_csv_dir(target, sheets))
        else:
            out.append(write_xlsx(folder / f"{name}.xlsx", sheets))
    return out


if __name__ == "__main__":
    for p in build_all():
        print(p.relative_to(HERE.parent.parent))
