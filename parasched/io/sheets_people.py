"""By Para and By Student: one printable page per person."""

from __future__ import annotations

import itertools
from typing import cast

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from parasched.scheduler.coverage import coverage
from parasched.scheduler.model import Support
from parasched.scheduler.schedule import Assignment, Kind, UnmetKind
from parasched.scheduler.timegrid import intersect, subtract

from .cells import HEADER_FILL, HEADER_FONT, apply_style, put
from .labels import Labels, fmt_minutes, span
from .styles import (
    BOLD,
    GREY_ITALIC,
    KIND_COLORS,
    LEFT,
    LEFT_WRAP_TOP,
    OFF_COLOR,
    RED_BOLD,
    SHORT_COLOR,
    TITLE_FONT,
    TOP,
    fill,
    print_setup,
)

ROW_HEIGHT = 14.5  # one line of 11-point text; a row gets this height per line it wraps to
TITLE_HEIGHT = 20.0
PAGE_HEIGHT_PT = 11.0 * 72 - 72 - 12  # letter portrait less top/bottom margins and a safety strip
PAGE_WIDTH_PT = (8.5 - 0.8) * 72  # less the side margins
CHARS_PER_UNIT = 1.15  # 11-point characters per column-width unit (LibreOffice renders of the sample)
# never print below about 6.6 points: a person whose week is longer than a page at this scale
# continues on a second page rather than shrinking everyone's page further (one scale per sheet;
# on the small sample 2 of 12 paras' weeks take a second page)
MIN_SCALE = 60
FILL = 0.85  # share of the page width the columns take (LibreOffice and Excel differ a little)
DAY_FILL = "DDEBF7"


def _width_pt(units: float) -> float:
    return (units * 8 + 4) * 0.75  # as LibreOffice lays a column out (see sheets_grid._width_pt)


def _lines(ws: Worksheet, r: int, widths: list[float]) -> int:
    """How many lines row ``r`` wraps to in these column widths."""
    most = 1
    for j, w in enumerate(widths, start=1):
        v = ws.cell(r, j).value
        if j < len(widths) and ws.cell(r, j + 1).value in (None, ""):
            continue  # a heading runs on into the empty cells to its right
        if isinstance(v, str) and v:
            cap = max(1, int(w * CHARS_PER_UNIT))
            most = max(most, sum(-(-len(part) // cap) for part in v.split("\n")))
    return most


def _finish(ws: Worksheet, widths: list[float], section_rows: list[int], landscape: bool = False) -> None:
    """Page break after each section; one scale so the longest section fits one page (never
    below ``MIN_SCALE``), and the columns widened so the page is filled across at that scale."""
    page_h = (8.5 * 72 - 84) if landscape else PAGE_HEIGHT_PT
    page_w = (11.0 - 0.8) * 72 if landscape else PAGE_WIDTH_PT
    given = list(widths)
    grows = [w >= 16 for w in given]  # the text columns take the room; times and counts keep their width
    base = sum(w for w, g in zip(given, grows, strict=True) if g) or 1.0
    heights: dict[int, float] = {}
    scale = 100
    for _ in range(2):  # wider columns wrap less: the second pass sets the scale on fewer lines
        heights, longest = _heights(ws, widths, section_rows)
        scale = max(MIN_SCALE, min(100, int(100 * page_h / max(longest, 1.0))))
        room = FILL * page_w * 100 / scale - sum(_width_pt(w) for w in given)
        # the text columns take the room across (never narrower than asked)
        widths = [w + (max(0.0, room) / 0.75 / 8 * w / base if g else 0.0) for w, g in zip(given, grows, strict=True)]
    heights, longest = _heights(ws, widths, section_rows)
    final = max(MIN_SCALE, min(scale, int(100 * page_h / max(longest, 1.0))))
    if final < scale:  # a smaller scale leaves room across: widen again (wrapping less, never longer)
        scale = final
        room = FILL * page_w * 100 / scale - sum(_width_pt(w) for w in given)
        widths = [w + (max(0.0, room) / 0.75 / 8 * w / base if g else 0.0) for w, g in zip(given, grows, strict=True)]
        heights, _ = _heights(ws, widths, section_rows)
    start = 1
    for i, n in enumerate(section_rows):
        start += n
        if i < len(section_rows) - 1:
            ws.row_breaks.append(Break(id=start - 1))
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = round(w, 1)
    for r, h in heights.items():
        ws.row_dimensions[r].height = h
        if h > ROW_HEIGHT and h != TITLE_HEIGHT:
            for j in range(1, len(widths) + 1):
                cell = ws.cell(r, j)
                apply_style(cell, {"alignment": LEFT_WRAP_TOP if isinstance(cell.value, str) else TOP})
    print_setup(ws, landscape=landscape, fit_width=False)
    if start > 1:  # text overflowing past the last column must not add pages to the right
        ws.print_area = f"A1:{get_column_letter(len(widths))}{start - 1}"
    ws.page_setup.scale = scale


def _heights(ws: Worksheet, widths: list[float], section_rows: list[int]) -> tuple[dict[int, float], float]:
    """Each row's height (a title, or a line per wrapped line) and the longest section's."""
    heights: dict[int, float] = {}
    longest = 0.0
    start = 1
    for n in section_rows:
        heights[start] = TITLE_HEIGHT
        total = TITLE_HEIGHT
        for r in range(start + 1, start + n):
            heights[r] = ROW_HEIGHT * _lines(ws, r, widths)
            total += heights[r]
        longest = max(longest, total)
        start += n
    return heights, longest


# -- By Para ---------------------------------------------------------------------------------------
PARA_COLUMNS = ["Time", "What", "Where", "Who (students)", "Minutes"]


def write_by_para(ws: Worksheet, lb: Labels) -> None:
    r = 1
    sections: list[int] = []
    school = lb.problem.settings.school_name
    for p in lb.problem.paras:
        first = r
        put(ws, r, 1, lb.para_full(p.para_id), font=TITLE_FONT)
        r += 1
        sub = f"{school + ' - ' if school else ''}{lb.week_title()}"
        if p.is_substitute:
            sub += " - substitute"
        put(ws, r, 1, sub, font=GREY_ITALIC)
        r += 1
        for j, c in enumerate(PARA_COLUMNS, start=1):
            put(ws, r, j, c, font=HEADER_FONT, fill=HEADER_FILL)
        r += 1
        for day in lb.problem.settings.days:
            hours = lb.grid.para_hours(p.para_id, day)
            avail = lb.grid.para_available(p.para_id, day)
            rows = lb.schedule.for_para(p.para_id, day)
            head = lb.day_title(day)
            if hours:
                head += "   (" + ", ".join(span(s, e) for s, e in hours) + ")"
            for j in range(1, len(PARA_COLUMNS) + 1):
                apply_style(ws.cell(r, j), {"fill": fill(DAY_FILL)})
            put(ws, r, 1, head, font=BOLD)
            r += 1
            if not hours and not rows:
                put(ws, r, 1, "Not working", font=GREY_ITALIC)
                r += 1
                continue
            items: list[tuple[int, int, object]] = [(a.start, a.end, a) for a in rows]
            for s, e in intersect(hours, lb.grid.absent(p.para_id, day)):
                items.append((s, e, "absent"))
            busy = [(a.start, a.end) for a in rows]
            for s, e in subtract(avail, busy):
                items.append((s, e, "free"))
            for s, e, what, wheres in _group_para_rows(lb, items):
                put(ws, r, 1, span(s, e))
                if what == "absent":
                    put(ws, r, 2, "Absent", font=GREY_ITALIC, fill=fill(OFF_COLOR))
                elif what == "free":
                    put(ws, r, 2, "No assignment", font=GREY_ITALIC)
                else:
                    a = cast(Assignment, what)  # neither 'absent' nor 'free': one of the rows
                    put(
                        ws,
                        r,
                        2,
                        lb.what(a),
                        fill=fill(KIND_COLORS.get(lb.group_kind(a), "FFFFFF")),
                        font=BOLD if a.kind in (Kind.LUNCH, Kind.BREAK) else None,
                    )
                    put(ws, r, 3, "; ".join(wheres))
                    who = a.students or (lb.session_students(a.ref) if a.kind == Kind.THERAPY else ())
                    put(ws, r, 4, lb.students(who), alignment=LEFT)
                put(ws, r, 5, e - s)
                r += 1
        work = sum(a.minutes for a in lb.schedule.for_para(p.para_id) if a.kind.is_work)
        put(ws, r, 1, f"Work this week: {fmt_minutes(work)}", font=GREY_ITALIC)
        r += 1
        sections.append(r - first)
    _finish(ws, [12, 22, 16, 26, 8], sections)
    ws.print_title_rows = None


def _group_para_rows(lb: Labels, items: list[tuple[int, int, object]]) -> list[tuple[int, int, object, list[str]]]:
    """Back-to-back rows of the same work (same kind, duty or session, same students) as one
    row: a 1:1 morning that changes rooms reads as one line, the rooms listed in order."""
    out: list[tuple[int, int, object, list[str]]] = []
    for s, e, what in sorted(items, key=lambda x: (x[0], x[1])):
        where = lb.where(what) if isinstance(what, Assignment) else ""
        if out and out[-1][1] == s and _same_work(out[-1][2], what):
            ps, _, pw, wheres = out[-1]
            out[-1] = (ps, e, pw, wheres + ([where] if where and where not in wheres else []))
        else:
            out.append((s, e, what, [where] if where else []))
    return out


def _same_work(a: object, b: object) -> bool:
    if isinstance(a, Assignment) and isinstance(b, Assignment):
        return (a.kind, a.ref, a.students) == (b.kind, b.ref, b.students) and a.kind not in (Kind.LUNCH, Kind.BREAK)
    return a == b and isinstance(a, str)


# -- By Student ------------------------------------------------------------------------------------
STUDENT_COLUMNS = ["Time", "Who supports", "Where / activity", "Needs", "Note"]
NEED_TEXT = {Support.ONE_TO_ONE: "1:1", Support.SHARED: "shared", Support.FLEX: "flex", Support.NONE: "none"}


def write_by_student(ws: Worksheet, lb: Labels) -> None:
    sched = lb.schedule
    cov = coverage(lb.problem, sched, lb.grid)
    req: dict[tuple[str, str], tuple[int, int]] = {}
    for n in cov:
        if n.kind == UnmetKind.SUPPORT:
            a, b = req.get((n.ref, n.day), (0, 0))
            req[(n.ref, n.day)] = (a + n.required, b + n.required - n.missing)
    from parasched.scheduler.coverage import flex_minutes

    flex_got = flex_minutes(lb.problem, sched, lb.grid)
    r = 1
    sections: list[int] = []
    for st in lb.problem.students:
        first = r
        sid = st.student_id
        put(ws, r, 1, lb.student_full(sid), font=TITLE_FONT)
        r += 1
        facts = [
            f"grade {st.grade}" if st.grade else "",
            f"homeroom {st.homeroom}" if st.homeroom else "",
            f"support {NEED_TEXT[st.support]}",
            f"priority {st.priority}",
        ]
        put(ws, r, 1, " - ".join(f for f in facts if f), font=GREY_ITALIC)
        r += 1
        week_req = week_cov = 0
        for j, c in enumerate(STUDENT_COLUMNS, start=1):
            put(ws, r, j, c, font=HEADER_FONT, fill=HEADER_FILL)
        r += 1
        for day in lb.problem.settings.days:
            rq, cv = req.get((sid, day), (0, 0))
            week_req += rq
            week_cov += cv
            for j in range(1, len(STUDENT_COLUMNS) + 1):
                apply_style(ws.cell(r, j), {"fill": fill(DAY_FILL)})
            put(ws, r, 1, lb.day_title(day), font=BOLD)
            if rq:
                # beside the day's name, which runs on over the narrow Time column
                put(ws, r, 3, f"required {rq} min, covered {cv} min", font=BOLD if cv >= rq else RED_BOLD)
            r += 1
            pieces = group_by_para(_student_pieces(lb, sid, day))
            if not pieces:
                put(ws, r, 1, "Absent" if lb.grid.absent(sid, day) else "Not in school", font=GREY_ITALIC)
                r += 1
            for s, e, where, need, who, note, bad in pieces:
                put(ws, r, 1, span(s, e))
                put(ws, r, 2, who, alignment=LEFT)
                put(ws, r, 3, where)
                put(ws, r, 4, need)
                if bad:
                    put(ws, r, 5, note, font=RED_BOLD, fill=fill(SHORT_COLOR))
                elif note:
                    put(ws, r, 5, note)
                r += 1
        line = f"Week: required {week_req} min, covered {week_cov} min"
        put(ws, r, 1, line, font=BOLD if week_cov >= week_req else RED_BOLD)
        r += 1
        if st.weekly_flex_minutes:
            got = flex_got.get(sid, 0)
            put(
                ws,
                r,
                1,
                f"Flex minutes: {got} of {st.weekly_flex_minutes} target",
                font=BOLD if got >= st.weekly_flex_minutes else RED_BOLD,
            )
            r += 1
        sessions = [p for p in sched.sessions if sid in lb.session_students(p.session_id)]
        for p in sorted(sessions, key=_day_key):
            put(
                ws,
                r,
                1,
                f"Therapy: {lb.session_kind(p.session_id)} ({p.session_id}) {lb.day_title(p.day)} "
                f"{span(p.start, p.end)}{' with ' + p.provider if p.provider else ''}",
                font=GREY_ITALIC,
            )
            r += 1
        sections.append(r - first)
    _finish(ws, [12, 24, 24, 8, 16], sections)


Piece = tuple[int, int, str, str, str, str, bool]


def group_by_para(pieces: list[Piece]) -> list[Piece]:
    """Back-to-back pieces with the same supporting para(s) and note as one row
    (``08:00-11:30 Maria Gonzalez``): a student's day reads as who is with them when; the
    places and needs it crosses are listed in order."""
    out: list[Piece] = []
    for s, e, where, need, who, note, bad in pieces:
        if out and out[-1][1] == s and out[-1][4:] == (who, note, bad):
            ps, _, pwhere, pneed, *_rest = out[-1]
            wheres = pwhere.split("; ")
            needs = pneed.split("/")
            out[-1] = (
                ps,
                e,
                "; ".join(wheres + ([where] if where not in wheres else [])),
                "/".join(needs + ([need] if need not in needs else [])),
                who,
                note,
                bad,
            )
        else:
            out.append((s, e, where, need, who, note, bad))
    return out


def _day_key(p) -> tuple[int, int]:
    from parasched.scheduler.timegrid import DAYS

    return (DAYS.index(p.day), p.start)


def _student_pieces(lb: Labels, sid: str, day: str) -> list[tuple[int, int, str, str, str, str, bool]]:
    """The student's day cut where location, need, therapy or supporting para changes."""
    sched = lb.schedule
    segs = lb.grid.student_day(sid, day)
    support = [a for a in sched.assignments if a.day == day and a.kind == Kind.SUPPORT and sid in a.students]
    occ = [p for p in sched.sessions if p.day == day and sid in lb.session_students(p.session_id)]
    therapy_rows = [a for a in sched.assignments if a.day == day and a.kind == Kind.THERAPY]
    points = sorted(
        {t for seg in segs for t in (seg.start, seg.end)}
        | {t for a in support for t in (a.start, a.end)}
        | {t for o in occ for t in (o.start, o.end)}
    )
    out: list[tuple[int, int, str, str, str, str, bool]] = []
    for s, e in itertools.pairwise(points):
        seg = next((g for g in segs if g.start <= s and e <= g.end), None)
        if seg is None:
            continue
        where = seg.location + (f" - {seg.activity}" if seg.activity else "")
        o = next((o for o in occ if o.start <= s and e <= o.end), None)
        if o is not None:
            paras = sorted(
                {lb.para(a.para_id) for a in therapy_rows if a.ref == o.session_id and a.start < e and s < a.end}
            )
            who = ", ".join(([o.provider] if o.provider else []) + paras)
            ses = next((x for x in lb.problem.sessions if x.session_id == o.session_id), None)
            unstaffed = ses is not None and ses.needs_para and not paras
            note = f"{lb.session_kind(o.session_id)} ({o.session_id})" + (": NO PARA" if unstaffed else "")
            item = (where, "therapy", who, note, unstaffed)
        else:
            rows = [a for a in support if a.start <= s and e <= a.end]
            names = []
            for a in rows:
                others = [x for x in a.students if x != sid]
                names.append(lb.para(a.para_id) + (f" (group with {lb.students(others)})" if others else ""))
            need = NEED_TEXT[seg.support]
            ok = any(len(a.students) == 1 for a in rows) if seg.support == Support.ONE_TO_ONE else bool(rows)
            bad = seg.support in (Support.ONE_TO_ONE, Support.SHARED) and not ok
            note = ("UNCOVERED" + (": in a group, needs 1:1" if rows else "")) if bad else ""
            item = (where, need, "; ".join(names) if names else ("-" if not bad else ""), note, bad)
        if out and out[-1][1] == s and out[-1][2:] == item:
            out[-1] = (out[-1][0], e, *item)
        else:
            out.append((s, e, *item))
    return out
