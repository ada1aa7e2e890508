"""The progress a coordinator watches during ``solve`` and ``resolve``.

The solver calls ``SolverOptions.on_progress`` with a :class:`~parasched.scheduler.schedule.Progress`
(stage, elapsed, limit, covered percent per priority, handoffs). This display turns it into one
line a person reads: on a terminal a live line that rewrites itself (``rich``); into a file or a
pipe one plain line per change, each ending in a newline, never a ``\\r``. Internal objective
numbers are never shown, and the coverage shown never falls: a stage that works on a lower tier
may report a lower figure for a moment, which would only alarm the person watching.
"""

from __future__ import annotations

import sys
import threading
from types import TracebackType
from typing import TextIO

from rich.console import Console
from rich.live import Live
from rich.text import Text

from parasched.scheduler.schedule import Progress

PRIORITY_LABELS = ("P1", "P2", "P3")


def progress_line(p: Progress, best: tuple[float, float, float] | None = None) -> str:
    """``Tue 2/4 | 12 s of 20 s | covered P1 100.0%, P2 98.8%, P3 89.7% | 296 handoffs``.

    ``best``: the coverage already shown (the line shows the larger figure per priority).
    """
    covered = tuple(max(a, b) for a, b in zip(p.covered_percent, best, strict=True)) if best else p.covered_percent
    parts = [
        p.stage or "solving",
        f"{p.elapsed:.0f} s of {p.limit:.0f} s",
        "covered " + ", ".join(f"{label} {pct:.1f}%" for label, pct in zip(PRIORITY_LABELS, covered, strict=True)),
    ]
    if p.handoffs is not None:
        parts.append(f"{p.handoffs} handoff{'' if p.handoffs == 1 else 's'}")
    return " | ".join(parts)


class ProgressDisplay:
    """Callable for ``SolverOptions.on_progress``; use as a context manager around the solve.

    ``live`` None = a live line when ``stream`` is a terminal, plain lines otherwise.
    """

    def __init__(self, stream: TextIO | None = None, *, live: bool | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.live = self.stream.isatty() if live is None else live
        self._best: tuple[float, float, float] | None = None
        self._last_plain = ""
        self._lock = threading.Lock()  # the solver calls from its own thread
        self._live: Live | None = None
        self.lines_shown = 0

    def __enter__(self) -> ProgressDisplay:
        if self.live:
            console = Console(file=self.stream, force_terminal=True, highlight=False)
            self._live = Live(Text(""), console=console, refresh_per_second=4, transient=False)
            self._live.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __call__(self, p: Progress) -> None:
        with self._lock:
            line = progress_line(p, self._best)
            p1, p2, p3 = p.covered_percent
            if self._best is not None:  # never show a figure lower than one already shown
                p1, p2, p3 = max(p1, self._best[0]), max(p2, self._best[1]), max(p3, self._best[2])
            self._best = (p1, p2, p3)
            if self._live is not None:
                self._live.update(Text(line, no_wrap=True, overflow="ellipsis"))  # one line, never two
                self.lines_shown = 1
                return
            # a file gets a line when something a person cares about changed, not every tick
            key = line.split(" | ", 2)[0] + line.split(" | ", 2)[-1]
            if key == self._last_plain:
                return
            self._last_plain = key
            self.stream.write(line + "\n")
            self.stream.flush()
            self.lines_shown += 1

    def close(self) -> None:
        with self._lock:
            if self._live is not None:
                self._live.stop()
                self._live = None


__all__ = ["ProgressDisplay", "progress_line"]
