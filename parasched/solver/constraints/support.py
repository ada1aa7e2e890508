"""Student support: one para per student at a time, 1:1 exclusive, shared groups."""

from __future__ import annotations

from ..variables import ModelData


def add_one_para_per_student(m: ModelData) -> None:
    """A student has at most one para at a time, and none while in a therapy session."""
    for key, cands in m.cover.items():
        in_session = m.session_at.get(key, [])
        if len(cands) + len(in_session) > 1:
            m.model.add(sum(v for _, v in cands) + sum(in_session) <= 1)


def add_shared_groups(m: ModelData) -> None:
    """A group is in one location (its para's one activity) with at most each member's group_max students."""
    for gk, members in m.members.items():
        g = m.group[gk]
        for _, v in members:
            m.model.add_implication(v, g)
        m.model.add(sum(v for _, v in members) >= g)  # an open group has a member
        n = len(members)
        caps = [m.students[sid].group_max for sid, _ in members]
        if min(caps) >= n:
            continue
        size = m.model.new_int_var(0, n, f"size_{'_'.join(map(str, gk))}")
        m.model.add(size == sum(v for _, v in members))
        m.model.add(size <= max(min(max(caps), n), 0))
        for (_, v), gmax in zip(members, caps, strict=True):
            if gmax < n:
                m.model.add(size <= gmax).only_enforce_if(v)
