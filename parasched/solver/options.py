"""Solver options: how long, how many workers, which seed, what to log."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from parasched.scheduler.schedule import Progress

AUTO_EXACT_PARAS = 24
AUTO_CANDIDATES = 10


@dataclass(frozen=True)
class SolverOptions:
    """Options of one solve; frozen. ``time_limit`` None = the workbook's ``time_limit_seconds``.

    ``grid_minutes`` is the decision grid on which lunches, breaks and flexible sessions may
    start (besides the edges of the para's hours and of the window); None = 15 minutes rounded
    to a multiple of ``time_step_minutes``. ``grid_minutes = time_step`` makes every start on the
    contract grid possible (larger model).

    ``max_paras_per_student`` limits, per student and day, the paras the model considers (see
    ``variables.candidate_paras``): None = automatic (every para up to ``AUTO_EXACT_PARAS``
    paras; beyond, the best ``AUTO_CANDIDATES`` per student and day, always including the
    warm start's and baseline's paras, so the result is never worse than the warm start).
    ``exact = True`` considers every para whatever the size (large models).

    With ``workers = 1`` the solve is reproducible: the same seed gives the same schedule. The
    time limit is then CP-SAT's deterministic time (about seconds on an idle machine; the wall
    clock is only a safety net at 50x), and it is shared between phases and stages up front.

    ``max_unmet``: at most these uncovered minutes per priority (1, 2, 3), a hard limit in every
    CP-SAT model of the school (benchmarks: the fewest changes a resolve can make at a given
    coverage). Above 120 paras no such model is built and the repair search only lowers
    uncovered minutes: start from a schedule within the caps there. None (the default):
    coverage is only minimized.

    ``stop``: set this event (Ctrl-C, a web "cancel") and the solve ends as soon as it can,
    returning the best schedule found so far. ``on_progress`` is called with a ``Progress``
    whenever the best schedule improves (from the solver's thread: keep it quick).

    ``params`` are extra CP-SAT parameters passed straight through (name -> value).
    ``progress`` prints a live progress line to stderr; ``log`` prints the CP-SAT search log.
    """

    time_limit: float | None = None
    workers: int = 2
    seed: int = 0
    log: bool = False
    progress: bool = False
    grid_minutes: int | None = None
    max_paras_per_student: int | None = None
    exact: bool = False
    use_greedy_hint: bool = True
    max_unmet: tuple[int, int, int] | None = None
    params: MappingProxyType[str, Any] | dict[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    stop: threading.Event | None = field(default=None, compare=False)
    on_progress: Callable[[Progress], None] | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.time_limit is not None and self.time_limit <= 0:
            raise ValueError("time_limit must be positive")
        if self.workers < 1:
            raise ValueError("workers must be 1 or more")
        if self.grid_minutes is not None and self.grid_minutes <= 0:
            raise ValueError("grid_minutes must be positive")
        if self.max_paras_per_student is not None and self.max_paras_per_student < 1:
            raise ValueError("max_paras_per_student must be 1 or more")
        if self.max_unmet is not None and (len(self.max_unmet) != 3 or min(self.max_unmet) < 0):
            raise ValueError("max_unmet must be three minute counts >= 0 (priority 1, 2, 3)")
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))

    def candidate_limit(self, n_paras: int) -> int | None:
        """Paras per student and day the model considers (None = all)."""
        if self.exact:
            return None
        if self.max_paras_per_student is not None:
            return self.max_paras_per_student
        return None if n_paras <= AUTO_EXACT_PARAS else AUTO_CANDIDATES
