"""Turn solver values into a Schedule (contract rows), merging segments into blocks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from parasched.scheduler.schedule import Assignment, Kind, PlacedSession, Schedule

from .variables import ModelData


def value_of(values: Sequence[int], var: Any) -> int:
    return int(values[var.Index()])


def extract(m: ModelData, values: Sequence[int]) -> Schedule:
    """The schedule the values describe, with the rows of days copied from the baseline."""
    rows: list[Assignment] = list(m.copied.assignments)
    sessions: list[PlacedSession] = list(m.copied.sessions)
    occ_para: dict[int, str] = {}
    for (pid, idx), v in m.occ_para.items():
        if value_of(values, v):
            occ_para[idx] = pid
    for para in m.problem.paras:
        pid = para.para_id
        for d in m.plan_days:
            cur: tuple[Any, ...] | None = None
            start = 0
            for k in range(m.n_segs(d) + 1):
                label = _label(m, values, pid, d, k) if k < m.n_segs(d) else None
                if label != cur:
                    if cur is not None:
                        rows.append(_row(m, pid, d, start, m.bps[d][k], cur))
                    cur, start = label, m.bps[d][k] if k < m.n_segs(d) else 0
    for o in m.occs:
        if o.var is None or value_of(values, o.var):
            sessions.append(
                PlacedSession(o.session.session_id, o.day, o.start, o.end, o.session.provider, occ_para.get(o.idx, ""))
            )
    return Schedule(tuple(sorted(rows)), tuple(sorted(sessions)))


def _label(m: ModelData, values: Sequence[int], pid: str, d: str, k: int) -> tuple[Any, ...] | None:
    for v, label, _ in m.para_at.get((pid, d, k), ()):
        if not value_of(values, v):
            continue
        kind = label[0]
        if kind == Kind.SUPPORT:
            if label[1] is not None:
                return (Kind.SUPPORT, "", (label[1],), label[2])
            members = tuple(sorted(sid for sid, y in m.members[(pid, d, label[2], k)] if value_of(values, y)))
            return (Kind.SUPPORT, "", members, label[2]) if members else None
        if kind == Kind.DUTY:
            return (Kind.DUTY, label[1], (), m.problem.duty(label[1]).location)
        if kind == Kind.THERAPY:
            o = m.occs[label[1]]
            return (Kind.THERAPY, o.session.session_id, tuple(o.session.student_ids), "", o.idx)
        return (kind, "", (), "", label[1])  # lunch / break: one row per placed piece
    return None


def _row(m: ModelData, pid: str, d: str, start: int, end: int, label: tuple[Any, ...]) -> Assignment:
    kind, ref, students, location = label[:4]
    return Assignment(pid, d, start, end, kind, ref, students, location)
