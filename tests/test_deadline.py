"""Deadline: --time-limit is a wall-clock limit on the whole command (issue 13). A fake clock: no
timed tests."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from parasched.cli import main
from parasched.scheduler.deadline import (
    MAX_SLOWDOWN,
    MIN_SOLVE_SECONDS,
    RESOLVE_DEFAULT_SECONDS,
    Deadline,
    solver_seconds,
    writing_reserve,
)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_remaining_and_expired_follow_the_clock() -> None:
    clock = Clock()
    d = Deadline(10, clock=clock)
    assert d.started == 100.0 and d.ends == 110.0
    clock.now = 104.0
    assert d.remaining() == 6.0 and d.elapsed() == 4.0 and not d.expired()
    clock.now = 111.0
    assert d.remaining() == 0.0 and d.expired()


def test_started_given_counts_the_time_already_spent() -> None:
    """The command notes the instant it starts, reads the workbook, then makes the deadline."""
    clock = Clock()
    d = Deadline(30, started=97.0, clock=clock)
    assert d.remaining() == 27.0


def test_child_takes_a_share_and_never_outlives_its_parent() -> None:
    clock = Clock()
    parent = Deadline(10, clock=clock)
    clock.now = 102.0
    half = parent.child(0.5)
    assert half.started == 102.0 and half.seconds == 4.0
    assert parent.child(seconds=3).seconds == 3.0
    assert parent.child(seconds=60).ends == parent.ends
    clock.now = 200.0
    assert parent.child(0.5).expired()


@pytest.mark.parametrize("bad", [0, -1, math.nan, math.inf, True, "10"])
def test_a_deadline_needs_a_positive_finite_number(bad: object) -> None:
    with pytest.raises(ValueError, match="positive finite number of seconds"):
        Deadline(bad)  # type: ignore[arg-type]


def test_child_arguments() -> None:
    d = Deadline(10, clock=Clock())
    with pytest.raises(ValueError, match="not both"):
        d.child(0.5, seconds=2)
    with pytest.raises(ValueError, match="not both"):
        d.child()
    with pytest.raises(ValueError, match=r"\(0, 1\]"):
        d.child(1.5)


def test_the_solver_keeps_back_the_measured_writing_time() -> None:
    clock = Clock()
    assert writing_reserve(160, 5) == pytest.approx(0.5 + 0.015 * 800)
    d = Deadline(120, clock=clock)
    assert solver_seconds(d, 160, 5) == pytest.approx(120 - 12.5)
    assert solver_seconds(d, 4, 2) == pytest.approx(120 - 0.5 - 0.12)
    clock.now = 219.0  # 1 s left: less than writing needs, the search still gets its minimum
    assert solver_seconds(d, 160, 5) == MIN_SOLVE_SECONDS


def test_resolve_default_is_a_morning_replan() -> None:
    assert RESOLVE_DEFAULT_SECONDS == 20.0


def test_a_busy_machine_stretches_the_reserve() -> None:
    """Reading took 6 s of wall time for 1 s of CPU: writing will be as slow, so the search keeps
    back six times the measured writing time (up to MAX_SLOWDOWN)."""
    wall, cpu = Clock(), Clock()
    d = Deadline(120, clock=wall, cpu_started=cpu.now, cpu_clock=cpu)
    wall.now += 6.0
    cpu.now += 1.0
    assert d.slowdown() == 6.0
    assert solver_seconds(d, 40, 5) == pytest.approx(114 - 6 * writing_reserve(40, 5))
    wall.now += 100.0
    assert d.slowdown() == MAX_SLOWDOWN


def test_no_slowdown_without_cpu_reading_or_with_too_little_work() -> None:
    wall, cpu = Clock(), Clock()
    assert Deadline(10, clock=wall).slowdown() == 1.0
    d = Deadline(10, clock=wall, cpu_started=cpu.now, cpu_clock=cpu)
    wall.now += 3.0
    cpu.now += 0.01
    assert d.slowdown() == 1.0
    cpu.now += 9.99  # more CPU than wall (threads): never below 1
    assert d.slowdown() == 1.0


class _Captured(Exception):
    """Stops the command once the options reached the workflow (no solve: nothing is timed)."""


def _tiny_school(tmp_path: Path) -> tuple[Path, Path]:
    from parasched.io.input_writer import write_problem
    from parasched.io.writer import write_schedule
    from parasched.scheduler.greedy import greedy_schedule
    from parasched.scheduler.model import Para, Problem, Settings, Student
    from parasched.scheduler.schedule import SolveResult, Status

    problem = Problem(
        Settings(days=("Mon",), school_start=480, school_end=660, lunch_minutes=0, time_limit_seconds=45),
        (Para("P1", "Ana Ruiz", 480, 660), Para("P2", "Ben Cole", 480, 660)),
        (Student("S1", "Hana Ito"),),
    )
    school, baseline = tmp_path / "school.xlsx", tmp_path / "baseline.xlsx"
    write_problem(problem, school)
    write_schedule(baseline, problem, SolveResult(Status.FEASIBLE, greedy_schedule(problem), None, None, 0.0))
    return school, baseline


def _options_given(monkeypatch: pytest.MonkeyPatch, target: str, args: list[str], tmp_path: Path) -> Any:
    seen: list[Any] = []

    def capture(problem: Any, *rest: Any, **kwargs: Any) -> None:
        seen.append(rest[1] if target.endswith("resolve.resolve") else rest[0])
        raise _Captured

    monkeypatch.setattr(target, capture)
    result = CliRunner().invoke(main, args, env={"PARASCHED_LOG_DIR": str(tmp_path / "logs")})
    assert result.exit_code == 3 and "_Captured" in result.output, result.output
    return seen[0]


def test_solve_gives_the_solver_the_workbook_limit_less_the_reserve(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    school, _ = _tiny_school(tmp_path)
    options = _options_given(
        monkeypatch,
        "parasched.workflows.solve.solve",
        ["solve", str(school), "-o", str(tmp_path / "out.xlsx")],
        tmp_path,
    )
    assert 45 - 10 * writing_reserve(2, 1) <= options.time_limit < 45 - writing_reserve(2, 1)


def test_resolve_defaults_to_twenty_seconds_not_the_workbook_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    school, baseline = _tiny_school(tmp_path)
    args = ["resolve", str(school), "--baseline", str(baseline), "--absent", "P1", "-o", str(tmp_path / "r.xlsx")]
    options = _options_given(monkeypatch, "parasched.workflows.resolve.resolve", args, tmp_path)
    assert MIN_SOLVE_SECONDS <= options.time_limit < RESOLVE_DEFAULT_SECONDS - writing_reserve(2, 1)
    options = _options_given(
        monkeypatch, "parasched.workflows.resolve.resolve", [*args, "--time-limit", "30"], tmp_path
    )
    assert RESOLVE_DEFAULT_SECONDS < options.time_limit < 30 - writing_reserve(2, 1)
