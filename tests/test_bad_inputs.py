"""Every command on every broken or hostile input of ``tests/data/bad/`` (see make_corpus.py).

For each corpus input and each of ``validate``, ``solve``, ``resolve``, ``check``:
- a refused input exits 2 with a message naming the file, and the sheet/cell where one applies;
- an accepted input (BOM csv, hidden rows, ...) succeeds instead;
- never a traceback, never a student name (no ``--verbose``);
- no output file created or partly written, nothing else written anywhere;
- the input (and the baseline schedule) byte-for-byte unchanged;
- hostile files are refused within seconds and with little memory.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
import time
import traceback
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from parasched.cli import main

try:  # repo root on sys.path (python -m pytest)
    from tests.data.bad import make_corpus
except ImportError:  # pragma: no cover - plain `pytest` puts tests/ itself on sys.path
    from data.bad import make_corpus  # type: ignore[no-redef]

CORPUS = Path(__file__).parent / "data" / "bad"
BASELINE = CORPUS / "baseline_schedule.xlsx"
COMMANDS = ("validate", "solve", "resolve", "check")
NAMES = make_corpus.STUDENT_NAMES
HOSTILE_SECONDS = 10.0
HOSTILE_PEAK_BYTES = 64 * 1024 * 1024
BIG_SECONDS = 30.0


def at(sheet: str, column: str, row: int) -> str:
    """A message locating ``sheet`` row ``row``: ``Paras!E3`` or ``Paras ... row 3``."""
    return rf"\b{sheet}(\.csv)?!{column}{row}\b|\b{sheet}(\.csv)?\b[^\n]*\brow {row}\b"


@dataclass(frozen=True)
class Case:
    name: str
    expect: str = "refuse"  # "refuse" (exit 2), "accept" (success), "either" (success, or exit 2 + patterns)
    patterns: tuple[str, ...] = ()  # regexes (case-insensitive) the message must hold
    names: tuple[str, ...] = ()  # the file named in the message (default: the input's name)
    hostile: bool = False  # refused fast, with little memory
    generated: bool = False  # built by the test (too large to commit)

    def __str__(self) -> str:
        return self.name


CASES = [
    # sheets and columns
    Case("missing_sheet_students.xlsx", patterns=(r"\bStudents\b",)),
    Case("missing_sheet_paras.xlsx", patterns=(r"\bParas\b",)),
    Case("missing_column_paras_start.xlsx", patterns=(r"\bParas\b", r"\bstart\b")),
    Case("missing_column_student_id.xlsx", patterns=(r"\bStudents\b", r"\bstudent_id\b")),
    Case("misspelled_header_paras_end.xlsx", patterns=(r"\bParas\b", r"\bned\b", r"\bend\b")),
    Case("merged_header.xlsx", patterns=(r"\bParas\b", r"\bend\b")),
    Case("empty_sheet_paras.xlsx", patterns=(r"\bParas\b",)),
    Case("header_only_paras.xlsx", patterns=(r"\bParas\b",)),
    Case("empty_workbook.xlsx", patterns=(r"\bParas\b", r"\bStudents\b")),
    # ids and references (every reference column)
    Case("duplicate_para_id.xlsx", patterns=(at("Paras", "A", 4), r"\bP01\b")),
    Case("duplicate_student_id.xlsx", patterns=(at("Students", "A", 4), r"\bS02\b")),
    Case("unknown_ref_preferred_paras.xlsx", patterns=(at("Students", "L", 2), r"\bP99\b")),
    Case("unknown_ref_avoid_paras.xlsx", patterns=(at("Students", "M", 2), r"\bP98\b")),
    Case("unknown_ref_availability_para.xlsx", patterns=(at("Availability", "A", 2), r"\bP97\b")),
    Case("unknown_ref_schedule_student.xlsx", patterns=(at("StudentSchedule", "A", 4), r"\bS99\b")),
    Case("unknown_ref_therapy_students.xlsx", patterns=(at("Therapy", "B", 2), r"\bS98\b")),
    Case("unknown_ref_absence_person.xlsx", patterns=(at("Absences", "A", 2), r"\bQ42\b")),
    # values
    Case("end_before_start_paras.xlsx", patterns=(at("Paras", "[EF]", 3),)),
    Case("end_before_start_schedule.xlsx", patterns=(at("StudentSchedule", "[CD]", 3),)),
    Case("off_grid_time.xlsx", patterns=(at("StudentSchedule", "C", 2), r"\b0?8:03\b")),
    Case("not_a_time.xlsx", patterns=(at("Paras", "E", 2), r"\bearly\b")),
    Case("text_in_number.xlsx", patterns=(at("Students", "F", 3), r"\bthree\b")),
    Case("text_in_priority.xlsx", patterns=(at("Duties", "J", 2), r"\bhigh\b")),
    Case("number_in_days.xlsx", patterns=(at("Paras", "D", 3), r"\b5\b")),
    Case("bad_day_name.xlsx", patterns=(at("StudentSchedule", "B", 5), r"\bFunday\b")),
    Case("hidden_row_bad.xlsx", patterns=(at("Paras", "E", 3), r"\blater\b")),
    Case("settings_bad_value.xlsx", patterns=(at("Settings", "B", 5), r"\bfive\b")),
    Case("negative_group_max.xlsx", patterns=(at("Students", "F", 3), r"-2\b")),
    Case("bool_in_days.xlsx", patterns=(at("Duties", "D", 2), r"\bTRUE\b")),
    # two sheets that both match "Paras" (names compare ignoring case and spaces): which one is meant?
    Case("duplicate_sheet.xlsx", patterns=(r"\bParas\b", r"two|both|duplicate|same|twice|more than one")),
    Case("duplicate_column.xlsx", patterns=(r"\bParas\b", r"\bstart\b")),
    Case("title_above_header_bad.xlsx", patterns=(at("Paras", "A", 6), r"\bP01\b")),  # Excel row, not data row
    Case("csv_unclosed_quote", patterns=(at("Paras", "[A-I]", 3),), names=("csv_unclosed_quote", "Paras.csv")),
    # formulas
    Case("formula_ref_error.xlsx", patterns=(at("Paras", "E", 3), r"#REF!")),
    Case("formula_div0_error.xlsx", patterns=(at("Students", "F", 3), r"#DIV/0!")),
    Case("formula_no_cached_value.xlsx", patterns=(at("Paras", "F", 2),)),
    # csv folders
    Case("csv_missing_students", patterns=(r"\bStudents\b",)),
    Case(
        "csv_utf16",
        patterns=(r"UTF-16", r"CSV UTF-8"),
        names=("Absences.csv", "Availability.csv", "Duties.csv", "Paras.csv", "Providers.csv"),
    ),
    Case("csv_duplicate_para", patterns=(at("Paras", "A", 4), r"\bP01\b"), names=("csv_duplicate_para", "Paras.csv")),
    Case("csv_no_csv_files", patterns=(r"\.csv\b",)),
    Case("csv_xlsx_inside", patterns=(r"\bParas\.csv\b",), names=("Paras.csv",)),
    Case("single_sheet.csv", patterns=(r"\bfolder\b",)),
    # other formats and non-spreadsheets
    Case("legacy.xls", patterns=(r"\.xlsx\b", r"save"), hostile=True),
    Case("sheet.ods", patterns=(r"\.xlsx\b",), hostile=True),
    Case("binary_workbook.xlsb", patterns=(r"\.xlsx\b",), hostile=True),
    Case("sheet.numbers", patterns=(r"\.xlsx\b", r"Numbers"), hostile=True),
    Case("numbers_renamed.xlsx", patterns=(r"\.xlsx\b", r"Numbers"), hostile=True),
    Case("macros.xlsm", patterns=(r"macro", r"\.xlsx\b"), hostile=True),
    Case("macros_renamed.xlsx", patterns=(r"macro",), hostile=True),
    Case("picture.png", patterns=(r"spreadsheet|workbook",), hostile=True),
    Case("picture_renamed.xlsx", patterns=(r"spreadsheet|workbook",), hostile=True),
    Case("text_renamed.xlsx", patterns=(r"spreadsheet|workbook",), hostile=True),
    Case("empty_file.xlsx", patterns=(r"empty",), hostile=True),
    Case("truncated.xlsx", patterns=(r"damaged|corrupt",), hostile=True),
    Case("plain_zip.xlsx", patterns=(r"workbook",), hostile=True),
    Case("does_not_exist.xlsx", patterns=(r"not found|does not exist|no such",), generated=True),
    # hostile
    Case("encrypted.xlsx", patterns=(r"password",), hostile=True),
    Case("zip_bomb.xlsx", hostile=True),
    Case("zip_bomb_ratio.xlsx", hostile=True),
    Case("many_parts.xlsx", hostile=True, generated=True),
    Case("xml_entity_bomb.xlsx", hostile=True),
    Case("xml_bomb_padded.xlsx", hostile=True),
    Case("xml_external_entity.xlsx", hostile=True),
    # read (duplicate S01 at the last row) or refused for its size: either way located, within seconds
    Case(
        "rows_50000.xlsx",
        patterns=(r"\bStudents\b", at("Students", "A", 50001) + r"|50,?001 rows"),
        generated=True,
        hostile=True,
    ),
    # accepted
    Case("valid.xlsx", expect="accept"),
    Case("csv_bom", expect="accept"),
    Case("hidden_rows.xlsx", expect="accept"),  # hidden rows are read like any other row
    Case("formula_cached_ok.xlsx", expect="accept"),  # a formula's cached value is read
    Case("padded_ids.xlsx", expect="accept"),  # ' P01 ' is P01; blank list items ignored
    Case("title_above_header.xlsx", expect="accept"),  # a title and a blank row above the header
    Case("csv_short_rows", expect="accept"),  # trailing blank cells left out
    Case("csv_long_row", expect="accept"),  # extra cells past the header, like unknown columns
    Case(
        "csv_semicolon",
        expect="either",
        patterns=(r";|separat|delimit|comma",),
        names=("csv_semicolon", "Paras.csv", "Students.csv", "Settings.csv"),
    ),
    Case("csv_latin1", expect="either", patterns=(r"utf-?8|encoding|cp1252|latin",), names=("csv_latin1", "Paras.csv")),
]
SCHEDULE_CASES = {  # broken schedule workbooks, given to `check` and `resolve --baseline`
    "schedule_missing_assignments.xlsx": (r"\bAssignments\b",),
    "schedule_bad_time.xlsx": (at("Assignments", "D", 3), r"half past"),
    "schedule_bad_kind.xlsx": (at("Assignments", "E", 3), r"\bnap\b"),
}


def test_every_corpus_input_has_a_case() -> None:
    committed = {p.name for p in CORPUS.iterdir()} - {"make_corpus.py", "__pycache__", BASELINE.name}
    assert committed == {c.name for c in CASES if not c.generated} | set(SCHEDULE_CASES)
    assert len(CASES) >= 40


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("generated")
    return {
        "rows_50000.xlsx": make_corpus.make_rows_50000(folder / "rows_50000.xlsx"),
        "many_parts.xlsx": make_corpus.make_many_parts(folder / "many_parts.xlsx"),
    }


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (relative name -> sha256); folders as ``/``."""
    out = {}
    for p in sorted(folder.rglob("*")):
        rel = str(p.relative_to(folder))
        out[rel] = "/" if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def place(case: Case, folder: Path, generated: dict[str, Path]) -> Path:
    folder.mkdir()
    if case.name == "does_not_exist.xlsx":
        return folder / case.name
    src = generated[case.name] if case.generated else CORPUS / case.name
    dest = folder / case.name
    if src.is_dir():
        shutil.copytree(src, dest)
    else:
        shutil.copyfile(src, dest)
    return dest


def args_for(command: str, inp: Path, base: Path, out: Path) -> list[str]:
    return {
        "validate": ["validate", str(inp)],
        "solve": ["solve", str(inp), "-o", str(out / "schedule.xlsx")],
        "resolve": [
            "resolve",
            str(inp),
            "--baseline",
            str(base),
            "-o",
            str(out / "resolved.xlsx"),
            "--absent",
            "P01",
            "--day",
            "Mon",
        ],
        "check": ["check", str(inp), str(base)],
    }[command]


def run(args: list[str]) -> tuple[Result, str]:
    result = CliRunner().invoke(main, args)
    output = result.stdout + result.stderr
    crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
    detail = "".join(traceback.format_exception(result.exception)) if crashed and result.exception else ""
    assert not crashed, f"{args[0]} raised instead of reporting:\n{detail}\noutput:\n{output}"
    assert "Traceback" not in output, output
    return result, output


def assert_no_names(output: str) -> None:
    for name in NAMES:
        for part in name.split():
            assert part not in output, f"student name {part!r} printed without --verbose:\n{output}"


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)  # nothing may be written in the working folder either
    (tmp_path / "base").mkdir()
    shutil.copyfile(BASELINE, tmp_path / "base" / BASELINE.name)
    (tmp_path / "out").mkdir()
    return tmp_path


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("case", CASES, ids=str)
def test_bad_input(case: Case, command: str, workspace: Path, generated: dict[str, Path]) -> None:
    inp = place(case, workspace / "in", generated)
    base = workspace / "base" / BASELINE.name
    out = workspace / "out"
    if case.expect != "refuse" and command == "check":  # judge a schedule made from this input
        solved, text = run(args_for("solve", inp, base, out))
        if case.expect == "accept" or solved.exit_code != 2:
            assert solved.exit_code == 0, text
            base = out / "schedule.xlsx"
    before = snapshot(workspace)

    if case.hostile:
        tracemalloc.start()
    started = time.perf_counter()
    try:
        result, output = run(args_for(command, inp, base, out))
        peak = tracemalloc.get_traced_memory()[1] if case.hostile else 0
    finally:
        if case.hostile:
            tracemalloc.stop()
    seconds = time.perf_counter() - started

    assert_no_names(output)
    after = snapshot(workspace)
    refused = case.expect == "refuse" or (case.expect == "either" and result.exit_code == 2)
    if refused:
        assert result.exit_code == 2, f"exit {result.exit_code}, expected 2:\n{output}"
        assert after == before, "files were created or changed"
        names = case.names or (case.name,)
        assert any(n in output for n in names), f"no file name {names} in:\n{output}"
        for pattern in case.patterns:
            assert re.search(pattern, output, re.IGNORECASE), f"{pattern!r} not in:\n{output}"
    else:
        assert result.exit_code == 0, f"exit {result.exit_code}, expected success:\n{output}"
        written = {k for k in after if k not in before}
        expected = {"solve": {"out/schedule.xlsx"}, "resolve": {"out/resolved.xlsx"}}.get(command, set())
        assert written == expected, written
        assert {k: v for k, v in after.items() if k in before} == before, "an input was changed"
    if case.hostile:
        assert seconds < HOSTILE_SECONDS, f"{seconds:.1f} s to refuse a hostile file"
        assert peak < HOSTILE_PEAK_BYTES, f"{peak / 1e6:.0f} MB to refuse a hostile file"
    if case.name == "rows_50000.xlsx":
        assert seconds < BIG_SECONDS, f"{seconds:.1f} s for a 50,000-row sheet"


# --- output paths ---------------------------------------------------------------------------


OUTPUT_CASES = {
    # name: (output path relative to the workspace, or absolute; regexes the message must hold)
    "missing_folder": ("nope/schedule.xlsx", (r"folder .*nope does not exist", r"create it or choose")),
    "folder_target": ("out", (r"is a folder",)),
    "unwritable_folder": ("/sys/parasched-out.xlsx", (r"cannot write in folder /sys|permission denied",)),
    "same_as_input": ("in/valid.xlsx", (r"overwrite the input valid\.xlsx", r"choose another output name")),
    "same_as_baseline": ("base/baseline_schedule.xlsx", (r"overwrite the input baseline_schedule\.xlsx",)),  # resolve
    "open_in_excel": ("out/schedule.xlsx", (r"close it in Excel and run again",)),
}


@pytest.mark.parametrize(
    ("name", "command"),
    [
        (n, c)
        for n in sorted(OUTPUT_CASES)
        for c in ("solve", "resolve")
        if not (n == "same_as_baseline" and c == "solve")
    ],
)
def test_bad_output_path(name: str, command: str, workspace: Path) -> None:
    inp = workspace / "in" / "valid.xlsx"
    (workspace / "in").mkdir()
    shutil.copyfile(CORPUS / "valid.xlsx", inp)
    base = workspace / "base" / BASELINE.name
    rel, patterns = OUTPUT_CASES[name]
    target = Path(rel) if rel.startswith("/") else workspace / rel
    if name == "open_in_excel":
        target.write_bytes(b"last week's schedule")
        (target.parent / f"~${target.name}").write_bytes(b"lock")
    before = snapshot(workspace)

    args = (
        ["solve", str(inp), "-o", str(target)]
        if command == "solve"
        else ["resolve", str(inp), "--baseline", str(base), "-o", str(target), "--absent", "P01", "--day", "Mon"]
    )
    result, output = run(args)

    assert result.exit_code == 2, f"exit {result.exit_code}, expected 2:\n{output}"
    assert target.name in output, output
    for pattern in patterns:
        assert re.search(pattern, output, re.IGNORECASE), f"{pattern!r} not in:\n{output}"
    assert snapshot(workspace) == before
    assert not Path("/sys/parasched-out.xlsx").exists()
    assert_no_names(output)


# --- FERPA: no student name in logs without --verbose ------------------------------------------------


def test_no_student_names_without_verbose(workspace: Path) -> None:
    inp = workspace / "valid.xlsx"
    shutil.copyfile(CORPUS / "valid.xlsx", inp)
    out = workspace / "out"
    base = workspace / "base" / BASELINE.name
    for command in ("validate", "solve", "check", "resolve"):
        args = args_for(command, inp, out / "schedule.xlsx" if command == "check" else base, out)
        result, output = run(args)
        assert result.exit_code == 0, f"{command}: exit {result.exit_code}\n{output}"
        assert_no_names(output)
    # the solver's own search log (--log) is no exception; CP-SAT writes it from C++, so run a process
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "parasched.cli",
            "solve",
            str(inp),
            "-o",
            str(out / "logged.xlsx"),
            "--log",
            "--workers",
            "1",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0 and len(output.splitlines()) > 20, output
    assert "Traceback" not in output
    assert_no_names(output)
    # the schedule itself does carry the names: the scan above is not vacuous
    import openpyxl

    wb = openpyxl.load_workbook(out / "schedule.xlsx", read_only=True)
    cells = " ".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v)
    wb.close()
    assert any(name in cells for name in NAMES)


# --- hostile files given as the schedule, the baseline or the absences file ---------------------------

HOSTILE = [c for c in CASES if c.hostile]
SECOND_FILE_COMMANDS = {
    "check": lambda inp, bad, out: ["check", str(inp), str(bad)],
    "resolve": lambda inp, bad, out: [
        "resolve",
        str(inp),
        "--baseline",
        str(bad),
        "-o",
        str(out / "r.xlsx"),
        "--absent",
        "P01",
        "--day",
        "Mon",
    ],
    "validate --absences": lambda inp, bad, out: ["validate", str(inp), "--absences", str(bad)],
}


@pytest.mark.parametrize("how", sorted(SECOND_FILE_COMMANDS))
@pytest.mark.parametrize("case", HOSTILE, ids=str)
def test_hostile_second_file(case: Case, how: str, workspace: Path, generated: dict[str, Path]) -> None:
    bad = place(case, workspace / "in", generated)
    inp = workspace / "base" / "valid.xlsx"
    shutil.copyfile(CORPUS / "valid.xlsx", inp)
    before = snapshot(workspace)

    tracemalloc.start()
    started = time.perf_counter()
    try:
        result, output = run(SECOND_FILE_COMMANDS[how](inp, bad, workspace / "out"))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    seconds = time.perf_counter() - started

    assert result.exit_code == 2, f"exit {result.exit_code}, expected 2:\n{output}"
    assert case.name in output, output
    for pattern in case.patterns:
        assert re.search(pattern, output, re.IGNORECASE), f"{pattern!r} not in:\n{output}"
    assert snapshot(workspace) == before
    assert seconds < HOSTILE_SECONDS and peak < HOSTILE_PEAK_BYTES, (seconds, peak)
    assert_no_names(output)


@pytest.mark.parametrize("command", ["check", "resolve"])
@pytest.mark.parametrize("name", sorted(SCHEDULE_CASES))
def test_bad_schedule(name: str, command: str, workspace: Path) -> None:
    (workspace / "in").mkdir()
    inp = workspace / "in" / "valid.xlsx"
    shutil.copyfile(CORPUS / "valid.xlsx", inp)
    sched = workspace / "in" / name
    shutil.copyfile(CORPUS / name, sched)
    before = snapshot(workspace)
    args = (
        ["check", str(inp), str(sched)]
        if command == "check"
        else [
            "resolve",
            str(inp),
            "--baseline",
            str(sched),
            "-o",
            str(workspace / "out" / "r.xlsx"),
            "--absent",
            "P01",
            "--day",
            "Mon",
        ]
    )
    result, output = run(args)
    assert result.exit_code == 2, f"exit {result.exit_code}, expected 2:\n{output}"
    assert name in output, output
    for pattern in SCHEDULE_CASES[name]:
        assert re.search(pattern, output, re.IGNORECASE), f"{pattern!r} not in:\n{output}"
    assert snapshot(workspace) == before
    assert_no_names(output)


# --- as a real process: exit status, streams and memory as an administrator sees them ----------------


@pytest.mark.parametrize(
    "name", ["zip_bomb.xlsx", "xml_entity_bomb.xlsx", "encrypted.xlsx", "rows_50000.xlsx", "duplicate_para_id.xlsx"]
)
def test_real_process(name: str, tmp_path: Path, generated: dict[str, Path]) -> None:
    import resource

    inp = place(Case(name, generated=name in generated), tmp_path / "in", generated)
    before = snapshot(tmp_path)
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "parasched.cli", "solve", str(inp), "-o", str(tmp_path / "s.xlsx")],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    seconds = time.perf_counter() - started
    output = proc.stdout + proc.stderr
    assert proc.returncode == 2, output
    assert name in output and "Traceback" not in output, output
    assert snapshot(tmp_path) == before
    assert seconds < 30, seconds  # includes starting Python and importing the solver
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss < 1024 * 1024  # KB: under 1 GB
