"""Rotation: max_minutes_with_same_para."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from ..variables import ModelData


def add_rotation(m: ModelData) -> None:
    """Per day, a para spends at most max_minutes_with_same_para with a student (support and therapy)."""
    limits = {
        s.student_id: s.max_minutes_with_same_para
        for s in m.problem.students
        if s.max_minutes_with_same_para is not None
    }
    if not limits:
        return
    minutes: dict[tuple[str, str, str], list[tuple[int, Any]]] = defaultdict(list)
    for (pid, sid, d, k), v in m.y.items():
        if sid in limits:
            minutes[(pid, sid, d)].append((m.seg_len(d, k), v))
    for (pid, idx), v in m.occ_para.items():
        o = m.occs[idx]
        for sid in o.session.student_ids:
            if sid in limits:
                minutes[(pid, sid, o.day)].append((o.end - o.start, v))
    for (_, sid, _), terms in minutes.items():
        if sum(c for c, _ in terms) > limits[sid]:
            m.model.add(sum(c * v for c, v in terms) <= limits[sid])
