"""Capacity analysis and the ``parasched validate`` command (exit codes, output, heat-map report)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from parasched.cli import main
from parasched.io.reader import read_problem
from parasched.io.report import build_report, level
from parasched.scheduler.capacity import Segment, capacity_map, summary

DATA = Path(__file__).parent / "data"


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


mb = _load("make_broken", DATA / "make_broken.py")
EXPECTED: dict[str, list[str]] = _load("reader_cases", Path(__file__).parent / "test_reader.py").EXPECTED
STUDENT_NAMES = ("Sam One", "Sue Two", "Sid Three", "Sky Four")


@pytest.fixture
def school(tmp_path: Path) -> Path:
    return mb.write_xlsx(tmp_path / "school.xlsx", mb.valid_sheets())


def run(*args: str) -> tuple[int, str, str]:
    res = CliRunner().invoke(main, list(args))
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    return res.exit_code, res.stdout, res.stderr


# -- capacity --------------------------------------------------------------------------------------


def test_summary_counts_and_minutes(school: Path) -> None:
    sm = summary(read_problem(school).problem)
    assert (
        sm.paras,
        sm.substitutes,
        sm.students,
        sm.student_blocks,
        sm.duties,
        sm.fixed_sessions,
        sm.flexible_sessions,
    ) == (3, 1, 4, 5, 2, 1, 1)
    # P1: S01 1:1 08:00-12:00 + 12:30-15:00 less speech 13:00-13:30 on Mon and Wed;
    # P2: the Room 5 shared pair all day + the lunchroom duty for two; P3: buses Mon and Wed
    assert sm.required == ((1, 5 * 390 - 2 * 30), (2, 5 * 420 + 5 * 60 * 2), (3, 2 * 30))
    # hours less absences, less a 30-minute lunch each working day (P02 out Fri, P03 Fri 08:00-12:00)
    assert sm.staff_minutes == 5 * 420 + 4 * 420 + 4 * 330 + 210
    assert sm.substitute_minutes == 5 * 390
    assert sm.flex_target == 60


def test_capacity_map_counts_need_presence_and_qualification(school: Path) -> None:
    cmap = capacity_map(read_problem(school).problem)
    mon = {(s.start, s.end): s for s in cmap.day("Mon")}
    # 11:30-12:00: S01 1:1, lunchroom for two, one para for the Room 5 pair (group_max 2);
    # four paras present but P03 may take neither a duty (general_duties no) nor S03 (avoided) nor S01
    # (lacks behavior): three can be used
    s = mon[(690, 720)]
    assert (s.needed, s.available, s.assignable, s.short, s.flagged) == (4, 4, 3, 1, True)
    assert s.needs == ("S01 1:1", "D01 duty x2", "Room 5 shared")
    assert mon[(780, 810)].needs == ("Room 5 shared",)  # S01 is in speech therapy
    assert (mon[(450, 480)].needed, mon[(450, 480)].available) == (0, 1)  # P02 starts early
    fri = {(s.start, s.end): s for s in cmap.day("Fri")}
    assert (fri[(690, 720)].needed, fri[(690, 720)].available, fri[(690, 720)].short) == (4, 3, 2)
    assert [(x.day, x.start, x.end) for x in cmap.flagged] == [
        ("Mon", 690, 720),
        ("Tue", 690, 720),
        ("Wed", 690, 720),
        ("Thu", 690, 720),
        ("Fri", 690, 720),
        ("Fri", 720, 750),
    ]


def test_lunches_against_spare_staff_time_in_the_window(school: Path) -> None:
    cmap = capacity_map(read_problem(school).problem)
    mon, fri = cmap.lunch("Mon"), cmap.lunch("Fri")
    assert mon is not None and fri is not None
    # Mon: P01, P02, P03, P04 owe 30 min; spare 10:30-11:30 (2 needed of 4) and 12:00-13:30 (less at 13:00)
    assert (mon.paras, mon.owed, mon.spare, mon.window, mon.squeezed) == (
        4,
        120,
        2 * 60 + 1 * 30 + 2 * 30 + 3 * 30,
        (630, 810),
        False,
    )
    # Fri: P02 is out; only 10:30-11:30 has one para to spare for three lunches
    assert (fri.paras, fri.owed, fri.spare, fri.squeezed) == (3, 90, 60, True)


def test_shared_groups_split_by_group_max_and_location(tmp_path: Path) -> None:
    sheets = mb.valid_sheets()
    sheets["Students"].append(["S05", "Sal Five", "4", "Room 5", "shared", 3, "", "", "", "", "", "", ""])
    sheets["Students"].append(["S06", "Sol Six", "4", "Room 7", "shared", 3, "", "", "", "", "", "", ""])
    p = read_problem(mb.write_xlsx(tmp_path / "g.xlsx", sheets)).problem
    seg = next(s for s in capacity_map(p).day("Tue") if s.start <= 540 < s.end)
    # Room 5: S02 (group_max 2), S03, S05 -> ceil(3/2) = 2 paras; Room 7: S06 alone -> 1
    assert seg.needs == ("S01 1:1", "Room 5 shared x2", "Room 7 shared")
    assert seg.needed == 4


def test_a_shared_group_may_be_split_among_paras(tmp_path: Path) -> None:
    sheets = mb.valid_sheets()
    sheets["Students"][2][6] = "medical"  # S02: only P01 may support her
    sheets["Students"].append(["S05", "Sal Five", "4", "Room 5", "shared", 3, "", "", "", "", "", "", ""])
    p = read_problem(mb.write_xlsx(tmp_path / "g.xlsx", sheets)).problem
    seg = next(s for s in capacity_map(p).day("Tue") if s.start <= 540 < s.end)
    # Room 5: S02, S03, S05 with group_max 2 -> two paras: P01 with S02 (+1), another with the rest;
    # S01 1:1 takes a third (P02 or P04). Nobody is short although only P01 may take S02.
    assert (seg.needs, seg.needed, seg.available, seg.assignable, seg.flagged) == (
        ("S01 1:1", "Room 5 shared x2"),
        3,
        4,
        3,
        False,
    )


def test_needs_no_present_para_may_take_are_named(tmp_path: Path) -> None:
    sheets = mb.valid_sheets()
    sheets["Students"][1][6] = "medical"  # only P01 has medical
    sheets["Absences"].append(["P01", "Tue", "", "", "sick"])
    p = read_problem(mb.write_xlsx(tmp_path / "m.xlsx", sheets)).problem
    tue = capacity_map(p).day("Tue")
    seg = next(s for s in tue if s.start == 480)
    assert (seg.needed, seg.available, seg.assignable, seg.uncovered) == (2, 3, 1, ("S01 1:1",))


def test_heat_map_levels() -> None:
    assert level(Segment("Mon", 0, 5, 3, 4, 3, ())) == "green"
    assert level(Segment("Mon", 0, 5, 4, 5, 4, ())) == "amber"
    assert level(Segment("Mon", 0, 5, 4, 4, 3, ())) == "red"
    assert level(Segment("Mon", 0, 5, 0, 4, 0, ())) == "none"


# -- the command ----------------------------------------------------------------------------------


def test_validate_valid_workbook_exit_0_with_summary_and_short_segments(school: Path) -> None:
    code, out, err = run("validate", str(school))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "school.xlsx: valid, no warnings"
    assert (
        "  Paras: 3 (+1 substitute(s))  Students: 4  Schedule rows: 5  Duties: 2  Therapy: 1 fixed, 1 flexible" in lines
    )
    assert (
        "  Staff minutes needed in the week: 4,650 min (P1 critical 1,890, P2 required 2,700, P3 desirable 60)" in lines
    )  # minutes, as solve and check count them
    assert (
        "  Mon: tightest 4/4 at 11:30-12:00; SHORT in 1 segment(s), 30 min; lunches 120 min owed, 300 min spare "
        "staff time in 10:30-13:30"
    ) in lines
    assert (
        "  Fri: tightest 4/3 at 11:30-12:00; SHORT in 2 segment(s), 60 min; lunches 90 min owed, 60 min spare "
        "staff time in 10:30-13:30 (TOO LITTLE)"
    ) in lines
    assert "Short segments (6)" in lines
    assert "  Fri  12:00-12:30    3    2    2     1  D01 duty x2, Room 5 shared" in lines
    assert not any(name in out for name in STUDENT_NAMES)


def test_validate_prints_warnings_and_still_exits_0(tmp_path: Path) -> None:
    sheets = mb.valid_sheets()
    sheets["Students"][4][6] = "ASL"
    code, out, _ = run("validate", str(mb.write_xlsx(tmp_path / "w.xlsx", sheets)))
    assert code == 0
    assert out.splitlines()[0] == "w.xlsx: valid, 1 warning(s)"
    assert (
        "  - Students!G5 (skills_required): student 'S04' needs a para with asl and no para has the skill "
        "'asl'; their support cannot be covered"
    ) in out.splitlines()
    assert not any(name in out for name in STUDENT_NAMES)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_validate_broken_input_exit_2_with_located_messages(name: str) -> None:
    path = DATA / (name if name.endswith("_csv") else f"{name}.xlsx")
    code, out, err = run("validate", str(path))
    assert code == 2
    assert out == ""
    expected = EXPECTED[name]
    assert err.splitlines() == [
        f"Cannot use {path.name} ({len(expected)} problem(s)):",
        *(f"  - {m}" for m in expected),
    ]
    assert "Traceback" not in err
    assert not any(n in err for n in STUDENT_NAMES)


def test_validate_csv_folder(tmp_path: Path) -> None:
    folder = mb.write_csv_dir(tmp_path / "school_csv", mb.valid_sheets())
    code, out, _ = run("validate", str(folder))
    assert code == 0
    assert out.splitlines()[0] == "school_csv: valid, no warnings"


def test_validate_missing_file_exit_2(tmp_path: Path) -> None:
    code, _, err = run("validate", str(tmp_path / "nope.xlsx"))
    assert code == 2
    assert "nope.xlsx" in err and "Traceback" not in err


def test_validate_with_absences_file(tmp_path: Path, school: Path) -> None:
    f = tmp_path / "out.csv"
    f.write_text("person_id,days,start,end\nP01,Mon,,\n", encoding="utf-8")
    code, out, _ = run("validate", str(school), "--absences", str(f))
    assert code == 0
    assert any(
        line.startswith("  Mon: tightest 4/3 at 11:30-12:00; SHORT in 3 segment(s), 90 min;")
        for line in out.splitlines()
    )
    f.write_text("person_id,days,start,end\nQ1,Mon,,\n", encoding="utf-8")
    code, _, err = run("validate", str(school), "--absences", str(f))
    assert code == 2
    assert "  - [out.csv]Absences!A2 (person_id): 'Q1' is neither a para_id nor a student_id" in err.splitlines()


def test_report_heat_map_workbook(tmp_path: Path, school: Path) -> None:
    out = tmp_path / "capacity.xlsx"
    code, stdout, _ = run("validate", str(school), "--report", str(out))
    assert code == 0
    assert stdout.splitlines()[-1] == f"Wrote {out}"
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Capacity", "Short", "Segments", "Lunches"]
    assert [[c.value for c in row] for row in wb["Lunches"].iter_rows(min_row=2, max_row=6)][4] == [
        "Fri",
        3,
        90,
        60,
        "10:30-13:30",
        "no",
    ]
    ws = wb["Capacity"]
    # time down the page, days across (prints as one portrait page)
    header = {ws.cell(row=r, column=1).value: r for r in range(6, ws.max_row + 1)}
    assert ws.cell(row=5, column=2).value == "Mon 2026-09-07"
    row = header["11:30"]
    assert ws.cell(row=row, column=2).value == "4/4"
    assert ws.cell(row=row, column=2).fill.fgColor.rgb.endswith("FFC7CE")  # red: short
    assert ws.cell(row=header["09:00"], column=2).value == "2/4"
    assert ws.cell(row=header["09:00"], column=2).fill.fgColor.rgb.endswith("C6EFCE")  # green
    assert ws.cell(row=header["12:00"], column=6).value == "3/2"  # Fri, P02 absent
    assert (ws.page_setup.orientation, ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == ("portrait", 1, 1)
    short = wb["Short"]
    assert [c.value for c in short[1]] == [
        "day",
        "start",
        "end",
        "minutes",
        "needed",
        "available",
        "qualified",
        "short",
        "needs",
        "no_qualified_para",
    ]
    assert [c.value for c in short[2]] == [
        "Mon",
        "11:30",
        "12:00",
        30,
        4,
        4,
        3,
        1,
        "S01 1:1, D01 duty x2, Room 5 shared",
        None,
    ]
    assert short.max_row == 7
    assert not any(n in str(c.value) for row in wb["Segments"].iter_rows() for c in row for n in STUDENT_NAMES)


def test_report_never_overwrites_the_input(school: Path) -> None:
    before = school.read_bytes()
    code, _, err = run("validate", str(school), "--report", str(school))
    assert code == 2
    assert "would overwrite the input" in err
    assert school.read_bytes() == before


def test_report_of_a_problem_with_nothing_needed(tmp_path: Path) -> None:
    sheets = mb.valid_sheets()
    for name in ("StudentSchedule", "Duties", "Therapy"):
        sheets[name] = sheets[name][:1]
    for row in sheets["Students"][1:]:
        row[4] = "none"
    p = read_problem(mb.write_xlsx(tmp_path / "n.xlsx", sheets)).problem
    wb = build_report(p)
    assert wb["Short"].max_row == 1
    assert capacity_map(p).flagged == ()
