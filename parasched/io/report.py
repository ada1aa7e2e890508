"""The capacity heat-map workbook written by ``parasched validate --report``.

Sheet ``Capacity``: one row per school day, one column per time slot; each cell shows
``needed/available`` for the worst moment of the slot, colored green (room to spare), amber
(needed is at least 80% of the paras present) or red (more needed than the paras present and
qualified can cover). Sheet ``Short``: every flagged segment. Sheet ``Segments``: every segment
(a table for filters and other tools). Sheet ``Lunches``: per day, the lunch minutes owed against
the spare staff time inside the lunch windows. Ids only, never student names.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from parasched.scheduler.capacity import CapacityMap, Segment, capacity_map, summary
from parasched.scheduler.model import PRIORITY_NAMES, Problem
from parasched.scheduler.timegrid import fmt_span, fmt_time

from .cells import put, write_table
from .reader import ReadResult
from .styles import print_setup

GREEN, AMBER, RED, GREY = "C6EFCE", "FFEB9C", "FFC7CE", "EDEDED"
AMBER_RATIO = 0.8
MAX_COLUMNS = 60

LUNCH_COLUMNS = ("day", "paras_owed_lunch", "minutes_owed", "spare_staff_minutes", "window", "enough")
SEGMENT_COLUMNS = (
    "day",
    "start",
    "end",
    "minutes",
    "needed",
    "available",
    "qualified",
    "short",
    "needs",
    "no_qualified_para",
)


def level(seg: Segment) -> str:
    """``red`` (short), ``amber`` (tight), ``green`` (room), or ``none`` (nothing needed)."""
    if seg.flagged:
        return "red"
    if seg.needed == 0:
        return "none"
    return "amber" if seg.ratio >= AMBER_RATIO else "green"


_FILL = {"red": RED, "amber": AMBER, "green": GREEN, "none": GREY}
_RANK = {"none": 0, "green": 1, "amber": 2, "red": 3}


def slot_minutes(problem: Problem, first: int, last: int) -> int:
    """The column width in minutes: the time step, widened until the day fits MAX_COLUMNS."""
    step = problem.settings.time_step
    for m in (step, 10, 15, 30, 60):
        if m >= step and m % step == 0 and (last - first) / m <= MAX_COLUMNS:
            return m
    return 60


def _worst(segs: Iterable[Segment]) -> Segment | None:
    best: Segment | None = None
    for s in segs:
        if best is None or (_RANK[level(s)], s.short, s.ratio, s.needed) > (
            _RANK[level(best)],
            best.short,
            best.ratio,
            best.needed,
        ):
            best = s
    return best


def build_report(problem: Problem, cmap: CapacityMap | None = None) -> openpyxl.Workbook:
    cmap = cmap or capacity_map(problem)
    wb = openpyxl.Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)
    ws.title = "Capacity"
    title = "Capacity: staff needed / paras available"
    if problem.settings.school_name:
        title += f" - {problem.settings.school_name}"
    put(ws, 1, 1, title, font=Font(bold=True, size=14))
    put(
        ws,
        2,
        1,
        "Each cell: staff needed / paras present, at the slot's worst moment. Green: room to spare; "
        f"amber: need is {int(AMBER_RATIO * 100)}% or more of the paras present; red: more needed than "
        "the paras present and qualified can cover (see sheet Short). Lunches and breaks are not "
        "subtracted.",
        font=Font(italic=True, color="595959"),
    )
    for col, (name, color) in enumerate((("room", GREEN), ("tight", AMBER), ("short", RED), ("none", GREY)), start=2):
        put(ws, 3, col, name, fill=PatternFill("solid", fgColor=color), alignment=Alignment(horizontal="center"))
    put(ws, 3, 1, "Legend:", font=Font(bold=True))
    segs = [s for s in cmap.segments if s.needed or s.available]
    header_row = 5
    if segs:
        first = min(s.start for s in segs)
        last = max(s.end for s in segs)
        slot = slot_minutes(problem, first, last)
        first -= first % slot
        starts = list(range(first, last, slot))
        # time runs down the page and the days across: a school day is one printed page tall
        put(ws, header_row, 1, "Time", font=Font(bold=True))
        for j, day in enumerate(problem.settings.days, start=2):
            date = problem.settings.date_of(day)
            put(
                ws,
                header_row,
                j,
                f"{day} {date.isoformat()}" if date else day,
                font=Font(bold=True),
                alignment=Alignment(horizontal="center"),
            )
            ws.column_dimensions[get_column_letter(j)].width = 16
            day_segs = [s for s in segs if s.day == day]
            for i, t in enumerate(starts, start=header_row + 1):
                worst = _worst(s for s in day_segs if s.start < t + slot and t < s.end)
                if worst is None:
                    continue
                put(
                    ws,
                    i,
                    j,
                    f"{worst.needed}/{worst.available}",
                    fill=PatternFill("solid", fgColor=_FILL[level(worst)]),
                    alignment=Alignment(horizontal="center"),
                )
        for i, t in enumerate(starts, start=header_row + 1):
            put(ws, i, 1, fmt_time(t), font=Font(bold=True))
        ws.freeze_panes = f"B{header_row + 1}"
    else:
        put(ws, header_row, 1, "Nothing is needed and no para works in the school days.")
    # one portrait page: the explanation wraps above the table instead of running off the page
    last_col = get_column_letter(max(6, ws.max_column))
    put(
        ws,
        2,
        1,
        ws.cell(2, 1).value,
        font=Font(italic=True, color="595959"),
        alignment=Alignment(wrap_text=True, vertical="top"),
    )
    ws.merge_cells(f"A2:{last_col}2")
    ws.row_dimensions[2].height = 60
    ws.column_dimensions["A"].width = 10
    print_setup(ws, landscape=False, fit_height=True)
    ws.print_area = f"A1:{last_col}{ws.max_row}"

    short = wb.create_sheet("Short")
    write_table(short, SEGMENT_COLUMNS, [_row(s) for s in cmap.flagged], widths={"needs": 60, "no_qualified_para": 30})
    table = wb.create_sheet("Segments")
    write_table(table, SEGMENT_COLUMNS, [_row(s) for s in cmap.segments], widths={"needs": 60, "no_qualified_para": 30})
    for sheet in (short, table):  # one page wide, long lists of needs wrap instead of adding pages across
        for row in sheet.iter_rows(min_row=2, min_col=9, max_col=10):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        print_setup(sheet, landscape=True, title_rows="1:1")
    for r, s in enumerate(cmap.segments, start=2):
        table.cell(row=r, column=1).fill = PatternFill("solid", fgColor=_FILL[level(s)])
    lunch = wb.create_sheet("Lunches")
    write_table(
        lunch,
        LUNCH_COLUMNS,
        [[x.day, x.paras, x.owed, x.spare, fmt_span(*x.window), "no" if x.squeezed else "yes"] for x in cmap.lunches],
        widths={"window": 14, "enough": 10},
    )
    for r, x in enumerate(cmap.lunches, start=2):
        lunch.cell(row=r, column=6).fill = PatternFill("solid", fgColor=RED if x.squeezed else GREEN)
    print_setup(lunch, landscape=False, title_rows="1:1")
    return wb


def _row(s: Segment) -> list[object]:
    return [
        s.day,
        fmt_time(s.start),
        fmt_time(s.end),
        s.minutes,
        s.needed,
        s.available,
        s.assignable,
        s.short,
        ", ".join(s.needs),
        ", ".join(s.uncovered),
    ]


def write_capacity_report(
    path: str | os.PathLike[str],
    problem: Problem,
    cmap: CapacityMap | None = None,
    *,
    inputs: Iterable[str | os.PathLike[str]] = (),
) -> Path:
    """Write the heat-map workbook atomically (never over one of ``inputs``); returns the path."""
    from .files import atomic_output

    wb = build_report(problem, cmap)
    with atomic_output(path, inputs=list(inputs)) as tmp:
        wb.save(tmp)
    return Path(path)


# -- the text printed by ``parasched validate`` (ids only, never names) ----------------------------


def _hm(minutes: int) -> str:
    """Minutes, the unit solve, check and the Summary use too (``7,795 min``)."""
    return f"{minutes:,} min"


# why validate's totals are not solve's: the same needs, counted per para and before therapy is placed
UNIT_NOTE = (
    "  (staff minutes before flexible therapy is placed; a shared group needs one para, so it counts once.\n"
    "   solve and check count each student's minutes around the sessions placed, so their totals differ)"
)


def validate_lines(label: str, read: ReadResult, cmap: CapacityMap | None = None) -> list[str]:
    """Summary, warnings, a compact capacity line per day and every flagged segment."""
    problem = read.problem
    cmap = cmap or capacity_map(problem)
    sm = summary(problem)
    st = problem.settings
    out = [f"{label}: valid" + (f", {len(read.warnings)} warning(s)" if read.warnings else ", no warnings"), ""]
    week = f"{sm.days[0]}-{sm.days[-1]}" if len(sm.days) > 1 else sm.days[0]
    out.append("Summary")
    out.append(
        f"  Week: {week} ({len(sm.days)} day(s))" + (f", week of {st.week_of.isoformat()}" if st.week_of else "")
    )
    out.append(
        f"  Paras: {sm.paras} (+{sm.substitutes} substitute(s))  Students: {sm.students}  "
        f"Schedule rows: {sm.student_blocks}  Duties: {sm.duties}  "
        f"Therapy: {sm.fixed_sessions} fixed, {sm.flexible_sessions} flexible"
    )
    needed = ", ".join(f"P{p} {PRIORITY_NAMES[p]} {m:,}" for p, m in sm.required) or "nothing"
    out.append(f"  Staff minutes needed in the week: {_hm(sm.required_total)} ({needed})")
    out.append(UNIT_NOTE)
    out.append(
        f"  Staff minutes available (hours less absences, lunches and breaks): {_hm(sm.staff_minutes)}"
        + (f" + {_hm(sm.substitute_minutes)} substitute" if sm.substitutes else "")
    )
    if sm.flex_target:
        out.append(f"  Flex support target (welcome, not required): {_hm(sm.flex_target)}")
    if read.warnings:
        out += ["", f"Warnings ({len(read.warnings)})"]
        out += [f"  - {w}" for w in read.warnings]
    out += ["", "Capacity (staff needed / paras present; short = more needed than present, qualified paras can cover)"]
    for day in st.days:
        segs = [s for s in cmap.day(day) if s.needed]
        if not segs:
            out.append(f"  {day}: nothing needed")
            continue
        peak = max(segs, key=lambda s: (s.needed - s.available, s.needed))
        flagged = [s for s in segs if s.flagged]
        state = f"SHORT in {len(flagged)} segment(s), {_hm(sum(s.minutes for s in flagged))}" if flagged else "ok"
        line = f"  {day}: tightest {peak.needed}/{peak.available} at {fmt_span(peak.start, peak.end)}; {state}"
        lunch = cmap.lunch(day)
        if lunch is not None:
            line += (
                f"; lunches {_hm(lunch.owed)} owed, {_hm(lunch.spare)} spare staff time in "
                f"{fmt_span(*lunch.window)}" + (" (TOO LITTLE)" if lunch.squeezed else "")
            )
        out.append(line)
    if cmap.flagged:
        out += [
            "",
            f"Short segments ({len(cmap.flagged)})",
            f"  {'Day':<4} {'Time':<11} {'Need':>4} {'Here':>4} {'Qual':>4} {'Short':>5}  Needs",
        ]
        for s in cmap.flagged:
            needs = ", ".join(s.needs)
            if s.uncovered:
                needs += f"; no qualified para present for: {', '.join(s.uncovered)}"
            out.append(
                f"  {s.day:<4} {fmt_span(s.start, s.end):<11} {s.needed:>4} {s.available:>4} "
                f"{s.assignable:>4} {s.short:>5}  {needs}"
            )
    return out


__all__ = [
    "LUNCH_COLUMNS",
    "SEGMENT_COLUMNS",
    "build_report",
    "level",
    "slot_minutes",
    "validate_lines",
    "write_capacity_report",
]
