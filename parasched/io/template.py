"""The blank input workbook (``parasched template FILE.xlsx``): every sheet and header, an
Instructions sheet in plain words, dropdowns, frozen bold headers, and one example row per sheet.

The example rows make a tiny, valid school: the template reads back clean with
:func:`parasched.io.reader.read_problem`, so a coordinator can replace the rows one by one.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from .input_writer import INPUT_SHEETS, SETTING_ROWS, atomic_path, fit_to_page, put, write_sheet

# Settings rows of the template: (setting, example value, what it means)
SETTINGS_HELP: dict[str, tuple[Any, str]] = {
    "school_name": ("Example Elementary", "Shown on the schedule's pages."),
    "days": ("Mon-Fri", "The school days of the week being planned, e.g. Mon-Fri or Mon, Tue, Thu."),
    "week_of": (None, "Date of the first school day (e.g. 2026-11-23); when given, schedules show dates."),
    "school_start": ("08:00", "Start of the student day (used for students with no StudentSchedule rows)."),
    "school_end": ("15:00", "End of the student day."),
    "time_step_minutes": (5, "Every time is a multiple of this many minutes (5, 10, 15...)."),
    "lunch_minutes": (30, "Duty-free lunch each para gets each working day (0 = none)."),
    "lunch_window": ("10:30-13:30", "Lunches must lie inside this window."),
    "breaks_per_day": (
        0,
        "Short duty-free breaks each para gets each working day, besides lunch (the breaks and "
        "the lunch must leave working time in the school day).",
    ),
    "break_minutes": (15, "Length of each break."),
    "max_continuous_minutes": (
        None,
        "Longest stretch of work a para may do without lunch, a break or free time (blank = no limit).",
    ),
    "min_support_minutes": (
        15,
        "Shortest time a para stays with a student: no 5-minute drop-ins (a whole "
        "shorter need, such as a 10-minute arrival, is fine; 0 = no minimum).",
    ),
    "time_limit_seconds": (
        60,
        "Seconds 'parasched solve' may take in all, reading and writing included (at most "
        "86,400). 'resolve' takes 20 s unless given --time-limit.",
    ),
}

EXAMPLES: dict[str, list[Any]] = {
    "Paras": ["P01", "Jane Example", "para", None, "07:30", "15:30", "behavior, medical", "f", None, None, None, "yes"],
    "Availability": ["P01", "Fri", "07:30", "12:00"],
    "Students": ["S01", "Sam Example", "2", "Room 12", "1:1", 3, "behavior", "m", "no", 1, 240, "P01", None, None],
    "StudentSchedule": ["S01", None, "08:00", "11:30", "Reading and math", "Room 12", "1:1", None, "no"],
    "Duties": ["D01", "Morning arrival", "arrival", None, "07:30", "08:00", "Front door", 1, None, 1],
    "Therapy": [
        "T01",
        "S01",
        "speech",
        "Ms. Reed (SLP)",
        "none",
        None,
        2,
        "Mon, Wed",
        "10:00",
        "10:30",
        None,
        None,
        None,
        None,
        None,
    ],
    "Providers": ["Ms. Reed (SLP)", "Mon, Wed", "08:00", "12:00"],
    "Absences": ["P01", "Wed", "14:00", "15:30", "dentist appointment"],
}

SHEET_HELP: dict[str, str] = {
    "Settings": "School-wide settings. Optional: a blank value means the default shown here.",
    "Paras": "One row per para (and per substitute). Required.",
    "Availability": "Optional. A row replaces that para's usual hours on that day (several rows for one day "
    "add up); leave start and end blank for a day off.",
    "Students": "One row per student with para support in the IEP. Required.",
    "StudentSchedule": "Optional. Where each student is during the day and what support they need there. A "
    "student with no rows is in their homeroom all school day with their default support. "
    "Time not covered by a row: the student needs no para.",
    "Duties": "Optional. Supervision duties (lunchroom, recess, buses...): every minute needs staff_needed paras.",
    "Therapy": "Optional. Sessions given by a provider (speech, OT, PT, counseling) or by a para (e.g. ABA by an "
    "RBT). Fill days/start/end for a session at a fixed time, OR sessions_per_week/duration_minutes "
    "(and optionally allowed_days, window_start, window_end) to let parasched place it.",
    "Providers": "Optional. When each therapy provider is in the building; several rows per provider add up. A "
    "provider with no row can be scheduled any time in the school day.",
    "Absences": "Optional. Known leave: a para or student out. Blank start and end = the whole day.",
}

# (column, required, what to enter) per sheet
COLUMN_HELP: dict[str, list[tuple[str, str, str]]] = {
    "Settings": [
        ("setting", "yes", "The name of the setting (see the Settings sheet)."),
        ("value", "yes", "Its value; blank = the default."),
    ],
    "Paras": [
        ("para_id", "yes", "A short unique id, e.g. P01. Used everywhere else to refer to this para."),
        ("name", "yes", "The para's name."),
        (
            "role",
            "no",
            "para (default) or substitute. A substitute is used only where it avoids leaving a need uncovered.",
        ),
        ("days", "no", "Days worked, e.g. Mon, Wed or Mon-Thu. Blank = every school day."),
        ("start", "yes", "Start of the working day, HH:MM (24h), e.g. 07:30."),
        ("end", "yes", "End of the working day, e.g. 15:30 (the para leaves at this time)."),
        (
            "skills",
            "no",
            "Trainings and qualifications, comma separated: behavior, medical, ASL, spanish, lift, toileting, rbt...",
        ),
        ("gender", "no", "Only used for students who need a para of the same gender (personal care)."),
        ("lunch_minutes", "no", "This para's lunch length if different from Settings."),
        ("lunch_window", "no", "This para's lunch window if different from Settings, e.g. 11:00-13:00."),
        ("max_duty_minutes", "no", "Most minutes of duties (lunchroom, recess, bus...) per week (at most 10,080)."),
        ("general_duties", "no", "no = paid for student support only, never put on a duty. Default yes."),
    ],
    "Availability": [
        ("para_id", "yes", "The para, from the Paras sheet."),
        ("day", "yes", "One day, e.g. Fri."),
        ("start", "no", "Hours that day (replacing the usual hours). Blank start and end = not working."),
        ("end", "no", "End of the hours that day."),
    ],
    "Students": [
        ("student_id", "yes", "A short unique id, e.g. S01."),
        ("name", "yes", "The student's name (kept confidential: logs show ids only)."),
        ("grade", "no", "Grade, e.g. K, 1, 2."),
        ("homeroom", "no", "The usual classroom."),
        (
            "support",
            "no",
            "1:1 (default): a para with this student only. shared: a para may support a small "
            "group in the same room. flex: support welcome, counts toward weekly_flex_minutes. "
            "none: no para needed.",
        ),
        ("group_max", "no", "Largest group one para supports at once in shared time (default 3, at most 50)."),
        ("skills_required", "no", "Skills every para working with this student must have, comma separated."),
        ("gender", "no", "The student's gender (needed with gender_match)."),
        ("gender_match", "no", "yes = only a para of the same gender (e.g. toileting)."),
        ("priority", "no", "1 = critical (safety, medical), 2 = required by the IEP (default), 3 = desirable."),
        (
            "max_minutes_with_same_para",
            "no",
            "Most minutes a day one para may spend with this student (rotation for high-intensity students).",
        ),
        ("preferred_paras", "no", "Para ids this student does best with (preferred, not guaranteed)."),
        ("avoid_paras", "no", "Para ids never to assign to this student (relatives, past incidents)."),
        ("weekly_flex_minutes", "no", "IEP minutes per week to be met during flex time (at most 10,080)."),
    ],
    "StudentSchedule": [
        ("student_id", "yes", "The student, from the Students sheet."),
        ("days", "no", "Days this row applies to. Blank = every school day."),
        ("start", "yes", "Start of the block, HH:MM."),
        ("end", "yes", "End of the block."),
        ("activity", "no", "What happens, e.g. Reading, Art, Lunch, Recess."),
        ("location", "no", "Where. Blank = the student's homeroom."),
        ("support", "no", "1:1, shared, flex or none. Blank = the student's default support."),
        ("skills_required", "no", "Extra skills needed in this block only (e.g. lift in PE)."),
        ("protected", "no", "yes = core instruction: no therapy session may pull the student out then."),
    ],
    "Duties": [
        ("duty_id", "yes", "A short unique id, e.g. D01."),
        ("name", "no", "What the duty is called, e.g. Bus loop."),
        ("kind", "no", "lunch, recess, bus, arrival, dismissal, hallway or other."),
        ("days", "no", "Days of the duty. Blank = every school day."),
        ("start", "yes", "Start, HH:MM."),
        ("end", "yes", "End."),
        ("location", "no", "Where."),
        ("staff_needed", "no", "How many paras are needed at every minute (default 1, at most 50)."),
        ("skills_required", "no", "Skills each para on the duty must have."),
        ("priority", "no", "1 critical, 2 required (default), 3 desirable."),
    ],
    "Therapy": [
        ("session_id", "yes", "A short unique id, e.g. T01."),
        ("student_ids", "yes", "The students in the session, e.g. S01, S04."),
        ("kind", "no", "speech, OT, PT, counseling, ABA..."),
        ("provider", "no", "Who gives it, e.g. Ms. Reed (SLP). Needed unless a para delivers it."),
        (
            "para_role",
            "no",
            "none (default): the provider has the students, no para needed. assist: a "
            "qualified para stays for the session. deliver: a para runs it (e.g. an RBT).",
        ),
        ("skills_required", "no", "Skills the assisting or delivering para must have."),
        ("priority", "no", "1 critical, 2 required (default), 3 desirable."),
        ("days", "no", "Fixed session: its days (blank = every school day)."),
        ("start", "no", "Fixed session: start time."),
        ("end", "no", "Fixed session: end time."),
        ("sessions_per_week", "no", "Flexible session: how many times a week (at most once a day)."),
        ("duration_minutes", "no", "Flexible session: length of each session."),
        ("allowed_days", "no", "Flexible session: days it may be on (blank = every school day)."),
        ("window_start", "no", "Flexible session: earliest start (blank = school day)."),
        ("window_end", "no", "Flexible session: latest end."),
    ],
    "Providers": [
        ("provider", "yes", "The provider's name, written exactly as on the Therapy sheet."),
        ("days", "no", "Days in the building. Blank = every school day."),
        ("start", "yes", "From, HH:MM."),
        ("end", "yes", "Until."),
    ],
    "Absences": [
        ("person_id", "yes", "A para_id or student_id."),
        ("days", "no", "Days out. Blank = every school day."),
        ("start", "no", "Out from (blank = all day)."),
        ("end", "no", "Out until."),
        ("reason", "no", "A note (not used for scheduling)."),
    ],
}

TITLE_FONT = Font(bold=True, size=14)
SHEET_FONT = Font(bold=True, color="FFFFFF")
SHEET_FILL = PatternFill("solid", fgColor="1F4E78")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")

GENERAL = (
    "How to use this workbook",
    "1. Replace the example row on each sheet with your school's data (one row per item). Keep the header row.",
    "2. Times are HH:MM on a 24-hour clock (08:30, 13:15); 8:30 AM also works. End times are exclusive: "
    "08:00-08:30 is 30 minutes.",
    "3. Days: Mon Tue Wed Thu Fri Sat Sun. A days cell holds a list (Mon, Wed), a range (Mon-Thu), or is blank, "
    "meaning every school day.",
    "4. Lists (skills, ids) are comma separated. Skills are compared without regard to capitals.",
    "5. Ids (P01, S01, D01, T01) must be unique on their sheet; every id you refer to must exist.",
    "6. Extra columns (notes) and extra sheets such as this one are ignored. Sheets you do not need may stay "
    "with just their header.",
    "7. Check the workbook with:  parasched validate FILE.xlsx   then build the week with:  parasched solve FILE.xlsx",
)


def _fit_height(ws: Worksheet, row: int, text: str, chars_per_line: int = 90) -> None:
    """Tall enough for wrapped text (Excel does not grow rows written by a program)."""
    lines = -(-len(text) // chars_per_line)
    if lines > 1:
        ws.row_dimensions[row].height = 15 * lines
        for col in (1, 2):
            ws.cell(row=row, column=col).alignment = TOP


def _instructions(ws: Worksheet) -> None:
    put(ws, 1, 1, "parasched input workbook: instructions")
    ws.cell(row=1, column=1).font = TITLE_FONT
    r = 3
    for i, line in enumerate(GENERAL):
        put(ws, r, 1, line)
        if i == 0:
            ws.cell(row=r, column=1).font = Font(bold=True)
        r += 1
    r += 1
    for sheet in INPUT_SHEETS:
        for col in range(1, 4):
            ws.cell(row=r, column=col).fill = SHEET_FILL
        put(ws, r, 1, sheet)
        ws.cell(row=r, column=1).font = SHEET_FONT
        put(ws, r, 3, SHEET_HELP[sheet])
        ws.cell(row=r, column=3).font = SHEET_FONT
        ws.cell(row=r, column=3).alignment = WRAP
        _fit_height(ws, r, SHEET_HELP[sheet])
        r += 1
        put(ws, r, 1, "column")
        put(ws, r, 2, "required")
        put(ws, r, 3, "what to enter")
        for col in range(1, 4):
            ws.cell(row=r, column=col).font = Font(bold=True)
        r += 1
        for name, required, text in COLUMN_HELP[sheet]:
            put(ws, r, 1, name)
            put(ws, r, 2, required)
            put(ws, r, 3, text)
            ws.cell(row=r, column=3).alignment = WRAP
            _fit_height(ws, r, text)
            r += 1
        r += 1
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 10
    ws.column_dimensions["C"].width = 95
    ws.freeze_panes = "A2"
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    fit_to_page(ws)


def build_template() -> Workbook:
    """The template workbook: Instructions first, then every input sheet with one example row."""
    wb = Workbook()
    ws = wb.worksheets[0]
    ws.title = "Instructions"
    _instructions(ws)
    for name, columns in INPUT_SHEETS.items():
        sheet = wb.create_sheet(name)
        if name == "Settings":
            rows: Sequence[Sequence[Any]] = [[s, SETTINGS_HELP[s][0], SETTINGS_HELP[s][1]] for s in SETTING_ROWS]
            write_sheet(sheet, (*columns, "notes"), rows)
        else:
            write_sheet(sheet, columns, [EXAMPLES[name]])
    return wb


def write_template(path: str | Path) -> None:
    """Write the blank input workbook to ``path`` (atomically)."""
    wb = build_template()
    with atomic_path(Path(path)) as tmp:
        wb.save(tmp)


__all__ = ["COLUMN_HELP", "EXAMPLES", "SETTINGS_HELP", "build_template", "write_template"]
