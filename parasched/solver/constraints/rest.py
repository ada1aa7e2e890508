"""Duty-free lunch, breaks and the longest stretch of continuous work."""

from __future__ import annotations

from typing import Any

from ..variables import ModelData


def add_lunch(m: ModelData) -> None:
    """Each day a lunch is owed, the para takes exactly one lunch, one contiguous piece in the window."""
    for cands in m.lunch.values():
        m.model.add_exactly_one(v for _, v in cands)


def add_breaks(m: ModelData) -> None:
    """Each working day the para takes exactly the breaks owed (never overlapping, see capacity)."""
    for key, cands in m.breaks.items():
        m.model.add(sum(v for _, v in cands) == m.breaks_owed[key])


def add_max_continuous(m: ModelData) -> None:
    """No run of back-to-back work longer than max_continuous_minutes: every longer window has a pause."""
    limit = m.problem.settings.max_continuous_minutes
    if limit is None:
        return
    for para in m.problem.paras:
        pid = para.para_id
        for d in m.plan_days:
            b = m.bps[d]
            # segments of work outside the model (a repair piece's rows that stay): always 1, and
            # a stretch runs through them, so a piece cannot end where a kept duty adds 20 minutes
            outside = {k for k in range(len(b) - 1) for q, s, e in m.busy if q == pid and s <= b[k] and b[k + 1] <= e}
            ks = sorted(m.avail[(pid, d)] | outside)
            work: dict[int, Any] = dict.fromkeys(outside, 1)
            for k in ks:
                if k in outside:
                    continue
                vs = [v for v, _, w in m.para_at.get((pid, d, k), ()) if w]
                if len(vs) == 1:
                    work[k] = vs[0]
                elif vs:  # one 0/1 'working' literal per segment keeps the windows short
                    work[k] = m.model.new_bool_var(f"work_{pid}_{d}_{k}")
                    m.model.add(work[k] == sum(vs))
            for i in range(len(ks)):
                # smallest window of contiguous available segments starting at ks[i] longer than limit
                window: list[int] = []
                length = 0
                for k in ks[i:]:
                    if window and k != window[-1] + 1:
                        break
                    window.append(k)
                    length += b[k + 1] - b[k]
                    if length > limit:
                        break
                if length <= limit:
                    continue
                if any(k not in work for k in window) or all(k in outside for k in window):
                    continue
                m.model.add(sum(work[k] for k in window) <= len(window) - 1)
