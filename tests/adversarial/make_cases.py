"""The adversarial corpus (issue 14): careless and hostile use, by class, generated so it grows.

Each case is a file (or a path, or an option value) that plays one role in a command: an
``input`` workbook, a ``schedule`` workbook, an ``output`` path or a command-line ``option``.
:func:`runs` expands every case into every command that takes that role, with the exit code
and the message expected, so a new case is one entry in ``CASES`` and is run everywhere.

Classes: outputs_and_paths, resource_bounds, mismatched_files, invisible_characters (signals
are real processes: ``test_adversarial.py``). Numeric ranges of input fields belong to issue 13.

    python tests/adversarial/make_cases.py OUT_DIR   # writes the files, prints the runs
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from openpyxl.styles import Font

ROOT = Path(__file__).resolve().parents[2]
SCHOOL = ROOT / "samples" / "small_school.xlsx"
SCHOOL_CSV = ROOT / "samples" / "small_school_csv"
SOLVE = ("--time-limit", "2", "--workers", "1")


@dataclass(frozen=True)
class Case:
    """One hostile or careless thing, the role it plays, and what every command must do with it."""

    cls: str
    name: str
    role: str  # input | schedule | absences | output | option
    build: Callable[[Path, Path], str]  # (case folder, good schedule) -> the path or value used
    exit_code: int
    # fragments every command's message holds; 'a|b' is met by either (an existing output is
    # refused first without --force by solve and resolve, a device or pipe by files.py)
    expect: tuple[str, ...] = ()
    commands: tuple[str, ...] = ()  # () = every command taking the role
    input_dir: bool = False  # the school is the csv folder (copied into the case folder)


@dataclass(frozen=True)
class Run:
    """One command line of one case."""

    case: Case
    command: str
    argv: tuple[str, ...]
    workdir: Path
    outputs: tuple[Path, ...] = field(default=())  # files a successful run may create


# -- builders ----------------------------------------------------------------------------------


def _school_copy(folder: Path, name: str, edit: Callable[[openpyxl.Workbook], None]) -> str:
    wb = openpyxl.load_workbook(SCHOOL)
    edit(wb)
    target = folder / name
    wb.save(target)
    return str(target)


def styled_far_cell(folder: Path, _s: Path) -> str:
    # one formatted, empty cell at the very last cell of Excel: 27 KB that openpyxl used to
    # expand into 17 billion cells
    return _school_copy(
        folder, "styled_xfd.xlsx", lambda wb: setattr(wb["Paras"].cell(1_048_576, 16_384), "font", Font(bold=True))
    )


def styled_last_row_every_sheet(folder: Path, _s: Path) -> str:
    def edit(wb: openpyxl.Workbook) -> None:
        for ws in wb.worksheets:
            ws.cell(1_048_576, 1).font = Font(italic=True)

    return _school_copy(folder, "styled_a1048576.xlsx", edit)


def value_far_below(folder: Path, _s: Path) -> str:
    return _school_copy(folder, "value_far_below.xlsx", lambda wb: setattr(wb["Paras"]["A1048576"], "value", "x"))


def value_far_right(folder: Path, _s: Path) -> str:
    return _school_copy(folder, "value_far_right.xlsx", lambda wb: setattr(wb["Duties"]["XFD300"], "value", "note"))


def _para_id(text: str) -> Callable[[openpyxl.Workbook], None]:
    def edit(wb: openpyxl.Workbook) -> None:
        wb["Paras"]["A3"].value = text

    return edit


def zero_width_id(folder: Path, _s: Path) -> str:
    return _school_copy(folder, "zero_width_id.xlsx", _para_id("P02\u200b"))


def full_width_id(folder: Path, _s: Path) -> str:
    return _school_copy(folder, "full_width_id.xlsx", _para_id("P\uff10\uff12"))


def nbsp_id(folder: Path, _s: Path) -> str:
    return _school_copy(folder, "nbsp_id.xlsx", _para_id("P\u00a002"))


def merged_data_cells(folder: Path, _s: Path) -> str:
    return _school_copy(folder, "merged_cells.xlsx", lambda wb: wb["StudentSchedule"].merge_cells("A3:A5"))


def title_above_header(folder: Path, _s: Path) -> str:
    def edit(wb: openpyxl.Workbook) -> None:
        ws = wb["Paras"]
        ws.insert_rows(1, 2)
        ws["A1"] = "Lincoln Park paras, fall term"

    return _school_copy(folder, "title_row.xlsx", edit)


def _schedule_copy(folder: Path, good: Path, name: str, edit: Callable[[openpyxl.Workbook], None]) -> str:
    wb = openpyxl.load_workbook(good)
    edit(wb)
    target = folder / name
    wb.save(target)
    return str(target)


def _set_school(wb: openpyxl.Workbook, school: str) -> None:
    for row in wb["Summary"].iter_rows(max_col=2):
        if row[0].value == "School":
            row[1].value = school


def other_school_schedule(folder: Path, good: Path) -> str:
    def edit(wb: openpyxl.Workbook) -> None:
        ws = wb["Assignments"]
        for r in range(2, ws.max_row + 1):
            ws.cell(r, 1).value = f"W{ws.cell(r, 1).value}"
        _set_school(wb, "Washington Middle School")

    return _schedule_copy(folder, good, "other_school.xlsx", edit)


def school_name_differs(folder: Path, good: Path) -> str:
    return _schedule_copy(folder, good, "renamed_school.xlsx", lambda wb: _set_school(wb, "Roosevelt Elementary"))


def input_given_as_schedule(folder: Path, _good: Path) -> str:
    target = folder / "school_as_schedule.xlsx"
    shutil.copy(SCHOOL, target)
    return str(target)


def schedule_zero_width_para(folder: Path, good: Path) -> str:
    def edit(wb: openpyxl.Workbook) -> None:
        cell = wb["Assignments"]["A2"]
        cell.value = f"{cell.value}\u200b"

    return _schedule_copy(folder, good, "schedule_zwsp.xlsx", edit)


def schedule_title_row(folder: Path, good: Path) -> str:
    def edit(wb: openpyxl.Workbook) -> None:
        ws = wb["Assignments"]
        ws.insert_rows(1, 2)
        ws["A1"] = "Week schedule (edited by hand)"

    return _schedule_copy(folder, good, "schedule_title.xlsx", edit)


def absences_two_problems(folder: Path, _s: Path) -> str:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Absences"
    ws.append(["person_id", "days", "start", "end", "reason"])
    ws.append(["P99", "Tue", None, None, "sick"])  # nobody has this id
    ws.append(["P01", "Tue", "25:00", "12:00", "dentist"])  # no such time
    target = folder / "absences_two_problems.xlsx"
    wb.save(target)
    return str(target)


def output_in_csv_input(folder: Path, _s: Path) -> str:
    return str(folder / "school_csv" / "Paras.csv")


def output_csv_name(folder: Path, _s: Path) -> str:
    return str(folder / "schedule.csv")


def output_fifo(folder: Path, _s: Path) -> str:
    target = folder / "pipe.xlsx"
    os.mkfifo(target)
    return str(target)


def output_device(_folder: Path, _s: Path) -> str:
    return "/dev/null"


def output_is_input(_folder: Path, _s: Path) -> str:
    return str(SCHOOL)


def json_same_as_output(folder: Path, _s: Path) -> str:
    return f"--json={folder / 'out' / 's.xlsx'}"  # the -o of the option commands: refused before the solve


def option(value: str) -> Callable[[Path, Path], str]:
    return lambda _f, _s: value


# an accepted input is read by every command the same way (read_problem); the solve itself is
# tested elsewhere, so accepted inputs run the commands that read without solving
READING = ("validate", "check", "export-ics")
EXISTS = "already exists; choose another name, or add --force"
# the first command of each role runs in the quick test suite, the others are marked slow
PRIMARY = {"input": "validate", "schedule": "check", "absences": "resolve", "output": "solve", "option": "solve"}

CASES: tuple[Case, ...] = (
    # resource bounds: read only the used range; refuse what cannot be read within the budget
    Case("resource_bounds", "formatted_cell_at_XFD1048576", "input", styled_far_cell, 0, commands=READING),
    Case(
        "resource_bounds", "formatted_A1048576_every_sheet", "input", styled_last_row_every_sheet, 0, commands=READING
    ),
    Case("resource_bounds", "value_in_row_1048576", "input", value_far_below, 2, ("row 1,048,576", "Ctrl+End")),
    Case("resource_bounds", "value_in_column_XFD", "input", value_far_right, 2, ("XFD300", "Duties")),
    Case("resource_bounds", "time_limit_nan", "option", option("--time-limit=nan"), 2, ("--time-limit", "'nan'")),
    Case("resource_bounds", "time_limit_inf", "option", option("--time-limit=inf"), 2, ("--time-limit", "'inf'")),
    Case("resource_bounds", "time_limit_negative", "option", option("--time-limit=-5"), 2, ("--time-limit",)),
    Case("resource_bounds", "seed_2_31", "option", option("--seed=2147483648"), 2, ("--seed", "2,147,483,647")),
    Case("resource_bounds", "workers_2_31", "option", option("--workers=2147483648"), 2, ("--workers",)),
    # invisible characters in ids, merged cells, a title above the header
    Case(
        "invisible_characters",
        "zero_width_space_in_para_id",
        "input",
        zero_width_id,
        2,
        ("Paras!A3", "zero-width space", "'P02'"),
    ),
    Case(
        "invisible_characters",
        "full_width_digits_in_para_id",
        "input",
        full_width_id,
        2,
        ("Paras!A3", "full-width", "'P02'"),
    ),
    Case("invisible_characters", "nbsp_in_para_id", "input", nbsp_id, 2, ("Paras!A3", "non-breaking space")),
    Case(
        "invisible_characters",
        "merged_cells_in_data",
        "input",
        merged_data_cells,
        2,
        ("StudentSchedule!A3:A5", "merged cells"),
    ),
    Case("invisible_characters", "title_row_above_header", "input", title_above_header, 0, commands=READING),
    Case(
        "invisible_characters",
        "zero_width_space_in_schedule",
        "schedule",
        schedule_zero_width_para,
        2,
        ("Assignments!A2", "zero-width space"),
    ),
    Case(
        "invisible_characters",
        "title_row_above_schedule_header",
        "schedule",
        schedule_title_row,
        0,
        commands=("check", "export-ics"),
    ),
    # files that do not belong together
    Case(
        "mismatched_files",
        "absences_with_two_problems",
        "absences",
        absences_two_problems,
        2,
        ("Absences!C3 (start)", "Absences!A2 (person_id): 'P99'"),
    ),
    Case(
        "mismatched_files",
        "schedule_of_another_school",
        "schedule",
        other_school_schedule,
        2,
        ("Washington Middle School", "not in the input's Paras"),
    ),
    Case(
        "mismatched_files",
        "school_name_differs",
        "schedule",
        school_name_differs,
        2,
        ("Roosevelt Elementary", "Lincoln Park Elementary"),
    ),
    Case(
        "mismatched_files",
        "input_given_as_schedule",
        "schedule",
        input_given_as_schedule,
        2,
        ("no sheet named Assignments",),
    ),
    # outputs and paths: nothing destroyed
    Case(
        "outputs_and_paths",
        "output_replaces_input_csv",
        "output",
        output_in_csv_input,
        2,
        ("Paras.csv",),
        input_dir=True,
    ),
    Case("outputs_and_paths", "output_named_csv", "output", output_csv_name, 2, ("give a name ending in",)),
    Case("outputs_and_paths", "output_is_a_pipe", "output", output_fifo, 2, (f"not a regular file|{EXISTS}",)),
    Case("outputs_and_paths", "output_is_a_device", "output", output_device, 2, (f"device or system path|{EXISTS}",)),
    Case(
        "outputs_and_paths",
        "output_is_dev_stdout",
        "output",
        option("/dev/stdout"),
        2,
        (f"device or system path|{EXISTS}",),
    ),
    Case("outputs_and_paths", "output_is_the_input", "output", output_is_input, 2, (f"overwrite the input|{EXISTS}",)),
    Case(
        "outputs_and_paths",
        "json_same_as_output",
        "option",
        json_same_as_output,
        2,
        ("given for two outputs",),
        commands=("solve",),
    ),
)


def _commands(case: Case, value: str, school: str, schedule: str, out: Path) -> dict[str, tuple[str, ...]]:
    """Every command taking the case's role, as argv (the case's value in its place)."""
    if case.role == "input":
        return {
            "validate": ("validate", value),
            "solve": ("solve", value, "-o", str(out / "s.xlsx"), *SOLVE),
            "check": ("check", value, schedule),
            "resolve": (
                "resolve",
                value,
                "--baseline",
                schedule,
                "--absent",
                "P01",
                "--day",
                "Mon",
                "-o",
                str(out / "r.xlsx"),
                *SOLVE,
            ),
            "export-ics": ("export-ics", schedule, str(out / "ics"), "--input", value),
        }
    if case.role == "schedule":
        return {
            "check": ("check", school, value),
            "resolve": (
                "resolve",
                school,
                "--baseline",
                value,
                "--absent",
                "P01",
                "--day",
                "Mon",
                "-o",
                str(out / "r.xlsx"),
                *SOLVE,
            ),
            "export-ics": ("export-ics", value, str(out / "ics"), "--input", school, "--names"),
        }
    if case.role == "absences":
        return {
            "validate": ("validate", school, "--absences", value),
            "solve": ("solve", school, "--absences", value, "-o", str(out / "s.xlsx"), *SOLVE),
            "resolve": (
                "resolve",
                school,
                "--baseline",
                schedule,
                "--absences",
                value,
                "-o",
                str(out / "r.xlsx"),
                *SOLVE,
            ),
        }
    if case.role == "output":
        return {
            "solve": ("solve", school, "-o", value, *SOLVE),
            "solve --json": ("solve", school, "-o", str(out / "s.xlsx"), "--json", value, *SOLVE),
            "resolve": (
                "resolve",
                school,
                "--baseline",
                schedule,
                "--absent",
                "P01",
                "--day",
                "Mon",
                "-o",
                value,
                *SOLVE,
            ),
            "validate --report": ("validate", school, "--report", value),
        }
    return {  # option
        "solve": ("solve", school, "-o", str(out / "s.xlsx"), value),
        "resolve": (
            "resolve",
            school,
            "--baseline",
            schedule,
            "--absent",
            "P01",
            "--day",
            "Mon",
            "-o",
            str(out / "r.xlsx"),
            value,
        ),
    }


def good_schedule(target: Path) -> Path:
    """A schedule of ``samples/small_school.xlsx`` that breaks no rule, from the greedy scheduler
    (a second, not a solve)."""
    from parasched.io.reader import read_problem
    from parasched.io.writer import write_schedule
    from parasched.scheduler.greedy import greedy_schedule
    from parasched.scheduler.schedule import SolveResult, Status

    problem = read_problem(SCHOOL).problem
    write_schedule(target, problem, SolveResult(Status.FEASIBLE, greedy_schedule(problem)))
    return target


def runs(root: Path, schedule: Path) -> list[Run]:
    """Write every case's files under ``root`` and return every command of every case.

    ``schedule`` is a schedule workbook of ``samples/small_school.xlsx`` (the good pair).
    """
    out: list[Run] = []
    for case in CASES:
        folder = root / case.cls / case.name
        folder.mkdir(parents=True, exist_ok=True)
        school = str(SCHOOL)
        if case.input_dir:
            shutil.copytree(SCHOOL_CSV, folder / "school_csv", dirs_exist_ok=True)
            school = str(folder / "school_csv")
        value = case.build(folder, schedule)
        results = folder / "out"
        for command, argv in _commands(case, value, school, str(schedule), results).items():
            if case.commands and command not in case.commands:
                continue
            results.mkdir(exist_ok=True)
            outputs = (results / "s.xlsx", results / "r.xlsx", results / "ics")
            out.append(Run(case, command, argv, folder, outputs))
    return out


if __name__ == "__main__":  # pragma: no cover - a person looking at the corpus
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "adversarial_corpus")
    target.mkdir(parents=True, exist_ok=True)
    for run in runs(target, good_schedule(target / "schedule.xlsx")):
        print(f"[{run.case.cls}] {run.case.name}: parasched {' '.join(run.argv)} -> exit {run.case.exit_code}")
