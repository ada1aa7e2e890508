"""A large school's day models at a short limit: the costliest days first, each given time to search.

A 32-80 para school's day model takes 1-2 s to build and presolve. At 30 s, five of them shared
what the repair search leaves (about 11 s), so each searched for a second and barely moved; now
only as many days as can have ``DAY_MIN_SECONDS`` each get a model, the days the judge weighs
most first (uncovered minutes by priority value, handoffs, paras beyond the first in a day).
"""

from __future__ import annotations

import dataclasses

import pytest
from checking import assert_passes_check
from fixtures import t

from parasched.scheduler.model import Duty, DutyKind, Para, Problem, Settings, Student, StudentBlock
from parasched.scheduler.schedule import Assignment, Kind, Schedule
from parasched.scheduler.weekgrid import WeekGrid
from parasched.solver import week
from parasched.solver.options import SolverOptions
from parasched.workflows.solve import solve
from samples.generator import generate_school


def two_days() -> Problem:
    """Two paras, one priority-1 1:1 student 9:00-10:00 on Mon and Tue."""
    return Problem(
        Settings(days=("Mon", "Tue"), school_start=t("09:00"), school_end=t("10:00"), lunch_minutes=0),
        (Para("A", "Ana", t("09:00"), t("10:00")), Para("B", "Ben", t("09:00"), t("10:00"))),
        (Student("S1", "Kid", priority=1),),
        (StudentBlock("S1", t("09:00"), t("10:00")),),
    )


def support(pid: str, day: str, start: str, end: str) -> Assignment:
    return Assignment(pid, day, t(start), t(end), Kind.SUPPORT, "", ("S1",))


@pytest.mark.parametrize(
    ("rows", "order"),
    [
        # Tue leaves 30 priority-1 minutes uncovered (3,000): Tue first
        ((support("A", "Mon", "09:00", "10:00"), support("A", "Tue", "09:00", "09:30")), ("Tue", "Mon")),
        # Mon passes the student from A to B (a handoff and a second para: 60), Tue is whole
        (
            (
                support("A", "Mon", "09:00", "09:30"),
                support("B", "Mon", "09:30", "10:00"),
                support("A", "Tue", "09:00", "10:00"),
            ),
            ("Mon", "Tue"),
        ),
        # both days cost the same: the week's order
        ((support("A", "Mon", "09:00", "10:00"), support("B", "Tue", "09:00", "10:00")), ("Mon", "Tue")),
    ],
)
def test_the_costliest_day_comes_first(rows: tuple[Assignment, ...], order: tuple[str, str]) -> None:
    p = two_days()
    assert week._costliest_days(p, WeekGrid.of(p), Schedule(rows), ("Mon", "Tue")) == order


def test_a_relay_on_a_duty_makes_a_day_costlier() -> None:
    """A priority-3 recess 09:00-09:30 both days. Mon: B leaves its last 10 minutes uncovered (10);
    Tue: B leaves 09:15-09:20 and comes back, 5 minutes and a relay (5 + 60): Tue first."""
    recess = Duty("D1", "Recess", DutyKind.RECESS, t("09:00"), t("09:30"), priority=3)
    p = dataclasses.replace(two_days(), duties=(recess,))

    def duty(day: str, start: str, end: str) -> Assignment:
        return Assignment("B", day, t(start), t(end), Kind.DUTY, "D1")

    rows = (
        support("A", "Mon", "09:00", "10:00"),
        support("A", "Tue", "09:00", "10:00"),
        duty("Mon", "09:00", "09:20"),
        duty("Tue", "09:00", "09:15"),
        duty("Tue", "09:20", "09:30"),
    )
    assert week._costliest_days(p, WeekGrid.of(p), Schedule(rows), ("Mon", "Tue")) == ("Tue", "Mon")


def test_a_short_solve_of_a_large_school_models_its_costliest_days(monkeypatch: pytest.MonkeyPatch) -> None:
    """With a few seconds left after the repair search, one day gets a model, the costliest; the
    other days keep the incumbent and the answer breaks no rule."""
    p = generate_school(10, seed=2)
    ranked: list[tuple[str, ...]] = []
    modelled: list[tuple[str, ...]] = []
    real_rank, real_build = week._costliest_days, week.build

    def rank(*args, **kwargs):  # type: ignore[no-untyped-def]
        ranked.append(real_rank(*args, **kwargs))
        return ranked[-1]

    def build(problem, options, baseline, days, **kwargs):  # type: ignore[no-untyped-def]
        modelled.append(tuple(days))
        return real_build(problem, options, baseline, days, **kwargs)

    monkeypatch.setattr(week, "_costliest_days", rank)
    monkeypatch.setattr(week, "build", build)
    # 8 s: 6 s for coverage, half of it the repair, so under DAY_MIN_SECONDS for the day models
    res = solve(p, SolverOptions(time_limit=8, workers=2, seed=0, max_paras_per_student=3))
    assert_passes_check(p, res.schedule)
    assert len(ranked) == 1 and sorted(ranked[0]) == sorted(p.settings.days)
    assert modelled == [(ranked[0][0],)]


def test_with_time_for_more_days_they_are_modelled_costliest_first(monkeypatch: pytest.MonkeyPatch) -> None:
    p = generate_school(10, seed=2)
    ranked: list[tuple[str, ...]] = []
    modelled: list[str] = []
    real_rank, real_build = week._costliest_days, week.build

    def rank(*args, **kwargs):  # type: ignore[no-untyped-def]
        ranked.append(real_rank(*args, **kwargs))
        return ranked[-1]

    def build(problem, options, baseline, days, **kwargs):  # type: ignore[no-untyped-def]
        modelled.extend(days)
        return real_build(problem, options, baseline, days, **kwargs)

    monkeypatch.setattr(week, "_costliest_days", rank)
    monkeypatch.setattr(week, "build", build)
    monkeypatch.setattr(week, "DAY_MIN_SECONDS", 0.01)
    res = solve(p, SolverOptions(time_limit=12, workers=2, seed=0, max_paras_per_student=3))
    assert_passes_check(p, res.schedule)
    assert len(modelled) >= 2 and modelled == list(ranked[0][: len(modelled)])


def test_a_large_school_whose_day_model_finds_nothing_keeps_its_repaired_week(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No model of the whole week afterwards (at 80 paras it would not even be built in time):
    the repaired warm start is the answer, and it breaks no rule."""
    from parasched.scheduler.schedule import Status
    from parasched.solver.model import RawResult

    calls: list[tuple[str, ...]] = []

    def nothing(m, incumbent, t0):  # type: ignore[no-untyped-def]
        calls.append(m.plan_days)
        return RawResult("unknown", None, None, None)

    monkeypatch.setattr(week, "solve_model", nothing)
    p = generate_school(10, seed=2)
    res = solve(p, SolverOptions(time_limit=8, workers=2, seed=0, max_paras_per_student=3))
    assert res.status == Status.FEASIBLE
    assert_passes_check(p, res.schedule)
    assert res.schedule.assignments
    assert calls and all(len(days) == 1 for days in calls)


def test_a_mid_size_solve_trades_for_continuity_after_every_day_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """A 9-24 para solve runs the coverage-neutral trades and scraps after each day model (the
    next day's model starts from the steadier week) and once more at the end; a large school's
    day phase (candidate limit) only at the end. The trades never cost coverage: the solve's
    answer passes the checker."""
    from parasched.scheduler.greedy import greedy_schedule

    calls: list[int] = []
    real = week.trade_for_continuity

    def spy(*a, **k):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(*a, **k)

    monkeypatch.setattr(week, "trade_for_continuity", spy)
    p = generate_school(12, seed=1, kind="hard")
    raw = week.solve_week(p, SolverOptions(time_limit=4, workers=1, seed=1), hint=greedy_schedule(p))
    assert raw.schedule is not None
    assert_passes_check(p, raw.schedule)
    assert len(calls) == len(p.settings.days) + 2  # (at the end: with and without the refill)
    calls.clear()
    week.solve_week(p, SolverOptions(time_limit=4, workers=1, seed=1, max_paras_per_student=3), hint=greedy_schedule(p))
    assert len(calls) == 2
