"""What changed between a baseline schedule and a new one, para by para and minute by minute.

Each para's day is read as a timeline of labels (``1:1 S07``, ``group S02,S05 @Rm 12``,
``duty Bus-AM``, ``therapy T03``, ``lunch``, ``break``, ``free``). Two schedules differ where the
labels differ; a difference is reported as a :class:`Change` row, one per contiguous piece with
the same before and after labels. Splitting one block into two rows, or joining two rows with
the same label, is no change.

``changed_minutes`` weighs those differences exactly as the resolve objective does
(``parasched/solver/objective.py``, term ``changed_minutes``), per para-minute that differs:
:data:`MOVE_WEIGHT` when a para who is not absent is moved off something they had (work, lunch
or break), :data:`FILL_WEIGHT` when a para who is not absent fills in from free time,
:data:`SUBSTITUTE_WEIGHT` for any change to a substitute's minutes, :data:`ABSENT_WEIGHT` for
minutes in which the para is absent (or not working).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from functools import lru_cache
from itertools import pairwise

from .model import Problem, Support
from .schedule import Assignment, Change, Kind, Schedule
from .timegrid import DAYS, Interval, intersect, merge, total
from .weekgrid import WeekGrid

FREE = "free"

# weights of one changed minute (see module docstring); the solver's objective uses these
MOVE_WEIGHT = 4
SUBSTITUTE_WEIGHT = 2
FILL_WEIGHT = 1
ABSENT_WEIGHT = 0


def label(a: Assignment, grid: WeekGrid | None = None) -> str:
    """What a para is doing in a row, as a short label a coordinator reads.

    A support row naming one student is ``1:1 S07`` when the student needs 1:1 support then
    (or when no ``grid`` is given), else ``support S07 @Rm 12``; several students make
    ``group S02,S05 @Rm 12``.
    """
    at = f" @{a.location}" if a.location else ""
    if a.kind == Kind.SUPPORT:
        students = ",".join(sorted(a.students))
        if len(a.students) > 1:
            return f"group {students}{at}"
        if grid is None or _needs_one_to_one(grid, a):
            return f"1:1 {students}"
        return f"support {students}{at}"
    if a.kind == Kind.DUTY:
        return f"duty {a.ref}"
    if a.kind == Kind.THERAPY:
        return f"therapy {a.ref}"
    return str(a.kind)  # lunch, break


def _needs_one_to_one(grid: WeekGrid, a: Assignment) -> bool:
    sid = a.students[0] if a.students else ""
    try:
        student = grid.problem.student(sid)
    except KeyError:
        return True
    if a.day not in grid.days:
        return student.support == Support.ONE_TO_ONE
    for start, end, support in _levels(grid, sid, a.day):
        if start <= a.start < end:
            return support == Support.ONE_TO_ONE
    return student.support == Support.ONE_TO_ONE


@lru_cache(maxsize=8192)
def _levels(grid: WeekGrid, sid: str, day: str) -> tuple[tuple[int, int, Support], ...]:
    """(start, end, support) of a student's day (cached per grid: labels are asked for often)."""
    return tuple((seg.start, seg.end, seg.support) for seg in grid.student_day(sid, day))


Timeline = list[tuple[int, int, str]]  # sorted, non-overlapping (start, end, label)


def timelines(schedule: Schedule, grid: WeekGrid | None = None) -> dict[tuple[str, str], Timeline]:
    """Each (para, day)'s labelled pieces, adjacent pieces with equal labels joined."""
    out: dict[tuple[str, str], Timeline] = defaultdict(list)
    for a in sorted(schedule.assignments, key=lambda r: (r.para_id, r.day, r.start, r.end)):
        out[(a.para_id, a.day)].append((a.start, a.end, label(a, grid)))
    return {k: _join(v) for k, v in out.items()}


def _join(pieces: Iterable[tuple[int, int, str]]) -> Timeline:
    out: Timeline = []
    for s, e, lab in pieces:
        if out and out[-1][1] == s and out[-1][2] == lab:
            out[-1] = (out[-1][0], e, lab)
        else:
            out.append((s, e, lab))
    return out


def _label_at(tl: Timeline, s: int, e: int) -> str:
    """Label of the elementary piece [s, e) (inside one piece of ``tl`` or in free time)."""
    for ps, pe, lab in tl:
        if ps <= s and e <= pe:
            return lab
    return FREE


def diff_para_day(para_id: str, day: str, before: Timeline, after: Timeline) -> list[Change]:
    """Changes of one para on one day, merged into contiguous pieces with equal before/after."""
    points = sorted({p for s, e, _ in (*before, *after) for p in (s, e)})
    out: list[Change] = []
    for s, e in pairwise(points):
        b, a = _label_at(before, s, e), _label_at(after, s, e)
        if b == a:
            continue
        last = out[-1] if out else None
        if last is not None and last.end == s and last.before == b and last.after == a:
            out[-1] = Change(para_id, day, last.start, e, b, a)
        else:
            out.append(Change(para_id, day, s, e, b, a))
    return out


def diff(baseline: Schedule, new: Schedule, problem: Problem | None = None) -> tuple[Change, ...]:
    """Every difference between two schedules, per para and day, in para, day, time order."""
    grid = WeekGrid.of(problem) if problem is not None else None
    before, after = timelines(baseline, grid), timelines(new, grid)
    order = {p.para_id: i for i, p in enumerate(problem.paras)} if problem is not None else {}
    keys = sorted(set(before) | set(after), key=lambda k: (order.get(k[0], len(order)), k[0], DAYS.index(k[1])))
    out: list[Change] = []
    for para_id, day in keys:
        out += diff_para_day(para_id, day, before.get((para_id, day), []), after.get((para_id, day), []))
    return tuple(out)


def changed_minutes(
    baseline: Schedule,
    new: Schedule,
    absent_paras: Iterable[str] = (),
    substitutes: Iterable[str] = (),
    problem: Problem | None = None,
    changes: Iterable[Change] | None = None,
) -> int:
    """Changed para-minutes weighed like the resolve objective (see the module docstring).

    With ``problem`` (absences applied), minutes outside a para's available time weigh
    :data:`ABSENT_WEIGHT`, and its substitutes are known from the Paras roles. Without it, every
    changed minute of a para in ``absent_paras`` weighs :data:`ABSENT_WEIGHT`; ``substitutes``
    names the substitutes. ``changes``: ``diff(baseline, new, problem)`` when already computed.
    """
    absent = set(absent_paras)
    subs = set(substitutes)
    grid = WeekGrid.of(problem) if problem is not None else None
    if problem is not None:
        subs |= {p.para_id for p in problem.paras if p.is_substitute}
    out = 0
    for c in diff(baseline, new, problem) if changes is None else changes:
        if grid is not None:
            present = total(intersect([(c.start, c.end)], grid.para_available(c.para_id, c.day)))
        else:
            present = 0 if c.para_id in absent else c.end - c.start
        out += present * weight_of(c, subs) + (c.end - c.start - present) * ABSENT_WEIGHT
    return out


def weight_of(change: Change, substitutes: set[str] | frozenset[str]) -> int:
    """Cost of one changed minute of a para who is present (see the module docstring)."""
    if change.para_id in substitutes:
        return SUBSTITUTE_WEIGHT
    return FILL_WEIGHT if change.before == FREE else MOVE_WEIGHT


def covering(change: Change, baseline: Schedule, absent_paras: Iterable[str]) -> tuple[str, ...]:
    """Absent paras whose baseline work the ``after`` side of ``change`` takes over.

    A para covers an absent para when, during the change, the absent para's baseline rows had the
    same duty or session, or a student the change's new row names.
    """
    if change.after in (FREE, "lunch", "break"):
        return ()
    absent = set(absent_paras) - {change.para_id}
    new_kind = change.after.partition(" ")[0]
    new_students = set(students_of(change.after))
    out: list[str] = []
    for a in baseline.assignments:
        if a.para_id not in absent or a.day != change.day or not (a.start < change.end and change.start < a.end):
            continue
        if new_kind in ("duty", "therapy"):
            hit = label(a) == change.after
        else:
            hit = bool(new_students & set(a.students)) and a.kind == Kind.SUPPORT
        if hit and a.para_id not in out:
            out.append(a.para_id)
    return tuple(sorted(out))


def students_of(lab: str) -> tuple[str, ...]:
    """Student ids named by a support label (``group S2,S5 @Rm 12`` -> S2, S5)."""
    kind, _, rest = lab.partition(" ")
    if kind not in ("1:1", "group", "support"):
        return ()
    ids = rest.split(" @", 1)[0]
    return tuple(s for s in ids.split(",") if s)


def by_para(changes: Iterable[Change]) -> Mapping[str, tuple[Change, ...]]:
    """Changes grouped per para, in the order given."""
    out: dict[str, list[Change]] = defaultdict(list)
    for c in changes:
        out[c.para_id].append(c)
    return {k: tuple(v) for k, v in out.items()}


def spans(changes: Iterable[Change], para_id: str, day: str) -> tuple[Interval, ...]:
    """Merged times at which ``para_id``'s day changed."""
    return merge((c.start, c.end) for c in changes if c.para_id == para_id and c.day == day)


__all__ = [
    "ABSENT_WEIGHT",
    "FILL_WEIGHT",
    "FREE",
    "MOVE_WEIGHT",
    "SUBSTITUTE_WEIGHT",
    "by_para",
    "changed_minutes",
    "covering",
    "diff",
    "diff_para_day",
    "label",
    "students_of",
    "timelines",
    "weight_of",
]
