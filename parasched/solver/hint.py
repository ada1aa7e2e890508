"""A warm start: translate a Schedule (greedy, or the baseline of a resolve) into variable values."""

from __future__ import annotations

from parasched.scheduler.schedule import Kind, Schedule

from .variables import ModelData, Occ


def hint_values(m: ModelData, schedule: Schedule) -> dict[int, int]:
    """Values for the decision variables (1 where the schedule does it, 0 elsewhere) on planned days."""
    out: dict[int, int] = {}
    for v in (*m.y.values(), *m.group.values(), *m.duty.values(), *m.occ_para.values()):
        out[v.Index()] = 0
    o: Occ | None
    for o in m.occs:
        if o.var is not None:
            out[o.var.Index()] = 0
    for cands in (*m.lunch.values(), *m.breaks.values()):
        for _, v in cands:
            out[v.Index()] = 0
    placed = {(s.session_id, s.day, s.start) for s in schedule.sessions}
    occ_at = {}
    for o in m.occs:
        occ_at[(o.session.session_id, o.day, o.start)] = o
        if o.var is not None and (o.session.session_id, o.day, o.start) in placed:
            out[o.var.Index()] = 1
    bm = m.problem.settings.break_minutes
    for a in schedule.assignments:
        d, pid = a.day, a.para_id
        if d not in m.plan_days or a.start not in m._index[d] or a.end not in m._index[d]:
            continue
        if a.kind == Kind.LUNCH:
            for c, v in m.lunch.get((pid, d), []):
                if c == a.start:
                    out[v.Index()] = 1
            continue
        if a.kind == Kind.BREAK:
            for c, v in m.breaks.get((pid, d), []):
                if a.start <= c and c + bm <= a.end and (c - a.start) % bm == 0:
                    out[v.Index()] = 1
            continue
        if a.kind == Kind.THERAPY:
            for s in schedule.sessions:
                if s.session_id == a.ref and s.day == d and s.start <= a.start < s.end:
                    o = occ_at.get((s.session_id, d, s.start))
                    if o is not None and (pid, o.idx) in m.occ_para:
                        out[m.occ_para[(pid, o.idx)].Index()] = 1
            continue
        inside = m.segs_in(d, a.start, a.end)
        for k in inside:
            if a.kind == Kind.DUTY:
                v = m.duty.get((pid, a.ref, d, k))
                if v is not None:
                    out[v.Index()] = 1
            elif a.kind == Kind.SUPPORT:
                for sid in a.students:
                    v = m.y.get((pid, sid, d, k))
                    if v is None:
                        continue
                    span = m.chunk.get(v.Index())
                    if span is not None and not (inside.start <= span[0] and span[1] < inside.stop):
                        continue  # the row covers part of a chunk only: the model cannot say that
                    out[v.Index()] = 1
                    need = m.needs[(sid, d, k)]
                    g = m.group.get((pid, d, need.location, k))
                    if g is not None and need.support.value != "1:1":
                        out[g.Index()] = 1
    return out
