"""Key figures of a schedule, recomputed from the schedule alone (never read from the solver).

The objective terms (``Kpis.objective_terms``) are exactly the terms of the objective tiers in
``docs/architecture.md``; the solver minimises these same numbers, and a test checks that the
solver's values equal the ones computed here. Definitions (all minutes are whole minutes):

- ``unmet_p1``, ``unmet_p2``, ``unmet_p3``: for each priority, the sum of ``minutes`` of the
  rows of :func:`coverage.unmet_rows` of kind support (1:1 and shared blocks), duty
  (missing staff-minutes) and therapy (uncovered minutes of placed assist/deliver occurrences,
  plus ``duration x missing`` of flexible sessions placed fewer than ``sessions_per_week``
  times, whatever their para_role). Flex shortfalls are not included (see ``flex_short``).
- ``flex_short``: over students with ``weekly_flex_minutes`` > 0, the sum of
  ``max(0, weekly_flex_minutes - flex minutes received)`` (:func:`coverage.flex_minutes`).
- ``substitute_minutes``: minutes of work rows (support, duty, therapy) of paras whose role is
  ``substitute``.
- ``handoffs``: per student and day, the number of distinct times t such that a support row
  naming the student ends at t and a support row naming the student with a different para
  starts at t; summed over students and days.
- ``extra_paras``: per student and day, the number of distinct paras of support or therapy
  rows naming the student (in the row's ``students``), minus 1, floored at 0; summed.
- ``extra_week_paras``: per student, the number of distinct paras of support or therapy rows
  naming the student over the whole week, minus 1, floored at 0, and each para beyond the
  ``CROWDED_WEEK_PARAS``-th counted once more (:func:`week_para_units`); summed (the same paras
  Monday to Friday is what schools do; a fourth and a fifth para in a student's week is a student
  passed around, whatever each of them covers).
- ``duty_relays``: per duty and day, the number of the duty's *runs* (a para's back-to-back duty
  rows of that duty: one para's unbroken time on it) minus ``staff_needed``, floored at 0;
  summed. The contract lets paras relay within a duty block; each relay is one more para walking
  in for part of a lunch wave or a bus line, so the schedule pays for it like a student's relief.
- ``preferred_missed``: over support rows, and each student the row names who has
  ``preferred_paras``, the row's minutes when its para is not among them; summed.
- ``duty_spread``: among paras with role ``para`` and ``general_duties`` yes who work that week
  (have available time on at least one school day), the largest weekly duty-row minutes minus
  the smallest (0 when there is no such para).
- ``lunch_variation``: per para, the number of distinct start times of their lunch rows in the
  week minus 1 (0 for a para without lunch rows); summed over paras.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from .coverage import coverage, flex_minutes, unmet_rows, unplaced_sessions
from .model import PRIORITIES, Problem, Role
from .schedule import Assignment, Kind, Schedule, UnmetKind
from .weekgrid import WeekGrid

OBJECTIVE_TERMS = (
    "unmet_p1",
    "unmet_p2",
    "unmet_p3",
    "flex_short",
    "substitute_minutes",
    "handoffs",
    "extra_paras",
    "extra_week_paras",
    "duty_relays",
    "preferred_missed",
    "duty_spread",
    "lunch_variation",
)

# What continuity costs, in uncovered priority-3 minutes (the solver's judge and objective, and
# the continuity trades, all use these): a handoff, or one more para in a student's day, as much
# as 30 minutes; one more para in the student's week 300 (30 priority-2 minutes: the same paras
# Monday to Friday is what schools do, and a para who appears for twenty minutes on Wednesday is
# a stranger to the student, not support); a minute with a para not among the student's preferred
# ones, 1. Priority 1 is worth 100 a minute: a safety-critical student never loses three minutes
# to save a para in their week.
# A relay on a duty (one more para walking in for part of a lunch wave) costs 60, as a student's
# relief does (two handoffs): by the judge a priority-2 duty is relayed for 10 minutes or more,
# never for 5, a priority-3 duty only for more than an hour, a priority-1 duty (a bus line) for
# any minute it would otherwise lack.
CONTINUITY_WEIGHTS = {
    "handoffs": 30,
    "extra_paras": 30,
    "extra_week_paras": 300,
    "duty_relays": 60,
    "preferred_missed": 1,
}
# What one uncovered minute costs, by priority, in the same unit (the judge's first level,
# ``solver.objective.COVERAGE_VALUE``): priority 1 outweighs 10 priority-2 minutes.
PRIORITY_VALUE = {1: 100, 2: 10, 3: 1}


# a student's week with more paras than this is crowded: each para beyond it counts twice in
# ``extra_week_paras`` (a main para, a lunch relief and one more is what the schools keep)
CROWDED_WEEK_PARAS = 3
# students of this priority or less urgent pay for a crowded week: a safety-critical (priority-1)
# student's minutes are never given up for it
CROWDED_FROM_PRIORITY = 2


def week_para_units(paras: int, priority: int) -> int:
    """What ``paras`` distinct paras in one student's week count in ``extra_week_paras``: one
    for each para after the first, and for a student of priority ``CROWDED_FROM_PRIORITY`` or
    less urgent one more for each after the ``CROWDED_WEEK_PARAS``-th."""
    crowded = max(0, paras - CROWDED_WEEK_PARAS) if priority >= CROWDED_FROM_PRIORITY else 0
    return max(0, paras - 1) + crowded


def next_week_para_units(paras: int, priority: int) -> int:
    """What one more para costs in ``extra_week_paras`` for a student who has ``paras`` this week
    (at least 1: a para cutting in is never the student's first)."""
    return max(1, week_para_units(paras + 1, priority) - week_para_units(paras, priority))


def cutting_in_cost(new_in_day: bool, new_in_week: bool, week_paras: int | None = None, priority: int = 1) -> int:
    """What one run by another para in the middle of a student's stretch costs in continuity:
    two handoffs, and one more para in the student's day and week when that para is new there
    (caseload reliefs and the Unmet reasons weigh a piece of coverage against this).
    ``week_paras``: the student's paras this week so far, when known, and ``priority`` the
    student's (a crowded week's next para may cost twice, ``week_para_units``)."""
    w = CONTINUITY_WEIGHTS
    units = int(new_in_week)
    if new_in_week and week_paras is not None:
        units = next_week_para_units(week_paras, priority)
    return 2 * w["handoffs"] + w["extra_paras"] * new_in_day + w["extra_week_paras"] * units


@dataclass(frozen=True)
class Kpis:
    """A schedule's key figures. Dict fields are keyed by priority (1-3), student or para id."""

    # coverage of required needs (support 1:1/shared, duty staff-minutes, assist/deliver therapy,
    # unplaced flexible sessions)
    required_minutes: dict[int, int] = field(default_factory=dict)
    covered_minutes: dict[int, int] = field(default_factory=dict)
    duty_staff_minutes: int = 0  # minutes of duty rows (staff-minutes on duty)
    flex: dict[str, tuple[int, int]] = field(default_factory=dict)  # student -> (received, target)
    paras_per_student: dict[str, int] = field(default_factory=dict)  # distinct paras in the week
    duty_minutes: dict[str, int] = field(default_factory=dict)  # per duty-eligible working para
    # objective terms (see module docstring)
    unmet_p1: int = 0
    unmet_p2: int = 0
    unmet_p3: int = 0
    flex_short: int = 0
    substitute_minutes: int = 0
    handoffs: int = 0
    extra_paras: int = 0
    extra_week_paras: int = 0
    duty_relays: int = 0
    preferred_missed: int = 0
    duty_spread: int = 0
    lunch_variation: int = 0

    @property
    def required_total(self) -> int:
        return sum(self.required_minutes.values())

    @property
    def covered_total(self) -> int:
        return sum(self.covered_minutes.values())

    @property
    def coverage_percent(self) -> float:
        """Covered share of required minutes, 100.0 when nothing is required."""
        req = self.required_total
        return 100.0 if req == 0 else 100.0 * self.covered_total / req

    def coverage_percent_of(self, priority: int) -> float:
        req = self.required_minutes.get(priority, 0)
        return 100.0 if req == 0 else 100.0 * self.covered_minutes.get(priority, 0) / req

    @property
    def duty_min(self) -> int:
        return min(self.duty_minutes.values(), default=0)

    @property
    def duty_max(self) -> int:
        return max(self.duty_minutes.values(), default=0)

    @property
    def duty_avg(self) -> float:
        return sum(self.duty_minutes.values()) / len(self.duty_minutes) if self.duty_minutes else 0.0

    def objective_terms(self) -> dict[str, int]:
        """The objective terms by name, in tier order (see docs/architecture.md)."""
        return {name: int(getattr(self, name)) for name in OBJECTIVE_TERMS}

    def as_dict(self) -> dict[str, object]:
        """Plain data for JSON output."""
        return {
            "required_minutes": {str(k): v for k, v in sorted(self.required_minutes.items())},
            "covered_minutes": {str(k): v for k, v in sorted(self.covered_minutes.items())},
            "coverage_percent": round(self.coverage_percent, 2),
            "duty_staff_minutes": self.duty_staff_minutes,
            "flex": {k: {"received": g, "target": t} for k, (g, t) in sorted(self.flex.items())},
            "paras_per_student": dict(sorted(self.paras_per_student.items())),
            "duty_minutes": dict(sorted(self.duty_minutes.items())),
            "duty_min": self.duty_min,
            "duty_avg": round(self.duty_avg, 2),
            "duty_max": self.duty_max,
            "objective_terms": self.objective_terms(),
        }


def _handoffs(ends: dict[int, set[str]], starts: dict[int, set[str]]) -> int:
    """Handoffs of one student-day from the paras whose support rows end / start at each time."""
    return sum(1 for t, enders in ends.items() if any(p != q for p in enders for q in starts.get(t, ())))


def student_day_handoffs(rows: Iterable[Assignment]) -> int:
    """Handoffs of one student's day (module docstring), from the support rows naming them."""
    ends: dict[int, set[str]] = defaultdict(set)
    starts: dict[int, set[str]] = defaultdict(set)
    for a in rows:
        if a.kind == Kind.SUPPORT:
            ends[a.end].add(a.para_id)
            starts[a.start].add(a.para_id)
    return _handoffs(ends, starts)


def duty_runs(rows: Iterable[Assignment]) -> Counter[tuple[str, str]]:
    """Runs on duties among ``rows``, per (duty, day): a para's back-to-back rows of a duty are
    one run, the same para back after a gap a second one."""
    by_occurrence: dict[tuple[str, str], list[Assignment]] = defaultdict(list)
    for a in rows:
        if a.kind == Kind.DUTY:
            by_occurrence[(a.ref, a.day)].append(a)
    out: Counter[tuple[str, str]] = Counter()
    for key, occ in by_occurrence.items():
        occ.sort(key=lambda a: (a.para_id, a.start))
        out[key] = sum(
            1 for i, a in enumerate(occ) if i == 0 or occ[i - 1].para_id != a.para_id or occ[i - 1].end != a.start
        )
    return out


def duty_relays(problem: Problem, rows: Iterable[Assignment]) -> int:
    """Relays on duties among ``rows`` (module docstring): per duty and day, its runs beyond
    ``staff_needed``."""
    staff = {d.duty_id: d.staff_needed for d in problem.duties}
    # a hand-edited row naming no duty is left out: the checker reports it
    return sum(max(0, n - staff[duty_id]) for (duty_id, _), n in duty_runs(rows).items() if duty_id in staff)


def compute_kpis(problem: Problem, schedule: Schedule, grid: WeekGrid | None = None) -> Kpis:
    """Every KPI of ``schedule`` for ``problem`` (definitions in the module docstring)."""
    grid = grid or WeekGrid.of(problem)
    # -- coverage ------------------------------------------------------------------------------
    required = dict.fromkeys(PRIORITIES, 0)
    for need in coverage(problem, schedule, grid):
        required[need.priority] += need.required
    for sid, missing in unplaced_sessions(problem, schedule):
        ses = problem.session(sid)
        required[ses.priority] += ses.duration * missing
    unmet = dict.fromkeys(PRIORITIES, 0)
    for u in unmet_rows(problem, schedule, grid):
        if u.kind != UnmetKind.FLEX:
            unmet[u.priority] += u.minutes
    covered = {p: required[p] - unmet[p] for p in PRIORITIES}

    # -- flex ------------------------------------------------------------------------------------
    got = flex_minutes(problem, schedule, grid)
    flex: dict[str, tuple[int, int]] = {}
    flex_short = 0
    for st in problem.students:
        g = got.get(st.student_id, 0)
        if st.weekly_flex_minutes or g:
            flex[st.student_id] = (g, st.weekly_flex_minutes)
        if st.weekly_flex_minutes:
            flex_short += max(0, st.weekly_flex_minutes - g)

    # -- per row ---------------------------------------------------------------------------------
    roles = {p.para_id: p.role for p in problem.paras}
    preferred = {s.student_id: set(s.preferred_paras) for s in problem.students if s.preferred_paras}
    priority = {s.student_id: s.priority for s in problem.students}  # (a hand-edited row may name others)
    substitute = duty_staff = preferred_missed = 0
    duty_by_para: dict[str, int] = defaultdict(int)
    paras_of: dict[tuple[str, str], set[str]] = defaultdict(set)  # (student, day) -> paras
    week_paras: dict[str, set[str]] = defaultdict(set)
    ends: dict[tuple[str, str], dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    starts: dict[tuple[str, str], dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    lunch_starts: dict[str, set[int]] = defaultdict(set)
    for a in schedule.assignments:
        if a.kind.is_work and roles.get(a.para_id) == Role.SUBSTITUTE:
            substitute += a.minutes
        if a.kind == Kind.DUTY:
            duty_staff += a.minutes
            duty_by_para[a.para_id] += a.minutes
        if a.kind == Kind.LUNCH:
            lunch_starts[a.para_id].add(a.start)
        if a.kind in (Kind.SUPPORT, Kind.THERAPY):
            for sid in a.students:
                paras_of[(sid, a.day)].add(a.para_id)
                week_paras[sid].add(a.para_id)
        if a.kind == Kind.SUPPORT:
            for sid in a.students:
                ends[(sid, a.day)][a.end].add(a.para_id)
                starts[(sid, a.day)][a.start].add(a.para_id)
                if sid in preferred and a.para_id not in preferred[sid]:
                    preferred_missed += a.minutes

    handoffs = sum(_handoffs(by_time, starts.get(key, {})) for key, by_time in ends.items())
    extra = sum(max(0, len(ps) - 1) for ps in paras_of.values())

    duty_eligible = [
        p.para_id for p in problem.paras if p.role == Role.PARA and p.general_duties and grid.working_days(p.para_id)
    ]
    duty_minutes = {pid: duty_by_para.get(pid, 0) for pid in duty_eligible}
    spread = max(duty_minutes.values()) - min(duty_minutes.values()) if duty_minutes else 0
    lunch_variation = sum(max(0, len(s) - 1) for s in lunch_starts.values())

    return Kpis(
        required_minutes=required,
        covered_minutes=covered,
        duty_staff_minutes=duty_staff,
        flex=flex,
        paras_per_student={sid: len(ps) for sid, ps in week_paras.items()},
        duty_minutes=duty_minutes,
        unmet_p1=unmet[1],
        unmet_p2=unmet[2],
        unmet_p3=unmet[3],
        flex_short=flex_short,
        substitute_minutes=substitute,
        handoffs=handoffs,
        extra_paras=extra,
        extra_week_paras=sum(week_para_units(len(ps), priority.get(sid, 1)) for sid, ps in week_paras.items()),
        duty_relays=duty_relays(problem, schedule.assignments),
        preferred_missed=preferred_missed,
        duty_spread=spread,
        lunch_variation=lunch_variation,
    )


__all__ = [
    "CONTINUITY_WEIGHTS",
    "CROWDED_FROM_PRIORITY",
    "CROWDED_WEEK_PARAS",
    "OBJECTIVE_TERMS",
    "PRIORITY_VALUE",
    "Kpis",
    "compute_kpis",
    "cutting_in_cost",
    "duty_relays",
    "duty_runs",
    "next_week_para_units",
    "student_day_handoffs",
    "week_para_units",
]
