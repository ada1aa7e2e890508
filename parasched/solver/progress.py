"""What a person watching a solve is told: the stage, the time used, coverage per priority and
handoffs of the best schedule so far (never internal objective values).

One ``ProgressFeed`` serves a whole solve (day models, the week model, the repair search): each
reports the week's uncovered minutes per priority of a schedule it found, and the feed passes on
only schedules better than the best so far (priority 1 first, then 2, then 3), so the priority-1
figure never falls and the others fall only when a more important one rises.
"""

from __future__ import annotations

import sys
import time

from .options import Progress, SolverOptions


class ProgressFeed:
    """Turns solutions found anywhere in one solve into ``Progress`` updates."""

    def __init__(
        self, options: SolverOptions, required: tuple[int, int, int], limit: float, clock: float | None = None
    ) -> None:
        self.on_progress = options.on_progress
        self.show = options.progress
        self.required = required
        self.limit = limit
        self.clock = time.monotonic() if clock is None else clock
        self.best: tuple[int, int, int] | None = None
        self.shown = False

    def solution(self, stage: str, unmet: tuple[int, int, int], handoffs: int | None) -> None:
        """A schedule was found whose week leaves ``unmet`` minutes (priority 1, 2, 3) uncovered."""
        if self.best is not None and unmet >= self.best:
            return
        self.best = unmet
        percent = tuple(100.0 * (1 - u / r) if r else 100.0 for u, r in zip(unmet, self.required, strict=True))
        update = Progress(
            stage, time.monotonic() - self.clock, self.limit, (percent[0], percent[1], percent[2]), handoffs
        )
        if self.on_progress is not None:
            self.on_progress(update)
        if self.show:
            self.shown = True
            print(line(update), file=sys.stderr, flush=True)


def line(p: Progress) -> str:
    """``  12.3 s of 30 s  day Tue  covered: priority 1 99.5 %, 2 97.0 %, 3 88.0 %  handoffs 41``."""
    hand = "" if p.handoffs is None else f"  handoffs {p.handoffs}"
    return (
        f"  {p.elapsed:5.1f} s of {p.limit:.0f} s  {p.stage}  covered: priority 1 {p.covered_percent[0]:.1f} %, "
        f"2 {p.covered_percent[1]:.1f} %, 3 {p.covered_percent[2]:.1f} %{hand}"
    )


__all__ = ["ProgressFeed", "line"]
