"""Write a schedule workbook: the machine contract sheets plus the sheets people read and print.

Contract sheets (``Assignments``, ``Sessions``, ``Unmet``, ``Changes``) follow
``shared/spec/workbook.md`` exactly; every other sheet is for people.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook

from parasched.scheduler.model import Problem
from parasched.scheduler.schedule import SolveResult

from .cells import apply_style, put, write_table
from .files import atomic_output
from .styles import SHORT_COLOR, TOP, WRAP_TOP, fill, print_setup

ASSIGNMENT_COLUMNS = ("para_id", "day", "start", "end", "kind", "ref", "students", "location")
SESSION_COLUMNS = ("session_id", "day", "start", "end", "provider", "para_id")
UNMET_COLUMNS = ("kind", "ref", "day", "start", "end", "minutes", "priority", "reason")
CHANGE_COLUMNS = ("para_id", "day", "start", "end", "before", "after")


def hhmm(minutes: int | None) -> str | None:
    """``08:05`` for 485; None stays None (a blank cell)."""
    if minutes is None:
        return None
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def write_schedule(path: str | Path, problem: Problem, result: SolveResult, *, inputs: Sequence[str | Path] = (),
                   anonymize: bool = False, json_path: str | Path | None = None, names: bool = True,
                   changes_sheet: bool = False) -> None:
    """Write the schedule workbook to ``path`` (atomically: a crash leaves no half workbook).

    ``inputs`` are the files read to build ``problem``; the target may not be one of them.
    ``anonymize`` writes student initials + ids instead of names; ``names=False`` writes ids only.
    ``changes_sheet`` forces a Changes sheet even when there are no changes (resolve).
    ``json_path`` also writes the schedule as JSON there.
    """
    from .json_out import schedule_to_json
    from .sheets import build_workbook

    with contextlib.ExitStack() as stack:
        # both targets are checked (folder, lock, not an input) before anything is written
        tmp = stack.enter_context(atomic_output(Path(path), inputs=inputs))
        json_tmp = (stack.enter_context(atomic_output(Path(json_path), inputs=(*inputs, path)))
                    if json_path is not None else None)
        wb = build_workbook(problem, result, anonymize=anonymize, names=names, changes_sheet=changes_sheet)
        wb.save(tmp)
        if json_tmp is not None:
            data = schedule_to_json(problem, result, anonymize=anonymize)
            json_tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def write_contract_sheets(wb: Workbook, problem: Problem, result: SolveResult, *, changes_sheet: bool = False) -> None:
    """Assignments, Sessions, Unmet (and Changes) exactly as the contract says."""
    sched = result.schedule
    settings = problem.settings
    with_date = settings.week_of is not None
    cols = ASSIGNMENT_COLUMNS + (("date",) if with_date else ())
    rows = []
    for a in sorted(sched.assignments, key=_assignment_key(problem)):
        row: list[object] = [a.para_id, a.day, hhmm(a.start), hhmm(a.end), str(a.kind), a.ref,
                             ", ".join(a.students), a.location]
        if with_date:
            d = settings.date_of(a.day)
            row.append(d.isoformat() if d else None)
        rows.append(row)
    write_table(wb.create_sheet("Assignments"), cols, rows, widths={"students": 24, "location": 16})
    print_setup(wb["Assignments"], landscape=True, title_rows="1:1")

    rows = [[s.session_id, s.day, hhmm(s.start), hhmm(s.end), s.provider, s.para_id]
            for s in sorted(result.schedule.sessions, key=lambda s: (_day_pos(s.day), s.start, s.session_id))]
    write_table(wb.create_sheet("Sessions"), SESSION_COLUMNS, rows)
    print_setup(wb["Sessions"], landscape=True, title_rows="1:1")

    rows = [[str(u.kind), u.ref, u.day or None, hhmm(u.start), hhmm(u.end), u.minutes, u.priority, u.reason]
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
        rows = [[c.para_id, c.day, hhmm(c.start), hhmm(c.end), c.before, c.after]
                for c in sorted(sched.changes, key=lambda c: (c.para_id, _day_pos(c.day), c.start))]
        write_table(wb.create_sheet("Changes"), CHANGE_COLUMNS, rows, widths={"before": 36, "after": 36})
        print_setup(wb["Changes"], landscape=True, title_rows="1:1")


def _day_pos(day: str) -> int:
    from parasched.scheduler.timegrid import DAYS

    return DAYS.index(day) if day in DAYS else len(DAYS)


def _assignment_key(problem: Problem):
    order = {p.para_id: i for i, p in enumerate(problem.paras)}

    def key(a):
        return (order.get(a.para_id, len(order)), a.para_id, _day_pos(a.day), a.start, a.end)

    return key


__all__ = ["ASSIGNMENT_COLUMNS", "CHANGE_COLUMNS", "SESSION_COLUMNS", "UNMET_COLUMNS", "hhmm", "put",
           "write_contract_sheets", "write_schedule"]
