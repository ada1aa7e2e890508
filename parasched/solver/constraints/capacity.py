"""A para is in one place at a time."""

from __future__ import annotations

from ..variables import ModelData


def add_one_place_at_a_time(m: ModelData) -> None:
    """A para does at most one thing in each segment: support, a group, a duty, therapy, lunch or a break."""
    for vs in m.para_at.values():
        if len(vs) > 1:
            m.model.add_at_most_one(v for v, _, _ in vs)
