"""Duties: staff per minute and weekly duty caps."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from parasched.scheduler.schedule import Kind

from ..variables import ModelData


def add_duty_staff(m: ModelData) -> None:
    """A duty never has more paras than staff_needed in a minute."""
    for (duty_id, _, _), vs in m.duty_cover.items():
        need = m.problem.duty(duty_id).staff_needed
        if len(vs) > need:
            m.model.add(sum(vs) <= need)


def copied_duty_minutes(m: ModelData) -> dict[str, int]:
    """Duty minutes per para on days copied from the baseline."""
    out: dict[str, int] = defaultdict(int)
    for a in m.copied.assignments:
        if a.kind == Kind.DUTY:
            out[a.para_id] += a.minutes
    return out


def add_max_duty_minutes(m: ModelData) -> None:
    """A para's duty minutes in the week stay within their max_duty_minutes."""
    per_para: dict[str, list[tuple[int, Any]]] = defaultdict(list)
    for (pid, _, d, k), v in m.duty.items():
        per_para[pid].append((m.seg_len(d, k), v))
    done = copied_duty_minutes(m)
    for para in m.problem.paras:
        cap = para.max_duty_minutes
        if cap is None:
            continue
        terms = per_para.get(para.para_id, [])
        left = max(0, cap - done.get(para.para_id, 0))
        if sum(c for c, _ in terms) > left:
            m.model.add(sum(c * v for c, v in terms) <= left)
