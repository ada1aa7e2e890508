"""A schedule and a solve result: plain frozen data, independent of any solver."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from .timegrid import DAYS


class Kind(StrEnum):
    """What a para is doing in an Assignments row."""

    SUPPORT = "support"
    DUTY = "duty"
    THERAPY = "therapy"
    LUNCH = "lunch"
    BREAK = "break"

    @property
    def is_work(self) -> bool:
        return self in (Kind.SUPPORT, Kind.DUTY, Kind.THERAPY)


@dataclass(frozen=True, order=True)
class Assignment:
    """One contiguous block of one para's day (a row of the Assignments sheet)."""

    para_id: str
    day: str
    start: int
    end: int
    kind: Kind
    ref: str = ""  # duty_id or session_id
    students: tuple[str, ...] = ()
    location: str = ""

    def __post_init__(self) -> None:
        if self.day not in DAYS:
            raise ValueError(f"'{self.day}' is not a day")
        if self.end <= self.start:
            raise ValueError(f"assignment ends before it starts: {self}")

    @property
    def minutes(self) -> int:
        return self.end - self.start


@dataclass(frozen=True, order=True)
class PlacedSession:
    """One therapy occurrence in time (a row of the Sessions sheet)."""

    session_id: str
    day: str
    start: int
    end: int
    provider: str = ""
    para_id: str = ""


class UnmetKind(StrEnum):
    SUPPORT = "support"
    DUTY = "duty"
    THERAPY = "therapy"
    FLEX = "flex"


@dataclass(frozen=True, order=True)
class Unmet:
    """A need the schedule leaves uncovered (a row of the Unmet sheet).

    ``day``/``start``/``end`` are blank (""/None) for a flexible session never placed and for a
    weekly flex shortfall.
    """

    kind: UnmetKind
    ref: str
    day: str
    start: int | None
    end: int | None
    minutes: int
    priority: int
    reason: str = ""


@dataclass(frozen=True, order=True)
class Change:
    """A difference from the baseline (a row of the Changes sheet); before/after are labels."""

    para_id: str
    day: str
    start: int
    end: int
    before: str
    after: str


@dataclass(frozen=True)
class Schedule:
    """A week's schedule: the contract sheets as data."""

    assignments: tuple[Assignment, ...] = ()
    sessions: tuple[PlacedSession, ...] = ()
    unmet: tuple[Unmet, ...] = ()
    changes: tuple[Change, ...] = ()

    def for_para(self, para_id: str, day: str | None = None) -> tuple[Assignment, ...]:
        return tuple(sorted(a for a in self.assignments if a.para_id == para_id and (day is None or a.day == day)))


class Status(StrEnum):
    OPTIMAL = "optimal"
    FEASIBLE = "feasible"  # a schedule, not proven best
    INFEASIBLE = "infeasible"
    UNKNOWN = "unknown"  # no schedule within the time limit


@dataclass(frozen=True)
class SolveStats:
    """How the solve went; ``None`` where not measured."""

    variables: int = 0
    constraints: int = 0
    first_solution_seconds: float | None = None
    workers: int = 0
    seed: int = 0


@dataclass(frozen=True)
class SolveResult:
    """What a solve returns. KPIs are recomputed from ``schedule``, never read from the solver."""

    status: Status
    schedule: Schedule
    objective: float | None = None
    bound: float | None = None
    runtime: float = 0.0
    stats: SolveStats = field(default_factory=SolveStats)
    # per objective term value (name, value) in tier order, e.g. ("unmet_p1", 0); see solver/objective.py
    tiers: tuple[tuple[str, int], ...] = ()

    def term(self, name: str) -> int | None:
        """Value of one objective term (None when not reported)."""
        return dict(self.tiers).get(name)

    @property
    def gap(self) -> float | None:
        """Relative gap between objective and bound (0 = proven best)."""
        if self.objective is None or self.bound is None:
            return None
        if abs(self.objective) < 1e-9:
            return 0.0
        return abs(self.objective - self.bound) / max(1e-9, abs(self.objective))


@dataclass(frozen=True)
class Progress:
    """What a person watching a solve wants to know: the stage, time used of the limit, the
    share of required minutes covered per priority (percent, never falling during one solve)
    and the handoffs of the best schedule so far."""

    stage: str
    elapsed: float
    limit: float
    covered_percent: tuple[float, float, float]
    handoffs: int | None = None
