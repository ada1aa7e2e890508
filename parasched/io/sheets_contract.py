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
from .styles import CENTER, REASON, SHORT_COLOR, TOP, fill, print_setup

ASSIGNMENT_COLUMNS = ("para_id", "day", "start", "end", "kind", "ref", "students", "location")
SESSION_COLUMNS = ("session_id", "day", "start", "end", "provider", "para_id")
UNMET_COLUMNS = ("kind", "ref", "day", "start", "end", "minutes", "priority", "reason")
CHANGE_COLUMNS = ("para_id", "day", "start", "end", "before", "after")


MACHINE_NOTE = "Machine-readable copy of the schedule for parasched check and other tools; not needed on paper"


def write_contract_sheets(wb: Workbook, problem: Problem, result: SolveResult, *, changes_sheet: bool = False) -> None:
    """Unmet (and Changes), then Assignments and Sessions, exactly as the contract says.

    Unmet and Changes are read by people too (the reasons, what changed): they print after the
    people's sheets. Assignments and Sessions come last, each printed page headed by a note
    saying they are the machine copy."""
    sched = result.schedule
    settings = problem.settings

    rows: list[list[object]] = [
        [str(u.kind), u.ref, u.day or None, time_cell(u.start), time_cell(u.end), u.minutes, u.priority, u.reason]
        for u in sorted(sched.unmet, key=lambda u: (u.priority, _day_pos(u.day), u.start or 0, u.kind, u.ref))
    ]
    ws = wb.create_sheet("Unmet")
    write_table(ws, UNMET_COLUMNS, rows, widths={"reason": 90, "minutes": 10, "priority": 10})
    for r, unmet_row in enumerate(rows, start=2):  # readable: reasons wrap, critical needs tinted
        # numbers centred and the reason indented, so "2" and "11 eligible paras" never run together
        apply_style(ws.cell(r, len(UNMET_COLUMNS)), {"alignment": REASON})
        lines = -(-len(str(unmet_row[7] or "")) // 100)  # ~100 characters a line in a 90-wide column (LibreOffice)
        if lines > 1:
            ws.row_dimensions[r].height = 15 * lines
        tint = fill(SHORT_COLOR) if unmet_row[6] == 1 else None
        for c in range(1, len(UNMET_COLUMNS)):
            apply_style(ws.cell(r, c), {"fill": tint, "alignment": CENTER if c in (6, 7) else TOP})
        if tint is not None:
            apply_style(ws.cell(r, len(UNMET_COLUMNS)), {"fill": tint})
    print_setup(ws, landscape=True, title_rows="1:1")
    ws.print_area = f"A1:H{len(rows) + 1}"

    if sched.changes or changes_sheet:
        rows = [
            [c.para_id, c.day, time_cell(c.start), time_cell(c.end), c.before, c.after]
            for c in sorted(sched.changes, key=lambda c: (c.para_id, _day_pos(c.day), c.start))
        ]
        write_table(wb.create_sheet("Changes"), CHANGE_COLUMNS, rows, widths={"before": 36, "after": 36})
        print_setup(wb["Changes"], landscape=True, title_rows="1:1")

    with_date = settings.week_of is not None
    cols = ASSIGNMENT_COLUMNS + (("date",) if with_date else ())
    rows = []
    for a in sorted(sched.assignments, key=_assignment_key(problem)):
        row: list[object] = [
            a.para_id,
            a.day,
            time_cell(a.start),
            time_cell(a.end),
            str(a.kind),
            a.ref,
            ", ".join(a.students),
            a.location,
        ]
        if with_date:
            d = settings.date_of(a.day)
            row.append(d.isoformat() if d else None)
        rows.append(row)
    write_table(wb.create_sheet("Assignments"), cols, rows, widths={"students": 24, "location": 16})
    machine_sheet(wb["Assignments"])

    rows = [
        [s.session_id, s.day, time_cell(s.start), time_cell(s.end), s.provider, s.para_id]
        for s in sorted(result.schedule.sessions, key=lambda s: (_day_pos(s.day), s.start, s.session_id))
    ]
    write_table(wb.create_sheet("Sessions"), SESSION_COLUMNS, rows)
    machine_sheet(wb["Sessions"])


def machine_sheet(ws) -> None:
    """Printed only when asked for: compact, and every page says what it is."""
    print_setup(ws, landscape=True, title_rows="1:1")
    assert ws.oddHeader is not None and ws.oddHeader.center is not None  # openpyxl creates it with every sheet
    ws.oddHeader.center.text = MACHINE_NOTE
    ws.oddHeader.center.size = 9


def _day_pos(day: str) -> int:
    return DAYS.index(day) if day in DAYS else len(DAYS)


def _assignment_key(problem: Problem):
    order = {p.para_id: i for i, p in enumerate(problem.paras)}

    def key(a):
        return (order.get(a.para_id, len(order)), a.para_id, _day_pos(a.day), a.start, a.end)

    return key
