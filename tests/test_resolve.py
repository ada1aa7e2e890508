"""parasched resolve: absences in, fewest changes out, everyone still safe."""

from __future__ import annotations

import pytest

from parasched.io.absence_args import absences_from_args, parse_absent, parse_days
from parasched.scheduler.errors import InputError
from parasched.scheduler.model import Absence, Para, Problem, Role, Settings, Student, StudentBlock
from parasched.scheduler.resolve import broken_rows, keep_days, plan, split_absences
from parasched.scheduler.schedule import Assignment, Kind, PlacedSession, Schedule

A = Assignment
H = 60


def hand_problem(days=("Mon", "Tue"), absences=()) -> Problem:
    paras = (Para("P1", "Ann", 8 * H, 15 * H), Para("P2", "Bea", 8 * H, 15 * H),
             Para("P7", "Cy", 8 * H, 15 * H), Para("SUB1", "Dee", 8 * H, 15 * H, role=Role.SUBSTITUTE))
    students = (Student("S1", "Xavier"), Student("S2", "Yara"))
    blocks = (StudentBlock("S1", 9 * H, 11 * H, location="R1"), StudentBlock("S2", 9 * H, 11 * H, location="R2"))
    return Problem(Settings(days=days), paras, students, student_blocks=blocks, absences=tuple(absences))


def hand_baseline() -> Schedule:
    rows = []
    for day in ("Mon", "Tue"):
        rows += [A("P1", day, 9 * H, 11 * H, Kind.SUPPORT, students=("S1",), location="R1"),
                 A("P7", day, 9 * H, 11 * H, Kind.SUPPORT, students=("S2",), location="R2")]
        rows += [A(p, day, 12 * H, 12 * H + 30, Kind.LUNCH) for p in ("P1", "P2", "P7", "SUB1")]
    return Schedule(tuple(rows))


# -- --absent / --day ----------------------------------------------------------------------------
def test_parse_absent_whole_and_part_day():
    assert parse_absent("P07").person_id == "P07"
    assert (parse_absent("P07").start, parse_absent("P07").end) == (None, None)
    arg = parse_absent("P11:10:00-12:00")
    assert (arg.person_id, arg.start, arg.end) == ("P11", 600, 720)
    arg = parse_absent("P11:9:30-1:15 PM")
    assert (arg.start, arg.end) == (570, 795)


@pytest.mark.parametrize(("value", "message"), [
    ("P11:12:00-10:00", "end 10:00 is not after start 12:00"),
    ("P11:10:00", "expected ID (whole day) or ID:HH:MM-HH:MM"),
    ("P11:25:00-26:00", "'25:00' is not a time"),
    ("", "no id given"),
])
def test_parse_absent_rejects_bad_values(value, message):
    with pytest.raises(InputError) as exc:
        parse_absent(value)
    assert message in str(exc.value)
    assert f"--absent {value}" in str(exc.value)


def test_parse_days():
    week = ("Mon", "Tue", "Wed", "Thu", "Fri")
    assert parse_days(["tue"], week) == ("Tue",)
    assert parse_days(["Thursday", "Mon"], week) == ("Mon", "Thu")
    assert parse_days(["Mon-Wed"], week) == ("Mon", "Tue", "Wed")
    assert parse_days(["Mon, Fri"], week) == ("Mon", "Fri")
    with pytest.raises(InputError, match="'Xyz' is not a day"):
        parse_days(["Xyz"], week)
    with pytest.raises(InputError, match="'Sat' is not a school day"):
        parse_days(["Sat"], week)


def test_absences_from_args_apply_to_the_chosen_days():
    p = hand_problem()
    got = absences_from_args(["P7", "s1:10:00-11:00"], ["Tue"], p)
    assert got == (Absence("P7", ("Tue",), reason="--absent"), Absence("S1", ("Tue",), 600, 660, reason="--absent"))


def test_absent_without_day_needs_one_school_day():
    with pytest.raises(InputError, match="--absent needs --day"):
        absences_from_args(["P7"], [], hand_problem())
    one_day = hand_problem(days=("Tue",))
    assert absences_from_args(["P7"], [], one_day) == (Absence("P7", ("Tue",), reason="--absent"),)


def test_unknown_ids_and_off_grid_times_are_all_reported():
    with pytest.raises(InputError) as exc:
        absences_from_args(["P99", "P7:10:02-11:00", "P1"], ["Tue"], hand_problem())
    text = str(exc.value)
    assert "--absent P99: 'P99' is neither a para_id in Paras nor a student_id in Students" in text
    assert "--absent P7:10:02-11:00: 10:02-11:00 is not on the 5-minute grid" in text
    assert len(exc.value.issues) == 2


# -- baseline adaptation (no solver) -------------------------------------------------------------
def test_known_leave_the_baseline_respects_is_not_new():
    # S1 out 13:00-14:00 every day: the baseline gives no support then -> known, split per day;
    # P7 out on Tuesday: the baseline has rows for P7 that day -> new
    p = hand_problem(absences=(Absence("S1", (), 13 * H, 14 * H), Absence("P7", ("Tue",))))
    known, new = split_absences(p, hand_baseline())
    assert [(a.person_id, a.days) for a in known] == [("S1", ("Mon",)), ("S1", ("Tue",))]
    assert [(a.person_id, a.days) for a in new] == [("P7", ("Tue",))]


def test_plan_replans_days_with_new_absences_and_chosen_days():
    p = hand_problem()
    full, base, new, replan, notes = plan(p, hand_baseline(), [Absence("P7", ("Tue",))])
    assert replan == ("Tue",)
    assert new == (Absence("P7", ("Tue",)),)
    assert base.absences == ()
    assert [a.person_id for a in full.absences] == ["P7"]
    assert notes == ()
    # --day Mon chosen while the absence is on Tuesday: Tuesday is re-planned too, with a note
    _, _, _, replan, notes = plan(p, hand_baseline(), [Absence("P7", ("Tue",))], days=["Mon"])
    assert replan == ("Mon", "Tue")
    assert notes == ("also re-planning Tue: new absences fall on that day",)
    # nothing new and no day chosen: nothing to re-plan
    assert plan(p, hand_baseline())[3] == ()


def test_broken_rows_are_the_absent_paras_blocks_and_support_to_absent_students():
    p = hand_problem()
    new = (Absence("P7", ("Tue",), 10 * H, 12 * H + 15), Absence("S1", ("Mon",)))
    broken = broken_rows(hand_baseline(), p, new)
    assert broken == (
        A("P1", "Mon", 9 * H, 11 * H, Kind.SUPPORT, students=("S1",), location="R1"),
        A("P7", "Tue", 9 * H, 11 * H, Kind.SUPPORT, students=("S2",), location="R2"),
        A("P7", "Tue", 12 * H, 12 * H + 30, Kind.LUNCH),
    )


def test_baseline_from_another_input_is_refused():
    bad = Schedule((A("P99", "Mon", 9 * H, 10 * H, Kind.SUPPORT, students=("S8",)),
                    A("P1", "Sat", 9 * H, 10 * H, Kind.DUTY, ref="Nope")),
                   sessions=(PlacedSession("T9", "Mon", 600, 630, "SLP"),))
    with pytest.raises(InputError) as exc:
        plan(hand_problem(), bad, [])
    text = str(exc.value)
    for fragment in ("'P99' is not a para_id", "'S8' is not a student_id", "'Sat' is not a school day",
                     "'Nope' is not a duty_id", "'T9' is not a session_id"):
        assert fragment in text


def test_keep_days_copies_every_other_day_exactly():
    base = hand_baseline()
    new = Schedule((A("SUB1", "Tue", 9 * H, 11 * H, Kind.SUPPORT, students=("S2",)),
                    A("P2", "Mon", 9 * H, 10 * H, Kind.BREAK)),
                   sessions=(PlacedSession("T1", "Mon", 600, 630, "SLP"),))
    kept = keep_days(base, new, ["Tue"])
    assert sorted(a for a in kept.assignments if a.day == "Mon") == sorted(a for a in base.assignments
                                                                            if a.day == "Mon")
    assert [a for a in kept.assignments if a.day == "Tue"] == [new.assignments[0]]
    assert kept.sessions == ()
