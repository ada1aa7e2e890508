"""Therapy sessions: placement of flexible sessions, no double booking, the assisting para."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from ..variables import ModelData


def copied_placements(m: ModelData) -> dict[str, int]:
    """Occurrences of each session on days copied from the baseline."""
    out: dict[str, int] = defaultdict(int)
    for s in m.copied.sessions:
        out[s.session_id] += 1
    return out


def add_session_placement(m: ModelData) -> None:
    """A flexible session is placed at most once a day and at most sessions_per_week times."""
    by_day: dict[tuple[str, str], list[Any]] = defaultdict(list)
    by_ses: dict[str, list[Any]] = defaultdict(list)
    for o in m.occs:
        if o.var is not None:
            by_day[(o.session.session_id, o.day)].append(o.var)
            by_ses[o.session.session_id].append(o.var)
    for vs in by_day.values():
        if len(vs) > 1:
            m.model.add_at_most_one(vs)
    done = copied_placements(m)
    for sid, vs in by_ses.items():
        spw = m.problem.session(sid).sessions_per_week
        assert spw is not None
        m.model.add(sum(vs) <= max(0, spw - done.get(sid, 0)))


def add_session_no_overlap(m: ModelData) -> None:
    """A student and a provider are in one session at a time (fixed ones are avoided by construction)."""
    for table in (m.session_at, m.provider_at):
        for vs in table.values():
            if len(vs) > 1:
                m.model.add_at_most_one(vs)


def add_session_para(m: ModelData) -> None:
    """An assist/deliver occurrence has at most one para, for its whole length, only if it is held."""
    by_occ: dict[int, list[Any]] = defaultdict(list)
    for (_, idx), v in m.occ_para.items():
        by_occ[idx].append(v)
    for idx, vs in by_occ.items():
        o = m.occs[idx]
        if o.var is None:
            if len(vs) > 1:
                m.model.add_at_most_one(vs)
        else:
            m.model.add(sum(vs) <= o.var)
