"""The solver as a whole: objective terms agree with kpis, determinism, re-planning days."""

from __future__ import annotations

import dataclasses

import pytest
from checking import assert_passes_check

from parasched.scheduler import changes as ch
from parasched.scheduler.kpis import compute_kpis
from parasched.scheduler.model import Absence, Problem
from parasched.scheduler.schedule import Kind, SolveResult, Status
from parasched.solver.objective import W_FILL, levels
from parasched.solver.options import SolverOptions
from parasched.workflows.solve import solve

try:
    from tests import fixtures
except ImportError:  # pragma: no cover
    import fixtures  # type: ignore[no-redef]


@pytest.fixture(scope="module")
def complete() -> Problem:
    return fixtures.complete_problem()


@pytest.fixture(scope="module")
def solved(complete: Problem) -> SolveResult:
    return solve(complete, SolverOptions(time_limit=6, workers=1, seed=3))


def test_every_schedule_passes_the_checker(complete: Problem, solved: SolveResult) -> None:
    assert solved.status in (Status.OPTIMAL, Status.FEASIBLE)
    assert_passes_check(complete, solved.schedule)


def test_objective_terms_equal_kpis(complete: Problem, solved: SolveResult) -> None:
    kpi = compute_kpis(complete, solved.schedule).objective_terms()
    mine = dict(solved.tiers)
    assert {k: mine[k] for k in kpi} == kpi


def test_result_reports_stats_and_reasons(solved: SolveResult) -> None:
    assert solved.stats.variables > 0 and solved.stats.constraints > 0
    assert solved.stats.first_solution_seconds is not None
    assert solved.objective == solved.term("unmet_p1")
    assert solved.bound is not None and solved.bound <= solved.objective
    assert all(u.reason and "could not cover" not in u.reason for u in solved.schedule.unmet)


def test_same_seed_one_worker_same_schedule(complete: Problem, solved: SolveResult) -> None:
    again = solve(complete, SolverOptions(time_limit=6, workers=1, seed=3))
    assert again.schedule == solved.schedule
    assert again.tiers == solved.tiers


def test_replanning_keeps_other_days_and_counts_changes(complete: Problem, solved: SolveResult) -> None:
    day = complete.settings.days[1]
    absent = complete.paras[0].para_id
    changed = dataclasses.replace(complete, absences=(*complete.absences, Absence(absent, (day,))))
    r = solve(changed, SolverOptions(time_limit=6, workers=1), baseline=solved.schedule, replan_days=(day,))
    assert_passes_check(changed, r.schedule)
    for d in complete.settings.days:
        if d != day:
            assert [a for a in r.schedule.assignments if a.day == d] == [
                a for a in solved.schedule.assignments if a.day == d
            ]
            assert [s for s in r.schedule.sessions if s.day == d] == [s for s in solved.schedule.sessions if s.day == d]
    assert not [a for a in r.schedule.assignments if a.para_id == absent and a.day == day]
    kpi = compute_kpis(changed, r.schedule).objective_terms()
    assert {k: dict(r.tiers)[k] for k in kpi} == kpi
    assert r.term("changed_minutes") == ch.changed_minutes(solved.schedule, r.schedule, problem=changed)
    assert r.term("unmet_p1") <= solved.term("unmet_p1") + sum(
        a.minutes for a in solved.schedule.assignments if a.para_id == absent and a.day == day
    )


def test_replanning_without_absences_changes_nothing() -> None:
    from test_solver_rules import para, settings, student

    tiny = Problem(settings(days=("Mon", "Tue")), (para("P1"), para("P2"), para("P3")), (student("S1"), student("S2")))
    base = solve(tiny, SolverOptions(time_limit=4, workers=1))
    assert base.status == Status.OPTIMAL
    r = solve(tiny, SolverOptions(time_limit=4, workers=1), baseline=base.schedule, replan_days=("Mon",))
    assert r.term("changed_minutes") == 0
    assert not ch.diff(base.schedule, r.schedule, tiny)


def test_absent_para_is_replaced_by_the_free_one_not_by_moving_others() -> None:
    from test_solver_rules import para, settings, student

    tiny = Problem(settings(days=("Mon", "Tue")), (para("P1"), para("P2"), para("P3")), (student("S1"), student("S2")))
    base = solve(tiny, SolverOptions(time_limit=4, workers=1))
    who = next(a.para_id for a in base.schedule.assignments if a.day == "Tue" and a.students == ("S1",))
    other = next(a.para_id for a in base.schedule.assignments if a.day == "Tue" and a.students == ("S2",))
    away = dataclasses.replace(tiny, absences=(Absence(who, ("Tue",)),))
    r = solve(away, SolverOptions(time_limit=4, workers=1), baseline=base.schedule, replan_days=("Tue",))
    assert_passes_check(away, r.schedule)
    assert r.term("unmet_p2") == 0
    assert r.term("changed_minutes") == 60 * W_FILL  # the free para fills in; nobody is moved
    assert [a.para_id for a in r.schedule.assignments if a.day == "Tue" and a.students == ("S2",)] == [other]


def test_changes_come_right_after_coverage() -> None:
    names = [next(iter(level)) for level in levels(True)]
    assert names[:5] == ["unmet_p1", "unmet_p2", "unmet_p3", "changed_minutes", "flex_short"]


def test_lunch_rows_are_single_pieces(complete: Problem, solved: SolveResult) -> None:
    for p in complete.paras:
        for d in complete.settings.days:
            lunches = [a for a in solved.schedule.for_para(p.para_id, d) if a.kind == Kind.LUNCH]
            assert len(lunches) <= 1


def test_options_are_validated() -> None:
    with pytest.raises(ValueError):
        SolverOptions(workers=0)
    with pytest.raises(ValueError):
        SolverOptions(time_limit=0)
    opts = SolverOptions(params={"linearization_level": 2})
    assert opts.params["linearization_level"] == 2
    with pytest.raises(TypeError):
        opts.params["x"] = 1  # type: ignore[index]


@pytest.mark.slow
def test_a_warm_start_that_breaks_a_rule_is_not_used() -> None:
    """A hint missing a para's lunch (as a schedule made before a hire would be) is dropped: the
    solve starts afresh and its answer breaks no rule. On a large school (the repair search keeps
    its incumbent) such a hint used to come back as the answer."""
    from parasched.scheduler.check import check_schedule
    from parasched.scheduler.greedy import greedy_schedule
    from samples.generator import generate_school

    p = generate_school(30, seed=0)
    start = greedy_schedule(p)
    para = next(a.para_id for a in start.assignments if a.kind == Kind.LUNCH)
    no_lunch = dataclasses.replace(
        start, assignments=tuple(a for a in start.assignments if not (a.kind == Kind.LUNCH and a.para_id == para))
    )
    assert not check_schedule(p, no_lunch).ok
    r = solve(p, SolverOptions(time_limit=3, workers=1), hint=no_lunch)
    assert_passes_check(p, r.schedule)
