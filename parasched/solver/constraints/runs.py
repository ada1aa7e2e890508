"""Minimum run: no para drops in on a student for a few minutes (``min_support_minutes``)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from ..variables import ModelData


def add_min_support_run(m: ModelData) -> None:
    """A para stays with a student at least min_support_minutes, unless that covers the student's whole need stretch."""
    least = m.problem.settings.min_support_minutes
    if least <= 0:
        return
    # The model's stretches are cut by fixed therapy and absences only; a placed flexible session
    # cuts the student's real stretch further, so the rule here is never weaker than the checker's.
    by_student: dict[tuple[str, str], list[int]] = defaultdict(list)
    for sid, d, k in m.needs:
        by_student[(sid, d)].append(k)
    ys: dict[tuple[str, str, str], dict[int, Any]] = defaultdict(dict)
    for (pid, sid, d, k), v in m.y.items():
        ys[(pid, sid, d)][k] = v
    for (_, sid, d), mine in ys.items():
        for stretch in _stretches(sorted(by_student[(sid, d)])):
            _one_stretch(m, d, stretch, mine, least)


def _stretches(ks: list[int]) -> list[list[int]]:
    """Consecutive segment indices (segments are back to back, so consecutive means no pause)."""
    out: list[list[int]] = []
    for k in ks:
        if out and out[-1][-1] == k - 1:
            out[-1].append(k)
        else:
            out.append([k])
    return out


def _one_stretch(m: ModelData, d: str, stretch: list[int], mine: dict[int, Any], least: int) -> None:
    model = m.model
    first, last = stretch[0], stretch[-1]
    here = [mine.get(k) for k in stretch]
    if all(v is None for v in here):
        return
    bps = m.bps[d]
    if bps[last + 1] - bps[first] < least:
        # a short stretch: all of it or none of it
        if any(v is None for v in here):
            for v in here:
                if v is not None:
                    model.add(v == 0)
            return
        for v in here[1:]:
            model.add(v == here[0])
        return
    for k in stretch:
        v = mine.get(k)
        if v is None:
            continue
        before = mine.get(k - 1) if k > first else None
        # segments a run starting at k must also cover to last `least` minutes
        need: list[int] = []
        j = k
        while j <= last and bps[j + 1] - bps[k] < least:
            j += 1
            need.append(j)
        if j > last or any(mine.get(x) is None for x in need):
            # no room for a whole run from here: a run may only pass through k, not start at it
            if before is None:
                model.add(v == 0)
            else:
                model.add_implication(v, before)
            continue
        for x in need:
            model.add_bool_or([v.Not(), mine[x]] if before is None else [before, v.Not(), mine[x]])
