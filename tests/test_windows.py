"""A day model's judged stage searched window by window (``model._window_search``).

Hours of the day are re-planned at once with every para, whatever lies outside the window held
at the incumbent, so the window's edges keep every rule (runs, relays, rests) by the model's own
constraints. These tests: what a window holds, exactly; that the search improves on a schedule
by windows alone; that a large school's day models use it (above 24 paras, or when the models
consider a few paras per student) and their answer passes the checker; that others do not.
"""

from __future__ import annotations

import random
import time

import pytest
from checking import assert_passes_check
from fixtures import t
from ortools.sat.python import cp_model

from parasched.scheduler.coverage import coverage
from parasched.scheduler.model import Para, Problem, Settings, Student, StudentBlock
from parasched.scheduler.schedule import Assignment, Kind, Schedule
from parasched.solver import model as model_mod
from parasched.solver import week
from parasched.solver.extract import extract
from parasched.solver.hint import hint_values
from parasched.solver.model import build, complete_hint, solve_model
from parasched.solver.objective import stages
from parasched.solver.options import SolverOptions
from parasched.workflows.solve import solve
from samples.generator import generate_school


def school() -> Problem:
    """Two paras 09:00-11:00, a priority-1 student with A and a priority-2 student B may take."""
    return Problem(
        Settings(days=("Mon",), school_start=t("09:00"), school_end=t("11:00"), lunch_minutes=0, breaks_per_day=0),
        (Para("A", "Ana", t("09:00"), t("11:00")), Para("B", "Ben", t("09:00"), t("11:00"))),
        (Student("S1", "Kid one", priority=1), Student("S2", "Kid two", priority=2)),
        (StudentBlock("S1", t("09:00"), t("11:00")), StudentBlock("S2", t("09:00"), t("11:00"))),
    )


def row(pid: str, sid: str, start: str, end: str) -> Assignment:
    return Assignment(pid, "Mon", t(start), t(end), Kind.SUPPORT, "", (sid,))


# B idles 09:00-09:30 and 10:30-11:00: S2 is short an hour, half at each end
INCUMBENT = Schedule((row("A", "S1", "09:00", "11:00"), row("B", "S2", "09:30", "10:30")))


def judged_model(p: Problem, incumbent: Schedule, workers: int = 1) -> tuple[model_mod.ModelData, list[int]]:
    m = build(p, SolverOptions(time_limit=5, workers=workers, seed=0), None, ("Mon",), hint=incumbent, keep=incumbent)
    m.judged = True
    values = complete_hint(m, hint_values(m, incumbent), 2.0)
    assert values is not None
    return m, values


def minutes(schedule: Schedule, pid: str, outside: tuple[int, int]) -> set[tuple[int, tuple[str, ...]]]:
    """The para's 5-minute slots outside [a, b), with whom."""
    a, b = outside
    return {
        (x, r.students)
        for r in schedule.assignments
        if r.para_id == pid
        for x in range(r.start, r.end, 5)
        if not a <= x < b
    }


def uncovered(p: Problem, schedule: Schedule, sid: str) -> list[tuple[int, int]]:
    return [(s, e) for n in coverage(p, schedule) if n.ref == sid for s, e, _ in n.uncovered]


@pytest.mark.parametrize(
    ("window", "left_short"),
    [
        (("09:00", "10:00"), [(t("10:30"), t("11:00"))]),  # the morning gap only: the run grows back to 09:00
        (("10:00", "11:00"), [(t("09:00"), t("09:30"))]),  # the other end only
        (("09:00", "11:00"), []),  # the whole day: S2 covered throughout
    ],
)
def test_a_window_replans_inside_it_and_holds_everything_outside(
    window: tuple[str, str], left_short: list[tuple[int, int]]
) -> None:
    p = school()
    m, values = judged_model(p, INCUMBENT)
    weights = stages(m)[0]
    m.model.minimize(sum(w * m.terms[name][0] for name, w in weights))
    trial = m.model.clone()
    model_mod._hold_outside(m, trial, values, "Mon", t(window[0]), t(window[1]))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(trial) == cp_model.OPTIMAL
    out = extract(m, list(solver.response_proto.solution))
    assert_passes_check(p, out)
    assert uncovered(p, out, "S2") == left_short
    assert uncovered(p, out, "S1") == []
    # outside the window nothing moved: every para's minutes there are the incumbent's
    a, b = t(window[0]), t(window[1])
    for pid in ("A", "B"):
        assert minutes(out, pid, outside=(a, b)) == minutes(INCUMBENT, pid, outside=(a, b))


def test_a_window_is_let_go_after_it() -> None:
    """The window is held in the day model itself (a copy per window cost a 300 s solve of 80
    paras 250 MB), so afterwards every variable has its own domain back."""
    p = school()
    m, values = judged_model(p, INCUMBENT)
    proto = m.model.Proto()
    before = [list(v.domain) for v in proto.variables]
    held = model_mod._hold_outside(m, m.model, values, "Mon", t("09:30"), t("10:30"))
    assert held and any(list(proto.variables[i].domain) != before[i] for i in held)
    model_mod._let_go(m.model, held)
    assert [list(v.domain) for v in proto.variables] == before


def test_the_window_search_alone_covers_what_the_incumbent_left(monkeypatch: pytest.MonkeyPatch) -> None:
    """One worker, windows of 60 minutes: the day's tiles are re-planned one by one, and S2's two
    gaps, each inside some tile, get covered by B; the answer keeps every rule."""
    monkeypatch.setattr(model_mod, "WINDOW_MINUTES", 60)
    monkeypatch.setattr(model_mod, "WINDOW_SECONDS", 0.5)
    held: list[tuple[int, int]] = []
    real = model_mod._hold_outside

    def spy(m, model, values, day, a, b):  # type: ignore[no-untyped-def]
        held.append((a, b))
        return real(m, model, values, day, a, b)

    monkeypatch.setattr(model_mod, "_hold_outside", spy)
    p = school()
    m = build(p, SolverOptions(time_limit=6, workers=1, seed=0), None, ("Mon",), hint=INCUMBENT, keep=INCUMBENT)
    m.judged = m.improve_only = m.windows = True
    res = solve_model(m, INCUMBENT)
    assert res.schedule is not None
    assert_passes_check(p, res.schedule)
    assert uncovered(p, res.schedule, "S2") == [] and uncovered(p, res.schedule, "S1") == []
    assert held and all(b - a == 60 for a, b in held)
    # every tile of the day came up (two passes of tiles at most in this budget)
    assert any(a <= t("09:00") and t("09:30") <= b for a, b in held)
    assert any(a <= t("10:30") and t("11:00") <= b for a, b in held)


def test_the_windows_that_leave_most_uncovered_come_first() -> None:
    """S2 (priority 2) is short only 10:30-11:00: a window holding that half hour is weighted
    301 against 1 for the others, so it is tried first on nearly every draw; with nothing short,
    every window of the day comes first about as often."""
    p = school()
    short_end = Schedule((row("A", "S1", "09:00", "11:00"), row("B", "S2", "09:00", "10:30")))
    m, values = judged_model(p, short_end)
    firsts = [model_mod._tiles(m, values, "Mon", 0, 45, random.Random(seed))[-1] for seed in range(200)]
    assert sum(a <= t("10:30") and t("11:00") <= a + model_mod.WINDOW_MINUTES for a in firsts) >= 190
    whole = Schedule((row("A", "S1", "09:00", "11:00"), row("B", "S2", "09:00", "11:00")))
    m, values = judged_model(p, whole)
    firsts = [model_mod._tiles(m, values, "Mon", 0, 45, random.Random(seed))[-1] for seed in range(200)]
    starts = sorted(set(firsts))
    assert len(starts) == 3 and all(firsts.count(a) >= 40 for a in starts)  # 09:00, 09:45, 10:30


def test_a_window_search_that_finds_nothing_stops_before_its_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two workers, the incumbent already best: with the stall rules scaled down (nothing better
    for 0.3 s) the search stops long before its 20 s, keeping the incumbent."""
    monkeypatch.setattr(model_mod, "STALL_MIN_SECONDS", 0.3)
    monkeypatch.setattr(model_mod, "STALL_SHARE", 0.01)
    monkeypatch.setattr(model_mod, "WINDOW_SECONDS", 0.2)
    p = school()
    whole = Schedule((row("A", "S1", "09:00", "11:00"), row("B", "S2", "09:00", "11:00")))
    m, values = judged_model(p, whole, workers=2)
    m.improve_only = True
    weights = stages(m)[0]
    m.model.minimize(sum(w * m.terms[name][0] for name, w in weights))
    started = time.monotonic()
    out = model_mod._window_search(m, values, weights, 20.0, started, "Mon: covering needs")
    assert time.monotonic() - started < 5
    assert model_mod._evaluate(m, out, weights) == model_mod._evaluate(m, values, weights)


def test_a_solves_day_models_search_windows_and_keep_every_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    """A 10-para school (day models above 8 paras): their judged stages run window by window."""
    windows: list[tuple[str, int, int]] = []
    real = model_mod._hold_outside

    def spy(m, model, values, day, a, b):  # type: ignore[no-untyped-def]
        windows.append((day, a, b))
        return real(m, model, values, day, a, b)

    monkeypatch.setattr(model_mod, "_hold_outside", spy)
    monkeypatch.setattr(week, "DAY_MIN_SECONDS", 0.01)
    p = generate_school(10, seed=2)
    res = solve(p, SolverOptions(time_limit=12, workers=2, seed=0, max_paras_per_student=3))
    assert_passes_check(p, res.schedule)
    assert windows and all(b - a == model_mod.WINDOW_MINUTES for _, a, b in windows)


@pytest.mark.parametrize(
    ("windows", "paras_per_student"),
    [
        (False, 3),  # switched off
        (True, None),  # a 10-para school whose models consider every para: the whole-day search
    ],
)
def test_otherwise_the_day_model_is_one_search(
    monkeypatch: pytest.MonkeyPatch, windows: bool, paras_per_student: int | None
) -> None:
    monkeypatch.setattr(week, "WINDOWS", windows)
    called: list[int] = []
    monkeypatch.setattr(model_mod, "_hold_outside", lambda *a: called.append(1))
    days: list[tuple[str, ...]] = []
    real = week.solve_model

    def spy(m, *a, **k):  # type: ignore[no-untyped-def]
        days.append(m.plan_days)
        return real(m, *a, **k)

    monkeypatch.setattr(week, "solve_model", spy)
    monkeypatch.setattr(week, "DAY_MIN_SECONDS", 0.01)
    p = generate_school(10, seed=2)
    res = solve(p, SolverOptions(time_limit=8, workers=2, seed=0, max_paras_per_student=paras_per_student))
    assert_passes_check(p, res.schedule)
    assert days and all(len(d) == 1 for d in days)  # the day models ran
    assert not called
