"""The schedule as JSON for other tools: the contract sheets as lists, plus KPIs and names.

``schedule_to_json`` returns plain data (times as ``HH:MM`` text, students as id lists);
``write_json`` writes it atomically. With ``anonymize`` the student list carries initials
instead of names; nothing else in the document names a student.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from parasched.scheduler.kpis import compute_kpis
from parasched.scheduler.model import Problem
from parasched.scheduler.schedule import SolveResult
from parasched.scheduler.timegrid import DAYS

from .labels import initials, time_cell

FORMAT = "parasched.schedule/1"


def schedule_to_json(problem: Problem, result: SolveResult, anonymize: bool = False) -> dict[str, Any]:
    """The schedule, solve status and KPIs as JSON-ready data."""
    s = problem.settings
    sched = result.schedule

    def date(day: str) -> str | None:
        d = s.date_of(day) if day else None
        return d.isoformat() if d else None

    def assignment(a) -> dict[str, Any]:
        return {
            "para_id": a.para_id,
            "day": a.day,
            "date": date(a.day),
            "start": time_cell(a.start),
            "end": time_cell(a.end),
            "kind": str(a.kind),
            "ref": a.ref,
            "students": list(a.students),
            "location": a.location,
        }

    students = []
    for st in problem.students:
        row: dict[str, Any] = {"student_id": st.student_id, "priority": st.priority}
        if anonymize:
            row["initials"] = initials(st.name)
        else:
            row["name"] = st.name
        students.append(row)
    return {
        "format": FORMAT,
        "school": s.school_name,
        "week_of": s.week_of.isoformat() if s.week_of else None,
        "days": list(s.days),
        "time_step_minutes": s.time_step,
        "anonymized": anonymize,
        "solve": {
            "status": str(result.status),
            "objective": result.objective,
            "bound": result.bound,
            "gap": result.gap,
            "runtime_seconds": round(result.runtime, 3),
        },
        "kpis": compute_kpis(problem, sched).as_dict(),
        "paras": [{"para_id": p.para_id, "name": p.name, "role": str(p.role)} for p in problem.paras],
        "students": students,
        "assignments": [assignment(a) for a in sorted(sched.assignments, key=_week_order)],
        "sessions": [
            {
                "session_id": p.session_id,
                "day": p.day,
                "date": date(p.day),
                "start": time_cell(p.start),
                "end": time_cell(p.end),
                "provider": p.provider,
                "para_id": p.para_id,
            }
            for p in sorted(sched.sessions, key=lambda p: (DAYS.index(p.day), p.start, p.session_id))
        ],
        "unmet": [
            {
                "kind": str(u.kind),
                "ref": u.ref,
                "day": u.day or None,
                "start": time_cell(u.start),
                "end": time_cell(u.end),
                "minutes": u.minutes,
                "priority": u.priority,
                "reason": u.reason,
            }
            for u in sched.unmet
        ],
        "changes": [
            {
                "para_id": c.para_id,
                "day": c.day,
                "start": time_cell(c.start),
                "end": time_cell(c.end),
                "before": c.before,
                "after": c.after,
            }
            for c in sched.changes
        ],
    }


def _week_order(a) -> tuple[str, int, int, int]:
    return (a.para_id, DAYS.index(a.day), a.start, a.end)


def write_json(
    path: str | Path,
    problem: Problem,
    result: SolveResult,
    *,
    anonymize: bool = False,
    inputs: Sequence[str | Path] = (),
) -> None:
    """Write :func:`schedule_to_json` to ``path`` (UTF-8, atomically)."""
    from .files import atomic_output

    data = schedule_to_json(problem, result, anonymize=anonymize)
    with atomic_output(path, inputs=inputs) as tmp:
        Path(tmp).write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
