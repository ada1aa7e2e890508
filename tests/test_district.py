"""The district substitute pool: read from district.xlsx, placed by the assignment model, then the
schools re-solved with their substitute.

Hand-made case where the right placement is known. Mon and Tue, 08:00-10:00, two schools:
- north: N1 needs a para with `medical` all morning (priority 1); its only para lacks medical.
- south: two 1:1 students at priority 3; its only para can take one of them.
Substitutes: MED (medical, Mondays, both schools), GEN (no skills, Mondays, every school), TUE
(medical, Tuesdays, north only). On Monday MED must go north (priority 1 comes first, and GEN
may not take N1), GEN south; on Tuesday TUE goes north and south gets nobody.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from parasched.io.district_sheet import read_substitutes
from parasched.io.input_writer import write_problem
from parasched.io.reader import read_problem
from parasched.io.schedule_reader import read_schedule
from parasched.scheduler.check import check_schedule
from parasched.scheduler.district import Substitute
from parasched.scheduler.errors import InputError
from parasched.scheduler.model import Para, Problem, Settings, Student
from parasched.workflows import batch as bt
from parasched.workflows.district import NeedPiece, assign_substitutes, with_substitutes

MORNING = Settings(school_name="", days=("Mon", "Tue"), school_start=8 * 60, school_end=10 * 60, lunch_minutes=0)


def north() -> Problem:
    return Problem(
        MORNING,
        (Para("NP1", "North para", 8 * 60, 10 * 60),),
        (Student("N1", "Student N1", skills_required=frozenset({"medical"}), priority=1),),
    )


def south() -> Problem:
    return Problem(
        MORNING,
        (Para("SP1", "South para", 8 * 60, 10 * 60),),
        (Student("S1", "Student S1", priority=3), Student("S2", "Student S2", priority=3)),
    )


SUBSTITUTES = [
    ("substitute_id", "name", "skills", "days", "start", "end", "schools"),
    ("MED", "Medical sub", "medical", "Mon", "08:00", "10:00", "north, south"),
    ("GEN", "General sub", "", "Mon", "", "", ""),
    ("TUE", "Tuesday sub", "medical", "Tue", "08:00", "10:00", "North"),
]


def write_district(path: Path, rows: list[tuple[str, ...]]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Substitutes"
    for row in rows:
        ws.append(list(row))
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, bt.BatchReport]:
    base = tmp_path_factory.mktemp("pool")
    schools = base / "schools"
    schools.mkdir()
    write_problem(north(), schools / "north.xlsx")
    write_problem(south(), schools / "south.xlsx")
    write_district(schools / "district.xlsx", SUBSTITUTES)
    out = base / "out"
    report = bt.run_batch(schools, out, bt.BatchOptions(time_limit=2, seed=1, parallel=2))
    return schools, out, report


@pytest.mark.slow
def test_the_substitutes_go_where_they_cover_the_most_priority_weighted_minutes(run) -> None:
    _, _, report = run
    placed = {(p.substitute_id, p.school, p.day): p.minutes for p in report.placements}
    # MED could cover N1's 120 priority-1 minutes; GEN one of south's 1:1 students (120 min, P3)
    assert placed == {
        ("MED", "north.xlsx", "Mon"): (120, 0, 0),
        ("GEN", "south.xlsx", "Mon"): (0, 0, 120),
        ("TUE", "north.xlsx", "Tue"): (120, 0, 0),
    }
    # the first solves: north could not cover N1 at all, south left one student uncovered each day
    first = {o.school: o for o in report.outcomes}
    assert first["north.xlsx"].unmet == (240, 0, 0)
    assert first["south.xlsx"].unmet == (0, 0, 240)


@pytest.mark.slow
def test_the_schools_are_re_solved_with_their_substitute_and_pass_check(run) -> None:
    schools, out, report = run
    subs = {s.substitute_id: s for s in read_substitutes(schools / "district.xlsx", ["north.xlsx", "south.xlsx"])}
    sent = {"north": {"MED": ("Mon",), "TUE": ("Tue",)}, "south": {"GEN": ("Mon",)}}
    for name, unmet in (("north", (0, 0, 0)), ("south", (0, 0, 120))):
        final = report.final(f"{name}.xlsx")
        assert final.output == f"{name}-with-substitutes.xlsx"
        assert final.placed == tuple(f"{sid} ({days[0]})" for sid, days in sorted(sent[name].items()))
        assert final.substitutes_used == tuple(sorted(sent[name]))
        assert final.unmet == unmet
        assert final.substitute_minutes == 120 * len(sent[name])
        schedule = read_schedule(out / final.output)
        problem = with_substitutes(
            read_problem(schools / f"{name}.xlsx").problem, [subs[sid] for sid in sent[name]], sent[name]
        )
        assert check_schedule(problem, schedule).ok
        for sid, days in sent[name].items():  # each works only the day they were sent
            assert {a.day for a in schedule.assignments if a.para_id == sid and a.kind == "support"} == set(days)
    table = pd.read_excel(out / "district.xlsx", sheet_name="Schools").set_index("school")
    assert table.loc["north.xlsx", "district substitutes"] == "MED (Mon), TUE (Tue)"
    assert table.loc["north.xlsx", "unmet min before district substitutes"] == 240
    assert table.loc["north.xlsx", "P1 unmet min"] == 0
    assert table.loc["north.xlsx", "schedule"] == "north-with-substitutes.xlsx"
    pool = pd.read_excel(out / "district.xlsx", sheet_name="Substitutes")
    assert pool[["substitute_id", "day", "school"]].values.tolist() == [
        ["GEN", "Mon", "south.xlsx"],
        ["MED", "Mon", "north.xlsx"],
        ["TUE", "Tue", "north.xlsx"],
    ]


def test_priority_1_wins_over_more_minutes_of_priority_2_and_one_school_a_day() -> None:
    sub = Substitute("S", schools=())
    needs = {
        "a": (NeedPiece("Mon", 480, 720, 2, 1, ("S",)),),  # 240 minutes of priority 2
        "b": (NeedPiece("Mon", 480, 490, 1, 1, ("S",)),),  # 10 minutes of priority 1
        "c": (NeedPiece("Tue", 480, 600, 3, 1, ("S",)),),
    }
    placements = assign_substitutes(needs, [sub])
    assert [(p.school, p.day, p.minutes) for p in placements] == [("b", "Mon", (10, 0, 0)), ("c", "Tue", (0, 0, 120))]


def test_a_stretch_takes_no_more_substitutes_than_it_is_short_and_one_thing_at_a_time() -> None:
    subs = [Substitute("A"), Substitute("B"), Substitute("C"), Substitute("D")]
    needs = {
        # a duty short of two paras 08:00-09:00, and a student 08:00-09:00 only A may support
        "x": (NeedPiece("Mon", 480, 540, 2, 2, ("A", "B", "C", "D")), NeedPiece("Mon", 480, 540, 1, 1, ("A",))),
    }
    placements = assign_substitutes(needs, subs)
    got = {p.substitute_id: p.minutes for p in placements}
    # A on the student (only A may), two of the others on the duty; the fourth stays home
    assert got.pop("A") == (60, 0, 0)
    assert list(got.values()) == [(0, 60, 0), (0, 60, 0)]


def test_a_bad_substitutes_sheet_is_located(tmp_path) -> None:
    rows = [
        ("Substitutes of the district",),  # a title row above the header
        ("Substitute ID", "skills", "days", "start", "end", "schools"),
        ("A", "medical", "Mon", "8:3O", "10:00", "north"),
        ("A", "", "", "", "", ""),
        ("B", "", "Tuseday", "09:00", "", "westside"),
        (None, "lift", "", "", "", ""),
    ]
    with pytest.raises(InputError) as exc:
        read_substitutes(write_district(tmp_path / "district.xlsx", rows), ["north.xlsx", "south"])
    assert [str(i) for i in exc.value.issues] == [
        "district.xlsx: Substitutes!D3 (start): '8:3O' is not a time; expected HH:MM such as 08:30",
        "district.xlsx: Substitutes!A4 (substitute_id): 'A' is already the id of row 3; expected unique ids",
        "district.xlsx: Substitutes!C5 (days): 'Tuseday' is not a day; expected days such as Mon, Wed or Mon-Thu",
        "district.xlsx: Substitutes!E5 (end): is blank while the other of start/end is given; expected both, "
        "or neither (the school day)",
        "district.xlsx: Substitutes!F5 (schools): 'westside' is not a school of this batch; expected one of "
        "north, south",
        "district.xlsx: Substitutes!A6 (substitute_id): is blank; expected the substitute's id",
    ]


def test_a_district_workbook_without_substitutes_sheet_has_none(tmp_path) -> None:
    wb = Workbook()
    wb.active.title = "Notes"
    wb.save(tmp_path / "district.xlsx")
    assert read_substitutes(tmp_path / "district.xlsx", ["a.xlsx"]) == ()


@pytest.mark.slow
def test_a_second_run_reuses_both_the_first_solves_and_the_re_solves(run) -> None:
    schools, out, report = run
    again = bt.run_batch(schools, out, bt.BatchOptions(time_limit=2, seed=1, parallel=2))
    assert sorted(again.skipped) == [
        "north.xlsx",
        "north.xlsx (with substitutes)",
        "south.xlsx",
        "south.xlsx (with substitutes)",
    ]
    assert again.placements == report.placements
    assert again.resolves == report.resolves


def test_the_resume_hash_of_a_school_with_substitutes_does_not_follow_the_hash_seed(tmp_path) -> None:
    import subprocess
    import sys

    write_problem(north(), tmp_path / "north.xlsx")
    code = (
        "import sys; from pathlib import Path; from parasched.workflows import batch as bt; "
        "from parasched.scheduler.district import Substitute; "
        "s = Substitute('MED', skills=frozenset({'medical', 'lift', 'asl', 'spanish'}), schools=('north',)); "
        f"print(bt.SchoolTask(bt.load_school(Path({str(tmp_path / 'north.xlsx')!r})), 'n.xlsx', 2.0, 1, 1, (s,))"
        ".digest())"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(digests) == 1
