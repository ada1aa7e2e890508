"""KPIs and objective terms recomputed from a schedule alone, with hand-computed numbers."""

from __future__ import annotations

import pytest
from checking import assert_passes_check
from fixtures import t

from parasched.scheduler.kpis import OBJECTIVE_TERMS, compute_kpis
from parasched.scheduler.model import (
    Absence,
    Duty,
    DutyKind,
    Para,
    ParaRole,
    Problem,
    Role,
    Session,
    Settings,
    Student,
    Support,
)
from parasched.scheduler.schedule import Assignment, Kind, PlacedSession, Schedule


def sup(pid: str, day: str, start: str, end: str, *students: str) -> Assignment:
    return Assignment(pid, day, t(start), t(end), Kind.SUPPORT, "", tuple(students), "Rm1")


def row(pid: str, day: str, kind: Kind, start: str, end: str, ref: str = "") -> Assignment:
    return Assignment(pid, day, t(start), t(end), kind, ref)


SETTINGS = Settings(days=("Mon", "Tue"), school_start=t("08:00"), school_end=t("10:00"), lunch_minutes=0)


def school() -> Problem:
    """Two days 08:00-10:00.

    S1 1:1 priority 1 preferring P1; S2 shared priority 3 with flexible therapy T2 (none, 2 a
    week of 30 minutes, priority 1); S3 flex wanting 100 minutes a week; duty D1 Mon
    08:00-08:30 needing 2 staff. P3 is funded for support only, P4 a substitute, P5 out all week.
    """
    hours = (t("08:00"), t("10:00"))
    paras = (
        Para("P1", "A", *hours),
        Para("P2", "B", *hours),
        Para("P3", "C", *hours, general_duties=False),
        Para("P4", "D", *hours, role=Role.SUBSTITUTE),
        Para("P5", "E", *hours),
    )
    students = (
        Student("S1", "s1", homeroom="Rm1", priority=1, preferred_paras=("P1",)),
        Student("S2", "s2", homeroom="Rm1", support=Support.SHARED, priority=3),
        Student("S3", "s3", homeroom="Rm1", support=Support.FLEX, weekly_flex_minutes=100),
    )
    duties = (Duty("D1", "Bus", DutyKind.BUS, t("08:00"), t("08:30"), days=("Mon",), staff_needed=2),)
    sessions = (
        Session(
            "T2", ("S2",), provider="OT", para_role=ParaRole.NONE, priority=1, sessions_per_week=2, duration_minutes=30
        ),
    )
    return Problem(SETTINGS, paras, students, duties=duties, sessions=sessions, absences=(Absence("P5", ()),))


def week() -> Schedule:
    rows = (
        # Mon
        sup("P1", "Mon", "08:00", "09:00", "S1"),
        sup("P2", "Mon", "09:00", "09:30", "S1"),
        sup("P1", "Mon", "09:30", "10:00", "S1"),
        row("P2", "Mon", Kind.DUTY, "08:00", "08:30", "D1"),
        row("P4", "Mon", Kind.DUTY, "08:00", "08:30", "D1"),
        sup("P2", "Mon", "08:30", "09:00", "S2", "S3"),
        row("P3", "Mon", Kind.LUNCH, "09:00", "09:30"),
        row("P4", "Mon", Kind.LUNCH, "09:00", "09:30"),
        # Tue
        sup("P1", "Tue", "08:00", "10:00", "S1"),
        sup("P4", "Tue", "08:00", "08:30", "S3"),
        row("P3", "Tue", Kind.LUNCH, "09:30", "10:00"),
    )
    return Schedule(rows, (PlacedSession("T2", "Mon", t("09:00"), t("09:30"), "OT"),))


def test_the_week_is_valid() -> None:
    assert_passes_check(school(), week())


def test_objective_terms_by_hand() -> None:
    k = compute_kpis(school(), week())
    assert k.objective_terms() == {
        "unmet_p1": 30,  # T2 placed once of twice: 1 x 30 minutes
        "unmet_p2": 0,  # D1 has its 2 staff; S3's flex shortfall is not an unmet term
        "unmet_p3": 180,  # S2: Mon 90 needed (therapy 09:00-09:30 removed), 30 covered; Tue 120
        "flex_short": 40,  # S3: 100 wanted, 30 Mon + 30 Tue received
        "substitute_minutes": 60,  # P4: duty 30 + support 30 (lunch is not work)
        "handoffs": 2,  # S1 Mon: P1->P2 at 09:00, P2->P1 at 09:30
        "extra_paras": 1,  # S1 Mon: P1 and P2
        "extra_week_paras": 2,  # S1 had P1 and P2 this week, S3 had P2 and P4
        "duty_relays": 0,  # D1 needs 2 staff and has 2 runs (P2, P4)
        "preferred_missed": 30,  # S1 with P2 (not preferred) 09:00-09:30
        "duty_spread": 30,  # P2 30, P1 0 (P3 support only, P4 substitute, P5 out all week)
        "lunch_variation": 1,  # P3 starts lunch at 09:00 and 09:30
    }
    assert tuple(k.objective_terms()) == OBJECTIVE_TERMS
    assert OBJECTIVE_TERMS == (
        "unmet_p1",
        "unmet_p2",
        "unmet_p3",
        "flex_short",
        "substitute_minutes",
        "handoffs",
        "extra_paras",
        "extra_week_paras",
        "duty_relays",
        "preferred_missed",
        "duty_spread",
        "lunch_variation",
    )


def test_duty_relays_by_hand() -> None:
    """D1 (Mon 08:00-08:30) needs 2 staff: each run beyond two is a relay; a para's back-to-back
    rows are one run, the same para back after a gap is a second one."""
    p = school()
    d1 = [r for r in week().assignments if r.kind != Kind.DUTY]

    def relays(*duty_rows: Assignment) -> int:
        return compute_kpis(p, Schedule((*d1, *duty_rows), week().sessions)).duty_relays

    whole = row("P2", "Mon", Kind.DUTY, "08:00", "08:30", "D1")
    assert relays(whole, row("P4", "Mon", Kind.DUTY, "08:00", "08:30", "D1")) == 0
    assert relays(whole) == 0  # short of staff is unmet minutes, not a relay
    relay = (row("P4", "Mon", Kind.DUTY, "08:00", "08:10", "D1"), row("P1", "Mon", Kind.DUTY, "08:10", "08:30", "D1"))
    assert relays(whole, *relay) == 1
    back_to_back = (
        row("P4", "Mon", Kind.DUTY, "08:00", "08:10", "D1"),
        row("P4", "Mon", Kind.DUTY, "08:10", "08:30", "D1"),
    )
    assert relays(whole, *back_to_back) == 0
    gap = (row("P4", "Mon", Kind.DUTY, "08:00", "08:10", "D1"), row("P4", "Mon", Kind.DUTY, "08:15", "08:30", "D1"))
    assert relays(whole, *gap) == 1


def test_other_kpis_by_hand() -> None:
    k = compute_kpis(school(), week())
    assert k.required_minutes == {1: 240 + 30, 2: 60, 3: 90 + 120}
    assert k.covered_minutes == {1: 240, 2: 60, 3: 30}
    assert k.coverage_percent == pytest.approx(100 * 330 / 540)
    assert k.coverage_percent_of(3) == pytest.approx(100 * 30 / 210)
    assert k.duty_staff_minutes == 60
    assert k.flex == {"S3": (60, 100)}
    assert k.paras_per_student == {"S1": 2, "S2": 1, "S3": 2}
    assert k.duty_minutes == {"P1": 0, "P2": 30}
    assert (k.duty_min, k.duty_avg, k.duty_max) == (0, 15.0, 30)
    d = k.as_dict()
    assert d["objective_terms"] == k.objective_terms()
    assert d["covered_minutes"] == {"1": 240, "2": 60, "3": 30}


def test_empty_schedule() -> None:
    k = compute_kpis(school(), Schedule())
    assert k.unmet_p1 == 240 + 60  # S1 both days + T2 never placed
    assert k.unmet_p2 == 60  # D1: 2 staff x 30 minutes
    assert k.unmet_p3 == 240
    assert k.flex_short == 100
    assert (k.handoffs, k.extra_paras, k.preferred_missed, k.duty_spread, k.lunch_variation) == (0, 0, 0, 0, 0)
    assert k.covered_total == 0


@pytest.mark.parametrize(
    ("rows", "handoffs", "extra"),
    [
        # the same para in two rows: no handoff, no extra para
        ((sup("P1", "Mon", "08:00", "09:00", "S1"), sup("P1", "Mon", "09:00", "10:00", "S1")), 0, 0),
        # a gap between paras is not a handoff, but still an extra para that day
        ((sup("P1", "Mon", "08:00", "09:00", "S1"), sup("P2", "Mon", "09:05", "10:00", "S1")), 0, 1),
        # P1 keeps S2 and hands S3 to P2 at 09:00: one handoff (S3), one extra para (S3)
        (
            (
                sup("P1", "Mon", "08:00", "09:00", "S2", "S3"),
                sup("P1", "Mon", "09:00", "10:00", "S2"),
                sup("P2", "Mon", "09:00", "10:00", "S3"),
            ),
            1,
            1,
        ),
        # the same handoff on two days counts twice
        (
            (
                sup("P1", "Mon", "08:00", "09:00", "S1"),
                sup("P2", "Mon", "09:00", "10:00", "S1"),
                sup("P1", "Tue", "08:00", "09:00", "S1"),
                sup("P2", "Tue", "09:00", "10:00", "S1"),
            ),
            2,
            2,
        ),
        # three paras for S1 in a day: two handoffs, two extra paras
        (
            (
                sup("P1", "Mon", "08:00", "08:30", "S1"),
                sup("P2", "Mon", "08:30", "09:00", "S1"),
                sup("P4", "Mon", "09:00", "10:00", "S1"),
            ),
            2,
            2,
        ),
    ],
)
def test_handoffs_and_extra_paras(rows: tuple[Assignment, ...], handoffs: int, extra: int) -> None:
    k = compute_kpis(school(), Schedule(rows))
    assert (k.handoffs, k.extra_paras) == (handoffs, extra)


def test_therapy_rows_count_as_extra_paras_not_handoffs() -> None:
    problem = school()
    assist = Session(
        "T5", ("S1",), provider="OT", para_role=ParaRole.ASSIST, days=("Mon",), start=t("09:00"), end=t("09:30")
    )
    problem = Problem(problem.settings, problem.paras, problem.students, sessions=(assist,))
    rows = (
        sup("P1", "Mon", "08:00", "09:00", "S1"),
        Assignment("P2", "Mon", t("09:00"), t("09:30"), Kind.THERAPY, "T5", ("S1",)),
        sup("P1", "Mon", "09:30", "10:00", "S1"),
    )
    schedule = Schedule(rows, (PlacedSession("T5", "Mon", t("09:00"), t("09:30"), "OT", "P2"),))
    k = assert_passes_check(problem, schedule).kpis
    assert (k.handoffs, k.extra_paras, k.preferred_missed) == (0, 1, 0)
    assert (k.unmet_p1, k.unmet_p2) == (120, 0)  # S1 on Tue; the assisted session is covered


def test_preferred_missed_counts_group_minutes_per_student() -> None:
    problem = school()
    s2 = Student("S2", "s2", homeroom="Rm1", support=Support.SHARED, preferred_paras=("P1",))
    s3 = Student("S3", "s3", homeroom="Rm1", support=Support.SHARED, preferred_paras=("P2",))
    problem = Problem(problem.settings, problem.paras, (problem.students[0], s2, s3))
    k = compute_kpis(problem, Schedule((sup("P2", "Mon", "08:00", "09:00", "S2", "S3"),)))
    assert k.preferred_missed == 60  # S2 prefers P1; S3 is with P2, preferred


def test_lunch_variation_and_duty_spread() -> None:
    rows = (
        row("P1", "Mon", Kind.LUNCH, "09:00", "09:30"),
        row("P1", "Tue", Kind.LUNCH, "09:00", "09:30"),
        row("P2", "Mon", Kind.LUNCH, "08:30", "09:00"),
        row("P2", "Tue", Kind.LUNCH, "09:30", "10:00"),
        row("P4", "Mon", Kind.LUNCH, "08:00", "08:30"),
        row("P4", "Tue", Kind.LUNCH, "09:00", "09:30"),
        row("P1", "Mon", Kind.DUTY, "08:00", "08:30", "D1"),
        row("P3", "Mon", Kind.DUTY, "08:00", "08:30", "D1"),
    )
    k = compute_kpis(school(), Schedule(rows))
    assert k.lunch_variation == 2  # P1 0, P2 1, P4 1
    assert k.duty_spread == 30  # P1 30, P2 0; P3 (support only) does not count even on duty
    assert k.duty_minutes == {"P1": 30, "P2": 0}
