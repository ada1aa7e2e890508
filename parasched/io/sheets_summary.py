"""The Summary sheet: the first thing an administrator reads."""

from __future__ import annotations

from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from parasched.scheduler.model import Problem
from parasched.scheduler.schedule import SolveResult

from .cells import put


def write_summary(ws: Worksheet, problem: Problem, result: SolveResult) -> None:
    s = problem.settings
    put(ws, 1, 1, f"Para schedule{' — ' + s.school_name if s.school_name else ''}", font=Font(bold=True, size=14))
    rows: list[tuple[str, object]] = [
        ("school", s.school_name),
        ("week_of", s.week_of),
        ("days", ", ".join(s.days)),
        ("status", str(result.status)),
        ("objective", result.objective),
        ("bound", result.bound),
        ("gap", result.gap),
        ("solve seconds", round(result.runtime, 1)),
    ]
    for i, (k, v) in enumerate(rows, start=3):
        put(ws, i, 1, k, font=Font(bold=True))
        if v is not None and v != "":
            c = put(ws, i, 2, v)
            if k == "week_of":
                c.number_format = "yyyy-mm-dd"
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 22
