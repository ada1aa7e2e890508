"""A solve always ends with a schedule when its warm start breaks no rule: models that find
nothing in their time (a busy machine, a hard day) leave the day, or the week, as the warm start
had it. Once, a 32-para school's first day model found nothing, the day phase was dropped
whole, and the week model built afterwards found nothing in the 10 s left: no schedule at all."""

from __future__ import annotations

import pytest
from checking import assert_passes_check

import parasched.solver.week as week
from parasched.scheduler.schedule import Status
from parasched.solver.model import RawResult
from parasched.solver.options import SolverOptions
from parasched.workflows.solve import solve
from samples.generator import generate_school


@pytest.mark.parametrize("failing", [{"Mon"}, {"Mon", "Tue", "Wed", "Thu", "Fri"}])
def test_models_that_find_nothing_leave_the_warm_start(monkeypatch: pytest.MonkeyPatch, failing: set[str]) -> None:
    real = week.solve_model
    calls: list[tuple[str, ...]] = []

    def flaky(m, incumbent, t0):  # type: ignore[no-untyped-def]
        calls.append(m.plan_days)
        if len(m.plan_days) > 1 or m.plan_days[0] in failing:
            return RawResult("unknown", None, None, None)
        return real(m, incumbent, t0)

    monkeypatch.setattr(week, "solve_model", flaky)
    p = generate_school(12, seed=0)
    assert len(p.paras) > week.WEEK_MODEL_ONLY_PARAS
    r = solve(p, SolverOptions(time_limit=6, workers=1, seed=0))
    assert r.status == Status.FEASIBLE
    assert_passes_check(p, r.schedule)
    assert r.schedule.assignments
    # every day had its turn: one failing day does not end the day phase
    assert [c for c in calls if len(c) == 1] == [(d,) for d in p.settings.days]


def test_an_unproven_week_model_no_better_than_its_start_leaves_the_start(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every answer is judged: a week model out of time with less covered than the schedule it
    started from (a resolve's one-day model once lost 390 priority-2 minutes so) is dropped and
    the start stands; a proven one is the model's answer."""
    from parasched.scheduler.kpis import compute_kpis
    from parasched.scheduler.schedule import Kind, Schedule
    from parasched.solver.objective import judge

    p = generate_school(6, seed=0)
    assert len(p.paras) <= week.WEEK_MODEL_ONLY_PARAS  # the week model is the search
    starts: list[Schedule] = []

    def worse(status: str):  # type: ignore[no-untyped-def]
        def model(m, incumbent, t0):  # type: ignore[no-untyped-def]
            starts.append(incumbent)
            dropped = Schedule(
                tuple(a for a in incumbent.assignments if a.kind != Kind.SUPPORT or a.day != "Mon"),
                incumbent.sessions,
            )
            return RawResult(status, dropped, None, None, week._terms_of(p, dropped, None))

        return model

    monkeypatch.setattr(week, "solve_model", worse("feasible"))
    r = solve(p, SolverOptions(time_limit=4, workers=1, seed=0))
    start = starts[-1]
    assert r.schedule.assignments == start.assignments
    assert_passes_check(p, r.schedule)
    monkeypatch.setattr(week, "solve_model", worse("optimal"))
    proven = solve(p, SolverOptions(time_limit=4, workers=1, seed=0))
    terms = compute_kpis(p, proven.schedule).objective_terms()
    assert judge(terms, False) > judge(compute_kpis(p, start).objective_terms(), False)
