"""A search that finds nothing better for a while stops, and its time goes where it can still pay.

Issue 12 asked that a solve stop early once it has nothing left to prove or improve: a tiny
school's week model stops when it has proved optimality; the week model of a 4-8 para school,
the day models and the repair search improve a complete schedule and prove nothing in practice,
so they stop when they stall (``model.STALL_SHARE``, ``model.WEEK_STALL_SHARE``,
``repair.REPAIR_STALL_SHARE``): a day model's leftover time passes to the next day, the last
phase's ends the solve.
"""

from __future__ import annotations

import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from checking import assert_passes_check

from parasched.cli import stopped_early
from parasched.scheduler.greedy import greedy_schedule
from parasched.scheduler.schedule import Schedule, SolveResult, Status
from parasched.solver import model as model_mod
from parasched.solver import repair as rep
from parasched.solver import week
from parasched.solver.options import SolverOptions
from parasched.solver.repair import RepairStats, repair
from parasched.workflows.solve import solve
from samples.generator import generate_school


@pytest.fixture
def scaled_stall_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    """The stall rules scaled down so a whole solve can stall within a test's seconds."""
    monkeypatch.setattr(model_mod, "STALL_MIN_SECONDS", 0.3)
    monkeypatch.setattr(model_mod, "STALL_SHARE", 0.1)
    monkeypatch.setattr(rep, "REPAIR_STALL_MIN_SECONDS", 0.3)
    monkeypatch.setattr(rep, "REPAIR_STALL_SHARE", 0.02)
    monkeypatch.setattr(model_mod, "WEEK_STALL_MIN_SECONDS", 0.3)
    monkeypatch.setattr(model_mod, "WEEK_STALL_SHARE", 0.05)


def fake_model(improve_only: bool = True, workers: int = 2, judged: bool = False) -> SimpleNamespace:
    return SimpleNamespace(improve_only=improve_only, judged=judged, options=SimpleNamespace(workers=workers))


@pytest.mark.parametrize(
    ("m", "budget", "hinted", "stall"),
    [
        (fake_model(), 20.0, True, 10.0),  # half its time
        (fake_model(), 5.0, True, 3.0),  # at least STALL_MIN_SECONDS
        (fake_model(), 2.0, True, None),  # a 2 s repair piece runs its time (3 s would never come)
        (fake_model(), 20.0, False, None),  # no complete start: a search that may have to find one
        (fake_model(improve_only=False), 20.0, True, None),  # a model that proves (a resolve's)
        (fake_model(improve_only=False, judged=True), 60.0, True, 15.0),  # a small school's week: a quarter
        (fake_model(improve_only=False, judged=True), 20.0, True, 10.0),  # at least WEEK_STALL_MIN_SECONDS
        (fake_model(improve_only=False, judged=True), 8.0, True, None),  # a short solve's week runs its time
        (fake_model(improve_only=False, judged=True, workers=1), 60.0, True, None),  # reproducible
        (fake_model(workers=1), 20.0, True, None),  # one worker: reproducible, runs its budget
    ],
)
def test_which_searches_stop_when_they_stall(m: SimpleNamespace, budget: float, hinted: bool, stall: float) -> None:
    assert model_mod._stall_seconds(m, budget, hinted) == stall  # type: ignore[arg-type]


def test_a_stalled_day_model_stops_and_the_next_day_gets_its_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """The day models stall almost at once (forced): they stop early, and what they leave goes to
    the days after them (the last day's share, all that is left of the phase, is larger than
    the first day's); the schedule breaks no rule."""
    stalled: list[bool] = []
    budgets: list[float] = []
    real_run, real_solve = model_mod._run, week.solve_model

    def run(m, *a, **k):  # type: ignore[no-untyped-def]
        out = real_run(m, *a, **k)
        if m.improve_only:
            stalled.append(out[2].stalled)
        return out

    def solve_model(m, *a, **k):  # type: ignore[no-untyped-def]
        budgets.append(m.options.time_limit)
        return real_solve(m, *a, **k)

    monkeypatch.setattr(model_mod, "_run", run)
    monkeypatch.setattr(week, "solve_model", solve_model)
    monkeypatch.setattr(model_mod, "STALL_MIN_SECONDS", 0.2)
    monkeypatch.setattr(model_mod, "STALL_SHARE", 0.05)
    p = generate_school(12, seed=1, kind="hard")
    res = solve(p, SolverOptions(time_limit=20, workers=2, seed=0))
    assert_passes_check(p, res.schedule)
    assert len(budgets) == len(p.settings.days)  # 12 paras: every day gets its model
    assert any(stalled)
    assert budgets[-1] > budgets[0]


def test_a_repair_search_that_keeps_nothing_stops_before_its_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    def nothing_better(piece, *a, **k):  # type: ignore[no-untyped-def]
        time.sleep(0.05)  # a piece takes some time, and comes back as it was
        return piece.free

    monkeypatch.setattr(rep, "_solve_piece", nothing_better)
    monkeypatch.setattr(rep, "REPAIR_STALL_MIN_SECONDS", 0.3)
    monkeypatch.setattr(rep, "REPAIR_STALL_SHARE", 0.0)
    p = generate_school(12, seed=1, kind="hard")
    start = greedy_schedule(p)
    stats = RepairStats()
    deadline = time.monotonic() + 120
    assert repair(p, start, SolverOptions(workers=2), deadline, stats=stats) == start
    assert stats.stalled and stats.pieces >= 1 and stats.improved == 0
    assert time.monotonic() < deadline


def test_a_repair_search_counted_in_pieces_never_stalls(monkeypatch: pytest.MonkeyPatch) -> None:
    """With one worker the search is a number of pieces (reproducible), whatever the clock says."""
    monkeypatch.setattr(rep, "_solve_piece", lambda piece, *a, **k: piece.free)
    monkeypatch.setattr(rep, "REPAIR_STALL_MIN_SECONDS", 0.0)
    monkeypatch.setattr(rep, "REPAIR_STALL_SHARE", 0.0)
    p = generate_school(12, seed=1, kind="hard")
    stats = RepairStats()
    repair(p, greedy_schedule(p), SolverOptions(workers=1), float("inf"), stats=stats, max_pieces=3)
    assert stats.pieces == 3 and not stats.stalled


@pytest.mark.usefixtures("scaled_stall_rules")
def test_a_solve_whose_searches_all_stall_ends_before_its_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """An easy 12-para school (the greedy covers nearly everything), with the stall rules scaled
    down to fit a test (at the product's, a 180 s solve of the mid-size sample ended at 155 s):
    the day models and the continuity pieces stop once they stall, and the solve returns before
    its limit (22 s of 30 here) with a schedule that breaks no rule. (Whether the coverage pieces
    end early here depends on when their last kept piece came: a piece kept just before their
    share ends is no stall. ``test_a_repair_search_that_keeps_nothing_stops_before_its_deadline``
    holds that search to it.)"""
    early: list[bool] = []
    real = week.repair

    def spy(*a, **k):  # type: ignore[no-untyped-def]
        out = real(*a, **k)
        # stalled, or every short need tried with every piece size and nothing kept: either way
        # before its deadline (repair's fourth argument)
        early.append(a[6].stalled or time.monotonic() < a[3])
        return out

    monkeypatch.setattr(week, "repair", spy)
    p = generate_school(12, seed=1)
    res = solve(p, SolverOptions(time_limit=30, workers=2, seed=0))
    assert_passes_check(p, res.schedule)
    # the coverage pieces, then the continuity pieces: the last search of the solve stopped
    # before its deadline (the limit), so the solve did too
    assert len(early) == 2 and early[1]
    assert res.runtime < 30


@pytest.mark.usefixtures("scaled_stall_rules")
def test_the_command_says_why_it_stopped_before_the_limit(tmp_path: Path) -> None:
    """A coordinator who gave it 40 s and got an answer sooner is told why (rules scaled down)."""
    from click.testing import CliRunner

    from parasched.cli import main

    sample = Path(__file__).resolve().parents[1] / "samples" / "small_school.xlsx"
    out = tmp_path / "schedule.xlsx"
    r = CliRunner().invoke(main, ["solve", str(sample), "-o", str(out), "--time-limit", "40"])
    assert r.exit_code == 0, r.output
    assert "before the limit: the search had stopped finding better schedules" in r.output
    checked = CliRunner().invoke(main, ["check", str(sample), str(out)])
    assert "Passes every hard rule." in checked.output


@pytest.mark.parametrize(
    ("status", "workers", "runtime", "said"),
    [
        (Status.FEASIBLE, 2, 150.0, 23.0),  # 173 s for the solver, 23 s left: said
        (Status.FEASIBLE, 2, 170.0, None),  # 3 s early: the end of the limit, not a stall
        (Status.FEASIBLE, 1, 150.0, None),  # one worker: deterministic time may run out sooner
        (Status.OPTIMAL, 2, 20.0, None),  # proven: the status line says so
    ],
)
def test_the_early_stop_is_said_only_when_searches_stalled(
    status: Status, workers: int, runtime: float, said: float | None
) -> None:
    result = SolveResult(status, Schedule(), runtime=runtime)
    assert stopped_early(result, SolverOptions(time_limit=173, workers=workers), 180) == said


@pytest.mark.usefixtures("scaled_stall_rules")
def test_a_small_schools_week_model_stops_when_it_stalls(monkeypatch: pytest.MonkeyPatch) -> None:
    """A 4-para school's week model searches with the judge's weights and never proves its answer
    (issue 12: a 4-para school ran its whole 60 s, its last gain at 20 s): its stage stops once it
    has found nothing better for a while (rules scaled down), the stages after it get their own
    share of the time and no more, and the solve returns before its limit with a schedule that
    breaks no rule."""
    runs: list[tuple[str, float, bool]] = []
    real = model_mod._run

    def spy(m, model, budget, *a, **k):  # type: ignore[no-untyped-def]
        out = real(m, model, budget, *a, **k)
        if m.judged and not m.improve_only:  # the week model (not a continuity piece)
            runs.append((a[1], budget, out[2].stalled))
        return out

    monkeypatch.setattr(model_mod, "_run", spy)
    p = generate_school(4, seed=0)
    res = solve(p, SolverOptions(time_limit=30, workers=2, seed=0))
    assert_passes_check(p, res.schedule)
    assert len(runs) >= 2 and runs[0][0] == "week: covering needs"
    assert runs[0][2]  # the judged stage stalled
    # the stage after it: its own share of the model's time (1 of 5 here), none of what the first left
    assert runs[1][1] <= 30 * 0.25
    assert res.runtime < 25
