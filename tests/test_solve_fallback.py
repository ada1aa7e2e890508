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
