"""Write a Problem as an input workbook (or a folder of csv files) that follows the contract exactly.

Every contract sheet and column is written, in contract order: times as ``HH:MM`` text, days as
``Mon, Wed`` lists (blank = every school day), tags and ids as comma lists, yes/no flags as
``yes``/``no``. Text from the data is always stored as text, so a value such as ``=1+1`` never
becomes a formula. Reading the result back with :func:`parasched.io.reader.read_problem` gives an
equal Problem.
"""

from __future__ import annotations

import contextlib
import csv
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from parasched.scheduler.model import (
    Absence,
    DutyKind,
    ParaRole,
    Problem,
    Role,
    Settings,
    Support,
)
from parasched.scheduler.timegrid import DAYS

from .labels import time_cell
from .reader import SETTING_NAMES, SHEETS

# The contract's input sheets and their columns, in contract order: the reader's own spec, so
# what is written is exactly what is read back.
INPUT_SHEETS: dict[str, tuple[str, ...]] = {name: spec.columns for name, spec in SHEETS.items()}
SETTING_ROWS: tuple[str, ...] = SETTING_NAMES

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")

WIDTHS: dict[str, float] = {
    "setting": 26,
    "value": 22,
    "name": 24,
    "skills": 26,
    "skills_required": 24,
    "days": 18,
    "day": 8,
    "start": 8,
    "end": 8,
    "activity": 18,
    "location": 16,
    "homeroom": 12,
    "preferred_paras": 16,
    "avoid_paras": 14,
    "student_ids": 18,
    "provider": 24,
    "reason": 26,
    "lunch_window": 14,
    "allowed_days": 18,
    "kind": 11,
    "support": 9,
    "protected": 10,
    "priority": 8,
    "grade": 7,
    "gender": 8,
    "role": 11,
    "para_id": 9,
    "student_id": 11,
    "duty_id": 9,
    "session_id": 11,
    "person_id": 10,
    "notes": 70,
}

# Dropdown choices per column (column name -> (choices, strict)). Days cells may hold lists and
# ranges, so their dropdown only suggests; enumerations warn on anything else.
DAY_CHOICES = ("Mon-Fri", *DAYS)
DROPDOWNS: dict[str, tuple[tuple[str, ...], bool]] = {
    "days": (DAY_CHOICES, False),
    "allowed_days": (DAY_CHOICES, False),
    "day": (DAYS, True),
    "support": (tuple(s.value for s in Support), True),
    "kind@Duties": (tuple(k.value for k in DutyKind), True),
    "para_role": (tuple(r.value for r in ParaRole), True),
    "role": (tuple(r.value for r in Role), True),
    "general_duties": (("yes", "no"), True),
    "gender_match": (("yes", "no"), True),
    "protected": (("yes", "no"), True),
    "priority": (("1", "2", "3"), True),
}


# -- cell values -----------------------------------------------------------------------------------
def hhmm(minutes: int | None) -> str | None:
    """``08:05`` for 485; None stays None (a blank cell)."""
    return time_cell(minutes)


def span_text(span: tuple[int, int] | None) -> str | None:
    return None if span is None else f"{hhmm(span[0])}-{hhmm(span[1])}"


def days_text(days: Sequence[str]) -> str | None:
    """``Mon, Wed``; blank (None) for an empty tuple, which means every school day."""
    return ", ".join(days) if days else None


def week_days_text(days: Sequence[str]) -> str:
    """The school days as a range where they run on (``Mon-Fri``), else a list."""
    idx = [DAYS.index(d) for d in days]
    if len(idx) > 2 and idx == list(range(idx[0], idx[0] + len(idx))):
        return f"{days[0]}-{days[-1]}"
    return ", ".join(days)


def tags_text(tags: Iterable[str]) -> str | None:
    items = sorted(tags)
    return ", ".join(items) if items else None


def ids_text(ids: Sequence[str]) -> str | None:
    return ", ".join(ids) if ids else None


def yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


def _number(value: float | int | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


# -- rows ------------------------------------------------------------------------------------------
def settings_rows(s: Settings) -> list[list[Any]]:
    values: dict[str, Any] = {
        "school_name": s.school_name or None,
        "days": week_days_text(s.days),
        "week_of": s.week_of.isoformat() if s.week_of else None,
        "school_start": hhmm(s.school_start),
        "school_end": hhmm(s.school_end),
        "time_step_minutes": s.time_step,
        "lunch_minutes": s.lunch_minutes,
        "lunch_window": span_text(s.lunch_window),
        "breaks_per_day": s.breaks_per_day,
        "break_minutes": s.break_minutes,
        "max_continuous_minutes": s.max_continuous_minutes,
        "min_support_minutes": s.min_support_minutes,
        "time_limit_seconds": _number(s.time_limit_seconds),
    }
    return [[name, values[name]] for name in SETTING_ROWS]


def absence_rows(absences: Iterable[Absence]) -> list[list[Any]]:
    return [[a.person_id, days_text(a.days), hhmm(a.start), hhmm(a.end), a.reason or None] for a in absences]


def problem_rows(problem: Problem) -> dict[str, list[list[Any]]]:
    """Every input sheet's data rows (in contract column order) for a Problem."""
    rows: dict[str, list[list[Any]]] = {"Settings": settings_rows(problem.settings)}
    rows["Paras"] = [
        [
            p.para_id,
            p.name,
            p.role.value,
            days_text(p.days),
            hhmm(p.start),
            hhmm(p.end),
            tags_text(p.skills),
            p.gender or None,
            p.lunch_minutes,
            span_text(p.lunch_window),
            p.max_duty_minutes,
            yes_no(p.general_duties),
        ]
        for p in problem.paras
    ]
    rows["Availability"] = [[a.para_id, a.day, hhmm(a.start), hhmm(a.end)] for a in problem.availability]
    rows["Students"] = [
        [
            s.student_id,
            s.name,
            s.grade or None,
            s.homeroom or None,
            s.support.value,
            s.group_max,
            tags_text(s.skills_required),
            s.gender or None,
            "yes" if s.gender_match else None,
            s.priority,
            s.max_minutes_with_same_para,
            ids_text(s.preferred_paras),
            ids_text(s.avoid_paras),
            s.weekly_flex_minutes or None,
        ]
        for s in problem.students
    ]
    rows["StudentSchedule"] = [
        [
            b.student_id,
            days_text(b.days),
            hhmm(b.start),
            hhmm(b.end),
            b.activity or None,
            b.location or None,
            b.support.value if b.support is not None else None,
            tags_text(b.skills_required),
            "yes" if b.protected else None,
        ]
        for b in problem.student_blocks
    ]
    rows["Duties"] = [
        [
            d.duty_id,
            d.name,
            d.kind.value,
            days_text(d.days),
            hhmm(d.start),
            hhmm(d.end),
            d.location or None,
            d.staff_needed,
            tags_text(d.skills_required),
            d.priority,
        ]
        for d in problem.duties
    ]
    rows["Therapy"] = [
        [
            t.session_id,
            ids_text(t.student_ids),
            t.kind or None,
            t.provider or None,
            t.para_role.value,
            tags_text(t.skills_required),
            t.priority,
            days_text(t.days),
            hhmm(t.start),
            hhmm(t.end),
            t.sessions_per_week,
            t.duration_minutes,
            days_text(t.allowed_days),
            hhmm(t.window[0]) if t.window else None,
            hhmm(t.window[1]) if t.window else None,
        ]
        for t in problem.sessions
    ]
    rows["Providers"] = [[h.provider, days_text(h.days), hhmm(h.start), hhmm(h.end)] for h in problem.provider_hours]
    rows["Absences"] = absence_rows(problem.absences)
    return rows


# -- sheets ----------------------------------------------------------------------------------------
def put(ws: Worksheet, row: int, column: int, value: Any) -> None:
    """One cell; strings always stored as text (``=SUM(A1)`` or ``+1`` never becomes a formula)."""
    if value is None or value == "":
        return
    cell = ws.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


def write_sheet(
    ws: Worksheet, columns: Sequence[str], rows: Iterable[Sequence[Any]], *, dropdown_rows: int = 500
) -> int:
    """Header (bold, frozen, filter), data rows, column widths and dropdowns. Returns the last row."""
    for j, name in enumerate(columns, start=1):
        put(ws, 1, j, name)
        cell = ws.cell(row=1, column=j)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
    last = 1
    for last, row in enumerate(rows, start=2):
        for j, v in enumerate(row, start=1):
            put(ws, last, j, v)
    for j, name in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(j)].width = WIDTHS.get(name, max(10, len(name) + 3))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(last, 2)}"
    add_dropdowns(ws, columns, max(last + dropdown_rows, dropdown_rows))
    print_setup(ws)
    return last


def print_setup(ws: Worksheet) -> None:
    """Landscape, one page wide, header row repeated on every printed page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    fit_to_page(ws)
    ws.print_title_rows = "1:1"


def fit_to_page(ws: Worksheet) -> None:
    props = ws.sheet_properties.pageSetUpPr
    if props is None:
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    else:
        props.fitToPage = True


def add_dropdowns(ws: Worksheet, columns: Sequence[str], last_row: int) -> None:
    """Data-validation dropdowns for the columns with a fixed set of choices."""
    for j, name in enumerate(columns, start=1):
        spec = DROPDOWNS.get(f"{name}@{ws.title}") or (DROPDOWNS.get(name) if name != "kind" else None)
        if spec is None:
            continue
        choices, strict = spec
        dv = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
        dv.showDropDown = False  # (sic) False shows the in-cell arrow
        if strict:
            dv.errorStyle = "warning"
            dv.error = f"Expected one of: {', '.join(choices)}"
            dv.errorTitle = name
        else:
            dv.showErrorMessage = False
        dv.promptTitle = name
        dv.prompt = (
            "e.g. Mon, Wed  or  Mon-Thu  (blank = every school day)"
            if "day" in name and not strict
            else f"One of: {', '.join(choices)}"
        )
        dv.showInputMessage = True
        letter = get_column_letter(j)
        dv.add(f"{letter}2:{letter}{last_row}")
        ws.add_data_validation(dv)
        if name == "support":  # a typed 1:1 must stay text, not become the time 01:01
            for r in range(2, min(last_row, 2000) + 1):
                ws.cell(row=r, column=j).number_format = "@"


def build_input_workbook(sheet_rows: dict[str, list[list[Any]]]) -> Workbook:
    """A workbook with every input sheet (contract order), the given rows, styled for people."""
    wb = Workbook()
    wb.remove(wb.worksheets[0])
    for name, columns in INPUT_SHEETS.items():
        write_sheet(wb.create_sheet(name), columns, sheet_rows.get(name, []))
    return wb


# -- files -----------------------------------------------------------------------------------------
@contextlib.contextmanager
def atomic_path(path: Path, inputs: Sequence[str | Path] = ()) -> Iterator[Path]:
    """A temporary path moved onto ``path`` on success (``parasched.io.files.atomic_output``)."""
    from .files import atomic_output

    with atomic_output(path, inputs=inputs) as tmp:
        yield Path(tmp)


def write_problem(problem: Problem, path: str | Path, *, inputs: Sequence[str | Path] = ()) -> None:
    """Write ``problem`` as an input workbook at ``path`` (atomically), every contract sheet and column."""
    wb = build_input_workbook(problem_rows(problem))
    with atomic_path(Path(path), inputs) as tmp:
        wb.save(tmp)


def write_absences(absences: Iterable[Absence], path: str | Path) -> None:
    """A workbook holding only an Absences sheet (input to ``resolve --absences``)."""
    wb = Workbook()
    ws = wb.worksheets[0]
    ws.title = "Absences"
    write_sheet(ws, INPUT_SHEETS["Absences"], absence_rows(absences))
    with atomic_path(Path(path)) as tmp:
        wb.save(tmp)


def write_problem_csv(problem: Problem, folder: str | Path) -> None:
    """The problem as a folder of csv files named after the sheets (UTF-8, one per sheet)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in problem_rows(problem).items():
        with atomic_path(folder / f"{name}.csv") as tmp, open(tmp, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(INPUT_SHEETS[name])
            for row in rows:
                w.writerow(["" if v is None else v for v in row])


__all__ = [
    "INPUT_SHEETS",
    "SETTING_ROWS",
    "absence_rows",
    "build_input_workbook",
    "problem_rows",
    "write_absences",
    "write_problem",
    "write_problem_csv",
    "write_sheet",
]
