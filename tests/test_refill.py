"""The refill (``solver.week._refilled``): free paras cover what is left uncovered, the
continuity trades and scraps follow, and the school keeps it only if the judge prefers it.

Costs (``objective.COVERAGE_VALUE``): a handoff 30, one more para in the student's day 30, one
more in their week 300; an uncovered minute 100 / 10 / 1 by priority.
"""

from __future__ import annotations

import time
from dataclasses import replace

import pytest
from checking import assert_passes_check
from fixtures import THREE_DAYS as DAYS
from fixtures import THREE_MORNINGS as MORNING
from fixtures import support_row as support
from fixtures import t

from parasched.scheduler.fill import fill_in
from parasched.scheduler.greedy import greedy_schedule
from parasched.scheduler.kpis import compute_kpis
from parasched.scheduler.model import Absence, Para, Problem, Student
from parasched.scheduler.schedule import Schedule
from parasched.solver import week
from parasched.solver.objective import judge
from parasched.solver.options import SolverOptions
from samples.generator import generate_school

OPTIONS = SolverOptions(time_limit=5, workers=1, seed=1)


def school(priority: int) -> Problem:
    """S1 (of ``priority``) and S2 (priority 1), Ann and Bo, every morning 8-10."""
    return Problem(
        MORNING,
        (Para("A", "Ann", t("08:00"), t("10:00")), Para("B", "Bo", t("08:00"), t("10:00"))),
        (
            Student("S1", "Kid", homeroom="R1", priority=priority),
            Student("S2", "Lee", homeroom="R1", priority=1),
        ),
    )


def judged(problem: Problem, schedule: Schedule) -> int:
    return judge(compute_kpis(problem, schedule).objective_terms(), False)[0]


def test_a_free_para_covers_the_morning_and_the_trades_give_each_student_their_own() -> None:
    """Ann has S1 and Bo S2 on Monday and Tuesday; on Wednesday Ann is on S2 and Bo sits free.
    The fill gives Bo S1's 120 minutes (1,200 against one more para in S1's week, 300); the trades
    after it swap Wednesday back: each student keeps their own para, and no new face is left."""
    problem = school(2)
    rows = [support("A", d, "08:00", "10:00", "S1") for d in ("Mon", "Tue")]
    rows += [support("B", d, "08:00", "10:00", "S2") for d in ("Mon", "Tue")]
    rows.append(support("A", "Wed", "08:00", "10:00", "S2"))
    gap = Schedule(tuple(rows))
    assert_passes_check(problem, gap)
    out = week._refilled(problem, gap, DAYS, None, OPTIONS)
    assert_passes_check(problem, out)
    wed = sorted((a.para_id, a.students, a.start, a.end) for a in out.assignments if a.day == "Wed")
    assert wed == [("A", ("S1",), t("08:00"), t("10:00")), ("B", ("S2",), t("08:00"), t("10:00"))]
    assert judged(problem, gap) - judged(problem, out) == 1200 + 300  # (S2's second para gone too)
    assert compute_kpis(problem, out).unmet_p2 == 0


def test_no_fill_when_its_time_would_not_fit_the_limit() -> None:
    """The fill has no clock of its own: past the deadline only the trades run. The same
    Wednesday as above then keeps S1 uncovered (Ann, S1's only para, is on S2)."""
    problem = school(2)
    rows = [support("A", d, "08:00", "10:00", "S1") for d in ("Mon", "Tue")]
    rows += [support("B", d, "08:00", "10:00", "S2") for d in ("Mon", "Tue")]
    rows.append(support("A", "Wed", "08:00", "10:00", "S2"))
    gap = Schedule(tuple(rows))
    out = week._refilled(problem, gap, DAYS, time.monotonic() - 1.0, OPTIONS)
    assert_passes_check(problem, out)
    assert compute_kpis(problem, out).unmet_p2 == 120
    assert not any(a.day == "Wed" and "S1" in a.students for a in out.assignments)


def test_a_new_face_for_a_quarter_hour_is_not_kept() -> None:
    """Ann has S1 every morning but comes at 8:15 on Wednesday; Bo sits free. Bo's quarter-hour
    would cover 150 and cost one more para in S1's week and day and a handoff (360): the refill
    leaves the schedule as it was."""
    alone = school(2)
    problem = replace(alone, students=alone.students[:1], absences=(Absence("A", ("Wed",), t("08:00"), t("08:15")),))
    rows = [support("A", d, "08:00", "10:00", "S1") for d in ("Mon", "Tue")]
    rows.append(support("A", "Wed", "08:15", "10:00", "S1"))
    gap = Schedule(tuple(rows))
    assert_passes_check(problem, gap)
    assert {a.para_id for a in fill_in(gap, problem, DAYS).assignments} == {"A", "B"}  # (the fill alone)
    out = week._refilled(problem, gap, DAYS, None, OPTIONS)
    assert_passes_check(problem, out)
    assert out.assignments == gap.assignments


def test_a_solve_refills_before_its_continuity_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    """A solve above 8 paras fills in from free paras once, after its coverage search and before
    its continuity pieces, over the planned days; the answer passes the checker and is judged no
    worse than the search's own (the refill is kept only when the judge prefers it)."""
    calls: list[tuple[str, ...]] = []
    kept: list[tuple[int, int]] = []
    real_fill, real_refilled = week.fill_in, week._refilled

    def spy_fill(schedule, problem, days, **k):  # type: ignore[no-untyped-def]
        calls.append(tuple(days))
        return real_fill(schedule, problem, days, **k)

    def spy_refilled(problem, schedule, *a):  # type: ignore[no-untyped-def]
        out = real_refilled(problem, schedule, *a)
        kept.append((judged(problem, schedule), judged(problem, out)))
        return out

    monkeypatch.setattr(week, "fill_in", spy_fill)
    monkeypatch.setattr(week, "_refilled", spy_refilled)
    p = generate_school(12, seed=1, kind="hard")
    raw = week.solve_week(p, SolverOptions(time_limit=4, workers=1, seed=1), hint=greedy_schedule(p))
    assert raw.schedule is not None
    assert_passes_check(p, raw.schedule)
    assert calls == [p.settings.days]
    assert len(kept) == 1 and kept[0][1] <= kept[0][0]
