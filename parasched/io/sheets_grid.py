"""One grid per school day: paras as rows, time across, one merged, colored cell per block."""

from __future__ import annotations

from collections import defaultdict

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.worksheet import Worksheet

from parasched.scheduler.schedule import Kind
from parasched.scheduler.timegrid import fmt_time, intersect, merge, subtract

from .cells import apply_style, put
from .labels import Labels, span
from .styles import (
    ABSENT_COLOR,
    BOLD,
    CENTER_WRAP,
    HAIR,
    KIND_COLORS,
    KIND_NAMES,
    LEFT_CENTER,
    MEDIUM,
    OFF_COLOR,
    SMALL,
    SMALL_BOLD,
    THIN,
    TITLE_FONT,
    UNCOVERED_COLOR,
    WHITE_SMALL,
    fill,
    print_setup,
)

FIRST_TIME_COL = 3  # A: para, B: hours
HEADER_ROW = 3
FIRST_PARA_ROW = 4

# The grid is printed one page per day (landscape, fit to the page) up to ONE_PAGE_PARAS paras;
# text is set at 10 points so that the page, scaled to fit, still prints at about 7 points.
ONE_PAGE_PARAS = 30
GRID_FONT = Font(size=10)
GRID_BOLD = Font(size=10, bold=True)
GRID_WHITE = Font(size=10, bold=True, color="FFFFFF")
ROTATED_FONT = Font(size=8)
ROTATED = Alignment(horizontal="center", vertical="center", text_rotation=90)
PAGE_WIDTH_PT = (11.0 - 0.8) * 72  # letter landscape less the side margins
PAGE_HEIGHT_PT = (8.5 - 1.0) * 72 - 30  # less top/bottom margins and the footer
MIN_ROW, MAX_ROW = 26.0, 60.0
LEGEND_SPAN_MINUTES = 120  # each "S01 Name" entry of the id legend spans this much of the time axis


def day_range(lb: Labels, day: str) -> tuple[int, int]:
    """From the earliest para start to the latest para end that day (assignments included)."""
    starts: list[int] = []
    ends: list[int] = []
    for p in lb.problem.paras:
        for s, e in lb.grid.para_hours(p.para_id, day):
            starts.append(s)
            ends.append(e)
    for a in lb.schedule.assignments:
        if a.day == day:
            starts.append(a.start)
            ends.append(a.end)
    if not starts:
        st = lb.problem.settings
        return st.school_start, st.school_end
    return min(starts), max(ends)


def write_day_grid(ws: Worksheet, lb: Labels, day: str) -> None:
    step = lb.problem.settings.time_step
    t0, t1 = day_range(lb, day)
    t0 -= t0 % step
    t1 += (-t1) % step
    n = (t1 - t0) // step
    last_col = FIRST_TIME_COL + n - 1

    def col(t: int) -> int:
        return FIRST_TIME_COL + (t - t0) // step

    title = f"{lb.day_title(day)} - para grid"
    if lb.problem.settings.school_name:
        title = f"{lb.problem.settings.school_name}: {title}"
    put(ws, 1, 1, title, font=TITLE_FONT)
    ws.row_dimensions[1].height = 22

    # legend (row 2)
    items = [(KIND_NAMES[k], KIND_COLORS[k], SMALL) for k in KIND_COLORS]
    items += [
        ("Not working", OFF_COLOR, SMALL),
        ("Absent", ABSENT_COLOR, WHITE_SMALL),
        ("Uncovered need", UNCOVERED_COLOR, SMALL_BOLD),
    ]
    changes = lb.schedule.changes
    put(ws, 2, 1, "Legend:", font=BOLD, alignment=LEFT_CENTER)
    width = max(2, min(12, n // (len(items) + (1 if changes else 0))))
    c = FIRST_TIME_COL
    text: str | None
    for text, color, font in items:
        put(ws, 2, c, text, fill=fill(color), font=font, alignment=CENTER_WRAP, border=BOX)
        _merge(ws, 2, c, c + width - 1)
        c += width
    if changes:
        _block(ws, 2, c, c + width - 1, "Changed", "FFFFFF", SMALL_BOLD, CHANGED_BOX)
    ws.row_dimensions[2].height = 24

    # time header (row 3): a label every 30 minutes
    put(ws, HEADER_ROW, 1, "Para", font=BOLD, alignment=LEFT_CENTER)
    put(ws, HEADER_ROW, 2, "Hours", font=BOLD, alignment=LEFT_CENTER)
    t = t0
    while t < t1:
        nxt = min(t1, t + 30 - t % 30)
        if t % 30 == 0 and nxt - t == 30:
            put(ws, HEADER_ROW, col(t), fmt_time(t), font=GRID_BOLD, alignment=CENTER_WRAP)
        cstart, cend = col(t), col(nxt) - 1
        for cc in range(cstart, cend + 1):
            apply_style(ws.cell(HEADER_ROW, cc), {"border": HEAD_HOUR if cc == cstart and t % 60 == 0 else HEAD_TICK})
        if cend > cstart:
            _merge(ws, HEADER_ROW, cstart, cend)
        t = nxt
    ws.row_dimensions[HEADER_ROW].height = 16

    # para rows
    by_para = defaultdict(list)
    for a in lb.schedule.assignments:
        if a.day == day:
            by_para[a.para_id].append(a)
    para_ids = [p.para_id for p in lb.problem.paras]
    para_ids += sorted(set(by_para) - set(para_ids))
    unmet = defaultdict(list)
    for u in lb.schedule.unmet:
        if u.day == day and u.start is not None and u.end is not None:
            unmet[(str(u.kind), u.ref)].append(u)
    legend = id_legend(lb, day)
    one_page = len(para_ids) <= ONE_PAGE_PARAS
    w = col_width(step)
    width_pt = _width_pt(PARA_WIDTH) + _width_pt(HOURS_WIDTH) + n * _width_pt(w)
    scale = min(1.0, PAGE_WIDTH_PT / width_pt)
    per_line = max(1, n * step // LEGEND_SPAN_MINUTES)
    fixed = 22 + 24 + 16 + (30 + 24 * len(unmet) if unmet else 0) + (30 + 16 * -(-len(legend) // per_line))
    height = (PAGE_HEIGHT_PT / scale - fixed) / max(1, len(para_ids)) if one_page else MIN_ROW
    row_height = round(max(MIN_ROW, min(MAX_ROW, height)), 1)
    row = FIRST_PARA_ROW
    for pid in para_ids:
        _para_row(ws, lb, day, pid, row, t0, t1, col, sorted(by_para.get(pid, [])), row_height)
        row += 1

    # uncovered needs of the day, one row per need
    if unmet:
        row += 1
        put(ws, row, 1, "Uncovered needs", font=BOLD)
        row += 1
        for (kind, ref), rows in sorted(unmet.items()):
            who = (
                lb.student_full(ref)
                if kind in ("support", "flex")
                else (lb.duty_name(ref) if kind == "duty" else f"{lb.session_kind(ref)} ({ref})")
            )
            put(ws, row, 1, f"{kind}: {who}", font=SMALL_BOLD, alignment=LEFT_CENTER)
            put(ws, row, 2, f"{sum(u.minutes for u in rows)} min", font=SMALL, alignment=LEFT_CENTER)
            done: list[tuple[int, int]] = []
            for u in sorted(rows, key=lambda u: u.start or 0):
                assert u.start is not None and u.end is not None
                for s, e in subtract([(max(u.start, t0), min(u.end, t1))], done):
                    bw = (e - s) // step * w
                    text = fit_label(f"{e - s} min", bw, 2) or fit_label(str(e - s), bw, 1)
                    _block(ws, row, col(s), col(e) - 1, text, UNCOVERED_COLOR, SMALL_BOLD)
                    done.append((s, e))
            ws.row_dimensions[row].height = 24
            row += 1

    # who is who: the ids used in short blocks, with their names, on the same page
    if legend:
        row += 1
        put(ws, row, 1, "Who is who (ids in the blocks)", font=BOLD)
        row += 1
        span_cols = max(1, LEGEND_SPAN_MINUTES // step)
        for i in range(0, len(legend), per_line):
            for j, (ident, name) in enumerate(legend[i : i + per_line]):
                c0 = FIRST_TIME_COL + j * span_cols
                put(ws, row, c0, f"{ident}  {name}" if name else ident, font=GRID_FONT, alignment=LEFT_CENTER)
                _merge(ws, row, c0, min(last_col, c0 + span_cols - 1))
            ws.row_dimensions[row].height = 16
            row += 1

    ws.column_dimensions["A"].width = PARA_WIDTH
    ws.column_dimensions["B"].width = HOURS_WIDTH
    for cc in range(FIRST_TIME_COL, last_col + 1):
        ws.column_dimensions[get_column_letter(cc)].width = w
    ws.freeze_panes = ws.cell(FIRST_PARA_ROW, FIRST_TIME_COL).coordinate
    print_setup(ws, landscape=True, title_rows=f"1:{HEADER_ROW}", title_cols="A:B", fit_height=one_page)
    ws.print_area = f"A1:{get_column_letter(last_col)}{row - 1}"


def id_legend(lb: Labels, day: str) -> list[tuple[str, str]]:
    """(id, name) of every student, duty and session in the day's blocks, in that order.

    Students appear with their name only when the workbook shows names (``Labels.student``);
    anonymized, the legend gives their initials; with ids only, the id alone."""
    students: set[str] = set()
    duties: set[str] = set()
    sessions: set[str] = set()
    for a in lb.schedule.assignments:
        if a.day != day:
            continue
        students.update(a.students)
        if a.kind == Kind.DUTY:
            duties.add(a.ref)
        elif a.kind == Kind.THERAPY:
            sessions.add(a.ref)
            students.update(lb.session_students(a.ref))
    out: list[tuple[str, str]] = []
    for sid in sorted(students):
        label = lb.student(sid)
        out.append((sid, "" if label == sid else label.removesuffix(f" {sid}")))
    out += [(d, lb.duty_name(d)) for d in sorted(duties)]
    out += [(x, lb.session_kind(x)) for x in sorted(sessions)]
    return out


def _width_pt(units: float) -> float:
    """Printed width of a column ``units`` wide, as LibreOffice lays it out (measured: about 8
    pixels a unit plus 4 of padding; Excel's 7 + 5 is close)."""
    return (units * 8 + 4) * 0.75


LINES = 3  # a para row holds three lines of 10-point text
CHARS_PER_UNIT = 1.0  # 10-point characters per column-width unit (measured on LibreOffice renders)
PARA_WIDTH, HOURS_WIDTH = 18.0, 10.0


def col_width(step: int) -> float:
    """Column width for one time step: a half hour is about eight characters wide. Narrow, so
    that a school day fits a landscape page at a scale that keeps 10-point text readable."""
    return max(0.6, round(6.0 * step / 30, 2))


def fit_label(text: str, width_units: float, lines: int = LINES) -> str | None:
    """``text`` if it wraps into ``lines`` lines of the block's width without cutting a word, else None."""
    cap = int(width_units * CHARS_PER_UNIT - 0.8)  # less the cell padding
    if not text:
        return text
    if cap < 1:
        return None
    used, cur = 1, 0
    for word in text.split():
        if len(word) > cap:
            return None
        need = len(word) if cur == 0 else cur + 1 + len(word)
        if need <= cap:
            cur = need
        else:
            used += 1
            cur = len(word)
    return text if used <= lines else None


BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CHANGED_SIDE = Side(style="thick", color="C00000")
CHANGED_BOX = Border(left=CHANGED_SIDE, right=CHANGED_SIDE, top=CHANGED_SIDE, bottom=CHANGED_SIDE)
HEAD_HOUR = Border(left=MEDIUM, bottom=THIN)
HEAD_TICK = Border(left=HAIR, bottom=THIN)
CELL_HOUR = Border(left=MEDIUM, bottom=THIN, top=THIN)
CELL_TICK = Border(left=HAIR, bottom=THIN, top=THIN)


def _merge(ws: Worksheet, row: int, c0: int, c1: int) -> None:
    """Merge one row's cells c0..c1. Skips openpyxl's per-merge re-styling of the edge cells
    (very slow on big grids); the cells inside already carry the block's fill and border."""
    ws.merged_cells.ranges.add(CellRange(min_col=c0, min_row=row, max_col=c1, max_row=row))


def _block(
    ws: Worksheet, row: int, c0: int, c1: int, text: str | None, color: str, font: Font = SMALL, border: Border = BOX
) -> None:
    if c1 < c0:
        return
    put(ws, row, c0, text, fill=fill(color), font=font, alignment=CENTER_WRAP, border=border)
    for cc in range(c0 + 1, c1 + 1):
        apply_style(ws.cell(row, cc), {"fill": fill(color), "border": border})
    if c1 > c0:
        _merge(ws, row, c0, c1)


def _para_row(
    ws: Worksheet, lb: Labels, day: str, pid: str, row: int, t0: int, t1: int, col, blocks, row_height: float
) -> None:
    sub = pid in lb._paras and lb._paras[pid].is_substitute
    put(ws, row, 1, lb.para_full(pid) + (" - substitute" if sub else ""), font=GRID_BOLD, alignment=LEFT_CENTER)
    hours = lb.grid.para_hours(pid, day) if pid in lb._paras else ()
    avail = lb.grid.para_available(pid, day) if pid in lb._paras else ()
    absent = intersect(hours, lb.grid.absent(pid, day)) if pid in lb._paras else ()
    put(ws, row, 2, ", ".join(span(s, e) for s, e in hours) if hours else "off", font=GRID_FONT, alignment=LEFT_CENTER)
    ws.row_dimensions[row].height = row_height
    step = lb.problem.settings.time_step
    lines = max(1, min(LINES, int(row_height // 13)))

    # background: grey outside hours, dark grey while absent, hairlines on the time grid
    for t in range(t0, t1, step):
        inside = any(s <= t < e for s, e in avail)
        bg = None if inside else fill(ABSENT_COLOR if any(s <= t < e for s, e in absent) else OFF_COLOR)
        apply_style(ws.cell(row, col(t)), {"fill": bg, "border": CELL_HOUR if t % 60 == 0 else CELL_TICK})
    taken: list[tuple[int, int]] = []
    for s, e in absent:
        s, e = max(s, t0), min(e, t1)
        if e > s:
            _block(ws, row, col(s), col(e) - 1, "absent", ABSENT_COLOR, GRID_WHITE)
            taken.append((s, e))
    if not hours and not blocks:
        _block(ws, row, col(t0), col(t1) - 1, "not working today", OFF_COLOR, GRID_FONT)
        return
    for a in blocks:
        for s, e in subtract([(max(a.start, t0), min(a.end, t1))], taken):
            color = KIND_COLORS.get(lb.group_kind(a), "FFFFFF")
            font = GRID_BOLD if a.kind in (Kind.LUNCH, Kind.BREAK) else GRID_FONT
            ncols = (e - s) // step
            text = fit_label(lb.block_label(a), ncols * col_width(step), lines)
            if text is None:
                text = fit_label(lb.block_short(a), ncols * col_width(step), lines)
            changed = any(c.para_id == pid and c.day == day and c.start < e and s < c.end for c in lb.schedule.changes)
            box = CHANGED_BOX if changed else BOX
            if text is None and fits_rotated(lb.block_short(a), row_height):
                # too narrow to read across: the id stands on its side, the legend names it
                text = lb.block_short(a)
                _block(ws, row, col(s), col(e) - 1, text, color, ROTATED_FONT, box)
                apply_style(ws.cell(row, col(s)), {"alignment": ROTATED})
            else:
                _block(ws, row, col(s), col(e) - 1, text, color, font, box)
            if text != lb.block_label(a):
                tip = f"{lb.what(a)} {span(a.start, a.end)}: {lb.block_label(a)}"
                ws.cell(row, col(s)).comment = Comment(
                    ILLEGAL_CHARACTERS_RE.sub("", tip), "parasched", width=220, height=60
                )
            taken = list(merge([*taken, (s, e)]))
    # time a change left free (e.g. a para moved off a student) is outlined too
    for c in lb.schedule.changes:
        if c.para_id != pid or c.day != day:
            continue
        for s, e in subtract([(max(c.start, t0), min(c.end, t1))], taken):
            ncols = (e - s) // step
            text = fit_label(f"was {c.before}", ncols * col_width(step), lines)
            _block(ws, row, col(s), col(e) - 1, text, "FFFFFF", GRID_FONT, CHANGED_BOX)
            taken = list(merge([*taken, (s, e)]))


def fits_rotated(text: str, row_height: float) -> bool:
    """An 8-point label turned on its side fits a row this tall (about 5 points a character)."""
    return bool(text) and len(text) * 5.0 + 6 <= row_height
