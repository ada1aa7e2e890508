"""Wall-clock deadlines: a command's ``--time-limit`` bounds the whole command, not the search.

A coordinator reads ``--time-limit 30`` as "the answer is on my screen in 30 seconds", reading
and writing included. So the command makes one :class:`Deadline` the moment it starts, and
every phase takes its share of what is left: the solver gets ``remaining()`` less what writing
the schedule will need (:func:`writing_reserve`, measured), so the command ends near the limit.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

# Measured on 2 shared cores (generated schools, 5 days, greedy schedule; 2026-12-06): writing the
# schedule workbook takes about 11 ms of CPU per para-day (160 paras: 8.2 s), and the work done
# after the search (Unmet reasons, KPIs, the final check) about 3 ms more (160 paras: 2.2 s),
# plus half a second of fixed cost (openpyxl, the file move). 15 ms per para-day leaves room for
# a busy machine.
RESERVE_FIXED_SECONDS = 0.5
RESERVE_SECONDS_PER_PARA_DAY = 0.015
# On a busy machine everything after the search stretches as reading did: the reserve is scaled
# by the wall/CPU ratio of the single-threaded start (reading), up to this factor. Measured at a
# load average of 12 on 2 cores: reading and writing both ran 5-6 times slower than their CPU time.
MAX_SLOWDOWN = 10.0
# The search always gets at least this: a limit too short for the school still yields the
# greedy start improved a little, rather than no schedule at all.
MIN_SOLVE_SECONDS = 0.5
# `resolve` is a morning re-plan: the coordinator waits for it before the bell. 20 s, not 10:
# public-medium with 3 paras out on Tuesday (seeds 0-2) left 220-240 priority-1 minutes of that
# day uncovered at 20 s against 285-355 at 10 s, priority 2 equal (docs/resolve.md).
RESOLVE_DEFAULT_SECONDS = 20.0


@dataclass(frozen=True)
class Deadline:
    """``seconds`` from ``started`` (a ``clock()`` reading). Make it once, at the very start."""

    seconds: float
    started: float = field(default=-1.0)
    clock: Callable[[], float] = field(default=time.monotonic, compare=False, repr=False)
    cpu_started: float | None = None  # process_time() at ``started``: measures how busy the machine is
    cpu_clock: Callable[[], float] = field(default=time.process_time, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not (
            isinstance(self.seconds, int | float)
            and not isinstance(self.seconds, bool)
            and math.isfinite(self.seconds)
            and self.seconds > 0
        ):
            raise ValueError(f"a deadline needs a positive finite number of seconds, not {self.seconds!r}")
        if self.started < 0:
            object.__setattr__(self, "started", self.clock())

    @property
    def ends(self) -> float:
        """The ``clock()`` reading at which the time is up."""
        return self.started + self.seconds

    def elapsed(self) -> float:
        return self.clock() - self.started

    def remaining(self) -> float:
        """Seconds left (0 once expired, never negative)."""
        return max(0.0, self.ends - self.clock())

    def expired(self) -> bool:
        return self.clock() >= self.ends

    def slowdown(self) -> float:
        """Wall time over CPU time since the start (1 = an idle machine; 6 = six times slower),
        meaningful while the work so far was single-threaded (reading the input)."""
        if self.cpu_started is None:
            return 1.0
        cpu = self.cpu_clock() - self.cpu_started
        if cpu < 0.05:  # too little work to judge
            return 1.0
        return min(MAX_SLOWDOWN, max(1.0, self.elapsed() / cpu))

    def child(self, fraction: float | None = None, *, seconds: float | None = None) -> Deadline:
        """A deadline starting now for a part of the work: ``fraction`` of the time left, or
        ``seconds``; never past this one's end (a phase cannot borrow time the command has not)."""
        if (fraction is None) == (seconds is None):
            raise ValueError("give a fraction of the time left or a number of seconds, not both")
        left = self.remaining()
        if fraction is not None:
            if not 0 < fraction <= 1:
                raise ValueError(f"a fraction of the time left is in (0, 1], not {fraction!r}")
            want = left * fraction
        else:
            assert seconds is not None
            want = min(seconds, left)
        now = self.clock()
        if want <= 0:  # an expired parent makes an expired child (ending when the parent did)
            return Deadline(1e-9, self.ends - 1e-9, self.clock)
        return Deadline(want, now, self.clock, self.cpu_clock(), self.cpu_clock)


def writing_reserve(paras: int, days: int) -> float:
    """Seconds to keep back for what follows the search: Unmet reasons, writing the workbook, the
    final check (see the measurement above)."""
    return RESERVE_FIXED_SECONDS + RESERVE_SECONDS_PER_PARA_DAY * max(0, paras) * max(0, days)


def solver_seconds(deadline: Deadline, paras: int, days: int) -> float:
    """The solver's time limit: what is left of the deadline less the writing reserve (stretched
    by how busy the machine has been, :meth:`Deadline.slowdown`), and never below
    :data:`MIN_SOLVE_SECONDS`."""
    return max(MIN_SOLVE_SECONDS, deadline.remaining() - writing_reserve(paras, days) * deadline.slowdown())


__all__ = [
    "MAX_SLOWDOWN",
    "MIN_SOLVE_SECONDS",
    "RESOLVE_DEFAULT_SECONDS",
    "Deadline",
    "solver_seconds",
    "writing_reserve",
]
