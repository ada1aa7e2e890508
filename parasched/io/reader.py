"""Read the input workbook (.xlsx, or a folder of .csv files named after the sheets) into a Problem.

Every problem is found in one pass: cells that cannot be understood, records that are invalid
(``DataError`` from their ``__post_init__``) and cross-reference problems (``Problem.validate``),
each located as ``Paras!D7 (start): '8:3O' is not a time; expected HH:MM such as 08:30``. If any
is found, :class:`InputError` is raised with all of them. Legal but suspicious data comes back
as warnings in :class:`ReadResult`.

Sheet and column names are matched case-insensitively, ignoring surrounding spaces (and
treating inner spaces as ``_``: ``Para ID`` is ``para_id``); unknown columns and sheets are
ignored; rows whose contract columns are all blank are skipped.

Choices where the contract is silent (cell formats: see ``cells.py``):
- The header is the first of the top 10 rows naming a contract column (a title above it is
  fine); a hint in brackets is dropped (``Start (HH:MM)``); a Settings sheet may have no header.
- Ids typed as numbers are text (``101``); a reference typed in another case resolves to the
  declared id (``p01`` is ``P01``), and a Therapy provider to its Providers spelling.
- Duties: blank name = the duty_id, blank kind = ``other``. Therapy: blank para_role = ``none``;
  window_start and window_end come together. Availability: one day per row.
- Settings: an unknown setting is a warning (with the closest name); a setting twice is an error.
- Formulas are read by their saved result; an Excel error value (``#REF!``) or a formula
  without a saved result (a file written by a program) is an error at its cell.
- Paras and Students need at least one row; more than ``MAX_ROWS`` filled rows is refused.
- A cross-reference to a row already reported as broken is not reported a second time.
- A student's name quoted from a cell in a message is masked (ids only, FERPA).
- csv: UTF-8 (with or without BOM), else Windows-1252 with a warning; ``;`` separated files
  (Excel in some locales) are recognised from the header line.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from parasched.io import files
from parasched.io.invisible import cell_id_problem
from parasched.scheduler.errors import DataError, InputError, Issue, Source, column_letter
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

from .cells import (
    CellError,
    is_blank,
    parse_bool,
    parse_choice,
    parse_date,
    parse_days,
    parse_int,
    parse_list,
    parse_number,
    parse_priority,
    parse_span,
    parse_support,
    parse_tags,
    parse_text,
    parse_time,
)


@dataclass(frozen=True)
class SheetSpec:
    name: str
    columns: tuple[str, ...]
    required: tuple[str, ...]
    required_sheet: bool = False


SHEETS: dict[str, SheetSpec] = {
    s.name: s
    for s in (
        SheetSpec("Settings", ("setting", "value"), ("setting", "value")),
        SheetSpec(
            "Paras",
            (
                "para_id",
                "name",
                "role",
                "days",
                "start",
                "end",
                "skills",
                "gender",
                "lunch_minutes",
                "lunch_window",
                "max_duty_minutes",
                "general_duties",
            ),
            ("para_id", "name", "start", "end"),
            required_sheet=True,
        ),
        SheetSpec("Availability", ("para_id", "day", "start", "end"), ("para_id", "day")),
        SheetSpec(
            "Students",
            (
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
                "max_minutes_with_same_para",
                "preferred_paras",
                "avoid_paras",
                "weekly_flex_minutes",
            ),
            ("student_id", "name"),
            required_sheet=True,
        ),
        SheetSpec(
            "StudentSchedule",
            ("student_id", "days", "start", "end", "activity", "location", "support", "skills_required", "protected"),
            ("student_id", "start", "end"),
        ),
        SheetSpec(
            "Duties",
            (
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
            ),
            ("duty_id", "start", "end"),
        ),
        SheetSpec(
            "Therapy",
            (
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
            ),
            ("session_id", "student_ids"),
        ),
        SheetSpec("Providers", ("provider", "days", "start", "end"), ("provider", "start", "end")),
        SheetSpec("Absences", ("person_id", "days", "start", "end", "reason"), ("person_id",)),
    )
}

SETTING_NAMES = (
    "school_name",
    "days",
    "week_of",
    "school_start",
    "school_end",
    "time_step_minutes",
    "lunch_minutes",
    "lunch_window",
    "breaks_per_day",
    "break_minutes",
    "max_continuous_minutes",
    "min_support_minutes",
    "time_limit_seconds",
)

_HEADER_SCAN_ROWS = 10
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
MAX_ROWS = 10_000  # filled rows per sheet; far beyond any school, and keeps a runaway sheet fast to refuse


def _too_many_rows(where: str) -> InputError:
    return InputError(
        [
            Issue(
                f"too many rows: more than {MAX_ROWS:,} filled rows; expected at most {MAX_ROWS:,} "
                "(one row per person, block or duty): check for pasted data or a runaway fill-down "
                "and delete the unused rows",
                where,
            )
        ]
    )


@dataclass
class InputFileError(InputError):
    """An :class:`InputError` that names the file (or folder) read; the CLI prints it first."""

    file: str = ""


@dataclass(frozen=True)
class ReadResult:
    """A valid problem and the warnings (legal but suspicious data) found while reading it."""

    problem: Problem
    warnings: tuple[Issue, ...] = ()


# -- raw tables --------------------------------------------------------------------------------

EXCEL_ERRORS = frozenset(
    {"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#SPILL!", "#CALC!", "#GETTING_DATA"}
)


@dataclass(frozen=True)
class Uncalculated:
    """A formula cell whose result was never saved (a file written by a program, not by Excel)."""

    formula: str


def formula_problem(value: Any) -> str | None:
    """Why a cell's value cannot be used because of a formula (None = it can be parsed)."""
    if isinstance(value, Uncalculated):
        return (
            f"the formula {value.formula} has no saved result; expected a value: open the workbook in Excel "
            "(or LibreOffice) and save it, so the result is stored"
        )
    if isinstance(value, str) and value.strip().upper() in EXCEL_ERRORS:
        return (
            f"'{value.strip()}' is an Excel error from a formula; expected a value: fix the formula or type the value"
        )
    return None


@dataclass
class _Table:
    """One sheet as read: display name, header row and data rows of (value, time formatted)."""

    sheet: str
    file: str
    rows: list[tuple[int, list[tuple[Any, bool]]]]  # (Excel row number, cells)


def norm_name(text: Any) -> str:
    """Header / setting name as compared: lower case, surrounding spaces dropped, inner spaces -> _,
    a hint in brackets dropped (``Start (HH:MM)`` is ``start``)."""
    bare = re.sub(r"\s*[(\[].*?[)\]]\s*", " ", str(text or "")).strip().lower()
    return re.sub(r"[\s\-]+", "_", bare)


def _sheet_key(text: str) -> str:
    return re.sub(r"[\s_\-]+", "", text.strip().lower())


def _expected_sheets() -> str:
    req = [s.name for s in SHEETS.values() if s.required_sheet]
    opt = [s.name for s in SHEETS.values() if not s.required_sheet]
    return f"{', '.join(req)}; optional: {', '.join(opt)}"


def _suggest(word: str, candidates: Iterable[str], key: Callable[[str], str] = norm_name) -> str | None:
    cands = {key(c): c for c in candidates if str(c).strip()}
    hit = difflib.get_close_matches(key(word), list(cands), n=1, cutoff=0.75)
    return cands[hit[0]] if hit else None


class _Source:
    """Where the sheets come from: an .xlsx workbook or a folder of csv files."""

    def __init__(self, path: Path, warnings: list[Issue]) -> None:
        self.path = path
        self.label = path.name
        self.warnings = warnings
        self.is_folder = path.is_dir()
        self._wb: Any = None
        self._wb_formulas: Any = None
        self._titles: dict[str, str] = {}  # sheet key -> real title / file name
        self._clashes: list[Issue] = []
        if self.is_folder:
            for f in sorted(path.iterdir()):
                if f.is_file() and f.suffix.lower() == ".csv":
                    self._add_title(f.stem, f.name)
        else:
            self._open_xlsx()
        if self._clashes:  # two sheets both match a contract sheet name: which one is meant?
            self.close()
            raise InputError(self._clashes)

    def _add_title(self, name: str, title: str) -> None:
        key = _sheet_key(name)
        known = next((s for s in SHEETS if _sheet_key(s) == key), None)
        if key in self._titles and known is not None:
            self._clashes.append(
                Issue(
                    f"{self._titles[key]!r} and {title!r} both name the {known} sheet (names are "
                    "compared ignoring case and spaces); delete or rename one",
                    self.label,
                )
            )
        self._titles.setdefault(key, title)

    def _open_xlsx(self) -> None:
        import openpyxl
        from openpyxl.utils.exceptions import InvalidFileException

        try:
            self._wb = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
        except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
            if isinstance(exc, PermissionError | FileNotFoundError | IsADirectoryError):
                raise
            raise InputError(
                [
                    Issue(
                        f"cannot be read as an Excel workbook ({exc}); expected an .xlsx file "
                        "saved from Excel or LibreOffice",
                        self.label,
                    )
                ]
            ) from None
        for title in self._wb.sheetnames:
            self._add_title(title, title)

    def close(self) -> None:
        for wb in (self._wb, self._wb_formulas):
            if wb is not None:
                wb.close()

    @property
    def titles(self) -> list[str]:
        return list(self._titles.values())

    def has(self, name: str) -> bool:
        return _sheet_key(name) in self._titles

    def table(self, name: str, sheet_label: str | None = None) -> _Table:
        title = self._titles[_sheet_key(name)]
        if self.is_folder:
            return _read_csv(self.path / title, sheet_label or Path(title).stem, self.warnings)
        ws = self._wb[title]
        rows: list[tuple[int, list[tuple[Any, bool]]]] = []
        empty_cells: set[tuple[int, int]] = set()  # written cells without a value: maybe uncalculated formulas
        row_no = filled = 0
        if merged := files.merged_cells_issues(ws, sheet_label or title.strip()):  # files.py (issue 14)
            raise InputFileError(merged, file=self.label)
        for cells in ws.iter_rows(**files.read_bounds(ws)):  # the used range only (files.py, issue 14)
            real = next((c.row for c in cells if getattr(c, "row", None)), None)
            row_no = real if real is not None else row_no + 1
            values = [(c.value, bool(getattr(c, "is_date", False))) for c in cells]
            empty_cells.update(
                (row_no, j) for j, c in enumerate(cells) if c.value is None and getattr(c, "row", None) is not None
            )
            rows.append((row_no, values))
            if any(not is_blank(x) for x, _ in values):
                filled += 1
                if filled > MAX_ROWS + _HEADER_SCAN_ROWS:
                    raise _too_many_rows(f"{self.label} (sheet {title.strip()})")
        if empty_cells and self._has_formulas(ws):
            for (r, j), formula in self._formulas(title, empty_cells).items():
                for row_no, values in rows:
                    if row_no == r:
                        values[j] = (Uncalculated(formula), False)
        rows = [(r, v) for r, v in rows if any(not is_blank(x) for x, _ in v)]
        return _Table(sheet_label or title.strip(), self.label, rows)

    @staticmethod
    def _has_formulas(ws: Any) -> bool:
        """Whether the sheet's XML holds any formula (an ``<f>`` element); True when unsure."""
        try:
            with ws.parent._archive.open(ws._worksheet_path) as fh:
                tail = b""
                while chunk := fh.read(1 << 20):
                    if _FORMULA_TAG.search(tail + chunk):
                        return True
                    tail = chunk[-16:]
            return False
        except (AttributeError, KeyError, OSError, zipfile.BadZipFile):
            return True

    def _formulas(self, title: str, cells: set[tuple[int, int]]) -> dict[tuple[int, int], str]:
        """Formulas (as typed) of the given cells, read without cached values."""
        import openpyxl

        if self._wb_formulas is None:
            self._wb_formulas = openpyxl.load_workbook(self.path, read_only=True, data_only=False)
        last = max(r for r, _ in cells)
        out: dict[tuple[int, int], str] = {}
        row_no = 0
        bounds = files.read_bounds(self._wb_formulas[title])  # the used columns only (files.py, issue 14)
        for row in self._wb_formulas[title].iter_rows(max_row=last, max_col=bounds["max_col"]):
            real = next((c.row for c in row if getattr(c, "row", None)), None)
            row_no = real if real is not None else row_no + 1
            for j, c in enumerate(row):
                if (row_no, j) not in cells:
                    continue
                text = getattr(c.value, "text", c.value)  # ArrayFormula keeps its text in .text
                if isinstance(text, str) and text.startswith("="):
                    out[(row_no, j)] = text
        return out


def _decode(path: Path, warnings: list[Issue]) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:
        raise InputError(
            [
                Issue(
                    "the text is neither UTF-8 nor Windows-1252 (cp1252); expected a csv file saved as 'CSV UTF-8'",
                    path.name,
                )
            ]
        ) from None
    warnings.append(
        Issue(
            "not saved as UTF-8; read as Windows-1252 (cp1252). Check accented names, or save as 'CSV UTF-8'",
            path.name,
            "warning",
        )
    )
    return text


def _delimiter(text: str) -> str:
    """``;`` or ``,``: the one that splits the top lines into the most contract names (a header
    row, or Settings names in column A); on a tie, the one the busiest top line uses most (not
    the first line: a title row above the header has neither)."""
    top = text.splitlines()[:_HEADER_SCAN_ROWS] or [""]
    known = {c for spec in SHEETS.values() for c in spec.columns} | set(SETTING_NAMES)

    def names(sep: str) -> int:
        return sum(norm_name(cell) in known for row in csv.reader(top, delimiter=sep) for cell in row)

    by_names = names(";") - names(",")
    if by_names:
        return ";" if by_names > 0 else ","
    busiest = max(top, key=lambda line: line.count(";") + line.count(","))
    return ";" if busiest.count(";") > busiest.count(",") else ","


def _read_csv(path: Path, sheet: str, warnings: list[Issue]) -> _Table:
    text = _decode(path, warnings)
    delimiter = _delimiter(text)
    rows: list[tuple[int, list[tuple[Any, bool]]]] = []
    try:
        for i, rec in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
            values = [(v, False) for v in rec]
            if any(not is_blank(v) for v, _ in values):
                rows.append((i, values))
                if len(rows) > MAX_ROWS + _HEADER_SCAN_ROWS:
                    raise _too_many_rows(path.name)
    except csv.Error as exc:
        raise InputError(
            [Issue(f"is not a readable csv file ({exc}); expected comma separated values", path.name)]
        ) from None
    return _Table(sheet, path.name, rows)


# -- rows --------------------------------------------------------------------------------------


@dataclass
class _Sheet:
    """A table with its columns resolved against the contract."""

    spec: SheetSpec
    table: _Table
    cols: dict[str, int]  # contract column -> 0-based index
    header_row: int
    ok: bool  # every required column present

    @property
    def name(self) -> str:
        return self.table.sheet

    def source(self, row: int) -> Source:
        letters = tuple((c, column_letter(i)) for c, i in self.cols.items())
        return Source(self.name, row, letters, self.table.file)

    def data_rows(self) -> Iterable[tuple[int, list[tuple[Any, bool]]]]:
        for row_no, values in self.table.rows:
            if row_no <= self.header_row:
                continue
            if all(is_blank(values[i][0]) for i in self.cols.values() if i < len(values)):
                continue
            yield row_no, values


_NOUN = {"Paras": "para", "Students": "student"}


def _resolve_columns(
    spec: SheetSpec, table: _Table, issues: list[Issue], warnings: list[Issue] | None = None
) -> _Sheet:
    if not table.rows:  # an empty optional sheet simply has no rows
        if spec.required_sheet:
            issues.append(
                Issue(
                    f"the sheet is empty; expected a header row with columns {', '.join(spec.required)} "
                    f"and one row per {_NOUN[spec.name]}",
                    table.sheet,
                )
            )
        return _Sheet(spec, table, {}, 1, not spec.required_sheet)
    header_row, header = 0, []
    scan = table.rows[:_HEADER_SCAN_ROWS]
    for row_no, values in scan:  # the first row naming a contract column is the header
        names = {norm_name(v) for v, _ in values}
        if names & set(spec.columns):
            header_row, header = row_no, [v for v, _ in values]
            break
    else:
        first = scan[0][1] if scan else []
        if spec.name == "Settings" and first and norm_name(first[0][0]) in SETTING_NAMES:
            # a Settings sheet without its header row: setting names in A, values in B
            return _Sheet(spec, table, {"setting": 0, "value": 1}, scan[0][0] - 1, True)
        if scan:
            header_row, header = scan[0][0], [v for v, _ in scan[0][1]]
    cols: dict[str, int] = {}
    where = table.sheet
    for i, h in enumerate(header):
        key = norm_name(h)
        if key in spec.columns:
            if key in cols:
                issues.append(
                    Issue(
                        f"two '{key}' columns ({column_letter(cols[key])} and {column_letter(i)}); "
                        "expected each column once",
                        where,
                    )
                )
            else:
                cols[key] = i
    found = [str(h).strip() for h in header if not is_blank(h)]
    ok = True
    for col in spec.required:
        if col in cols:
            continue
        ok = False
        text = (
            f"no '{col}' column; expected columns {', '.join(spec.required)} "
            f"(found: {', '.join(found) if found else 'no headers'})"
        )
        unknown = [h for h in found if norm_name(h) not in spec.columns]
        guess = difflib.get_close_matches(col, [norm_name(h) for h in unknown], n=1, cutoff=0.6)
        if guess:
            original = next(h for h in unknown if norm_name(h) == guess[0])
            text += f"; the header '{original}' looks misspelled: did you mean '{col}'?"
        issues.append(Issue(text, where))
    if warnings is not None:  # an optional column misspelled would be silently ignored
        for h in found:
            key = norm_name(h)
            if key in spec.columns:
                continue
            guess = difflib.get_close_matches(key, [c for c in spec.columns if c not in cols], n=1, cutoff=0.8)
            if guess and guess[0] not in spec.required:
                column = column_letter(next(i for i, x in enumerate(header) if str(x).strip() == h))
                warnings.append(
                    Issue(
                        f"the column '{h}' is not a contract column and is ignored; did you mean '{guess[0]}'?",
                        f"{where}!{column}{header_row or 1}",
                        "warning",
                    )
                )
    return _Sheet(spec, table, cols, header_row or 1, ok)


class _Row:
    """One data row: typed access to its cells, collecting located cell errors."""

    def __init__(self, sheet: _Sheet, row_no: int, values: list[tuple[Any, bool]], issues: list[Issue]) -> None:
        self.sheet, self.row_no, self.values, self.issues = sheet, row_no, values, issues
        self.source = sheet.source(row_no)
        self.failed = False
        self._reported: set[str] = set()

    def raw(self, col: str) -> tuple[Any, bool]:
        """The cell's value and whether it is time-formatted; a formula error is reported (once)
        and read as blank."""
        i = self.sheet.cols.get(col)
        if i is None or i >= len(self.values):
            return None, False
        value, time_format = self.values[i]
        problem = formula_problem(value) or cell_id_problem(col, value)  # invisible.py (issue 14)
        if problem:
            if col not in self._reported:
                self.error(col, problem)
            return None, False
        return value, time_format

    def error(self, col: str, text: str) -> None:
        self.failed = True
        self._reported.add(col)
        self.issues.append(Issue(text, self.source.cell(col)))

    def get(self, col: str, parse: Callable[[Any], Any], *, required: str | None = None) -> Any:
        """The parsed value (None when blank); ``required`` words what a blank should have held."""
        value, _ = self.raw(col)
        try:
            out = parse(value)
        except CellError as exc:
            self.error(col, exc.text)
            return None
        if required and (out is None or out == "" or out == ()) and col not in self._reported:
            self.error(col, f"the cell is blank; expected {required}")
        return out

    def time(self, col: str, *, required: bool = False) -> int | None:
        value, time_format = self.raw(col)
        try:
            out = parse_time(value, time_format=time_format)
        except CellError as exc:
            self.error(col, exc.text)
            return None
        if out is None and required and col not in self._reported:
            self.error(col, "the cell is blank; expected HH:MM such as 08:30")
        return out

    def text(self, col: str) -> str:
        return parse_text(self.raw(col)[0])


# -- the reader --------------------------------------------------------------------------------


class _Reader:
    def __init__(self) -> None:
        self.issues: list[Issue] = []
        self.warnings: list[Issue] = []
        self.structural = False  # a sheet or required column is missing: skip cross-references
        self.broken_ids: set[str] = set()
        self.student_names: set[str] = set()

    # generic ---------------------------------------------------------------------------------
    def sheet(self, src: _Source, name: str, label: str | None = None) -> _Sheet | None:
        spec = SHEETS[name]
        if not src.has(name):
            if spec.required_sheet:
                self.structural = True
                kind = "Folder" if src.is_folder else "Workbook"
                missing = f"'{name}.csv' file" if src.is_folder else f"'{name}' sheet"
                text = (
                    f"{kind} has no {missing}; expected sheets: {_expected_sheets()} "
                    f"(found: {', '.join(src.titles) if src.titles else 'none'})"
                )
                titles = [Path(t).stem for t in src.titles] if src.is_folder else src.titles
                guess = _suggest(name, titles, _sheet_key)
                if guess and src.is_folder:
                    guess = f"{guess}.csv"
                if guess and not any(_sheet_key(guess) == _sheet_key(s) for s in SHEETS):
                    text += f"; did you mean '{guess}'?"
                self.issues.append(Issue(text, src.label))
            return None
        try:
            table = src.table(name, label)
        except InputError:
            raise
        except (ValueError, KeyError, TypeError, IndexError, OverflowError, SyntaxError, zipfile.BadZipFile) as exc:
            # xml.etree's ParseError is a SyntaxError: a damaged sheet, not a bug to show as a traceback
            raise InputError(
                [
                    Issue(
                        f"the sheet '{name}' cannot be read ({type(exc).__name__}: {exc}); the file "
                        "looks damaged: open it in Excel, save it again as .xlsx and run again",
                        src.label,
                    )
                ]
            ) from None
        sheet = _resolve_columns(spec, table, self.issues, self.warnings)
        if not sheet.ok:
            self.structural = True
        elif spec.required_sheet and next(iter(sheet.data_rows()), None) is None:
            self.structural = True
            noun = _NOUN[name]
            self.issues.append(
                Issue(
                    f"no {noun} is listed below the header (row {sheet.header_row}); expected one row per {noun}",
                    sheet.name,
                )
            )
        return sheet

    def records(
        self, sheet: _Sheet | None, build: Callable[[_Row], Any], cls: type, id_col: str | None = None
    ) -> list[Any]:
        out: list[Any] = []
        if sheet is None or not sheet.ok:
            return out
        for row_no, values in sheet.data_rows():
            row = _Row(sheet, row_no, values, self.issues)
            kwargs = build(row)
            ident = row.text(id_col) if id_col else ""
            if row.failed or kwargs is None:
                if ident:
                    self.broken_ids.add(ident)
                continue
            try:
                out.append(cls(**kwargs, source=row.source))
            except DataError as exc:
                self.issues.append(Issue(exc.text, row.source.cell(exc.column)))
                if ident:
                    self.broken_ids.add(ident)
        return out

    # Settings --------------------------------------------------------------------------------
    def settings(self, sheet: _Sheet | None) -> Settings:
        if sheet is None or not sheet.ok:
            return Settings()
        parsers: dict[str, tuple[str, Callable[[Any, bool], Any]]] = {
            "school_name": ("school_name", lambda v, _: parse_text(v) or None),
            "days": ("days", lambda v, _: parse_days(v)),
            "week_of": ("week_of", lambda v, _: parse_date(v)),
            "school_start": ("school_start", lambda v, tf: parse_time(v, time_format=tf)),
            "school_end": ("school_end", lambda v, tf: parse_time(v, time_format=tf)),
            "time_step_minutes": ("time_step", lambda v, _: parse_int(v, example="5")),
            "lunch_minutes": ("lunch_minutes", lambda v, _: parse_int(v, example="30")),
            "lunch_window": ("lunch_window", lambda v, _: parse_span(v)),
            "breaks_per_day": ("breaks_per_day", lambda v, _: parse_int(v, example="2")),
            "break_minutes": ("break_minutes", lambda v, _: parse_int(v, example="15")),
            "max_continuous_minutes": ("max_continuous_minutes", lambda v, _: parse_int(v, example="120")),
            "min_support_minutes": ("min_support_minutes", lambda v, _: parse_int(v, example="15")),
            "time_limit_seconds": ("time_limit_seconds", lambda v, _: parse_number(v, example="60")),
        }
        kwargs: dict[str, Any] = {}
        where: dict[str, str] = {}
        seen: dict[str, int] = {}
        value_letter = column_letter(sheet.cols["value"])
        for row_no, values in sheet.data_rows():
            row = _Row(sheet, row_no, values, self.issues)
            name_raw = row.raw("setting")[0]
            name = norm_name(name_raw)
            if not name:
                row.error("setting", "the cell is blank; expected a setting name such as lunch_minutes")
                continue
            if name not in parsers:
                guess = difflib.get_close_matches(name, SETTING_NAMES, n=1, cutoff=0.6)
                hint = f"did you mean '{guess[0]}'?" if guess else f"known settings: {', '.join(SETTING_NAMES)}"
                self.warnings.append(
                    Issue(
                        f"'{parse_text(name_raw)}' is not a setting and is ignored; {hint}",
                        row.source.cell("setting"),
                        "warning",
                    )
                )
                continue
            if name in seen:
                row.error("setting", f"'{name}' is set twice (first at row {seen[name]}); expected each setting once")
                continue
            seen[name] = row_no
            cell = f"{sheet.name}!{value_letter}{row_no} ({name})"
            where[name] = cell
            value, time_format = row.raw("value")
            field_name, parse = parsers[name]
            try:
                parsed = parse(value, time_format)
            except CellError as exc:
                self.issues.append(Issue(exc.text, cell))
                continue
            if parsed is not None:
                kwargs[field_name] = parsed
        try:
            return Settings(**kwargs)
        except DataError as exc:
            column = exc.column or ""
            self.issues.append(Issue(exc.text, where.get(column, f"{sheet.name} ({column})" if column else sheet.name)))
            return Settings()

    # sheets ----------------------------------------------------------------------------------
    @staticmethod
    def para(r: _Row) -> dict[str, Any]:
        return dict(
            para_id=r.get("para_id", parse_text, required="a unique para_id such as P01"),
            name=r.get("name", parse_text, required="the para's name"),
            role=r.get("role", lambda v: parse_choice(v, Role, "a role")) or Role.PARA,
            days=r.get("days", parse_days) or (),
            start=r.time("start", required=True),
            end=r.time("end", required=True),
            skills=r.get("skills", parse_tags),
            gender=r.text("gender"),
            lunch_minutes=r.get("lunch_minutes", lambda v: parse_int(v, example="30")),
            lunch_window=r.get("lunch_window", parse_span),
            max_duty_minutes=r.get("max_duty_minutes", lambda v: parse_int(v, example="150")),
            general_duties=_default(r.get("general_duties", parse_bool), True),
        )

    def student(self, r: _Row) -> dict[str, Any]:
        name = r.get("name", parse_text, required="the student's name")
        if name:
            self.student_names.add(name)
        return dict(
            student_id=r.get("student_id", parse_text, required="a unique student_id such as S01"),
            name=name,
            grade=r.text("grade"),
            homeroom=r.text("homeroom"),
            support=r.get("support", parse_support) or Support.ONE_TO_ONE,
            group_max=_default(r.get("group_max", parse_int), 3),
            skills_required=r.get("skills_required", parse_tags),
            gender=r.text("gender"),
            gender_match=_default(r.get("gender_match", parse_bool), False),
            priority=_default(r.get("priority", parse_priority), 2),
            max_minutes_with_same_para=r.get("max_minutes_with_same_para", lambda v: parse_int(v, example="120")),
            preferred_paras=tuple(self.ref_para(p) for p in r.get("preferred_paras", parse_list) or ()),
            avoid_paras=tuple(self.ref_para(p) for p in r.get("avoid_paras", parse_list) or ()),
            weekly_flex_minutes=_default(r.get("weekly_flex_minutes", lambda v: parse_int(v, example="120")), 0),
        )

    def availability(self, r: _Row) -> dict[str, Any]:
        days = r.get("day", parse_days, required="one day such as Mon")
        if days is not None and len(days) != 1:
            r.error("day", f"'{r.text('day')}' is {len(days)} days; expected one day such as Mon (one row per day)")
        return dict(
            para_id=self.ref_para(r.get("para_id", parse_text, required="a para_id from Paras")),
            day=days[0] if days else "Mon",
            start=r.time("start"),
            end=r.time("end"),
        )

    def block(self, r: _Row) -> dict[str, Any]:
        return dict(
            student_id=self.ref_student(r.get("student_id", parse_text, required="a student_id from Students")),
            days=r.get("days", parse_days) or (),
            start=r.time("start", required=True),
            end=r.time("end", required=True),
            activity=r.text("activity"),
            location=r.text("location"),
            support=r.get("support", parse_support),
            skills_required=r.get("skills_required", parse_tags),
            protected=_default(r.get("protected", parse_bool), False),
        )

    @staticmethod
    def duty(r: _Row) -> dict[str, Any]:
        duty_id = r.get("duty_id", parse_text, required="a unique duty_id such as D01")
        return dict(
            duty_id=duty_id,
            name=r.text("name") or duty_id,
            kind=r.get("kind", lambda v: parse_choice(v, DutyKind, "a duty kind")) or DutyKind.OTHER,
            days=r.get("days", parse_days) or (),
            start=r.time("start", required=True),
            end=r.time("end", required=True),
            location=r.text("location"),
            staff_needed=_default(r.get("staff_needed", lambda v: parse_int(v, example="2")), 1),
            skills_required=r.get("skills_required", parse_tags),
            priority=_default(r.get("priority", parse_priority), 2),
        )

    def session(self, r: _Row) -> dict[str, Any]:
        ids = r.get("student_ids", parse_list, required="one or more student ids such as S01, S02")
        ws, we = r.time("window_start"), r.time("window_end")
        if (ws is None) != (we is None) and not r.failed:
            r.error(
                "window_end" if we is None else "window_start",
                "the cell is blank; expected both window_start and window_end, or neither",
            )
        return dict(
            session_id=r.get("session_id", parse_text, required="a unique session_id such as T01"),
            student_ids=tuple(self.ref_student(s) for s in ids or ()),
            kind=r.text("kind"),
            provider=self.ref_provider(r.text("provider")),
            para_role=r.get("para_role", lambda v: parse_choice(v, ParaRole, "a para_role")) or ParaRole.NONE,
            skills_required=r.get("skills_required", parse_tags),
            priority=_default(r.get("priority", parse_priority), 2),
            days=r.get("days", parse_days) or (),
            start=r.time("start"),
            end=r.time("end"),
            sessions_per_week=r.get("sessions_per_week", lambda v: parse_int(v, example="2")),
            duration_minutes=r.get("duration_minutes", lambda v: parse_int(v, example="30")),
            allowed_days=r.get("allowed_days", parse_days) or (),
            window=(ws, we) if ws is not None and we is not None else None,
        )

    @staticmethod
    def provider(r: _Row) -> dict[str, Any]:
        return dict(
            provider=r.get("provider", parse_text, required="the provider's name"),
            days=r.get("days", parse_days) or (),
            start=r.time("start", required=True),
            end=r.time("end", required=True),
        )

    def absence(self, r: _Row) -> dict[str, Any]:
        return dict(
            person_id=self.ref_person(r.get("person_id", parse_text, required="a para_id or student_id")),
            days=r.get("days", parse_days) or (),
            start=r.time("start"),
            end=r.time("end"),
            reason=r.text("reason"),
        )

    # ids typed in another case resolve to the declared id ---------------------------------------
    para_ids: dict[str, str]
    student_ids: dict[str, str]
    providers: dict[str, str]

    def ref_para(self, pid: str | None) -> str | None:
        return self.para_ids.get(pid.lower(), pid) if pid else pid

    def ref_student(self, sid: str | None) -> str | None:
        return self.student_ids.get(sid.lower(), sid) if sid else sid

    def ref_person(self, pid: str | None) -> str | None:
        if not pid:
            return pid
        return self.para_ids.get(pid.lower()) or self.student_ids.get(pid.lower()) or pid

    def ref_provider(self, name: str) -> str:
        return self.providers.get(name.lower(), name) if name else name


def _default(value: Any, default: Any) -> Any:
    return default if value is None else value


def _id_map(sheet: _Sheet | None, col: str) -> dict[str, str]:
    out: dict[str, str] = {}
    if sheet is None or col not in sheet.cols:
        return out
    i = sheet.cols[col]
    for _, values in sheet.data_rows():
        ident = parse_text(values[i][0]) if i < len(values) else ""
        if ident:
            out.setdefault(ident.lower(), ident)
    return out


def _check_path(path: Path, *, single_csv: bool = False) -> None:
    """``files.check_input_file``; a single .csv (a separate absences file) gets its size and
    binary-content checks, as the files of a csv folder do."""
    from parasched.io import files

    if single_csv and path.is_file() and path.suffix.lower() == ".csv":
        size = path.stat().st_size
        if size > files.MAX_FILE_BYTES:
            raise InputError(
                [
                    Issue(
                        f"is larger than {files.MAX_FILE_BYTES // (1024 * 1024)} MB; check it is the right file",
                        path.name,
                    )
                ]
            )
        with path.open("rb") as fh:
            kind = files._sniff_binary(fh.read(4096))
        if kind is not None:
            raise InputError(
                [Issue(f"is named .csv but holds {kind}; save the sheet as CSV (comma separated) instead", path.name)]
            )
        return
    files.check_input_file(path)


def read_problem(path: str | Path, *, absences: str | Path | Sequence[Absence] | None = None) -> ReadResult:
    """Read and validate the input (.xlsx or a folder of .csv files); raise InputError listing
    every problem. ``absences``: a separate absences file (see :func:`read_absences`) or records,
    appended to the input's own Absences sheet."""
    path = Path(path)
    _check_path(path)
    extra: tuple[Absence, ...] = ()
    extra_issues: list[Issue] = []
    if absences is not None:
        if isinstance(absences, str | Path):
            extra, extra_issues = _read_absences(Path(absences))
        else:
            extra = tuple(absences)
    rd = _Reader()
    src = _Source(path, rd.warnings)
    try:
        if src.is_folder and not src.titles:
            raise InputError(
                [
                    Issue(
                        "the folder holds no .csv files; expected one csv file per sheet: "
                        + ", ".join(f"{s}.csv" for s in SHEETS),
                        src.label,
                    )
                ]
            )
        sheets = {name: rd.sheet(src, name) for name in SHEETS}
    finally:
        src.close()
    _warn_unknown_sheets(src, rd)
    settings = rd.settings(sheets["Settings"])
    rd.para_ids = _id_map(sheets["Paras"], "para_id")
    rd.student_ids = _id_map(sheets["Students"], "student_id")
    rd.providers = _id_map(sheets["Providers"], "provider")
    paras = rd.records(sheets["Paras"], rd.para, Para, "para_id")
    students = rd.records(sheets["Students"], rd.student, Student, "student_id")
    availability = rd.records(sheets["Availability"], rd.availability, Availability)
    blocks = rd.records(sheets["StudentSchedule"], rd.block, StudentBlock)
    duties = rd.records(sheets["Duties"], rd.duty, Duty, "duty_id")
    sessions = rd.records(sheets["Therapy"], rd.session, Session, "session_id")
    providers = rd.records(sheets["Providers"], rd.provider, ProviderHours)
    own_absences = rd.records(sheets["Absences"], rd.absence, Absence)
    extra = tuple(_recase_absence(a, rd) for a in extra)
    issues = rd.issues + extra_issues
    problem: Problem | None = None
    if not rd.structural:
        try:
            problem = Problem(
                settings,
                tuple(paras),
                tuple(students),
                tuple(blocks),
                tuple(availability),
                tuple(duties),
                tuple(sessions),
                tuple(providers),
                (*own_absences, *extra),
            )
        except InputError as exc:
            issues += [i for i in exc.issues if not _cascade(i, rd.broken_ids)]
    _NAMES_READ.update(rd.student_names)
    if issues or problem is None:
        raise InputFileError(_without_names(issues, rd.student_names), file=path.name)
    from parasched.scheduler.capacity import warnings as capacity_warnings

    warnings = _without_names([*rd.warnings, *capacity_warnings(problem)], rd.student_names)
    return ReadResult(problem, tuple(warnings))


# Every student name this process has read: a crash report (``cli.py``) masks them in the
# traceback it logs, since an exception's message may quote a cell (FERPA).
_NAMES_READ: set[str] = set()


def student_names_read() -> frozenset[str]:
    """The student names read so far by :func:`read_problem` in this process."""
    return frozenset(_NAMES_READ)


def mask_names(text: str, names: Iterable[str]) -> str:
    """``text`` with each of ``names`` (3 characters or more, whole words) replaced."""
    found = sorted((n for n in names if len(n) >= 3), key=len, reverse=True)
    if not found:
        return text
    pattern = re.compile("|".join(rf"(?<!\w){re.escape(n)}(?!\w)" for n in found))
    return pattern.sub("(a student's name)", text)


def _without_names(issues: list[Issue], names: set[str]) -> list[Issue]:
    """Messages quote what a cell holds; a student's name found there (a shifted column, say) is
    masked, so messages and logs show ids only (FERPA)."""
    found = sorted((n for n in names if len(n) >= 3), key=len, reverse=True)
    if not found:
        return issues
    pattern = re.compile("|".join(rf"(?<!\w){re.escape(n)}(?!\w)" for n in found))
    return [replace(i, text=pattern.sub("(a student's name)", i.text)) if pattern.search(i.text) else i for i in issues]


def _recase_absence(a: Absence, rd: _Reader) -> Absence:
    pid = rd.ref_person(a.person_id) or a.person_id
    return a if pid == a.person_id else replace(a, person_id=pid)


def _cascade(issue: Issue, broken: set[str]) -> bool:
    """A cross-reference error caused only by a row already reported as broken."""
    m = re.match(r"'(.*?)' is (?:not a |neither )", issue.text)
    return bool(m and m.group(1) in broken)


def _warn_unknown_sheets(src: _Source, rd: _Reader) -> None:
    known = {_sheet_key(s) for s in SHEETS}
    for title in src.titles:
        name = Path(title).stem if src.is_folder else title
        if _sheet_key(name) in known:
            continue
        guess = _suggest(name, [s for s in SHEETS if not src.has(s)], _sheet_key)
        if guess:
            rd.warnings.append(
                Issue(
                    f"the sheet '{name}' is not a contract sheet and is ignored; did you mean '{guess}'?",
                    src.label,
                    "warning",
                )
            )


def read_absences(path: str | Path) -> tuple[Absence, ...]:
    """Absences from a separate file: the Absences sheet of an .xlsx, a folder holding
    Absences.csv, or a single .csv file holding the Absences table. Person ids are checked
    against the problem when combined (``read_problem(..., absences=path)``)."""
    records, issues = _read_absences(Path(path))
    if issues:
        raise InputFileError(issues, file=Path(path).name)
    return records


def _read_absences(path: Path) -> tuple[tuple[Absence, ...], list[Issue]]:
    """The records that could be read, and the problems of the others."""
    _check_path(path, single_csv=True)
    rd = _Reader()
    rd.para_ids, rd.student_ids, rd.providers = {}, {}, {}
    if path.is_file() and path.suffix.lower() == ".csv":
        sheet: _Sheet | None = _resolve_columns(
            SHEETS["Absences"], _read_csv(path, f"[{path.name}]Absences", rd.warnings), rd.issues
        )
    else:
        src = _Source(path, rd.warnings)
        try:
            if not src.has("Absences"):
                what = "Absences.csv file" if src.is_folder else "Absences sheet"
                raise InputError(
                    [
                        Issue(
                            f"has no {what}; expected columns person_id, days, start, end, reason "
                            f"(found: {', '.join(src.titles) or 'none'})",
                            src.label,
                        )
                    ]
                )
            sheet = _resolve_columns(SHEETS["Absences"], src.table("Absences", f"[{path.name}]Absences"), rd.issues)
        finally:
            src.close()
    out = rd.records(sheet, rd.absence, Absence)
    return tuple(out), rd.issues


__all__ = [
    "EXCEL_ERRORS",
    "SETTING_NAMES",
    "SHEETS",
    "InputFileError",
    "ReadResult",
    "SheetSpec",
    "Uncalculated",
    "formula_problem",
    "mask_names",
    "norm_name",
    "read_absences",
    "read_problem",
    "student_names_read",
]
