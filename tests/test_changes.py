"""The diff between two schedules: labels, merged pieces, weighted changed minutes, who covers whom."""

from parasched.scheduler.changes import (
    ABSENT_WEIGHT,
    FILL_WEIGHT,
    MOVE_WEIGHT,
    SUBSTITUTE_WEIGHT,
    changed_minutes,
    covering,
    diff,
    label,
)
from parasched.scheduler.model import Absence, Para, Problem, Role, Settings, Student, StudentBlock, Support
from parasched.scheduler.schedule import Assignment, Change, Kind, Schedule
from parasched.scheduler.weekgrid import WeekGrid

A = Assignment
H = 60


def problem() -> Problem:
    paras = (
        Para("P1", "a", 8 * H, 15 * H),
        Para("P2", "b", 8 * H, 15 * H),
        Para("P7", "c", 8 * H, 15 * H),
        Para("SUB1", "d", 8 * H, 15 * H, role=Role.SUBSTITUTE),
    )
    students = (
        Student("S1", "x"),
        Student("S2", "y", support=Support.SHARED),
        Student("S5", "z", support=Support.SHARED),
        Student("S9", "w"),
    )
    blocks = (
        StudentBlock("S1", 8 * H, 15 * H, location="R1"),
        StudentBlock("S9", 8 * H, 10 * H, location="R9"),
        StudentBlock("S9", 10 * H, 15 * H, location="R9", support=Support.SHARED),
    )
    return Problem(Settings(days=("Mon", "Tue")), paras, students, student_blocks=blocks)


def sup(pid, day, s, e, *students, loc=""):
    return A(pid, day, s, e, Kind.SUPPORT, students=tuple(students), location=loc)


def test_labels():
    grid = WeekGrid(problem())
    assert label(sup("P1", "Mon", 480, 540, "S1")) == "1:1 S1"
    assert label(sup("P1", "Mon", 480, 540, "S5", "S2", loc="Rm 12")) == "group S2,S5 @Rm 12"
    assert label(A("P1", "Mon", 480, 540, Kind.DUTY, ref="Bus-AM")) == "duty Bus-AM"
    assert label(A("P1", "Mon", 480, 540, Kind.THERAPY, ref="T03", students=("S1",))) == "therapy T03"
    assert label(A("P1", "Mon", 720, 750, Kind.LUNCH)) == "lunch"
    assert label(A("P1", "Mon", 750, 765, Kind.BREAK)) == "break"
    # one student in a shared block is support, not 1:1; in their 1:1 block it is 1:1
    assert label(sup("P1", "Mon", 11 * H, 12 * H, "S9", loc="R9"), grid) == "support S9 @R9"
    assert label(sup("P1", "Mon", 9 * H, 10 * H, "S9", loc="R9"), grid) == "1:1 S9"


def test_identical_schedules_have_no_changes_even_when_rows_are_split_differently():
    base = Schedule((sup("P1", "Mon", 480, 600, "S1"), A("P1", "Mon", 720, 750, Kind.LUNCH)))
    split = Schedule(
        (sup("P1", "Mon", 480, 540, "S1"), sup("P1", "Mon", 540, 600, "S1"), A("P1", "Mon", 720, 750, Kind.LUNCH))
    )
    assert diff(base, base, problem()) == ()
    assert diff(base, split, problem()) == ()
    assert diff(split, base) == ()
    assert changed_minutes(base, split) == 0


def test_differences_are_merged_into_contiguous_pieces_with_equal_labels():
    base = Schedule(
        (
            sup("P1", "Tue", 9 * H, 10 * H, "S1"),
            sup("P1", "Tue", 10 * H, 11 * H + 30, "S1"),
            A("P1", "Tue", 12 * H, 12 * H + 30, Kind.LUNCH),
        )
    )
    new = Schedule(
        (
            sup("P1", "Tue", 9 * H, 11 * H, "S9"),
            sup("P1", "Tue", 11 * H, 11 * H + 30, "S9"),
            A("P1", "Tue", 11 * H + 30, 12 * H, Kind.LUNCH),
        )
    )
    assert diff(base, new) == (
        Change("P1", "Tue", 9 * H, 11 * H + 30, "1:1 S1", "1:1 S9"),
        Change("P1", "Tue", 11 * H + 30, 12 * H, "free", "lunch"),
        Change("P1", "Tue", 12 * H, 12 * H + 30, "lunch", "free"),
    )


def test_paras_and_days_only_on_one_side_are_diffed_and_ordered_like_paras_sheet():
    base = Schedule((sup("P7", "Tue", 480, 540, "S1"), sup("P2", "Mon", 480, 540, "S9")))
    new = Schedule(
        (sup("SUB1", "Tue", 480, 540, "S1"), sup("P2", "Mon", 480, 540, "S9"), A("P1", "Tue", 480, 495, Kind.BREAK))
    )
    assert diff(base, new, problem()) == (
        Change("P1", "Tue", 480, 495, "free", "break"),
        Change("P7", "Tue", 480, 540, "1:1 S1", "free"),
        Change("SUB1", "Tue", 480, 540, "free", "1:1 S1"),
    )


def test_changed_minutes_weighs_absent_substitute_moved_and_filling_paras():
    p = problem()
    away = Problem(
        p.settings, p.paras, p.students, student_blocks=p.student_blocks, absences=(Absence("P7", ("Tue",)),)
    )
    base = Schedule((sup("P7", "Tue", 480, 540, "S1"), sup("P1", "Tue", 480, 540, "S9")))
    # P7 absent: SUB fills in -> P7's minutes are free, SUB's cost the substitute weight
    by_sub = Schedule((sup("SUB1", "Tue", 480, 540, "S1"), sup("P1", "Tue", 480, 540, "S9")))
    assert changed_minutes(base, by_sub, problem=away) == 60 * SUBSTITUTE_WEIGHT
    assert (
        changed_minutes(base, by_sub, ["P7"], problem=p)
        == 60 * ABSENT_WEIGHT + 60 * SUBSTITUTE_WEIGHT + 60 * MOVE_WEIGHT
    )  # without the absence in the problem, P7 counts as moved
    # P1 is moved to S1 and SUB1 takes S9: moving a para who was there costs more
    moved = Schedule((sup("P1", "Tue", 480, 540, "S1"), sup("SUB1", "Tue", 480, 540, "S9")))
    assert changed_minutes(base, moved, problem=away) == 60 * (MOVE_WEIGHT + SUBSTITUTE_WEIGHT)
    # P2 fills in from free time
    filled = Schedule((sup("P2", "Tue", 480, 540, "S1"), sup("P1", "Tue", 480, 540, "S9")))
    assert changed_minutes(base, filled, problem=away) == 60 * FILL_WEIGHT
    # no problem given: absent paras and substitutes named explicitly
    assert changed_minutes(base, by_sub, ["P7"], substitutes=["SUB1"]) == 60 * SUBSTITUTE_WEIGHT
    assert changed_minutes(base, by_sub) == 60 * MOVE_WEIGHT + 60 * FILL_WEIGHT
    # part-day absence: only the absent minutes are free
    part = Problem(
        p.settings, p.paras, p.students, student_blocks=p.student_blocks, absences=(Absence("P7", ("Tue",), 510, 540),)
    )
    assert changed_minutes(base, by_sub, problem=part) == 30 * MOVE_WEIGHT + 60 * SUBSTITUTE_WEIGHT


def test_covering_names_the_absent_para_whose_student_or_duty_is_taken_over():
    base = Schedule(
        (
            sup("P7", "Tue", 9 * H, 11 * H, "S1"),
            A("P7", "Tue", 14 * H, 15 * H, Kind.DUTY, ref="Bus"),
            sup("P2", "Tue", 9 * H, 11 * H, "S9"),
        )
    )
    take_student = Change("P2", "Tue", 9 * H, 10 * H, "1:1 S9", "1:1 S1")
    assert covering(take_student, base, ["P7"]) == ("P7",)
    take_duty = Change("P1", "Tue", 14 * H, 15 * H, "free", "duty Bus")
    assert covering(take_duty, base, ["P7"]) == ("P7",)
    # other times, other work, or nobody absent: no cover
    assert covering(Change("P2", "Tue", 12 * H, 13 * H, "free", "1:1 S1"), base, ["P7"]) == ()
    assert covering(Change("P1", "Tue", 9 * H, 10 * H, "free", "1:1 S9"), base, ["P7"]) == ()
    assert covering(take_student, base, []) == ()
    assert covering(Change("P2", "Tue", 9 * H, 10 * H, "1:1 S9", "lunch"), base, ["P7"]) == ()
