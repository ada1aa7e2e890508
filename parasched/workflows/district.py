"""The district substitute pool: which substitute goes to which school on which day.

After every school of a batch is solved, each school reports its unmet needs per day as pieces
of time (``school_needs``): how many more paras a stretch needs, how much it weighs (priority 1
far above 2, far above 3) and which district substitutes could take it (skills, gender, hours,
the schools they can reach). ``assign_substitutes`` then places each substitute at no more than
one school per day so that the priority-weighted unmet minutes they could cover are the most:
a small exact CP-SAT model (a substitute does one thing at a time, a stretch takes no more
substitutes than it is short of paras). The schools that got a substitute are then re-solved
with the substitute added as a ``role = substitute`` para on those days (``with_substitutes``),
so the school's own solver decides what they actually do.

The estimate ignores the substitute's lunch and break and the minimum run; the re-solve is the
truth, and the summary shows both.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from parasched.scheduler.district import Substitute
from parasched.scheduler.model import Para, Problem
from parasched.scheduler.schedule import Schedule, UnmetKind

# a minute of priority 1 outweighs a whole day of priority 2 for every substitute, and so on
PRIORITY_WEIGHT: Mapping[int, int] = {1: 100_000_000, 2: 10_000, 3: 1}


@dataclass(frozen=True)
class NeedPiece:
    """A stretch of one day at one school short of ``staff`` paras, each minute worth ``weight``,
    that the substitutes in ``eligible`` could take."""

    day: str
    start: int
    end: int
    priority: int
    staff: int
    eligible: tuple[str, ...]

    @property
    def weight(self) -> int:
        """What one minute of this piece is worth."""
        return PRIORITY_WEIGHT.get(self.priority, 1)


@dataclass(frozen=True)
class Placement:
    """A substitute sent to a school on a day, and the weighted unmet minutes they could cover
    there (the estimate the assignment maximised) per priority."""

    substitute_id: str
    school: str
    day: str
    minutes: tuple[int, int, int]


def usable_substitutes(problem: Problem, substitutes: Iterable[Substitute]) -> tuple[tuple[Substitute, ...], list[str]]:
    """The substitutes this school can take, and a note for each one whose id is already a
    para id of the school (a re-solve could not tell them apart)."""
    taken = {p.para_id.lower() for p in problem.paras}
    ok: list[Substitute] = []
    notes: list[str] = []
    for sub in substitutes:
        if sub.substitute_id.lower() in taken:
            notes.append(
                f"district substitute {sub.substitute_id} has the id of a para of this school; "
                "not sent here (give the substitute another id)"
            )
        else:
            ok.append(sub)
    return tuple(ok), notes


def school_needs(problem: Problem, schedule: Schedule, substitutes: Sequence[Substitute]) -> tuple[NeedPiece, ...]:
    """The school's unmet needs on each day as pieces, with the substitutes who could take each.

    Support: the student's skills in that stretch, same gender when required; duties: the
    duty's skills and how many paras it is short; assist/deliver therapy placed but unstaffed:
    the session's skills and students. A flexible session never placed and weekly flex
    shortfalls are not a substitute's to fix (a provider is missing, or it is a weekly total).
    Pieces are cut at every substitute's start and end, so a piece lies inside or outside each
    substitute's hours.
    """
    from parasched.scheduler.coverage import unmet_rows
    from parasched.scheduler.weekgrid import WeekGrid

    if not substitutes:
        return ()
    grid = WeekGrid.of(problem)
    paras = {sub.substitute_id: sub.as_para(problem, problem.settings.days) for sub in substitutes}
    pieces: list[NeedPiece] = []
    for row in unmet_rows(problem, schedule, grid):
        if not row.day or row.start is None or row.end is None or row.kind == UnmetKind.FLEX:
            continue
        for start, end, need_skills in _stretches(problem, grid, row.kind, row.ref, row.day, row.start, row.end):
            staff = max(1, row.minutes // (row.end - row.start)) if row.kind == UnmetKind.DUTY else 1
            for a, b in _cut(start, end, [sub.hours(problem) for sub in substitutes]):
                eligible = tuple(
                    sub.substitute_id
                    for sub in substitutes
                    if sub.works(row.day)
                    and sub.hours(problem)[0] <= a
                    and b <= sub.hours(problem)[1]
                    and _may_take(problem, grid, paras[sub.substitute_id], row.kind, row.ref, need_skills)
                )
                if eligible:
                    pieces.append(NeedPiece(row.day, a, b, row.priority, staff, eligible))
    return tuple(pieces)


def _stretches(
    problem: Problem, grid, kind: UnmetKind, ref: str, day: str, start: int, end: int
) -> list[tuple[int, int, frozenset[str]]]:
    """The unmet row cut where the skills it needs change (a student's stretch runs over blocks)."""
    if kind != UnmetKind.SUPPORT:
        return [(start, end, frozenset())]
    student = problem.student(ref)
    out: list[tuple[int, int, frozenset[str]]] = []
    for seg in grid.student_day(ref, day):
        a, b = max(start, seg.start), min(end, seg.end)
        if a < b:
            out.append((a, b, seg.skills | student.skills_required))
    return out or [(start, end, student.skills_required)]


def _may_take(problem: Problem, grid, para: Para, kind: UnmetKind, ref: str, skills: frozenset[str]) -> bool:
    if kind == UnmetKind.SUPPORT:
        return grid.support_refusal(para, problem.student(ref), skills) is None
    if kind == UnmetKind.DUTY:
        return grid.duty_refusal(para, problem.duty(ref)) is None
    if kind == UnmetKind.THERAPY:
        return grid.session_refusal(para, problem.session(ref)) is None
    return False


def _cut(start: int, end: int, hours: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    edges = sorted({start, end, *(t for h in hours for t in h if start < t < end)})
    return list(itertools.pairwise(edges))


def assign_substitutes(
    needs: Mapping[str, Sequence[NeedPiece]],
    substitutes: Sequence[Substitute],
    *,
    seed: int = 0,
    time_limit: float = 30.0,
) -> tuple[Placement, ...]:
    """Each substitute to at most one school per day, where the priority-weighted unmet minutes
    they could cover are the most (``needs``: school name -> its pieces). Exact (CP-SAT, one
    worker, the seed fixed: the same needs give the same placements). A substitute who would
    cover nothing stays home."""
    from ortools.sat.python import cp_model

    known = {sub.substitute_id for sub in substitutes}
    model = cp_model.CpModel()
    sent: dict[tuple[str, str, str], cp_model.IntVar] = {}  # (substitute, school, day)
    value: list[tuple[int, cp_model.IntVar]] = []
    takes: dict[tuple[str, str, str, int, int], list[cp_model.IntVar]] = defaultdict(list)  # sub busy at a time
    minutes_of: dict[tuple[str, str, str], list[tuple[int, int, cp_model.IntVar]]] = defaultdict(list)
    for school in sorted(needs):
        # elementary stretches of the day: a substitute can be in one of them doing one thing
        by_day: dict[str, list[NeedPiece]] = defaultdict(list)
        for piece in needs[school]:
            by_day[piece.day].append(piece)
        for day, pieces in sorted(by_day.items()):
            edges = sorted({t for p in pieces for t in (p.start, p.end)})
            for a, b in itertools.pairwise(edges):
                for i, piece in enumerate(pieces):
                    if not (piece.start <= a and b <= piece.end):
                        continue
                    on_piece = []
                    for sid in piece.eligible:
                        if sid not in known:
                            continue
                        key = (sid, school, day)
                        if key not in sent:
                            sent[key] = model.new_bool_var(f"send_{sid}_{school}_{day}")
                        z = model.new_bool_var(f"take_{sid}_{school}_{day}_{a}_{i}")
                        model.add_implication(z, sent[key])
                        takes[(sid, school, day, a, b)].append(z)
                        value.append((piece.weight * (b - a), z))
                        minutes_of[key].append((piece.priority, b - a, z))
                        on_piece.append(z)
                    if on_piece:
                        model.add(sum(on_piece) <= piece.staff)
    for zs in takes.values():
        model.add_at_most_one(zs)
    per_sub_day: dict[tuple[str, str], list[cp_model.IntVar]] = defaultdict(list)
    for (sid, _school, day), x in sent.items():
        per_sub_day[(sid, day)].append(x)
    for xs in per_sub_day.values():
        model.add_at_most_one(xs)
    # a substitute sent for nothing costs one point: they stay home unless they cover a minute
    model.maximize(sum(w * z for w, z in value) - sum(sent.values()))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_time_in_seconds = time_limit
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return ()
    out: list[Placement] = []
    for (sid, school, day), x in sorted(sent.items()):
        if not solver.boolean_value(x):
            continue
        minutes = [0, 0, 0]
        for priority, length, z in minutes_of[(sid, school, day)]:
            if solver.boolean_value(z):
                minutes[priority - 1] += length
        out.append(Placement(sid, school, day, (minutes[0], minutes[1], minutes[2])))
    return tuple(out)


def with_substitutes(
    problem: Problem, substitutes: Sequence[Substitute], days_of: Mapping[str, Sequence[str]]
) -> Problem:
    """``problem`` with each substitute in ``days_of`` (id -> days placed here) added as a
    ``role = substitute`` para working those days."""
    extra = tuple(
        sub.as_para(problem, days_of[sub.substitute_id]) for sub in substitutes if days_of.get(sub.substitute_id)
    )
    return dataclasses.replace(problem, paras=(*problem.paras, *extra))
