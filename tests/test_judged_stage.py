"""The solve's coverage stage weighs coverage and continuity as ``objective.judge`` does.

A solve is searched by models whose first stage is the judge's first level (priority 1, 2, 3
minutes at 100, 10, 1; a handoff and one more para in a student's day 30, one more para in
their week 300): a school of up to ``WEEK_MODEL_ONLY_PARAS`` paras by its week model, a larger
one by its day models. So the search itself refuses to pass a student to a second para for a few
low-priority minutes. Before, a priority-1-alone stage won such minutes and the judge threw the
whole day's answer away afterwards.
"""

from __future__ import annotations

import pytest
from checking import assert_passes_check
from fixtures import t

from parasched.scheduler.model import Para, Problem, Settings, Student, StudentBlock
from parasched.scheduler.schedule import Kind
from parasched.solver.model import build
from parasched.solver.objective import COVERAGE_VALUE, judged_stage, primary, stages
from parasched.solver.options import SolverOptions
from parasched.solver.week import WEEK_MODEL_ONLY_PARAS
from parasched.workflows.solve import solve


def school(priority: int) -> Problem:
    """One hour, one student who needs the "x" skill: A has it 9:00-9:45, B 9:45-10:00; the
    other paras (enough to be a school searched with the judged stage) lack it."""
    others = tuple(Para(f"Q{i}", f"Other {i}", t("09:00"), t("10:00")) for i in range(WEEK_MODEL_ONLY_PARAS))
    return Problem(
        Settings(days=("Mon",), school_start=t("09:00"), school_end=t("10:00"), lunch_minutes=0),
        (
            Para("A", "Ana", t("09:00"), t("09:45"), skills=frozenset({"x"})),
            Para("B", "Ben", t("09:45"), t("10:00"), skills=frozenset({"x"})),
            *others,
        ),
        (Student("S1", "Kid", priority=priority, skills_required=frozenset({"x"})),),
        (StudentBlock("S1", t("09:00"), t("10:00")),),
    )


def test_the_judged_stage_is_the_judges_first_level_and_holds_as_one_sum() -> None:
    m = build(school(3), SolverOptions(), None, ("Mon",))
    plain = stages(m)
    assert plain[0][0][0] == "unmet_p1" and not judged_stage(plain[0])
    m.judged = True
    first = stages(m)[0]
    assert dict(first) == {t: w for t, w in COVERAGE_VALUE.items() if t in m.terms}
    assert judged_stage(first) and primary(first) == [first]


@pytest.mark.parametrize(
    ("priority", "paras"),
    [
        (3, {"A"}),  # 15 priority-3 minutes (15) are not worth B: a handoff, a para more that day
        (2, {"A"}),  # and one more in the week (360); nor are 15 priority-2 minutes (150)
        (1, {"A", "B"}),  # 15 priority-1 minutes (1,500) are
    ],
)
def test_a_second_para_only_when_the_minutes_are_worth_the_handoff(priority: int, paras: set[str]) -> None:
    p = school(priority)
    r = solve(p, SolverOptions(time_limit=5, workers=1, seed=0))
    assert_passes_check(p, r.schedule)
    got = {a.para_id for a in r.schedule.assignments if a.kind == Kind.SUPPORT}
    assert got == paras
    assert sum(u.minutes for u in r.schedule.unmet) == (15 if paras == {"A"} else 0)


def test_a_solves_day_models_improve_the_warm_start_on_every_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    """With 2 workers a day model's stages start from a complete schedule and search
    neighbourhoods of it on both workers (no worker proving a bound it cannot close in seconds);
    a model without a complete hint keeps CP-SAT's full search, and the answer is the same."""
    import dataclasses

    from parasched.solver import model as model_module

    p = dataclasses.replace(school(1), settings=dataclasses.replace(school(1).settings, days=("Mon", "Tue")))
    seen: list[tuple[bool, bool, bool]] = []
    real_run = model_module._run

    def spy(m, model, budget, t0, label, hinted=False):  # type: ignore[no-untyped-def]
        st, solver, cb = real_run(m, model, budget, t0, label, hinted)
        seen.append((m.improve_only, hinted, solver.parameters.use_lns_only))
        return st, solver, cb

    monkeypatch.setattr(model_module, "_run", spy)
    r = solve(p, SolverOptions(time_limit=6, workers=2, seed=0))
    assert_passes_check(p, r.schedule)
    assert {a.para_id for a in r.schedule.assignments if a.kind == Kind.SUPPORT} == {"A", "B"}
    assert sum(u.minutes for u in r.schedule.unmet) == 0
    day_runs = [s for s in seen if s[0]]
    assert day_runs and all(lns == hinted for _, hinted, lns in day_runs)
    assert any(lns for *_, lns in day_runs)
    assert not any(lns for improve, _, lns in seen if not improve)


def test_a_small_schools_week_model_searches_what_the_judge_keeps(monkeypatch: pytest.MonkeyPatch) -> None:
    """A solve of up to 8 paras is one week model; its first stage is the judge's first level,
    as a larger school's day models. Solved level by level to prove optimality, it proved
    nothing in 20 s on ten schools of 4-8 paras and its answers passed students between paras
    (an 8-para school: 71 handoffs, judged 27 % worse; docs/solver.md point 16). A resolve's
    week model keeps its levels one by one, changes after coverage."""
    import parasched.solver.week as week
    from samples.generator import generate_school

    firsts: list[list[tuple[str, int]]] = []
    real = week.solve_model

    def spy(m, incumbent, t0):  # type: ignore[no-untyped-def]
        firsts.append(stages(m)[0])
        return real(m, incumbent, t0)

    monkeypatch.setattr(week, "solve_model", spy)
    p = generate_school(5, seed=1)
    assert len(p.paras) <= WEEK_MODEL_ONLY_PARAS
    r = solve(p, SolverOptions(time_limit=3, workers=1, seed=0))
    assert_passes_check(p, r.schedule)
    assert r.objective == r.term("unmet_p1")  # the result's objective stays priority-1 minutes
    (first,) = firsts
    assert judged_stage(first) and dict(first) == {t: w for t, w in COVERAGE_VALUE.items() if t in dict(first)}
    firsts.clear()
    week.solve_week(p, SolverOptions(time_limit=3, workers=1, seed=0), baseline=r.schedule, hint=r.schedule)
    assert firsts and all(not judged_stage(f) and f[0][0] == "unmet_p1" for f in firsts)
