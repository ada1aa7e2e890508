"""The schedule workbook: contract sheets exact, people's sheets readable, text never a formula."""

from __future__ import annotations

import dataclasses
import datetime as dt

import openpyxl
import pytest

from parasched.io.writer import write_schedule
from parasched.scheduler.model import Duty, DutyKind, Para, Problem, Session, Settings, Student, Support
from parasched.scheduler.schedule import (
    Assignment,
    Change,
    Kind,
    PlacedSession,
    Schedule,
    SolveResult,
    Status,
    Unmet,
    UnmetKind,
)


def _problem(
    week_of: dt.date | None = dt.date(2026, 11, 23), student_name: str = "Ana Lopez", school: str = "Maple Elementary"
) -> Problem:
    settings = Settings(school_name=school, days=("Mon", "Tue"), week_of=week_of)
    paras = (
        Para("P1", "Pat Jones", 8 * 60, 15 * 60),
        Para("P2", "Sam Lee", 9 * 60, 14 * 60, days=("Mon",)),
    )
    students = (
        Student("S1", student_name, homeroom="Rm 4", weekly_flex_minutes=0),
        Student("S2", "Bo Chen", homeroom="Rm 5", support=Support.SHARED),
    )
    duties = (Duty("D1", "Lunchroom", DutyKind.LUNCH, 10 * 60, 10 * 60 + 30, location="Cafeteria"),)
    sessions = (
        Session("T1", ("S1",), kind="speech", provider="Ms SLP", start=10 * 60, end=10 * 60 + 30, days=("Mon",)),
    )
    return Problem(settings, paras, students, duties=duties, sessions=sessions)


def _result(changes: tuple[Change, ...] = ()) -> SolveResult:
    A = Assignment
    assignments = (
        A("P1", "Mon", 480, 600, Kind.SUPPORT, "", ("S1",), "Rm 4"),
        A("P1", "Mon", 600, 630, Kind.DUTY, "D1", (), "Cafeteria"),
        A("P1", "Mon", 690, 720, Kind.LUNCH),
        A("P2", "Mon", 540, 600, Kind.SUPPORT, "", ("S2",), "Rm 5"),
        A("P1", "Tue", 480, 510, Kind.BREAK),
    )
    sessions = (PlacedSession("T1", "Mon", 600, 630, "Ms SLP", ""),)
    unmet = (
        Unmet(UnmetKind.SUPPORT, "S1", "Tue", 510, 540, 30, 2, "no qualified para free"),
        Unmet(UnmetKind.THERAPY, "T9", "", None, None, 30, 1, "no slot"),
    )
    return SolveResult(
        Status.OPTIMAL, Schedule(assignments, sessions, unmet, changes), objective=60.0, bound=60.0, runtime=1.25
    )


def _rows(ws) -> list[tuple]:
    return [tuple(r) for r in ws.iter_rows(values_only=True)]


def test_contract_sheets_exact(tmp_path):
    out = tmp_path / "out.xlsx"
    write_schedule(out, _problem(), _result())
    wb = openpyxl.load_workbook(out)
    assert _rows(wb["Assignments"]) == [
        ("para_id", "day", "start", "end", "kind", "ref", "students", "location", "date"),
        ("P1", "Mon", "08:00", "10:00", "support", None, "S1", "Rm 4", "2026-11-23"),
        ("P1", "Mon", "10:00", "10:30", "duty", "D1", None, "Cafeteria", "2026-11-23"),
        ("P1", "Mon", "11:30", "12:00", "lunch", None, None, None, "2026-11-23"),
        ("P1", "Tue", "08:00", "08:30", "break", None, None, None, "2026-11-24"),
        ("P2", "Mon", "09:00", "10:00", "support", None, "S2", "Rm 5", "2026-11-23"),
    ]
    assert _rows(wb["Sessions"]) == [
        ("session_id", "day", "start", "end", "provider", "para_id"),
        ("T1", "Mon", "10:00", "10:30", "Ms SLP", None),
    ]
    assert _rows(wb["Unmet"]) == [
        ("kind", "ref", "day", "start", "end", "minutes", "priority", "reason"),
        ("therapy", "T9", None, None, None, 30, 1, "no slot"),
        ("support", "S1", "Tue", "08:30", "09:00", 30, 2, "no qualified para free"),
    ]
    unmet = wb["Unmet"]
    assert unmet["A2"].fill.fgColor.rgb.endswith("FFC7CE")  # priority 1 tinted
    assert unmet["A3"].fill.fill_type is None
    assert unmet["H2"].alignment.wrap_text is True
    assert "Changes" not in wb.sheetnames
    assert wb.sheetnames[0] == "Summary"
    assert wb["Assignments"]["C2"].data_type == "s"


def test_no_date_column_without_week_of(tmp_path):
    out = tmp_path / "out.xlsx"
    write_schedule(out, _problem(week_of=None), _result())
    header = _rows(openpyxl.load_workbook(out)["Assignments"])[0]
    assert header == ("para_id", "day", "start", "end", "kind", "ref", "students", "location")


def test_changes_sheet(tmp_path):
    out = tmp_path / "out.xlsx"
    write_schedule(out, _problem(), _result((Change("P1", "Mon", 480, 600, "support S1", "duty D1"),)))
    assert _rows(openpyxl.load_workbook(out)["Changes"]) == [
        ("para_id", "day", "start", "end", "before", "after"),
        ("P1", "Mon", "08:00", "10:00", "support S1", "duty D1"),
    ]
    out2 = tmp_path / "out2.xlsx"
    write_schedule(out2, _problem(), _result(), changes_sheet=True)
    assert _rows(openpyxl.load_workbook(out2)["Changes"]) == [("para_id", "day", "start", "end", "before", "after")]


@pytest.mark.parametrize("name", ['=HYPERLINK("http://x","y")', "+1+2", "-3", "@SUM(A1)"])
def test_text_never_becomes_formula(tmp_path, name):
    import zipfile

    out = tmp_path / "out.xlsx"
    write_schedule(out, _problem(student_name=name, school=name), _result(), names=True)
    wb = openpyxl.load_workbook(out)
    found = [c for ws in wb for row in ws.iter_rows() for c in row if c.value == name]
    assert found, "the name is written somewhere"
    assert all(c.data_type == "s" for c in found)
    with zipfile.ZipFile(out) as z:
        for n in z.namelist():
            if n.startswith("xl/worksheets/sheet"):
                assert b"<f>" not in z.read(n) and b"<f " not in z.read(n), n


# the people's sheets first, Unmet (read by people too), then the machine copies last
SHEETS = ["Summary", "Mon", "Tue", "By Para", "By Student", "Duties", "Therapy", "Unmet", "Assignments", "Sessions"]


def _all_text(wb) -> list[str]:
    out = []
    for ws in wb:
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    out.append(str(c.value))
                if c.comment is not None:
                    out.append(c.comment.text)
        out += [ws.title, ws.oddFooter.center.text or "", ws.oddHeader.center.text or ""]
    return out


@pytest.fixture
def book(tmp_path):
    out = tmp_path / "out.xlsx"
    write_schedule(out, _problem(), _result())
    return openpyxl.load_workbook(out)


def test_sheet_order(book):
    assert book.sheetnames == SHEETS


def test_day_grid_blocks_are_merged_colored_and_labeled(book):
    ws = book["Mon"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    # time starts 08:00 in column C, one column per 5 minutes
    assert ws["C3"].value == "08:00" and "C3:H3" in merged
    assert ws["I3"].value == "08:30"
    assert ws["A4"].value == "Pat Jones (P1)" and ws["B4"].value == "08:00-15:00"
    assert "C4:Z4" in merged and ws["C4"].value == "Ana Lopez"  # 08:00-10:00 1:1 support
    assert ws["C4"].fill.fgColor.rgb.endswith("9DC3E6")
    assert "AA4:AF4" in merged and ws["AA4"].value == "D1"  # 10:00-10:30 duty: the id; the legend names it
    assert ws["AA4"].fill.fgColor.rgb.endswith("F4B183")
    assert "AS4:AX4" in merged and ws["AS4"].value == "Lunch"  # 11:30-12:00
    assert ws["AS4"].fill.fgColor.rgb.endswith("FFE699")
    # P2 works 09:00-14:00: 08:00-09:00 greyed, a shared block in green
    assert ws["A5"].value == "Sam Lee (P2)"
    assert all(ws.cell(5, c).fill.fgColor.rgb.endswith("D0D0D0") for c in range(3, 15))
    assert "O5:Z5" in merged and ws["O5"].value == "Bo Chen"
    assert ws["O5"].fill.fgColor.rgb.endswith("A9D08E")
    # free time inside the para's hours stays white
    assert ws["AG4"].fill.fgColor.rgb in ("00000000", None) or ws["AG4"].fill.fill_type is None


def test_day_grid_print_setup(book):
    ws = book["Mon"]
    assert ws.freeze_panes == "C4"
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 1  # one page per day
    assert ws.print_title_rows == "$1:$3"
    legend = [ws.cell(2, c).value for c in range(1, ws.max_column + 1) if ws.cell(2, c).value]
    assert legend[:7] == [
        "Legend:",
        "Support 1:1",
        "Support shared / flex",
        "Duty",
        "Therapy (assist/deliver)",
        "Lunch",
        "Break",
    ]


def test_day_grid_uncovered_row(book):
    ws = book["Tue"]
    labels = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    assert "Uncovered needs" in labels
    r = labels.index("support: Ana Lopez (S1)") + 1
    # 08:30-09:00 uncovered: columns I..N on a grid starting 08:00
    assert f"I{r}:N{r}" in {str(m) for m in ws.merged_cells.ranges}
    assert ws[f"I{r}"].fill.fgColor.rgb.endswith("FF7C80")


def test_short_block_gets_short_label_and_comment(tmp_path):
    res = _result()
    sched = res.schedule
    extra = Assignment("P2", "Mon", 600, 605, Kind.SUPPORT, "", ("S2",), "Rm 5")
    res = SolveResult(res.status, Schedule((*sched.assignments, extra), sched.sessions, sched.unmet))
    out = tmp_path / "out.xlsx"
    write_schedule(out, _problem(), res)
    ws = openpyxl.load_workbook(out)["Mon"]
    cell = ws["AA5"]  # 10:00-10:05, one column: too narrow for "Bo Chen" across; the id stands on its side
    assert cell.value == "S2" and cell.alignment.text_rotation == 90
    assert cell.comment is not None and "Bo Chen" in cell.comment.text


def test_by_para_one_page_each(book):
    ws = book["By Para"]
    col_a = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    assert col_a[0] == "Pat Jones (P1)"
    p2 = col_a.index("Sam Lee (P2)") + 1
    assert [b.id for b in ws.row_breaks.brk] == [p2 - 1]
    rows = [tuple(ws.cell(r, c).value for c in range(1, 6)) for r in range(1, p2)]
    assert ("11:30-12:00", "Lunch", None, None, 30) in rows
    assert ("08:00-08:30", "Break", None, None, 30) in rows
    assert ("10:00-10:30", "Duty: Lunchroom", "Cafeteria", None, 30) in rows
    assert ("08:00-10:00", "Support 1:1", "Rm 4", "Ana Lopez", 120) in rows
    assert ("10:30-11:30", "No assignment", None, None, 60) in rows
    assert ws.page_setup.orientation == "portrait"


def test_by_student_shows_who_and_uncovered(book):
    ws = book["By Student"]
    rows = [tuple(ws.cell(r, c).value for c in range(1, 6)) for r in range(1, ws.max_row + 1)]
    assert rows[0][0] == "Ana Lopez (S1)"
    assert ("08:00-10:00", "Pat Jones", "Rm 4", "1:1", None) in rows
    assert ("10:00-10:30", "Ms SLP", "Rm 4", "therapy", "speech (T1)") in rows
    assert ("10:30-15:00", None, "Rm 4", "1:1", "UNCOVERED") in rows
    mon = next(r for r in rows if r[0] == "Monday Nov 23")
    assert mon[2] == "required 390 min, covered 120 min"


def test_duties_shortfall_red(book):
    ws = book["Duties"]
    assert [ws.cell(4, c).value for c in range(1, 7)] == [
        "Duty",
        "Time",
        "Where",
        "Staff needed",
        "Monday Nov 23",
        "Tuesday Nov 24",
    ]
    assert ws["A5"].value == "Lunchroom" and ws["E5"].value == "Pat Jones"
    assert ws["F5"].value == "SHORT 30 staff-min"
    assert ws["F5"].fill.fgColor.rgb.endswith("FFC7CE")
    assert ws["E5"].fill.fill_type is None


def test_therapy_sheet(book):
    ws = book["Therapy"]
    rows = [tuple(ws.cell(r, c).value for c in range(1, 9)) for r in range(1, ws.max_row + 1)]
    assert ("Ms SLP", "Monday Nov 23", "10:00-10:30", "T1", "speech", "Ana Lopez", "none", None) in rows
    assert ("Monday Nov 23", "Ms SLP", "10:00-10:30", "T1", "speech", "Ana Lopez", "none", None) in rows


def test_summary_first_with_verdict_and_coverage(book):
    ws = book["Summary"]
    assert ws["A1"].value == "Para schedule: Maple Elementary"
    assert ws["A2"].value == "Uncovered: 30 min critical, 30 min required (see Unmet)"
    kv = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, ws.max_row + 1)}
    assert kv["Week of"] == dt.datetime(2026, 11, 23)
    assert kv["Solver status"].startswith("optimal")
    assert kv["Priority-1 minutes"] == "proven best: no schedule under these rules leaves fewer than 60 uncovered"
    assert "Gap" not in kv and "Objective" not in kv and "Best bound" not in kv  # raw numbers: JSON only
    assert kv["Handoffs (student passed to another para)"] == 0
    assert kv["Relays on duties (another para for part of a duty)"] == 0  # Pat Jones has the lunchroom alone
    assert kv["Substitutes used"] == "none"
    col_a = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    cov = col_a.index("Coverage by priority (support, duty staff-minutes, therapy needing a para)") + 1
    assert [ws.cell(cov + 1, c).value for c in range(1, 5)] == ["Priority", "Required min", "Covered min", "Covered %"]
    # priority 2: S1 1:1 Mon 390 + Tue 420, S2 shared 420 x 2, D1 30 x 2 = 1710; covered 120 + 60 + 30
    assert [ws.cell(cov + 3, c).value for c in range(1, 4)] == ["2 required", 1710, 210]


def test_summary_counts_a_relay_on_a_duty(tmp_path):
    """Pat Jones leaves the lunchroom at 10:15 and Sam Lee takes over: one relay."""
    result = _result()
    rows = [a for a in result.schedule.assignments if a.kind != Kind.DUTY]
    rows += [
        Assignment("P1", "Mon", 600, 615, Kind.DUTY, "D1", (), "Cafeteria"),
        Assignment("P2", "Mon", 615, 630, Kind.DUTY, "D1", (), "Cafeteria"),
    ]
    relayed = dataclasses.replace(result, schedule=dataclasses.replace(result.schedule, assignments=tuple(rows)))
    out = tmp_path / "out.xlsx"
    write_schedule(out, _problem(), relayed)
    ws = openpyxl.load_workbook(out)["Summary"]
    kv = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, ws.max_row + 1)}
    assert kv["Relays on duties (another para for part of a duty)"] == 1


def test_anonymize_leaves_no_student_name(tmp_path):
    out = tmp_path / "out.xlsx"
    jout = tmp_path / "out.json"
    write_schedule(out, _problem(), _result(), anonymize=True, json_path=jout)
    text = _all_text(openpyxl.load_workbook(out))
    for word in ("Ana", "Lopez", "Bo Chen", "Chen"):
        assert not [t for t in text if word in t], word
    assert "A.L. S1" in text  # the grid label
    assert "A.L. (S1)" in text  # the By Student heading
    raw = jout.read_text(encoding="utf-8")
    assert "Lopez" not in raw and "Chen" not in raw and '"initials": "A.L."' in raw


def test_ids_only_without_names(tmp_path):
    out = tmp_path / "out.xlsx"
    write_schedule(out, _problem(), _result(), names=False)
    wb = openpyxl.load_workbook(out)
    assert wb["Mon"]["C4"].value == "S1"
    assert not [t for t in _all_text(wb) if "Lopez" in t]


def test_crash_midway_leaves_no_file(tmp_path, monkeypatch):
    import parasched.io.sheets as grid  # where build_workbook looks the grid writer up

    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(grid, "write_day_grid", boom)
    out = tmp_path / "out.xlsx"
    with pytest.raises(RuntimeError):
        write_schedule(out, _problem(), _result(), json_path=tmp_path / "out.json")
    assert list(tmp_path.iterdir()) == []
    out.write_bytes(b"old")
    with pytest.raises(RuntimeError):
        write_schedule(out, _problem(), _result())
    assert out.read_bytes() == b"old" and list(tmp_path.iterdir()) == [out]


def test_refuses_to_overwrite_input(tmp_path):
    from parasched.scheduler.errors import InputError

    inp = tmp_path / "school.xlsx"
    inp.write_bytes(b"input")
    with pytest.raises(InputError, match="overwrite the input"):
        write_schedule(inp, _problem(), _result(), inputs=[inp])
    assert inp.read_bytes() == b"input"


def test_complete_problem_writes(tmp_path):
    from parasched.scheduler.greedy import greedy_schedule
    from tests.fixtures import complete_problem

    problem = complete_problem()
    sched = greedy_schedule(problem)
    out = tmp_path / "out.xlsx"
    write_schedule(out, problem, SolveResult(Status.FEASIBLE, sched, runtime=1.0))
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[:4] == ["Summary", "Mon", "Tue", "Wed"]
    rows = _rows(wb["Assignments"])
    assert len(rows) == len(sched.assignments) + 1
    from parasched.io.schedule_reader import read_schedule

    back = read_schedule(out)
    assert sorted(back.assignments) == sorted(sched.assignments)
    assert sorted(back.sessions) == sorted(sched.sessions)
    assert sorted(back.unmet) == sorted(sched.unmet)


def test_complete_problem_anonymized_has_no_student_name(tmp_path):
    from parasched.scheduler.greedy import greedy_schedule
    from tests.fixtures import complete_problem

    problem = complete_problem()
    out = tmp_path / "out.xlsx"
    write_schedule(out, problem, SolveResult(Status.FEASIBLE, greedy_schedule(problem)), anonymize=True)
    text = "\n".join(_all_text(openpyxl.load_workbook(out)))
    para_names = " ".join(p.name for p in problem.paras)
    for st in problem.students:
        assert st.name not in text
        for word in st.name.split():
            if word not in para_names:  # a para may share a first name with a student
                assert word not in text, word
        assert st.student_id in text


def test_changes_outlined_on_grid_and_counted_on_summary(tmp_path):
    # P1 Tue 08:30-09:30 became free; P1 Mon 08:00-10:00 changed (support row still there)
    changes = (Change("P1", "Tue", 510, 570, "1:1 S1", "free"), Change("P1", "Mon", 480, 600, "duty D1", "1:1 S1"))
    out = tmp_path / "out.xlsx"
    write_schedule(out, _problem(), _result(changes))
    wb = openpyxl.load_workbook(out)
    mon, tue = wb["Mon"], wb["Tue"]
    assert mon["C4"].border.left.style == "thick" and mon["C4"].border.left.color.rgb.endswith("C00000")
    assert mon["AA4"].border.left.style == "thin"  # the duty block did not change
    # Tue grid starts 08:00 (P1 only): 08:30 is column I; the freed time is outlined and says what it was
    merged = {str(r) for r in tue.merged_cells.ranges}
    assert "I4:T4" in merged and tue["I4"].value == "was 1:1 S1" and tue["I4"].border.top.style == "thick"
    legend = [tue.cell(2, c).value for c in range(1, tue.max_column + 1) if tue.cell(2, c).value]
    assert legend[-1] == "Changed"
    kv = {wb["Summary"].cell(r, 1).value: wb["Summary"].cell(r, 2).value for r in range(1, 60)}
    assert kv["Changes from the baseline"].startswith("2 change(s) for 1 para(s)")


def test_people_pages_fit_one_page_each(tmp_path):
    from parasched.io.sheets_people import MIN_SCALE, PAGE_HEIGHT_PT
    from parasched.scheduler.greedy import greedy_schedule
    from tests.fixtures import complete_problem

    problem = complete_problem()
    out = tmp_path / "out.xlsx"
    write_schedule(out, problem, SolveResult(Status.FEASIBLE, greedy_schedule(problem)))
    wb = openpyxl.load_workbook(out)
    for name, count in (("By Para", len(problem.paras)), ("By Student", len(problem.students))):
        ws = wb[name]
        breaks = [b.id for b in ws.row_breaks.brk]
        assert len(breaks) == count - 1
        assert ws.print_area == f"'{name}'!$A$1:$E${ws.max_row}"
        assert ws.sheet_properties.pageSetUpPr is None or not ws.sheet_properties.pageSetUpPr.fitToPage
        starts = [1] + [b + 1 for b in breaks]
        ends = [*breaks, ws.max_row]
        longest = max(
            sum(ws.row_dimensions[r].height for r in range(s, e + 1)) for s, e in zip(starts, ends, strict=True)
        )
        # one page each, or at the readable floor a long week continues on a second page
        assert longest * ws.page_setup.scale / 100 <= PAGE_HEIGHT_PT or ws.page_setup.scale == MIN_SCALE


def test_control_characters_are_dropped_not_fatal(tmp_path):
    out = tmp_path / "out.xlsx"
    write_schedule(out, _problem(student_name="Ana\x07 Lopez"), _result())
    wb = openpyxl.load_workbook(out)
    assert wb["Mon"]["C4"].value == "Ana Lopez"


def test_docs_workbook_names_every_sheet_column_and_setting():
    """docs/workbook.md is the contract a user reads: it stays in step with the reader and writer."""
    from pathlib import Path

    from parasched.io.reader import SETTING_NAMES, SHEETS
    from parasched.io.sheets_contract import ASSIGNMENT_COLUMNS, CHANGE_COLUMNS, SESSION_COLUMNS, UNMET_COLUMNS

    doc = (Path(__file__).resolve().parents[1] / "docs" / "workbook.md").read_text(encoding="utf-8")
    missing = [name for name in SHEETS if f"### {name}" not in doc]
    missing += [f"{sheet}.{c}" for sheet, spec in SHEETS.items() for c in spec.columns if c not in doc]
    missing += [s for s in SETTING_NAMES if s not in doc]
    for sheet, cols in (
        ("Assignments", ASSIGNMENT_COLUMNS),
        ("Sessions", SESSION_COLUMNS),
        ("Unmet", UNMET_COLUMNS),
        ("Changes", CHANGE_COLUMNS),
    ):
        if f"`{', '.join(cols)}`" not in doc:
            missing.append(sheet)
    assert missing == []


def test_io_modules_import_each_other_without_circles():
    """writer -> sheets -> sheets_* -> labels/styles/cells: never back up (issue 16)."""
    import ast
    from pathlib import Path

    folder = Path(__file__).resolve().parents[1] / "parasched" / "io"
    edges: dict[str, set[str]] = {}
    for path in folder.glob("*.py"):
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
                found.add(node.module.split(".")[0])
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("parasched.io."):
                found.add(node.module.split(".")[2])
        edges[path.stem] = found

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        return any(
            nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt})) for nxt in edges.get(start, ())
        )

    circles = sorted(m for m in edges if reaches(m, m, {m}))
    assert circles == []


def test_summary_weighs_continuity_with_coverage_at_the_judges_weights(tmp_path):
    """The Summary lists continuity in tier 1 with the weights the solver uses (kpis)."""
    from parasched.scheduler.kpis import CONTINUITY_WEIGHTS, CROWDED_FROM_PRIORITY, CROWDED_WEEK_PARAS

    out = tmp_path / "out.xlsx"
    write_schedule(out, _problem(), _result(()))
    ws = openpyxl.load_workbook(out)["Summary"]
    labels = [ws.cell(r, 1).value for r in range(1, 80) if ws.cell(r, 1).value]
    week = (
        f"1. extra paras per student over the week (each as {CONTINUITY_WEIGHTS['extra_week_paras']}; "
        f"beyond {CROWDED_WEEK_PARAS}, twice for priority {CROWDED_FROM_PRIORITY}-3)"
    )
    assert week == "1. extra paras per student over the week (each as 300; beyond 3, twice for priority 2-3)"
    assert week in labels and "1. handoffs (each as 30 desirable minutes)" in labels
    assert (
        labels.index("1. unmet critical minutes")
        < labels.index(week)
        < labels.index("2. flex minutes short of targets")
    )
