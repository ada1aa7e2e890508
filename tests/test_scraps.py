"""Scraps (scheduler/scraps.py): a para's few minutes with a student are dropped when the judge
says the student is better off without them, and never when they carry safety-critical minutes.

Costs (``objective.COVERAGE_VALUE``): a handoff 30, one more para in the student's day 30, one
more in their week 300; an uncovered minute 100 / 10 / 1 by priority.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from checking import assert_passes_check
from fixtures import THREE_DAYS as DAYS
from fixtures import THREE_MORNINGS as MORNING
from fixtures import support_row as support
from fixtures import t

from parasched.scheduler.fill import fill_in
from parasched.scheduler.kpis import compute_kpis
from parasched.scheduler.model import Absence, Para, Problem, Settings, Student, StudentBlock, Support
from parasched.scheduler.schedule import Assignment, Kind, Schedule
from parasched.scheduler.scraps import ScrapStats, drop_scraps, keep_familiar, refill_familiar
from parasched.solver.objective import COVERAGE_VALUE, judge
from parasched.solver.options import SolverOptions
from parasched.solver.week import WEEK_MODEL_ONLY_PARAS
from parasched.workflows.solve import solve


def one_student(priority: int) -> Problem:
    return Problem(
        MORNING,
        (Para("A", "Ann", t("08:00"), t("10:00")), Para("B", "Bo", t("08:00"), t("10:00"))),
        (Student("S1", "Kid", homeroom="R1", priority=priority),),
    )


def ann_all_week_but_bo_first(minutes: int) -> Schedule:
    """Ann has S1 every morning, except that Bo opens Wednesday for ``minutes``."""
    bo_until = f"08:{minutes:02d}" if minutes < 60 else f"09:{minutes - 60:02d}"
    rows = [support("A", d, "08:00", "10:00", "S1") for d in ("Mon", "Tue")]
    rows += [support("B", "Wed", "08:00", bo_until, "S1"), support("A", "Wed", bo_until, "10:00", "S1")]
    return Schedule(tuple(rows))


@pytest.mark.parametrize(
    ("priority", "minutes", "dropped"),
    [
        (2, 15, True),  # 150 covered < 300 + 30 + 30 saved
        (2, 35, True),  # 350 < 360
        (2, 40, False),  # 400 > 360: a real relief, kept
        (1, 15, False),  # 1,500: safety first
        (3, 55, True),  # 55 < 360
    ],
)
def test_a_para_for_a_few_minutes_in_the_week_is_dropped_only_when_worth_less(
    priority: int, minutes: int, dropped: bool
) -> None:
    problem = one_student(priority)
    before = ann_all_week_but_bo_first(minutes)
    assert_passes_check(problem, before)
    stats = ScrapStats()
    after = drop_scraps(problem, before, COVERAGE_VALUE, stats=stats)
    assert_passes_check(problem, after)
    paras = {a.para_id for a in after.assignments}
    if not dropped:
        assert after is before and stats.dropped == 0
        return
    assert paras == {"A"}
    k0, k1 = compute_kpis(problem, before), compute_kpis(problem, after)
    assert k1.covered_total == k0.covered_total - minutes
    assert (k1.handoffs, k1.extra_paras, k1.extra_week_paras) == (0, 0, 0)
    gain = judge(k0.objective_terms(), False)[0] - judge(k1.objective_terms(), False)[0]
    assert stats.gain == gain == 360 - minutes * {1: 100, 2: 10, 3: 1}[priority]
    assert (stats.dropped, stats.minutes) == (1, minutes)


def test_a_second_para_over_the_same_minutes_is_dropped_even_for_priority_1() -> None:
    """Bo's group names S1 while Ann already supports S1's group: S1 loses nothing without it,
    and Bo keeps S2 (the group row stays for its other student)."""
    problem = Problem(
        MORNING,
        (Para("A", "Ann", t("08:00"), t("10:00")), Para("B", "Bo", t("08:00"), t("10:00"))),
        (
            Student("S1", "Kid", homeroom="R1", priority=1, support=Support.SHARED),
            Student("S2", "Lee", homeroom="R1", support=Support.SHARED),
        ),
    )
    rows = [support("A", d, "08:00", "10:00", "S1") for d in DAYS]
    rows += [support("B", d, "08:00", "10:00", "S2") for d in DAYS]
    rows[-1] = support("B", "Wed", "08:00", "10:00", "S1", "S2")
    before = Schedule(tuple(rows))
    assert_passes_check(problem, before)
    after = drop_scraps(problem, before, COVERAGE_VALUE)
    assert_passes_check(problem, after)
    assert compute_kpis(problem, after).covered_minutes == compute_kpis(problem, before).covered_minutes
    assert {a.para_id for a in after.assignments if "S1" in a.students} == {"A"}
    assert {a.para_id for a in after.assignments if "S2" in a.students} == {"B"}
    wed = [a for a in after.assignments if a.para_id == "B" and a.day == "Wed"]
    assert [a.students for a in wed] == [("S2",)]


def test_the_students_own_para_covers_what_a_dropped_scrap_left() -> None:
    """Bo's quarter-hour is dropped; Ann, free then and S1's para all week, covers it: S1 has one
    para and every minute."""
    problem = one_student(2)
    before = ann_all_week_but_bo_first(15)
    after = keep_familiar(problem, before, COVERAGE_VALUE)
    assert_passes_check(problem, after)
    assert {a.para_id for a in after.assignments} == {"A"}
    assert compute_kpis(problem, after).covered_total == compute_kpis(problem, before).covered_total
    assert compute_kpis(problem, after).handoffs == 0


def test_a_refill_brings_no_new_face_and_no_sliver() -> None:
    """S1 is uncovered on Wednesday until 8:15. Bo, free all week, is a stranger to S1: never used.
    With Ann out 8:10-8:15, she is free only 8:00-8:10: a 10-minute sliver, so nothing is added
    and the very same schedule comes back. Without that absence she covers the quarter-hour."""
    rows = [support("A", d, "08:00", "10:00", "S1") for d in ("Mon", "Tue")]
    rows.append(support("A", "Wed", "08:15", "10:00", "S1"))
    gap = Schedule(tuple(rows))
    out = replace(one_student(2), absences=(Absence("A", ("Wed",), t("08:10"), t("08:15")),))
    assert_passes_check(out, gap)
    assert refill_familiar(out, gap, COVERAGE_VALUE) is gap
    problem = one_student(2)
    filled = refill_familiar(problem, gap, COVERAGE_VALUE)
    assert_passes_check(problem, filled)
    assert {a.para_id for a in filled.assignments} == {"A"}
    assert compute_kpis(problem, filled).covered_total == compute_kpis(problem, gap).covered_total + 15


def test_a_schedule_without_scraps_comes_back_unchanged() -> None:
    problem = one_student(2)
    same = Schedule(tuple(support("A", d, "08:00", "10:00", "S1") for d in DAYS))
    assert drop_scraps(problem, same, COVERAGE_VALUE) is same


def test_a_solve_leaves_no_scrap_the_judge_would_drop() -> None:
    """Through the real path (a school searched with the judged stage): Ann is out on Wednesday
    until 8:15 and Bo, the only other para with the skill, works only then. Bringing Bo into
    S1's week for that quarter-hour costs 360, the 15 priority-2 minutes are worth 150: the
    solve leaves them uncovered, and nothing in its answer is a scrap."""
    others = tuple(Para(f"Q{i}", f"Other {i}", t("08:00"), t("10:00")) for i in range(WEEK_MODEL_ONLY_PARAS))
    problem = Problem(
        MORNING,
        (
            Para("A", "Ann", t("08:00"), t("10:00"), skills=frozenset({"x"})),
            Para("B", "Bo", t("08:00"), t("08:15"), skills=frozenset({"x"})),
            *others,
        ),
        (Student("S1", "Kid", homeroom="R1", skills_required=frozenset({"x"})),),
        absences=(Absence("A", ("Wed",), t("08:00"), t("08:15")),),
    )
    r = solve(problem, SolverOptions(time_limit=5, workers=1, seed=0))
    assert_passes_check(problem, r.schedule)
    assert {a.para_id for a in r.schedule.assignments if a.kind == Kind.SUPPORT} == {"A"}
    assert [(u.day, u.minutes) for u in r.schedule.unmet] == [("Wed", 15)]
    # the Unmet reason says why Bo, free then, is not used
    assert "B is free 08:00-08:15 but is not among S1's paras this week" in r.schedule.unmet[0].reason
    assert drop_scraps(problem, r.schedule, COVERAGE_VALUE) is r.schedule


def test_two_pieces_of_one_para_around_other_work_keep_the_continuous_work_limit() -> None:
    """The fill fitted each free piece of a para alone: 8:00-8:20 and 8:40-9:00 around Ann's
    S2 at 8:20 were each 40 minutes of work, together an hour against a 45-minute limit. Now
    the second is fitted with the first in place (5 minutes would be left: a sliver, dropped)."""
    problem = Problem(
        Settings(days=("Mon",), school_start=t("08:00"), school_end=t("09:00"), lunch_minutes=0),
        (Para("A", "Ann", t("08:00"), t("09:00")),),
        (Student("S1", "Kid", homeroom="R1"), Student("S2", "Lee", homeroom="R1")),
        (StudentBlock("S1", t("08:00"), t("09:00")), StudentBlock("S2", t("08:20"), t("08:40"))),
    )
    problem = replace(problem, settings=replace(problem.settings, max_continuous_minutes=45))
    start = Schedule((Assignment("A", "Mon", t("08:20"), t("08:40"), Kind.SUPPORT, "", ("S2",), "R1"),))
    filled = fill_in(start, problem, ("Mon",))
    assert_passes_check(problem, filled)
    assert sorted((a.start, a.end, a.students) for a in filled.assignments) == [
        (t("08:00"), t("08:20"), ("S1",)),
        (t("08:20"), t("08:40"), ("S2",)),
    ]


@pytest.mark.parametrize(("priority", "filled"), [(2, True), (3, False)])
def test_a_familiar_para_fills_in_only_when_the_minutes_outweigh_the_handoff(priority: int, filled: bool) -> None:
    """Bo has S1 on Monday, Ann on Tuesday and Wednesday; Ann is out on Wednesday until 8:15.
    Bo filling that quarter-hour costs a para more in S1's Wednesday and a handoff (60): worth it
    for 15 priority-2 minutes (150), not for 15 priority-3 minutes (15)."""
    problem = replace(one_student(priority), absences=(Absence("A", ("Wed",), t("08:00"), t("08:15")),))
    gap = Schedule(
        (
            support("B", "Mon", "08:00", "10:00", "S1"),
            support("A", "Tue", "08:00", "10:00", "S1"),
            support("A", "Wed", "08:15", "10:00", "S1"),
        )
    )
    assert_passes_check(problem, gap)
    out = refill_familiar(problem, gap, COVERAGE_VALUE)
    assert_passes_check(problem, out)
    if not filled:
        assert out is gap
        return
    wed = sorted((a.para_id, a.start, a.end) for a in out.assignments if a.day == "Wed")
    assert wed == [("A", t("08:15"), t("10:00")), ("B", t("08:00"), t("08:15"))]


def test_the_warm_start_has_no_scrap_left() -> None:
    """Through the solve's real warm start (greedy, trades, then ``keep_familiar``): caseloads and
    trades alone leave scraps on a 12-para school; the warm start the solver gets has none."""
    from parasched.scheduler.exchange import trade_for_continuity
    from parasched.scheduler.greedy import greedy_schedule
    from parasched.workflows.solve import _greedy
    from samples.generator import generate_school

    problem = generate_school(12, seed=0)
    traded = trade_for_continuity(problem, greedy_schedule(problem, method="caseload"))
    assert drop_scraps(problem, traded, COVERAGE_VALUE) is not traded
    warm = _greedy(problem)
    assert warm is not None
    assert_passes_check(problem, warm)
    assert drop_scraps(problem, warm, COVERAGE_VALUE) is warm


def test_cutting_in_costs_two_handoffs_and_each_new_face() -> None:
    from parasched.scheduler.kpis import cutting_in_cost

    assert cutting_in_cost(False, False) == 60
    assert cutting_in_cost(True, False) == 90
    assert cutting_in_cost(True, True) == 390
