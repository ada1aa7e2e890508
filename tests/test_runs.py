"""The minimum run (contract v1.1, ``min_support_minutes``): alone on tiny schools, by hand.

A run is a para's unbroken time with one student; it lasts at least ``min_support_minutes``
unless it covers the student's whole need stretch. Checked in the domain (runs.py), by the
checker, kept by the greedy warm start, and held by the solver.
"""

from __future__ import annotations

from checking import assert_passes_check
from fixtures import t

from parasched.scheduler.check import check_schedule
from parasched.scheduler.greedy import greedy_schedule
from parasched.scheduler.model import Para, Problem, Settings, Student, StudentBlock, Support
from parasched.scheduler.runs import Run, drop_short_runs, runs, short_runs
from parasched.scheduler.schedule import Assignment, Kind, Schedule, Status, UnmetKind
from parasched.solver.options import SolverOptions
from parasched.workflows.solve import solve


def school(
    *,
    paras: tuple[Para, ...],
    blocks: tuple[StudentBlock, ...] = (),
    least: int = 15,
    students: tuple[Student, ...] | None = None,
) -> Problem:
    settings = Settings(
        days=("Mon",), school_start=t("09:00"), school_end=t("10:00"), lunch_minutes=0, min_support_minutes=least
    )
    students = students or (Student("S1", "Kid One", priority=1),)
    return Problem(settings, paras, students, student_blocks=blocks)


def support(pid: str, start: str, end: str, *students: str, location: str = "") -> Assignment:
    return Assignment(pid, "Mon", t(start), t(end), Kind.SUPPORT, students=tuple(students), location=location)


def test_back_to_back_rows_are_one_run_even_across_a_room_change() -> None:
    rows = (
        support("P1", "09:00", "09:10", "S1", location="Room 1"),
        support("P1", "09:10", "09:20", "S1", location="Gym"),
        support("P2", "09:20", "09:30", "S1"),
        support("P1", "09:40", "09:50", "S1"),
    )
    got = runs(Schedule(rows))
    assert got == [
        Run("P1", "S1", "Mon", t("09:00"), t("09:20")),
        Run("P2", "S1", "Mon", t("09:20"), t("09:30")),
        Run("P1", "S1", "Mon", t("09:40"), t("09:50")),
    ]


def test_a_group_row_counts_toward_each_students_run() -> None:
    rows = (support("P1", "09:00", "09:10", "S1", "S2"), support("P1", "09:10", "09:30", "S1"))
    assert runs(Schedule(rows)) == [
        Run("P1", "S1", "Mon", t("09:00"), t("09:30")),
        Run("P1", "S2", "Mon", t("09:00"), t("09:10")),
    ]


def test_a_sliver_is_refused_by_the_checker() -> None:
    p = school(paras=(Para("P1", "A", t("09:00"), t("10:00")), Para("P2", "B", t("09:00"), t("10:00"))))
    sched = Schedule((support("P1", "09:00", "09:50", "S1"), support("P2", "09:50", "10:00", "S1")))
    report = check_schedule(p, sched)
    assert [(v.rule, v.para_id, v.start, v.end) for v in report.violations] == [
        ("short_run", "P2", t("09:50"), t("10:00"))
    ]
    assert "only 10 minutes" in report.violations[0].message
    assert "min_support_minutes" in report.violations[0].message


def test_a_whole_short_need_stretch_is_allowed() -> None:
    # a 10-minute arrival block, then no support needed: a 10-minute run covers the whole need
    blocks = (
        StudentBlock("S1", t("09:00"), t("09:10"), activity="Arrival"),
        StudentBlock("S1", t("09:10"), t("10:00"), activity="Music", support=Support.NONE),
    )
    p = school(paras=(Para("P1", "A", t("09:00"), t("10:00")),), blocks=blocks)
    sched = Schedule((support("P1", "09:00", "09:10", "S1"),))
    assert short_runs(p, sched) == []
    assert check_schedule(p, sched).ok


def test_zero_means_no_minimum() -> None:
    p = school(paras=(Para("P1", "A", t("09:00"), t("10:00")),), least=0)
    assert check_schedule(p, Schedule((support("P1", "09:00", "09:05", "S1"),))).ok


def test_drop_short_runs_keeps_the_long_ones() -> None:
    p = school(paras=(Para("P1", "A", t("09:00"), t("10:00")), Para("P2", "B", t("09:00"), t("10:00"))))
    sched = Schedule((support("P1", "09:00", "09:50", "S1"), support("P2", "09:50", "10:00", "S1")))
    assert drop_short_runs(p, sched).assignments == (support("P1", "09:00", "09:50", "S1"),)


def solved(p: Problem) -> Schedule:
    result = solve(p, SolverOptions(time_limit=5, workers=1, seed=0))
    assert result.status in (Status.OPTIMAL, Status.FEASIBLE)
    assert_passes_check(p, result.schedule)
    return result.schedule


def test_solver_leaves_a_gap_uncovered_rather_than_send_a_sliver() -> None:
    # P1 covers 09:00-09:50 then leaves; P2 only arrives for the last 10 minutes of a 60-minute need:
    # 10 minutes of P2 would be a sliver, so those minutes stay uncovered
    p = school(paras=(Para("P1", "A", t("09:00"), t("09:50")), Para("P2", "B", t("09:50"), t("10:00"))))
    sched = solved(p)
    assert [(a.para_id, a.start, a.end) for a in sched.assignments if a.kind == Kind.SUPPORT] == [
        ("P1", t("09:00"), t("09:50"))
    ]
    assert [(u.kind, u.start, u.end, u.minutes) for u in sched.unmet] == [
        (UnmetKind.SUPPORT, t("09:50"), t("10:00"), 10)
    ]
    assert "15" in sched.unmet[0].reason  # the reason names the rule's minimum


def test_solver_covers_a_whole_short_stretch() -> None:
    blocks = (
        StudentBlock("S1", t("09:00"), t("09:10"), activity="Arrival"),
        StudentBlock("S1", t("09:10"), t("10:00"), activity="Music", support=Support.NONE),
    )
    p = school(paras=(Para("P1", "A", t("09:00"), t("10:00")),), blocks=blocks)
    sched = solved(p)
    assert [(a.para_id, a.start, a.end) for a in sched.assignments if a.kind == Kind.SUPPORT] == [
        ("P1", t("09:00"), t("09:10"))
    ]
    assert sched.unmet == ()


def test_solver_keeps_one_run_through_a_room_change() -> None:
    blocks = (
        StudentBlock("S1", t("09:00"), t("09:30"), location="Room 1"),
        StudentBlock("S1", t("09:30"), t("10:00"), location="Gym"),
    )
    p = school(paras=(Para("P1", "A", t("09:00"), t("10:00")), Para("P2", "B", t("09:00"), t("10:00"))), blocks=blocks)
    sched = solved(p)
    assert {a.para_id for a in sched.assignments if a.kind == Kind.SUPPORT} in ({"P1"}, {"P2"})  # no handoff
    assert len(runs(sched)) == 1 and sched.unmet == ()


def test_greedy_warm_start_keeps_the_rule() -> None:
    p = school(paras=(Para("P1", "A", t("09:00"), t("09:50")), Para("P2", "B", t("09:50"), t("10:00"))))
    sched = greedy_schedule(p)
    assert short_runs(p, sched) == []
    assert check_schedule(p, sched).ok
