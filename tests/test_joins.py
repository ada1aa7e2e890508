"""Joins (scheduler/joins.py): an uncovered shared student joins the group a para already supports
in the same room, when the minutes covered are worth more than the continuity they cost and no
rule breaks.

Costs (``kpis``): an uncovered priority-2 minute 10, priority 1 100; a join by a para new to
the student costs two handoffs (60), one more para in the day (30) and in the week (300): 360.
"""

from __future__ import annotations

import pytest
from checking import assert_passes_check
from fixtures import t

from parasched.scheduler.joins import join_groups
from parasched.scheduler.kpis import compute_kpis
from parasched.scheduler.model import Para, Problem, Settings, Student, StudentBlock, Support
from parasched.scheduler.schedule import Assignment, Kind, Schedule
from parasched.solver import week
from parasched.solver.options import SolverOptions
from parasched.workflows.solve import solve

MON = Settings(days=("Mon",), school_start=t("08:00"), school_end=t("10:00"), lunch_minutes=0)


def support(para: str, start: str, end: str, *students: str, room: str = "R1") -> Assignment:
    return Assignment(para, "Mon", t(start), t(end), Kind.SUPPORT, "", students, room)


def school(third: Student, *, group_max: int = 3, ann_skills: frozenset[str] = frozenset()) -> Problem:
    """Ann and Bo; S1 and S2 shared in R1 (a group of ``group_max``), and ``third``."""
    return Problem(
        MON,
        (
            Para("A", "Ann", t("08:00"), t("10:00"), skills=ann_skills),
            Para("B", "Bo", t("08:00"), t("10:00")),
        ),
        (
            Student("S1", "Kid", homeroom="R1", support=Support.SHARED, group_max=group_max),
            Student("S2", "Lee", homeroom="R1", support=Support.SHARED),
            third,
        ),
    )


def shared(priority: int = 2, **kw: object) -> Student:
    return Student("S3", "Max", homeroom="R1", support=Support.SHARED, priority=priority, **kw)  # type: ignore[arg-type]


def test_an_uncovered_shared_student_joins_the_group_in_their_room() -> None:
    problem = school(shared())
    before = Schedule((support("A", "08:00", "10:00", "S1", "S2"),))
    assert_passes_check(problem, before)
    after = join_groups(problem, before)
    assert after.assignments == (support("A", "08:00", "10:00", "S1", "S2", "S3"),)
    assert_passes_check(problem, after)
    k0, k1 = compute_kpis(problem, before), compute_kpis(problem, after)
    assert k1.covered_total == k0.covered_total + 120
    assert k1.handoffs == k0.handoffs == 0


@pytest.mark.parametrize(
    ("priority", "bo_until", "joined"),
    [
        (2, "09:25", False),  # 35 priority-2 minutes: 350 < 360 for a new para
        (2, "09:20", True),  # 40: 400 > 360
        (1, "09:25", True),  # 3,500: safety first
        (1, "09:50", False),  # 10 minutes: a sliver, whatever the priority
    ],
)
def test_a_join_is_kept_only_when_worth_its_continuity(priority: int, bo_until: str, joined: bool) -> None:
    """Bo has S3 alone until ``bo_until``; S3 is uncovered after it while Ann's group sits in R1."""
    problem = school(shared(priority))
    before = Schedule((support("A", "08:00", "10:00", "S1", "S2"), support("B", "08:00", bo_until, "S3")))
    assert_passes_check(problem, before)
    after = join_groups(problem, before)
    assert_passes_check(problem, after)
    if not joined:
        assert after is before
        return
    assert set(after.assignments) == {
        support("A", "08:00", bo_until, "S1", "S2"),
        support("A", bo_until, "10:00", "S1", "S2", "S3"),
        support("B", "08:00", bo_until, "S3"),
    }


@pytest.mark.parametrize(
    "case",
    ["full group", "para lacks the skill", "other room", "a 1:1 student's row"],
)
def test_no_join_where_the_rules_refuse_it(case: str) -> None:
    third = shared(skills_required=frozenset({"cpi"})) if case == "para lacks the skill" else shared()
    problem = school(third, group_max=2 if case == "full group" else 3)
    if case == "other room":
        problem = Problem(
            problem.settings,
            problem.paras,
            problem.students,
            (StudentBlock("S3", t("08:00"), t("10:00"), location="R2"),),
        )
    rows = (support("A", "08:00", "10:00", "S1", "S2"),)
    if case == "a 1:1 student's row":
        problem = Problem(
            problem.settings,
            problem.paras,
            (Student("S1", "Kid", homeroom="R1"), problem.students[2]),
        )
        rows = (support("A", "08:00", "10:00", "S1"),)
    before = Schedule(rows)
    assert_passes_check(problem, before)
    assert join_groups(problem, before) is before


def test_both_searches_offer_their_schedules_for_joins_and_keep_what_comes_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The warm start (workflows/solve.py) and the week's search (solver/week.py, before the trades)
    both hand their schedules to ``join_groups``; a join never makes the school worse by the judge,
    and the solve's answer passes the checker."""
    from parasched.scheduler import joins
    from parasched.solver.objective import judge
    from samples.generator import generate_school

    problem = generate_school(12, seed=1, kind="hard")
    calls: list[tuple[Schedule, Schedule]] = []
    real = joins.join_groups

    def spy(p: Problem, s: Schedule, days: object = None, grid: object = None) -> Schedule:
        out = real(p, s, days, grid)  # type: ignore[arg-type]
        calls.append((s, out))
        return out

    monkeypatch.setattr(joins, "join_groups", spy)
    monkeypatch.setattr(week, "join_groups", spy)
    result = solve(problem, SolverOptions(time_limit=6, workers=1, seed=0))
    assert len(calls) == 2, "the warm start and the week's search each offer their schedule once"
    for before, after in calls:
        assert_passes_check(problem, after)
        levels = [judge(compute_kpis(problem, s).objective_terms(), False) for s in (before, after)]
        assert levels[1] <= levels[0]
    assert_passes_check(problem, result.schedule)


def test_the_week_search_joins_what_its_coverage_part_left(monkeypatch: pytest.MonkeyPatch) -> None:
    """The coverage part of the week's search (stood in for here) leaves Max uncovered while Ann's
    group of two sits in his room: the week's answer has him in Ann's group. Nothing after the
    join covers more (trades and continuity pieces keep coverage), so without it he stays out."""
    from parasched.solver.model import RawResult

    problem = school(shared())
    left = Schedule((support("A", "08:00", "10:00", "S1", "S2"),))
    assert_passes_check(problem, left)
    monkeypatch.setattr(week, "_solve_coverage", lambda *a, **k: RawResult("feasible", left, 0.0, None))
    raw = week.solve_week(problem, SolverOptions(time_limit=5, workers=1, seed=0))
    assert raw.schedule is not None
    assert_passes_check(problem, raw.schedule)
    assert support("A", "08:00", "10:00", "S1", "S2", "S3") in raw.schedule.assignments
    assert compute_kpis(problem, raw.schedule).covered_total == 3 * 120
    assert raw.terms["unmet_p2"] == 0  # the terms are those of the joined schedule
