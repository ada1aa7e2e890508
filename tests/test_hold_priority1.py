"""A solve's day model searches first with what covers priority 1 held (``model._priority1_held``).

The repair search before the day models is priority 1's; the day model's few seconds of
neighbourhood search go first to priority 2 and 3 and continuity, with every variable that puts
a para on a priority-1 student or duty in the incumbent fixed. The rest of the stage searches the
whole model (a stage of ``HOLD_ALL_BELOW`` seconds or more), so a chain that moves priority-1
support to another para (to free the only para a priority-2 student may have) is still found.
These tests: what is held, exactly, and given back; that the held search cannot make that chain
and the whole stage does.
"""

from __future__ import annotations

from checking import assert_passes_check
from fixtures import t

from parasched.scheduler.coverage import coverage
from parasched.scheduler.model import Para, Problem, Settings, Student, StudentBlock
from parasched.scheduler.schedule import Assignment, Kind, Schedule
from parasched.solver import model as model_mod
from parasched.solver.hint import hint_values
from parasched.solver.model import build, complete_hint, solve_model
from parasched.solver.objective import stages
from parasched.solver.options import SolverOptions


def school() -> Problem:
    """Ana and Ben 09:00-11:00; S1 (priority 1) may have either, S2 (priority 2) only Ana (signing)."""
    return Problem(
        Settings(days=("Mon",), school_start=t("09:00"), school_end=t("11:00"), lunch_minutes=0, breaks_per_day=0),
        (
            Para("A", "Ana", t("09:00"), t("11:00"), skills=frozenset({"signing"})),
            Para("B", "Ben", t("09:00"), t("11:00")),
        ),
        (
            Student("S1", "Kid one", priority=1),
            Student("S2", "Kid two", priority=2, skills_required=frozenset({"signing"})),
        ),
        (StudentBlock("S1", t("09:00"), t("11:00")), StudentBlock("S2", t("09:00"), t("11:00"))),
    )


# Ana with the priority-1 student all morning, Ben idle: S2 is left short, and only a chain
# (Ben takes S1, Ana S2) covers both
INCUMBENT = Schedule((Assignment("A", "Mon", t("09:00"), t("11:00"), Kind.SUPPORT, "", ("S1",)),))


def day_model(p: Problem, seconds: float = 4) -> tuple[model_mod.ModelData, list[int]]:
    m = build(p, SolverOptions(time_limit=seconds, workers=1, seed=0), None, ("Mon",), hint=INCUMBENT, keep=INCUMBENT)
    m.judged = m.improve_only = True  # as week.py sets a solve's day models
    values = complete_hint(m, hint_values(m, INCUMBENT), 2.0)
    assert values is not None
    return m, values


def uncovered(p: Problem, schedule: Schedule, sid: str) -> int:
    return sum(e - s for n in coverage(p, schedule) if n.ref == sid for s, e, _ in n.uncovered)


def test_what_covers_priority_1_is_held_and_given_back() -> None:
    p = school()
    m, values = day_model(p)
    proto = m.model.Proto()
    before = [list(v.domain) for v in proto.variables]
    pinned = model_mod._hold_priority1(m, values)
    on_s1 = {
        v.Index()
        for occupying in m.para_at.values()
        for v, label, _ in occupying
        if label[0] == Kind.SUPPORT and label[1] == "S1" and values[v.Index()] == 1
    }
    assert on_s1 and set(pinned) == on_s1  # Ana's S1 variables, nothing of S2 or of Ben
    assert all(list(proto.variables[i].domain) == [1, 1] for i in pinned)
    model_mod._let_go(m.model, pinned)
    assert [list(v.domain) for v in proto.variables] == before


def test_the_held_search_keeps_priority_1_and_the_whole_stage_makes_the_chain() -> None:
    p = school()
    m, values = day_model(p)
    weights = stages(m)[0]
    m.model.minimize(sum(w * m.terms[name][0] for name, w in weights))
    held = model_mod._priority1_held(m, values, weights, 2.0, 0.0, "test")
    # Ana stays with S1: S2, whom only she may support, stays short the whole morning
    assert held == values
    # a judged stage of HOLD_ALL_BELOW seconds or more searches the whole model after the held part
    m2, _ = day_model(p, seconds=1.5 * model_mod.HOLD_ALL_BELOW)
    res = solve_model(m2, INCUMBENT)
    assert res.schedule is not None
    assert_passes_check(p, res.schedule)
    assert uncovered(p, res.schedule, "S1") == 0 and uncovered(p, res.schedule, "S2") == 0
    assert {(a.para_id, a.students) for a in res.schedule.assignments} == {("B", ("S1",)), ("A", ("S2",))}


def test_a_short_judged_stage_is_held_throughout(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Under ``HOLD_ALL_BELOW`` seconds the stage is one held search and nothing after it: the
    chain is not made (a 30 s solve's 2 s day stages won little unheld: docs/solver.md point 20)."""
    runs: list[str] = []
    real_run = model_mod._run

    def spy(m, model, budget, t0, label, hinted=False):  # type: ignore[no-untyped-def]
        runs.append(label)
        return real_run(m, model, budget, t0, label, hinted)

    monkeypatch.setattr(model_mod, "_run", spy)
    p = school()
    m, _ = day_model(p, seconds=4)
    assert stages(m)[0] and model_mod.HOLD_ALL_BELOW > 4
    res = solve_model(m, INCUMBENT)
    assert res.schedule is not None
    assert_passes_check(p, res.schedule)
    assert sum("covering" in label for label in runs) == 1  # the held search only
    assert {(a.para_id, a.students) for a in res.schedule.assignments if a.kind == Kind.SUPPORT} == {("A", ("S1",))}
    assert uncovered(p, res.schedule, "S2") == 120


def test_only_a_solves_day_model_searches_with_priority_1_held(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The judged stage of a day model (``improve_only`` and ``judged``, as week.py sets a
    solve's) searches held first, once; a small school's week model (judged, not improve_only)
    and a resolve's day model (level by level) never do."""
    calls: list[float] = []
    real = model_mod._priority1_held

    def spy(m, values, weights, seconds, t0, label):  # type: ignore[no-untyped-def]
        calls.append(seconds)
        return real(m, values, weights, seconds, t0, label)

    monkeypatch.setattr(model_mod, "_priority1_held", spy)
    p = school()
    m, _ = day_model(p)
    assert solve_model(m, INCUMBENT).schedule is not None
    assert len(calls) == 1 and 0 < calls[0] < 4
    for judged, improve_only in ((True, False), (False, True)):
        calls.clear()
        other = build(p, SolverOptions(time_limit=4, workers=1, seed=0), None, ("Mon",), hint=INCUMBENT, keep=INCUMBENT)
        other.judged, other.improve_only = judged, improve_only
        assert solve_model(other, INCUMBENT).schedule is not None
        assert calls == []


def test_the_judged_stage_gets_most_of_a_day_models_time(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A solve's day model gives its judged stage ``JUDGED_STAGE_SHARE`` against 1 for each later
    level (fairness, flex minutes...): at 4 it left a third of a 30 s solve's day models to fair
    duties (docs/solver.md point 19). One worker: the budgets are fixed up front."""
    from parasched.solver.objective import JUDGED_STAGE_SHARE, judged_stage

    budgets: list[tuple[str, float]] = []
    real_run = model_mod._run

    def spy(m, model, budget, t0, label, hinted=False):  # type: ignore[no-untyped-def]
        budgets.append((label, budget))
        return real_run(m, model, budget, t0, label, hinted)

    monkeypatch.setattr(model_mod, "_run", spy)
    p = school()
    m, _ = day_model(p)
    plan = stages(m)
    assert judged_stage(plan[0]) and len(plan) > 1 and not any(judged_stage(w) for w in plan[1:])
    res = solve_model(m, INCUMBENT)
    assert res.schedule is not None
    assert_passes_check(p, res.schedule)
    judged = sum(b for label, b in budgets if "covering" in label)  # held (throughout: a short stage)
    expected = 4 * JUDGED_STAGE_SHARE / (JUDGED_STAGE_SHARE + len(plan) - 1)
    assert abs(judged - expected) < 0.01 and judged > 0.75 * 4
