"""Contract fuzzing (issue 13): random *valid* tiny schools, written in every way the contract and
the README accept, must read back exactly and go through validate -> solve -> check -> resolve
with no traceback, no broken rule and exit code 0.

    python samples/fuzz_workbooks.py --count 2000            # thousands, for a long run
    python samples/fuzz_workbooks.py --count 50 --keep out/  # keep every workbook written

``tests/test_fuzz_contract.py`` runs a bounded number of examples of the same strategy in CI.
Needs the dev extra (``pip install -e '.[dev]'``: hypothesis). Each case takes a few seconds
(two solves with ``--time-limit 2 --workers 1``).

What varies (each drawn per workbook, per column or per cell):
- .xlsx, or a folder of .csv files (UTF-8 with or without BOM, ``,`` or ``;`` separated);
- headers exact, upper case, ``Title Case`` with spaces, padded, with a hint (``Start (HH:MM)``);
  columns in any order, optional columns left out, an unknown ``notes`` column, a title row
  above the header, blank rows between data rows, hidden rows (xlsx);
- blank optional cells wherever the contract gives a default; optional sheets missing or
  header-only; Settings rows left out, without a header row, or with odd-case names;
- times as ``08:50``, ``8:50``, ``8:50 AM``, Excel time, datetime and time-formatted number cells;
- days as lists, ranges (``Mon-Wed``), full names, letters (``M W R F``, ``M-R``);
- ids typed as numbers, ``1:1`` saved by Excel as the time 01:01 (or ``1-1``, ``one-to-one``),
  priority as ``critical``/``required``/``desirable``, yes/no as ``Y``/``TRUE``/``x``/booleans.

A failing case is saved under ``tests/data/fuzz_found/`` (``--found``) with a note of what failed.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import shutil
import sys
import tempfile
import time
import traceback
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from hypothesis import strategies as st  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from parasched.io.input_writer import INPUT_SHEETS, problem_rows, settings_rows  # noqa: E402
from parasched.scheduler.model import (  # noqa: E402
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
from parasched.scheduler.timegrid import DAYS  # noqa: E402

FOUND_DIR = ROOT / "tests" / "data" / "fuzz_found"
WEEKDAYS = DAYS[:5]
SKILLS = ("behavior", "medical", "asl")
NAMES = ("Ana Ruiz", "Ben Cole", "Cara Diaz", "Dev Shah", "Eli Moss", "Fay Long", "Gus Park", "Hana Ito")


def _t(h: int, m: int = 0) -> int:
    return h * 60 + m


# -- the school: a valid Problem ------------------------------------------------------------------


@st.composite
def tiny_schools(draw: st.DrawFn) -> Problem:
    """A valid school of 2-4 paras and 2-5 students on 1-3 days, using every sheet sometimes."""
    first = draw(st.integers(0, 3))
    days = WEEKDAYS[first : first + draw(st.integers(1, min(3, 5 - first)))]
    step = draw(st.sampled_from((5, 10, 15)))
    start = draw(st.sampled_from((_t(7, 30), _t(8), _t(8, 30))))
    end = start + draw(st.sampled_from((_t(3), _t(4), _t(5))))
    lunch = draw(st.sampled_from((0, 30)))
    numeric_ids = draw(st.booleans())
    settings = Settings(
        school_name=draw(st.sampled_from(("", "Maple Grove", "=Lincoln Park"))),
        days=days,
        week_of=draw(st.sampled_from((None, dt.date(2026, 12, 7) + dt.timedelta(days=first)))),
        school_start=start,
        school_end=end,
        time_step=step,
        lunch_minutes=lunch,
        lunch_window=draw(st.sampled_from(((_t(10, 30), _t(13, 30)), (_t(10), _t(13))))),
        breaks_per_day=draw(st.integers(0, 1)),
        break_minutes=30 if step == 10 else draw(st.sampled_from((15, 30))),
        max_continuous_minutes=draw(st.sampled_from((None, 120, 180))),
        min_support_minutes=draw(st.sampled_from((0, 15, 30))),
        time_limit_seconds=draw(st.sampled_from((60.0, 30.0, 2.5))),
    )

    n_paras = draw(st.integers(2, 4))
    para_ids = [str(101 + i) if numeric_ids else f"P{i + 1:02d}" for i in range(n_paras)]
    paras = []
    for i, pid in enumerate(para_ids):
        sub_days = draw(st.lists(st.sampled_from(days), unique=True, max_size=len(days)))
        paras.append(
            Para(
                pid,
                NAMES[i],
                start - draw(st.sampled_from((0, 30))),
                end + draw(st.sampled_from((0, 30))),
                days=tuple(d for d in days if d in sub_days),
                role=Role.SUBSTITUTE if i == n_paras - 1 and draw(st.booleans()) else Role.PARA,
                skills=frozenset(draw(st.lists(st.sampled_from(SKILLS), unique=True, max_size=2))),
                gender=draw(st.sampled_from(("", "m", "f"))),
                lunch_minutes=draw(st.sampled_from((None, 30))) if lunch else None,
                lunch_window=draw(st.sampled_from((None, (_t(11), _t(12, 30))))) if lunch else None,
                max_duty_minutes=draw(st.sampled_from((None, 60, 300))),
                general_duties=draw(st.booleans()),
            )
        )
    n_students = draw(st.integers(2, 5))
    student_ids = [str(201 + i) if numeric_ids else f"S{i + 1:02d}" for i in range(n_students)]
    students, blocks = [], []
    for i, sid in enumerate(student_ids):
        gender = draw(st.sampled_from(("", "m", "f")))
        preferred = draw(st.lists(st.sampled_from(para_ids), unique=True, max_size=1))
        avoid = [p for p in draw(st.lists(st.sampled_from(para_ids), unique=True, max_size=1)) if p not in preferred]
        students.append(
            Student(
                sid,
                NAMES[-1 - i],
                grade=draw(st.sampled_from(("", "K", "3"))),
                homeroom=draw(st.sampled_from(("", "Room 101", "Room 102"))),
                support=draw(st.sampled_from(tuple(Support))),
                group_max=draw(st.integers(1, 3)),
                skills_required=frozenset(draw(st.lists(st.sampled_from(SKILLS[:2]), unique=True, max_size=1))),
                gender=gender,
                gender_match=bool(gender) and draw(st.booleans()),
                priority=draw(st.integers(1, 3)),
                max_minutes_with_same_para=draw(st.sampled_from((None, 120))),
                preferred_paras=tuple(preferred),
                avoid_paras=tuple(avoid),
                weekly_flex_minutes=draw(st.sampled_from((0, 60))),
            )
        )
        if draw(st.booleans()):  # schedule rows: the morning in two blocks, the rest of the day in a third
            mid = start + 60 + (end - start - 60) // 2 // 60 * 60
            block_days = tuple(d for d in days if d in draw(st.lists(st.sampled_from(days), unique=True)))
            for a, b in ((start, start + 60), (start + 60, mid), (mid, end)):
                blocks.append(
                    StudentBlock(
                        sid,
                        a,
                        b,
                        days=block_days,
                        activity=draw(st.sampled_from(("", "Reading", "Math"))),
                        location=draw(st.sampled_from(("", "Gym", "Room 101"))),
                        support=draw(st.sampled_from((None, *Support))),
                        skills_required=frozenset(draw(st.lists(st.sampled_from(SKILLS[:2]), max_size=1))),
                        protected=draw(st.booleans()),
                    )
                )
    duties = [
        Duty(
            f"D{k + 1}",
            draw(st.sampled_from((f"D{k + 1}", "Bus line", "Recess"))),
            draw(st.sampled_from(tuple(DutyKind))),
            start + 60 * k,
            start + 60 * k + 30,
            days=tuple(d for d in days if d in draw(st.lists(st.sampled_from(days), unique=True))),
            location=draw(st.sampled_from(("", "Gym"))),
            staff_needed=draw(st.integers(1, 2)),
            skills_required=frozenset(draw(st.lists(st.sampled_from(SKILLS[:1]), max_size=1))),
            priority=draw(st.integers(1, 3)),
        )
        for k in range(draw(st.integers(0, 2)))
    ]
    sessions, providers = [], []
    if draw(st.booleans()):  # a fixed session, 60-90 minutes after the start
        role = draw(st.sampled_from(tuple(ParaRole)))
        sessions.append(
            Session(
                "T1",
                (student_ids[0],),
                kind=draw(st.sampled_from(("", "speech"))),
                provider="Ms Reed" if role == ParaRole.NONE or draw(st.booleans()) else "",
                para_role=role,
                skills_required=frozenset(draw(st.lists(st.sampled_from(SKILLS[:1]), max_size=1))),
                priority=draw(st.integers(1, 3)),
                days=tuple(d for d in days if d in draw(st.lists(st.sampled_from(days), unique=True))),
                start=start + 60,
                end=start + 90,
            )
        )
    if draw(st.booleans()):  # a flexible session, placed by the solver
        role = draw(st.sampled_from(tuple(ParaRole)))
        allowed = tuple(d for d in days if d in draw(st.lists(st.sampled_from(days), unique=True)))
        sessions.append(
            Session(
                "T2",
                tuple(student_ids[1 : 1 + draw(st.integers(1, 2))]),
                kind="OT",
                provider="Mr Ode" if role == ParaRole.NONE or draw(st.booleans()) else "",
                para_role=role,
                priority=draw(st.integers(1, 3)),
                sessions_per_week=draw(st.integers(1, len(allowed or days))),
                duration_minutes=30,
                allowed_days=allowed,
                window=draw(st.sampled_from((None, (start, end)))),
            )
        )
        if draw(st.booleans()):
            providers.append(ProviderHours("Mr Ode", start, end, days=draw(st.sampled_from(((), days)))))
    availability = []
    if draw(st.booleans()):
        day_off = draw(st.booleans())
        availability.append(
            Availability(
                para_ids[0], draw(st.sampled_from(days)), None if day_off else start, None if day_off else start + 180
            )
        )
    absences = []
    if draw(st.booleans()):
        whole = draw(st.booleans())
        absences.append(
            Absence(
                draw(st.sampled_from(para_ids + student_ids)),
                days=(draw(st.sampled_from(days)),),
                start=None if whole else start,
                end=None if whole else start + 60,
                reason=draw(st.sampled_from(("", "sick"))),
            )
        )
    return Problem(
        settings,
        tuple(paras),
        tuple(students),
        tuple(blocks),
        tuple(availability),
        tuple(duties),
        tuple(sessions),
        tuple(providers),
        tuple(absences),
    )


# -- writing it the way people do --------------------------------------------------------------

TIME_COLS = {"start", "end", "window_start", "window_end"}
DAYS_COLS = {"days", "allowed_days"}
BOOL_COLS = {"general_duties", "gender_match", "protected"}
INT_COLS = {
    "lunch_minutes",
    "max_duty_minutes",
    "group_max",
    "max_minutes_with_same_para",
    "weekly_flex_minutes",
    "staff_needed",
    "sessions_per_week",
    "duration_minutes",
}
ID_COLS = {"para_id", "student_id", "person_id", "duty_id", "session_id"}
ID_LIST_COLS = {"preferred_paras", "avoid_paras", "student_ids"}
TAG_COLS = {"skills", "skills_required"}
# what a blank cell means, per sheet and column (written as the canonical text of problem_rows)
DEFAULTS: dict[tuple[str, str], Any] = {
    ("Paras", "role"): "para",
    ("Paras", "general_duties"): "yes",
    ("Students", "support"): "1:1",
    ("Students", "group_max"): 3,
    ("Students", "priority"): 2,
    ("Duties", "kind"): "other",
    ("Duties", "staff_needed"): 1,
    ("Duties", "priority"): 2,
    ("Therapy", "para_role"): "none",
    ("Therapy", "priority"): 2,
}
LETTERS = {"Mon": "M", "Wed": "W", "Thu": "R", "Fri": "F"}
FULL = {"Mon": "Monday", "Tue": "Tuesday", "Wed": "Wednesday", "Thu": "Thursday", "Fri": "Friday"}
PRIORITY_WORDS = {1: "critical", 2: "required", 3: "desirable"}
REQUIRED = {
    name: cols
    for name, cols in (
        ("Settings", ("setting", "value")),
        ("Paras", ("para_id", "name", "start", "end")),
        ("Availability", ("para_id", "day")),
        ("Students", ("student_id", "name")),
        ("StudentSchedule", ("student_id", "start", "end")),
        ("Duties", ("duty_id", "start", "end")),
        ("Therapy", ("session_id", "student_ids")),
        ("Providers", ("provider", "start", "end")),
        ("Absences", ("person_id",)),
    )
}


@dataclass(frozen=True)
class Cell:
    """A value to write and, for xlsx, its number format (time-formatted numbers)."""

    value: Any
    number_format: str | None = None


def _minutes(text: str) -> int:
    h, m = text.split(":")
    return int(h) * 60 + int(m)


def time_variant(minutes: int, rng: random.Random, xlsx: bool) -> Cell:
    h, m = divmod(minutes, 60)
    text = [
        f"{h:02d}:{m:02d}",
        f"{h}:{m:02d}",
        f"{h % 12 or 12}:{m:02d} {'AM' if h < 12 else 'PM'}",
        f"{h % 12 or 12}:{m:02d} {'am' if h < 12 else 'pm'}",
    ]
    if not xlsx or minutes >= 24 * 60:
        return Cell(rng.choice(text))
    kind = rng.randrange(len(text) + 3)
    if kind < len(text):
        return Cell(text[kind])
    if kind == len(text):
        return Cell(dt.time(h, m))
    if kind == len(text) + 1:
        return Cell(dt.datetime(2026, 12, 7, h, m))
    return Cell(minutes / (24 * 60), "h:mm")


def days_variant(days: tuple[str, ...], rng: random.Random) -> str:
    options = [
        ", ".join(days),
        ",".join(days),
        " ".join(days),
        ", ".join(FULL[d] for d in days),
        ", ".join(d.lower() for d in days),
    ]
    idx = [DAYS.index(d) for d in days]
    if len(days) >= 2 and idx == list(range(idx[0], idx[0] + len(idx))):
        options += [f"{days[0]}-{days[-1]}", f"{days[0]} - {days[-1]}", f"{FULL[days[0]]} to {FULL[days[-1]]}"]
        if days[0] in LETTERS and days[-1] in LETTERS:
            options.append(f"{LETTERS[days[0]]}-{LETTERS[days[-1]]}")
    if all(d in LETTERS for d in days):
        options += [" ".join(LETTERS[d] for d in days), ",".join(LETTERS[d] for d in days)]
    return rng.choice(options)


def header_variant(name: str, rng: random.Random) -> str:
    spaced = name.replace("_", " ")
    options = [name, name.upper(), spaced.title(), f"  {name} ", spaced]
    if name in TIME_COLS:
        options.append(f"{spaced.title()} (HH:MM)")
    return rng.choice(options)


def cell_variant(sheet: str, col: str, value: Any, rng: random.Random, xlsx: bool) -> Cell:
    """One cell of ``problem_rows`` (canonical text), written in a way the contract accepts."""
    if value is None:
        return Cell(None)
    default = DEFAULTS.get((sheet, col))
    if default is not None and value == default and rng.random() < 0.5:
        return Cell(None)  # blank = the contract's default
    if col in TIME_COLS:
        return time_variant(_minutes(value), rng, xlsx)
    if col in DAYS_COLS:
        return Cell(days_variant(tuple(d.strip() for d in value.split(",")), rng))
    if col == "day":
        return Cell(rng.choice([value, value.upper(), FULL[value], FULL[value].lower()]))
    if col == "support":
        if value == "1:1":
            options: list[Any] = ["1:1", "1-1", "one-to-one", "1 to 1"] + ([dt.time(1, 1)] if xlsx else [])
            return Cell(rng.choice(options))
        return Cell(rng.choice([value, value.upper(), value.capitalize()]))
    if col == "priority":
        return Cell(rng.choice([value, str(value), PRIORITY_WORDS[value], PRIORITY_WORDS[value].capitalize()]))
    if col in BOOL_COLS:
        yes = value == "yes"
        options = ["yes", "Y", "TRUE", "x", "Yes"] if yes else ["no", "N", "FALSE", "No"]
        if xlsx:
            options.append(yes)
        return Cell(rng.choice(options))
    if col in INT_COLS:
        return Cell(rng.choice([value, str(value)] + ([float(value)] if xlsx else [])))
    if col in ID_COLS:
        return Cell(int(value) if value.isdigit() and xlsx and rng.random() < 0.5 else value)
    if col in ID_LIST_COLS:
        items = [v.strip() for v in value.split(",")]
        if len(items) == 1 and items[0].isdigit() and xlsx and rng.random() < 0.5:
            return Cell(int(items[0]))
        return Cell(rng.choice([", ", ",", "; "]).join(items))
    if col in TAG_COLS:
        items = [v.strip() for v in value.split(",")]
        items = [rng.choice([v, v.upper(), v.capitalize()]) for v in items]
        return Cell(rng.choice([", ", ";", " , "]).join(items) + rng.choice(["", ","]))
    if col == "lunch_window":
        a, b = (_minutes(x) for x in value.split("-"))
        return Cell(
            rng.choice(
                [
                    value,
                    f"{time_variant(a, rng, False).value} - {time_variant(b, rng, False).value}",
                    f"{value.split('-')[0]} to {value.split('-')[1]}",
                ]
            )
        )
    if isinstance(value, str):
        return Cell(rng.choice([value, f" {value} "]) if value.strip() == value and value[:1] != "=" else value)
    return Cell(value)


def _settings_cells(settings: Settings, rng: random.Random, xlsx: bool) -> list[list[Cell]]:
    defaults = {name: v for name, v in settings_rows(Settings())}
    rows: list[list[Cell]] = []
    for name, value in settings_rows(settings):
        if value == defaults[name] and rng.random() < 0.6:
            if rng.random() < 0.5:
                rows.append([Cell(name), Cell(None)])  # present with a blank value: the default
            continue  # left out: the default
        shown_name = rng.choice([name, name.upper(), name.replace("_", " ").title()])
        if name in ("school_start", "school_end"):
            cell = time_variant(_minutes(value), rng, xlsx)
        elif name == "days":
            parts = value.split("-") if "-" in value else [d.strip() for d in value.split(",")]
            days = tuple(DAYS[DAYS.index(parts[0]) : DAYS.index(parts[-1]) + 1]) if "-" in value else tuple(parts)
            cell = Cell(days_variant(days, rng))
        elif name == "week_of" and value is not None:
            cell = Cell(dt.date.fromisoformat(value) if xlsx and rng.random() < 0.5 else value)
        elif name == "lunch_window":
            cell = cell_variant("Settings", "lunch_window", value, rng, xlsx)
        elif isinstance(value, int | float) and value is not None:
            cell = Cell(rng.choice([value, str(value)]))
        else:
            cell = Cell(value)
        rows.append([Cell(shown_name), cell])
    rng.shuffle(rows)
    return rows


@dataclass
class Table:
    header: list[str]
    rows: list[list[Cell]]
    title: str | None = None
    hidden: set[int] = field(default_factory=set)  # indexes into rows
    with_header: bool = True


def render_tables(problem: Problem, rng: random.Random, xlsx: bool) -> dict[str, Table]:
    """Every sheet as written: columns chosen and ordered, cells varied, rows laid out."""
    tables: dict[str, Table] = {}
    settings = _settings_cells(problem.settings, rng, xlsx)
    if settings or rng.random() < 0.5:
        headerless = bool(settings) and settings[0][1].value is not None and rng.random() < 0.3
        tables["Settings"] = Table(["setting", "value"], settings, with_header=not headerless)
    for sheet, data in problem_rows(problem).items():
        if sheet == "Settings":
            continue
        if not data and sheet not in ("Paras", "Students") and rng.random() < 0.6:
            continue  # an optional sheet with no rows may be left out
        columns = list(INPUT_SHEETS[sheet])
        cells = [[cell_variant(sheet, c, v, rng, xlsx) for c, v in zip(columns, row, strict=True)] for row in data]
        if sheet == "Duties":  # a duty whose name is its id may leave the name blank
            ni, ii = columns.index("name"), columns.index("duty_id")
            for row, raw in zip(cells, data, strict=True):
                if raw[ni] == raw[ii] and rng.random() < 0.5:
                    row[ni] = Cell(None)
        keep = [
            j
            for j, c in enumerate(columns)
            if c in REQUIRED[sheet] or any(r[j].value is not None for r in cells) or rng.random() < 0.5
        ]
        rng.shuffle(keep)
        header = [header_variant(columns[j], rng) for j in keep]
        rows = [[r[j] for j in keep] for r in cells]
        if rng.random() < 0.3:
            header.append("Notes")
            for r in rows:
                r.append(Cell(rng.choice([None, "see IEP", "ok"])))
        laid: list[list[Cell]] = []
        for r in rows:
            if rng.random() < 0.15:
                laid.append([Cell(None)] * len(header))  # a blank row between data rows
            laid.append(r)
        hidden = {i for i in range(len(laid)) if rng.random() < 0.15} if xlsx else set()
        title = rng.choice([None, None, f"{sheet} list 2026-27"])
        tables[sheet] = Table(header, laid, title, hidden)
    return tables


def write_xlsx(tables: dict[str, Table], path: Path) -> None:
    wb = Workbook()
    wb.remove(wb.worksheets[0])
    for sheet, table in tables.items():
        ws = wb.create_sheet(sheet)
        r = 1
        if table.title:
            ws.cell(row=1, column=1, value=table.title)
            r = 3
        if table.with_header:
            for j, h in enumerate(table.header, start=1):
                ws.cell(row=r, column=j, value=h)
            r += 1
        for i, row in enumerate(table.rows):
            for j, cell in enumerate(row, start=1):
                if cell.value is None:
                    continue
                c = ws.cell(row=r, column=j, value=cell.value)
                if isinstance(cell.value, str):
                    c.data_type = "s"  # text stays text (a school named '=Lincoln Park')
                if cell.number_format:
                    c.number_format = cell.number_format
            if i in table.hidden:
                ws.row_dimensions[r].hidden = True
            r += 1
    wb.save(path)


def write_csv(tables: dict[str, Table], folder: Path, rng: random.Random) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    encoding = rng.choice(["utf-8", "utf-8-sig"])
    delimiter = rng.choice([",", ";"])
    for sheet, table in tables.items():
        with open(folder / f"{sheet}.csv", "w", newline="", encoding=encoding) as fh:
            w = csv.writer(fh, delimiter=delimiter)
            if table.title:
                w.writerow([table.title])
                w.writerow([])
            if table.with_header:
                w.writerow(table.header)
            for row in table.rows:
                w.writerow(["" if c.value is None else c.value for c in row])


def render(problem: Problem, where: Path, seed: int) -> Path:
    """Write ``problem`` under ``where`` (an .xlsx or a csv folder, drawn from ``seed``); its path."""
    rng = random.Random(seed)
    xlsx = rng.random() < 0.7
    tables = render_tables(problem, rng, xlsx)
    if xlsx:
        path = where / "school.xlsx"
        write_xlsx(tables, path)
    else:
        path = where / "school_csv"
        write_csv(tables, path, rng)
    return path


# -- the cycle -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What one case did; ``failures`` empty = it passed."""

    failures: tuple[str, ...]
    seconds: float


def run_cycle(problem: Problem, path: Path, workdir: Path, *, time_limit: float = 2.0) -> Outcome:
    """Read back (must equal ``problem``), then validate -> solve -> check -> resolve through the CLI."""
    from click.testing import CliRunner

    from parasched.cli import main
    from parasched.io.reader import read_problem

    began = time.monotonic()
    failures: list[str] = []
    try:
        read = read_problem(path).problem
    except Exception as exc:  # the case failed: say how, the caller saves it
        return Outcome((f"read: {type(exc).__name__}: {exc}",), time.monotonic() - began)
    if read != problem:
        diff = [
            f"{name}: read {getattr(read, name)!r} expected {getattr(problem, name)!r}"
            for name in (
                "settings",
                "paras",
                "students",
                "student_blocks",
                "availability",
                "duties",
                "sessions",
                "provider_hours",
                "absences",
            )
            if getattr(read, name) != getattr(problem, name)
        ]
        failures.append("read back differs: " + "; ".join(diff))
    runner = CliRunner()
    schedule = workdir / "schedule.xlsx"
    limit = ["--time-limit", str(time_limit), "--workers", "1"]
    first_day = problem.settings.days[0]
    steps: list[tuple[str, list[str], str | None]] = [
        ("validate", ["validate", str(path)], None),
        ("solve", ["solve", str(path), "-o", str(schedule), *limit], "Wrote"),
        ("check", ["check", str(path), str(schedule)], "Passes every hard rule."),
        (
            "resolve",
            [
                "resolve",
                str(path),
                "--baseline",
                str(schedule),
                "--absent",
                problem.paras[-1].para_id,
                "--day",
                first_day,
                "-o",
                str(workdir / "replan.xlsx"),
                *limit,
            ],
            "New schedule: passes every hard rule",
        ),
    ]
    for name, args, expect in steps:
        result = runner.invoke(main, args, catch_exceptions=True)
        out = result.output
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            tb = "".join(traceback.format_exception(result.exception))
            failures.append(f"{name}: traceback\n{tb}")
            break
        if result.exit_code != 0 or (expect is not None and expect not in out) or "Traceback" in out:
            failures.append(f"{name}: exit {result.exit_code}\n{out[-3000:]}")
            break
    return Outcome(tuple(failures), time.monotonic() - began)


def save_found(problem: Problem, path: Path, outcome: Outcome, folder: Path = FOUND_DIR) -> Path:
    """Keep a failing case: the workbook (or csv folder) and a note of what failed."""
    folder.mkdir(parents=True, exist_ok=True)
    # uuid4 reads os.urandom: hypothesis seeds the random module, so random names would repeat
    stamp = f"case-{dt.datetime.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:8]}"
    target = folder / (stamp + (".xlsx" if path.is_file() else ""))
    if path.is_file():
        shutil.copy2(path, target)
    else:
        shutil.copytree(path, target)
    (folder / f"{stamp}.txt").write_text(
        "\n\n".join(outcome.failures) + f"\n\nproblem: {problem!r}\n", encoding="utf-8"
    )
    return target


def main(argv: list[str] | None = None) -> int:
    from hypothesis import HealthCheck, given, settings

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=100, help="workbooks to try (default 100)")
    ap.add_argument("--time-limit", type=float, default=2.0, help="--time-limit of solve and resolve (default 2)")
    ap.add_argument("--keep", type=Path, default=None, help="keep every workbook written in this folder")
    ap.add_argument("--found", type=Path, default=FOUND_DIR, help=f"where failing cases go (default {FOUND_DIR})")
    args = ap.parse_args(argv)
    stats = {"cases": 0, "failed": 0, "seconds": 0.0}

    @settings(
        max_examples=args.count,
        deadline=None,
        database=None,
        derandomize=False,
        suppress_health_check=list(HealthCheck),
    )
    @given(problem=tiny_schools(), seed=st.integers(0, 2**32 - 1))
    def one(problem: Problem, seed: int) -> None:
        with tempfile.TemporaryDirectory(prefix="parasched-fuzz-") as tmp:
            base = Path(tmp)
            if args.keep is not None:
                base = args.keep / f"case-{stats['cases']:05d}"
                base.mkdir(parents=True, exist_ok=True)
            path = render(problem, base, seed)
            outcome = run_cycle(problem, path, base, time_limit=args.time_limit)
        stats["cases"] += 1
        stats["seconds"] += outcome.seconds
        if outcome.failures:
            stats["failed"] += 1
            with tempfile.TemporaryDirectory() as again:  # written afresh: the first folder is gone
                saved = save_found(problem, render(problem, Path(again), seed), outcome, args.found)
            print(
                f"FAILED case {stats['cases']} (seed {seed}): saved {saved}\n  {outcome.failures[0][:500]}", flush=True
            )
        elif stats["cases"] % 10 == 0:
            print(f"{stats['cases']} cases, {stats['failed']} failed, {stats['seconds']:.0f} s", flush=True)

    try:
        one()
    except KeyboardInterrupt:
        print("stopped", flush=True)
    print(f"{stats['cases']} cases, {stats['failed']} failed, {stats['seconds']:.0f} s in the cycle")
    return 1 if stats["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
