"""The lower bound on unmet_p1 (``parasched/solver/bound.py``) and resolve's wall budget."""

from __future__ import annotations

import time

from checking import assert_passes_check
from test_solver_rules import para, settings, student, t

from parasched.scheduler.model import Absence, Problem
from parasched.scheduler.schedule import Status
from parasched.solver.bound import day_bound, week_bound
from parasched.solver.options import SolverOptions
from parasched.workflows.solve import solve


def lonely() -> Problem:
    """One para for one all-day 1:1 priority-1 student: the lunch and the break go uncovered."""
    s = settings(
        days=("Mon", "Tue"),
        school_start=t("08:00"),
        school_end=t("15:00"),
        lunch_minutes=30,
        lunch_window=(t("11:00"), t("13:00")),
        breaks_per_day=1,
        break_minutes=15,
    )
    return Problem(s, (para("P1", "08:00", "15:00"),), (student("S1", priority=1),))


def test_bound_is_tight_and_proves_the_optimum_on_a_tiny_school() -> None:
    p = lonely()
    assert day_bound(p, "Mon") == 45  # 30-min lunch + 15-min break, nobody else may cover
    assert week_bound(p) == 90
    r = solve(p, SolverOptions(time_limit=5, workers=1))
    assert_passes_check(p, r.schedule)
    assert r.term("unmet_p1") == 90
    assert r.objective == 90 and r.bound == 90 and r.gap == 0.0


def test_bound_counts_a_second_qualified_para() -> None:
    p = lonely()
    two = Problem(p.settings, (*p.paras, para("P2", "08:00", "15:00")), p.students)
    assert week_bound(two) == 0  # the other para covers the lunch and the break


def test_bound_never_exceeds_the_objective_on_generated_schools() -> None:
    from samples.generator import generate_school

    for n, seed in ((7, 0), (20, 1)):
        p = generate_school(n, seed=seed)
        r = solve(p, SolverOptions(time_limit=4, workers=2))
        assert r.status in (Status.OPTIMAL, Status.FEASIBLE)
        assert r.bound is not None and r.objective is not None
        assert 0 <= r.bound <= r.objective == r.term("unmet_p1")
        assert r.gap is not None and 0.0 <= r.gap <= 1.0


def test_resolve_keeps_to_its_time_limit_as_a_wall_budget() -> None:
    from parasched.scheduler.greedy import greedy_schedule
    from parasched.workflows.resolve import resolve
    from samples.generator import generate_school

    p = generate_school(20, seed=0)
    baseline = greedy_schedule(p)
    away = next(x.para_id for x in p.paras if not x.is_substitute)
    limit = 2.0
    t0 = time.monotonic()
    out = resolve(
        p, baseline, SolverOptions(time_limit=limit, workers=2), extra_absences=(Absence(away, ("Wed",)),), check=False
    )
    wall = time.monotonic() - t0
    assert out.replan_days == ("Wed",)
    assert_passes_check(out.problem, out.schedule)
    assert wall < 2.5 * limit  # generous: the machine is shared; before, the solver alone took the limit


def test_neighbourhood_is_the_short_students_and_those_their_paras_serve() -> None:
    from parasched.scheduler.schedule import Assignment, Kind, Schedule
    from parasched.scheduler.weekgrid import WeekGrid
    from parasched.solver.week import neighbourhood

    s = settings(days=("Mon",))
    p = Problem(
        s,
        (para("P1"), para("P2", gender="m"), para("P3", skills=frozenset({"asl"}))),
        (
            student("S1", gender="m", gender_match=True),
            student("S2"),
            student("S3", skills_required=frozenset({"asl"})),
        ),
    )
    g = WeekGrid.of(p)
    everyone = Schedule(
        (
            Assignment("P2", "Mon", t("09:00"), t("10:00"), Kind.SUPPORT, students=("S1",)),
            Assignment("P1", "Mon", t("09:00"), t("10:00"), Kind.SUPPORT, students=("S2",)),
            Assignment("P3", "Mon", t("09:00"), t("10:00"), Kind.SUPPORT, students=("S3",)),
        )
    )
    assert neighbourhood(p, g, everyone, "Mon") is None  # nothing short: no neighbourhood
    s1_short = Schedule(
        (
            Assignment("P2", "Mon", t("09:00"), t("10:00"), Kind.SUPPORT, students=("S2",)),
            Assignment("P3", "Mon", t("09:00"), t("10:00"), Kind.SUPPORT, students=("S3",)),
        )
    )
    # S1 needs a male para: only P2 qualifies, and P2 serves S2; S3 (with P3) keeps its para
    assert neighbourhood(p, g, s1_short, "Mon") == {"S1", "S2"}


def test_resolve_changed_minutes_term_equals_the_changes_module() -> None:
    """Kept shared groups count as kept in the solver's term (it was only an upper bound)."""
    from parasched.scheduler.greedy import greedy_schedule
    from parasched.scheduler.weekgrid import WeekGrid
    from parasched.workflows.resolve import resolve
    from samples.generator import generate_school

    p = generate_school(20, seed=0)
    g = WeekGrid.of(p)
    working = [x.para_id for x in p.paras if not x.is_substitute and g.para_available(x.para_id, "Wed")]
    away = (*(Absence(pid, ("Wed",)) for pid in working[:3]), Absence(working[3], ("Wed",), t("10:00"), t("12:00")))
    # one worker: deterministic time, so a busy machine cannot leave the solver without an answer
    out = resolve(p, greedy_schedule(p), SolverOptions(time_limit=4, workers=1), extra_absences=away, check=False)
    assert out.answer == "solver"
    assert out.result.term("changed_minutes") == out.chosen_changed_minutes
