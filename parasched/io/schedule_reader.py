"""Read a schedule workbook's contract sheets back into a :class:`Schedule`.

The contract sheets are ``Assignments`` (required), ``Sessions``, ``Unmet`` and ``Changes``
(each optional: a missing sheet reads as no rows). An administrator may have edited the
workbook by hand, so sheet and column names are matched case-insensitively (surrounding
spaces ignored), sheets may come in any order, blank rows are skipped, extra columns (and the
optional ``date`` column of Assignments) are ignored, and times may be text (``08:30``,
``8:30 AM``) or Excel time cells. Every problem found is reported at once as an
:class:`InputError` whose issues name the cell: ``Assignments!C5 (start): ...``.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from parasched.scheduler.errors import InputError, Issue, Source, column_letter
from parasched.scheduler.model import Problem
from parasched.scheduler.schedule import Assignment, Change, Kind, PlacedSession, Schedule, Unmet, UnmetKind
from parasched.scheduler.timegrid import fmt_time

from .cells import (
    CellError,
    is_blank,
    parse_choice,
    parse_days,
    parse_int,
    parse_list,
    parse_priority,
    parse_text,
    parse_time,
)
from .files import merged_cells_issues, read_bounds
from .invisible import cell_id_problem

ASSIGNMENTS = ("para_id", "day", "start", "end", "kind", "ref", "students", "location")
SESSIONS = ("session_id", "day", "start", "end", "provider", "para_id")
UNMET = ("kind", "ref", "day", "start", "end", "minutes", "priority", "reason")
CHANGES = ("para_id", "day", "start", "end", "before", "after")
HEADER_SCAN_ROWS = 10  # a title and notes may sit above the header, as in the input workbook


class _Row:
    """One data row of a sheet: cell values by column name, with located errors."""

    def __init__(
        self, sheet: str, row: int, cells: dict[str, tuple[Any, bool]], letters: dict[str, str], issues: list[Issue]
    ) -> None:
        self.sheet = sheet
        self.row = row
        self.cells = cells  # column -> (value, cell is date/time formatted)
        self.source = Source(sheet, row, tuple(letters.items()))
        self.issues = issues
        self.bad = False

    def where(self, column: str | None) -> str:
        return self.source.cell(column)

    def error(self, column: str | None, text: str) -> None:
        self.issues.append(Issue(text, self.where(column)))
        self.bad = True

    def get(self, column: str, parse: Callable[[Any], Any], default: Any = None) -> Any:
        value, _ = self.cells.get(column, (None, False))
        invisible = cell_id_problem(column, value)  # 'P01' + a zero-width space matches no para
        if invisible is not None:
            self.error(column, invisible)
            return default
        try:
            out = parse(value)
        except CellError as exc:
            self.error(column, exc.text)
            return default
        return default if out is None else out

    def text(self, column: str) -> str:
        return self.get(column, parse_text, "")

    def required_text(self, column: str, what: str) -> str:
        out = self.text(column)
        if not out:
            self.error(column, f"{column} is blank; expected {what}")
        return out

    def time(self, column: str, required: bool = True) -> int | None:
        value, is_time = self.cells.get(column, (None, False))
        try:
            out = parse_time(value, time_format=is_time)
        except CellError as exc:
            self.error(column, exc.text)
            return None
        if out is None and required:
            self.error(column, f"{column} is blank; expected HH:MM such as 08:30")
        return out

    def ordered(self, start: int | None, end: int | None) -> tuple[int, int] | None:
        """(start, end) when the row is otherwise sound and end is after start, else None
        (an end before start is recorded; a row already broken is not judged twice)."""
        if self.bad or start is None or end is None:
            return None
        if end <= start:
            self.error("end", f"end {fmt_time(end)} is not after start {fmt_time(start)}; expected a later end")
            return None
        return start, end

    def day(self, column: str = "day", required: bool = True) -> str:
        value, _ = self.cells.get(column, (None, False))
        if is_blank(value):
            if required:
                self.error(column, "day is blank; expected a day such as Mon")
            return ""
        try:
            days = parse_days(value)
        except CellError as exc:
            self.error(column, exc.text)
            return ""
        if days is None or len(days) != 1:
            self.error(column, f"'{parse_text(value)}' is not one day; expected a day such as Mon")
            return ""
        return days[0]


def _names_a_column(cells: list[Any], columns: tuple[str, ...]) -> bool:
    return any(not is_blank(c.value) and parse_text(c.value).strip().lower() in columns for c in cells)


def _sheet_rows(
    ws: Any, sheet: str, columns: tuple[str, ...], required: tuple[str, ...], issues: list[Issue]
) -> Iterator[_Row]:
    """Data rows of a sheet. The header is the first of the top rows naming a contract column
    (a title typed above the table is skipped), else the first non-blank row."""
    issues.extend(merged_cells_issues(ws, sheet))
    rows = ws.iter_rows(**read_bounds(ws))  # the used range only: a formatted XFD1048576 costs nothing
    header_cells: list[Any] | None = None
    header_row = 0
    first_filled: tuple[list[Any], int] | None = None
    for scanned, cells in enumerate(rows, start=1):
        cells = list(cells)
        row_no = _row_number(cells, header_row + 1)
        header_row = row_no
        if first_filled is None and any(not is_blank(c.value) for c in cells):
            first_filled = (cells, row_no)
        if _names_a_column(cells, columns):
            header_cells = cells
            break
        if scanned >= HEADER_SCAN_ROWS:
            break
    if header_cells is None and first_filled is not None:  # no header among the top rows: say what is there
        header_cells, header_row = first_filled
    if header_cells is None:
        if required:
            issues.append(Issue(f"the sheet is empty; expected a header row with {', '.join(columns)}", sheet))
        return
    index: dict[str, int] = {}
    for j, c in enumerate(header_cells):
        name = parse_text(c.value).strip().lower() if not is_blank(c.value) else ""
        if name in columns and name not in index:
            index[name] = j
    missing = [c for c in required if c not in index]
    if missing:
        found = ", ".join(parse_text(c.value) for c in header_cells if not is_blank(c.value))
        issues.append(
            Issue(
                f"column(s) {', '.join(missing)} missing from the header (found: {found}); "
                f"expected columns {', '.join(columns)}",
                f"{sheet} row {header_row}",
            )
        )
        return
    letters = {name: column_letter(j) for name, j in index.items()}
    r = header_row
    for cells in rows:
        cells = list(cells)
        r = _row_number(cells, r + 1)
        values: dict[str, tuple[Any, bool]] = {}
        for name, j in index.items():
            if j < len(cells):
                c = cells[j]
                values[name] = (c.value, bool(getattr(c, "is_date", False)))
        if all(is_blank(v) for v, _ in values.values()):
            continue
        yield _Row(sheet, r, values, letters, issues)


def _row_number(cells: list[Any], fallback: int) -> int:
    for c in cells:
        row = getattr(c, "row", None)
        if isinstance(row, int):
            return row
    return fallback


def _assignment(row: _Row) -> Assignment | None:
    para_id = row.required_text("para_id", "a para_id from Paras")
    day = row.day()
    start, end = row.time("start"), row.time("end")
    kind = row.get("kind", lambda v: parse_choice(v, Kind, "a kind of row"))
    if kind is None and not row.bad:
        row.error("kind", "kind is blank; expected support, duty, therapy, lunch or break")
    ref = row.text("ref")
    students = row.get("students", parse_list, ())
    location = row.text("location")
    span = row.ordered(start, end)
    if span is None or kind is None:
        return None
    return Assignment(para_id, day, *span, kind, ref, tuple(students), location)


def _session(row: _Row) -> PlacedSession | None:
    session_id = row.required_text("session_id", "a session_id from Therapy")
    day = row.day()
    start, end = row.time("start"), row.time("end")
    provider, para_id = row.text("provider"), row.text("para_id")
    span = row.ordered(start, end)
    if span is None:
        return None
    return PlacedSession(session_id, day, *span, provider, para_id)


def _unmet(row: _Row) -> Unmet | None:
    kind = row.get("kind", lambda v: parse_choice(v, UnmetKind, "a kind of need"))
    if kind is None and not row.bad:
        row.error("kind", "kind is blank; expected support, duty, therapy or flex")
    ref = row.required_text("ref", "a student, duty or session id")
    day = row.day(required=False)
    start, end = row.time("start", required=False), row.time("end", required=False)
    minutes = row.get("minutes", lambda v: parse_int(v, "a number of minutes", "30"))
    if minutes is None and not row.bad:
        row.error("minutes", "minutes is blank; expected a number of minutes such as 30")
    priority = row.get("priority", parse_priority, 2)
    reason = row.text("reason")
    if (start is None) != (end is None) and not row.bad:
        row.error("end" if end is None else "start", "give both start and end, or leave both blank")
    if row.bad or kind is None or minutes is None:
        return None
    return Unmet(kind, ref, day, start, end, minutes, priority, reason)


def _change(row: _Row) -> Change | None:
    para_id = row.required_text("para_id", "a para_id from Paras")
    day = row.day()
    start, end = row.time("start"), row.time("end")
    before, after = row.text("before"), row.text("after")
    span = row.ordered(start, end)
    if span is None:
        return None
    return Change(para_id, day, *span, before, after)


def read_schedule(path: str | Path, problem: Problem | None = None) -> Schedule:
    """Read the contract sheets of a schedule workbook (see module docstring).

    Raises :class:`InputError` listing every located problem when the workbook cannot be used;
    with ``problem`` (the input it is used with), also when it was made for another school
    (:func:`ensure_belongs`).
    """
    schedule = _read_schedule(Path(path))
    if problem is not None:
        ensure_belongs(problem, schedule, path)
    return schedule


def _read_schedule(path: Path) -> Schedule:
    import openpyxl

    path = Path(path)
    if not path.exists():
        raise InputError([Issue("file not found; expected a schedule workbook (.xlsx)", str(path))])
    if path.is_dir():
        raise InputError([Issue("is a folder; expected a schedule workbook (.xlsx)", str(path))])
    from .files import check_input_file

    check_input_file(path)  # refuses legacy, encrypted, macro, oversized or hostile files quickly
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        if isinstance(exc, PermissionError):
            raise
        raise InputError(
            [
                Issue(
                    f"cannot be read as an Excel workbook ({exc.__class__.__name__}); "
                    "expected an .xlsx file written by parasched",
                    str(path),
                )
            ]
        ) from None
    issues: list[Issue] = []
    try:
        sheets = {name.strip().lower(): name for name in wb.sheetnames}

        def rows(
            name: str, columns: tuple[str, ...], required: tuple[str, ...], build: Callable[[_Row], Any], needed: bool
        ) -> list[Any]:
            real = sheets.get(name.lower())
            if real is None:
                if needed:
                    issues.append(
                        Issue(
                            f"no sheet named {name}; expected the contract sheet {name} "
                            f"with columns {', '.join(columns)}",
                            str(path.name),
                        )
                    )
                return []
            out = []
            for row in _sheet_rows(wb[real], real, columns, required, issues):
                item = build(row)
                if item is not None:
                    out.append(item)
            return out

        assignments = rows("Assignments", ASSIGNMENTS, ASSIGNMENTS[:5], _assignment, True)
        sessions = rows("Sessions", SESSIONS, SESSIONS[:4], _session, False)
        unmet = rows("Unmet", UNMET, ("kind", "ref", "minutes"), _unmet, False)
        changes = rows("Changes", CHANGES, CHANGES[:4], _change, False)
    finally:
        wb.close()
    if issues:
        err = InputError(issues)
        err.file = path.name  # type: ignore[attr-defined]  # "Cannot use <file>" in the CLI
        raise err
    return Schedule(tuple(assignments), tuple(sessions), tuple(unmet), tuple(changes))


# -- does the schedule belong to this input? --------------------------------------------------


def _key(text: object) -> str:
    return " ".join(str(text or "").split()).casefold()


def summary_school(path: str | Path) -> str:
    """The ``School`` line of a schedule workbook's Summary sheet ('' when absent or unreadable)."""
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # _read_schedule (called first) reports an unreadable workbook properly
        return ""
    try:
        sheet = next((n for n in wb.sheetnames if _key(n) == "summary"), None)
        if sheet is None:
            return ""
        for row in wb[sheet].iter_rows(min_row=1, max_row=60, max_col=2, values_only=True):
            if row and _key(row[0]) == "school":
                return parse_text(row[1]) if len(row) > 1 and not is_blank(row[1]) else ""
    finally:
        wb.close()
    return ""


def _foreign(found: set[str], known: set[str]) -> list[str]:
    """Ids of ``found`` the input does not know (compared ignoring case, as the reader does)."""
    keys = {_key(k) for k in known}
    return sorted(f for f in found if _key(f) not in keys)


def belongs_issues(problem: Problem, schedule: Schedule, *, school: str = "", label: str = "") -> list[Issue]:
    """Why ``schedule`` was not made for ``problem``'s school ([] when it may have been).

    A schedule belongs elsewhere when its Summary names another school, or when most of the
    paras (or students) it names are unknown to the input. A few unknown ids are a hand edit
    to judge, not another school: ``check`` reports them as broken rules.
    """
    issues: list[Issue] = []
    ours = problem.settings.school_name
    where = label or "the schedule"
    if school and ours and _key(school) != _key(ours):
        issues.append(
            Issue(
                f"its Summary says it is the schedule of '{school}', but the input is for '{ours}' "
                "(Settings school_name); give the schedule made from this input, or the input it "
                "was made from",
                where,
            )
        )
    paras = {a.para_id for a in schedule.assignments}
    students = {s for a in schedule.assignments for s in a.students}
    for what, found, known, sheet in (
        ("para", paras, {p.para_id for p in problem.paras}, "Paras"),
        ("student", students, {s.student_id for s in problem.students}, "Students"),
    ):
        unknown = _foreign(found, known)
        if found and 2 * len(unknown) > len(found):
            examples = ", ".join(unknown[:5]) + (", ..." if len(unknown) > 5 else "")
            issues.append(
                Issue(
                    f"{len(unknown)} of the {len(found)} {what} ids in its Assignments sheet ({examples}) "
                    f"are not in the input's {sheet} sheet: it was made for another school or another "
                    "version of the input; give the schedule made from this input",
                    where,
                )
            )
    return issues


def ensure_belongs(problem: Problem, schedule: Schedule, path: str | Path) -> None:
    """Refuse (:class:`InputError`, exit 2) a schedule that was not made for ``problem``'s school.

    Every command that pairs a schedule with an input (check, resolve, export-ics --input) calls
    this, so the same pair is refused the same way everywhere.
    """
    path = Path(path)
    issues = belongs_issues(problem, schedule, school=summary_school(path), label=path.name)
    if issues:
        err = InputError(issues)
        err.file = f"{path.name} with this input"  # type: ignore[attr-defined]  # "Cannot use ..." in the CLI
        raise err


__all__ = [
    "ASSIGNMENTS",
    "CHANGES",
    "SESSIONS",
    "UNMET",
    "belongs_issues",
    "ensure_belongs",
    "read_schedule",
    "summary_school",
]
