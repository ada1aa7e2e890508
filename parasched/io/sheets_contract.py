"""The machine contract sheets: Assignments, Sessions, Unmet (and Changes), exactly as the contract
says (``docs/workbook.md``), so other tools and ``parasched check`` can read them back.

They are written after the sheets people read and carry no print area of their own: a
"print all" gives the week a person wants, not pages of ids (see ``styles.machine_sheet``).
"""

from __future__ import annotations

from openpyxl import Workbook

from parasched.scheduler.model import Problem
from parasched.scheduler.schedule import SolveResult
from parasched.scheduler.timegrid import DAYS

from .cells import apply_style, write_table
from .labels import time_cell
from .styles import SHORT_COLOR, TOP, WRAP_TOP, fill, print_setup

ASSIGNMENT_COLUMNS = ("para_id", "day", "start", "end", "kind", "ref", "students", "location")
SESSION_COLUMNS = ("session_id", "day", "start", "end", "provider", "para_id")
UNMET_COLUMNS = ("kind", "ref", "day", "start", "end", "minutes", "priority", "reason")
CHANGE_COLUMNS = ("para_id", "day", "start", "end", "before", "after")


def write_contract_sheets(wb: Workbook, problem: Problem, result: SolveResult, *, changes_sheet: bool = False) -> None:
    """Assignments, Sessions, Unmet (and Changes) exactly as the contract says."""
    sched = result.schedule
    settings = problem.settings
    with_date = settings.week_of is not None
    cols = ASSIGNMENT_COLUMNS + (("date",) if with_date else ())
    rows = []
    for a in sorted(sched.assignments, key=_assignment_key(problem)):
        row: list[object] = [a.para_id, a.day, time_cell(a.start), time_cell(a.end), str(a.kind), a.ref,
                             ", ".join(a.students), a.location]
        if with_date:
            d = settings.date_of(a.day)
            row.append(d.isoformat() if d else None)
        rows.append(row)
    write_table(wb.create_sheet("Assignments"), cols, rows, widths={"students": 24, "location": 16})
    print_setup(wb["Assignments"], landscape=True, title_rows="1:1")

    rows = [[s.session_id, s.day, time_cell(s.start), time_cell(s.end), s.provider, s.para_id]
            for s in sorted(result.schedule.sessions, key=lambda s: (_day_pos(s.day), s.start, s.session_id))]
    write_table(wb.create_sheet("Sessions"), SESSION_COLUMNS, rows)
    print_setup(wb["Sessions"], landscape=True, title_rows="1:1")

    rows = [[str(u.kind), u.ref, u.day or None, time_cell(u.start), time_cell(u.end), u.minutes, u.priority, u.reason]
            for u in sorted(sched.unmet, key=lambda u: (u.priority, _day_pos(u.day), u.start or 0, u.kind, u.ref))]
    ws = wb.create_sheet("Unmet")
    write_table(ws, UNMET_COLUMNS, rows, widths={"reason": 90})
    for r, row in enumerate(rows, start=2):  # readable: reasons wrap, critical needs tinted
        apply_style(ws.cell(r, len(UNMET_COLUMNS)), {"alignment": WRAP_TOP})
        lines = -(-len(str(row[7] or "")) // 85)  # ~85 characters a line in a 90-wide column
        if lines > 1:
            ws.row_dimensions[r].height = 15 * lines
        tint = fill(SHORT_COLOR) if row[6] == 1 else None
        for c in range(1, len(UNMET_COLUMNS)):
            apply_style(ws.cell(r, c), {"fill": tint, "alignment": TOP})
        if tint is not None:
            apply_style(ws.cell(r, len(UNMET_COLUMNS)), {"fill": tint})
    print_setup(ws, landscape=True, title_rows="1:1")

    if sched.changes or changes_sheet:
        rows = [[c.para_id, c.day, time_cell(c.start), time_cell(c.end), c.before, c.after]
                for c in sorted(sched.changes, key=lambda c: (c.para_id, _day_pos(c.day), c.start))]
        write_table(wb.create_sheet("Changes"), CHANGE_COLUMNS, rows, widths={"before": 36, "after": 36})
        print_setup(wb["Changes"], landscape=True, title_rows="1:1")


def _day_pos(day: str) -> int:
    return DAYS.index(day) if day in DAYS else len(DAYS)


def _assignment_key(problem: Problem):
    order = {p.para_id: i for i, p in enumerate(problem.paras)}

    def key(a):
        return (order.get(a.para_id, len(order)), a.para_id, _day_pos(a.day), a.start, a.end)

    return key
