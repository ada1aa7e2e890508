"""Duties roster and Therapy sessions."""

from __future__ import annotations

from collections import defaultdict

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from parasched.scheduler.coverage import coverage, unplaced_sessions
from parasched.scheduler.schedule import Kind, UnmetKind
from parasched.scheduler.timegrid import DAYS

from .cells import HEADER_FILL, HEADER_FONT, put
from .labels import Labels, span
from .styles import (
    BLOCK_BORDER,
    BOLD,
    GREY_ITALIC,
    LEFT_WRAP,
    OFF_COLOR,
    RED_BOLD,
    SHORT_COLOR,
    SUBTITLE_FONT,
    TITLE_FONT,
    fill,
    print_setup,
)

DAY_WIDTH = 24


def _header(ws: Worksheet, r: int, cols: list[str]) -> None:
    for j, c in enumerate(cols, start=1):
        put(ws, r, j, c, font=HEADER_FONT, fill=HEADER_FILL, alignment=LEFT_WRAP)


def write_duties(ws: Worksheet, lb: Labels) -> None:
    days = lb.problem.settings.days
    put(ws, 1, 1, f"Duty roster - {lb.week_title()}", font=TITLE_FONT)
    put(
        ws,
        2,
        1,
        "Each cell: the paras on that duty (with times when they relay). Red: fewer paras than needed.",
        font=GREY_ITALIC,
    )
    cols = ["Duty", "Time", "Where", "Staff needed", *(lb.day_title(d) for d in days)]
    _header(ws, 4, cols)
    short: dict[tuple[str, str], int] = {}
    for n in coverage(lb.problem, lb.schedule, lb.grid):
        if n.kind == UnmetKind.DUTY:
            short[(n.ref, n.day)] = n.missing
    rows = defaultdict(list)
    for a in lb.schedule.assignments:
        if a.kind == Kind.DUTY:
            rows[(a.ref, a.day)].append(a)
    r = 5
    if not lb.problem.duties:
        put(ws, r, 1, "No duties in the input.", font=GREY_ITALIC)
    for d in lb.problem.duties:
        put(ws, r, 1, d.name or d.duty_id, alignment=LEFT_WRAP)
        put(ws, r, 2, span(d.start, d.end), alignment=LEFT_WRAP)
        put(ws, r, 3, d.location, alignment=LEFT_WRAP)
        put(ws, r, 4, d.staff_needed, alignment=LEFT_WRAP)
        lines_max = 1
        for j, day in enumerate(days, start=5):
            if day not in lb.problem.days_of(d.days):
                put(ws, r, j, "-", fill=fill(OFF_COLOR), font=GREY_ITALIC, border=BLOCK_BORDER)
                continue
            lines = []
            for a in sorted(rows.get((d.duty_id, day), []), key=lambda a: (a.start, a.para_id)):
                whole = a.start <= d.start and a.end >= d.end
                lines.append(lb.para(a.para_id) + ("" if whole else f" {span(a.start, a.end)}"))
            miss = short.get((d.duty_id, day), 0)
            if miss:
                lines.append(f"SHORT {miss} staff-min")
            lines_max = max(lines_max, sum(-(-len(x) // (DAY_WIDTH - 2)) for x in lines))
            put(
                ws,
                r,
                j,
                "\n".join(lines) if lines else "",
                alignment=LEFT_WRAP,
                border=BLOCK_BORDER,
                fill=fill(SHORT_COLOR) if miss else None,
                font=RED_BOLD if miss else None,
            )
        ws.row_dimensions[r].height = max(15, 13 * lines_max + 2)
        r += 1
    widths = [22, 12, 14, 8, *([DAY_WIDTH] * len(days))]
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = w
    ws.freeze_panes = "B5"
    print_setup(ws, landscape=True, title_rows="4:4")
    ws.print_area = f"A1:{get_column_letter(len(widths))}{max(5, r - 1)}"


def write_therapy(ws: Worksheet, lb: Labels) -> None:
    put(ws, 1, 1, f"Therapy sessions - {lb.week_title()}", font=TITLE_FONT)
    sched = lb.schedule
    therapy_rows = defaultdict(list)
    for a in sched.assignments:
        if a.kind == Kind.THERAPY:
            therapy_rows[(a.ref, a.day)].append(a)

    def para_of(p) -> str:
        rows = [a for a in therapy_rows.get((p.session_id, p.day), []) if a.start < p.end and p.start < a.end]
        if not rows:
            return lb.para_full(p.para_id) if p.para_id else ""
        if len(rows) == 1 and rows[0].start <= p.start and rows[0].end >= p.end:
            return lb.para_full(rows[0].para_id)
        return ", ".join(f"{lb.para(a.para_id)} {span(a.start, a.end)}" for a in sorted(rows))

    def role(sid: str) -> str:
        for s in lb.problem.sessions:
            if s.session_id == sid:
                return str(s.para_role)
        return ""

    placed = sorted(sched.sessions, key=lambda p: (p.provider.lower(), DAYS.index(p.day), p.start, p.session_id))
    r = 3
    cols = ["Session", "Kind", "Students", "Para role", "Para"]
    for title, first, second, order in (
        ("By provider", "Provider", "Day", placed),
        ("By day", "Day", "Provider", sorted(placed, key=lambda p: (DAYS.index(p.day), p.start, p.provider.lower()))),
    ):
        put(ws, r, 1, title, font=SUBTITLE_FONT)
        r += 1
        _header(ws, r, [first, second, "Time", *cols])
        r += 1
        last = None
        for p in order:
            prov = p.provider or "(para delivers)"
            day = lb.day_title(p.day)
            group, other = (prov, day) if first == "Provider" else (day, prov)
            put(ws, r, 1, group if group != last else "", font=BOLD if group != last else None, alignment=LEFT_WRAP)
            last = group
            put(ws, r, 2, other, alignment=LEFT_WRAP)
            put(ws, r, 3, span(p.start, p.end))
            put(ws, r, 4, p.session_id)
            put(ws, r, 5, lb.session_kind(p.session_id))
            put(ws, r, 6, lb.students(lb.session_students(p.session_id)), alignment=LEFT_WRAP)
            put(ws, r, 7, role(p.session_id))
            para = para_of(p)
            if not para and role(p.session_id) in ("assist", "deliver"):
                put(ws, r, 8, "NO PARA", font=RED_BOLD, fill=fill(SHORT_COLOR))
            else:
                put(ws, r, 8, para, alignment=LEFT_WRAP)
            r += 1
        if not placed:
            put(ws, r, 1, "No therapy sessions placed.", font=GREY_ITALIC)
            r += 1
        r += 1

    missing = unplaced_sessions(lb.problem, sched)
    if missing:
        r += 1
        put(ws, r, 1, "Not placed this week", font=RED_BOLD)
        r += 1
        for sid, n in missing:
            ses = lb.problem.session(sid)
            put(
                ws,
                r,
                1,
                f"{sid} ({ses.kind or 'therapy'}): {n} of {ses.sessions_per_week} missing, "
                f"{ses.duration} min each - {lb.students(ses.student_ids)}",
                font=RED_BOLD,
                fill=fill(SHORT_COLOR),
            )
            r += 1
    for j, w in enumerate([22, 20, 12, 10, 14, 30, 10, 28], start=1):
        ws.column_dimensions[get_column_letter(j)].width = w
    print_setup(ws, landscape=True)
    ws.print_area = f"A1:H{max(1, r)}"
