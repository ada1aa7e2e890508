"""How the schedule workbook prints: page setup, print areas and titles, grouping, the id legend.

The layout was judged on LibreOffice renders of the small sample (docs/*.png); these tests pin
the settings that make those pages, so a change that breaks the printed week shows up here.
"""

from __future__ import annotations

import openpyxl
import pytest

from parasched.io.sheets_contract import MACHINE_NOTE
from parasched.io.sheets_people import group_by_para
from parasched.io.sheets_summary import proof_text
from parasched.io.writer import write_schedule
from parasched.scheduler.greedy import greedy_schedule
from parasched.scheduler.schedule import Schedule, SolveResult, Status
from tests.fixtures import complete_problem


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    problem = complete_problem()
    out = tmp_path_factory.mktemp("print") / "week.xlsx"
    write_schedule(out, problem, SolveResult(Status.FEASIBLE, greedy_schedule(problem), 0.0, 0.0, 3.0))
    return problem, openpyxl.load_workbook(out)


def test_day_grid_is_one_landscape_page_with_titles_and_an_area(printed):
    problem, wb = printed
    for day in problem.settings.days:
        ws = wb[day]
        assert ws.page_setup.orientation == "landscape"
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 1)
        assert ws.print_title_rows == "$1:$3" and ws.print_title_cols == "$A:$B"
        assert ws.print_area.startswith(f"'{day}'!$A$1:")
        # rows are set tall enough to fill the page, never below the readable minimum
        heights = [ws.row_dimensions[r].height for r in range(4, 4 + len(problem.paras))]
        assert len(set(heights)) == 1 and 26 <= heights[0] <= 60


def test_day_grid_legend_names_every_id_in_the_blocks(printed):
    problem, wb = printed
    ws = wb["Mon"]
    col_a = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    first = col_a.index("Who is who (ids in the blocks)") + 2
    entries = [
        ws.cell(r, c).value
        for r in range(first, ws.max_row + 1)
        for c in range(3, ws.max_column + 1)
        if ws.cell(r, c).value
    ]
    students = {a.students for a in greedy_schedule(problem).assignments if a.day == "Mon"}
    for sid in sorted({sid for group in students for sid in group}):
        assert f"{sid}  {problem.student(sid).name}" in entries
    names = {d.duty_id: d.name for d in problem.duties}
    on_monday = {a.ref for a in greedy_schedule(problem).assignments if a.day == "Mon" and a.kind == "duty"}
    for duty_id in on_monday:
        assert f"{duty_id}  {names[duty_id]}" in entries


def test_people_sheets_portrait_one_person_a_page_filling_the_width(printed):
    _, wb = printed
    for name in ("By Para", "By Student"):
        ws = wb[name]
        assert ws.page_setup.orientation == "portrait"
        assert not ws.sheet_properties.pageSetUpPr.fitToPage  # a computed scale, one page per person
        assert 60 <= ws.page_setup.scale <= 100  # never below about 6.6 points
        width_pt = sum((ws.column_dimensions[c].width * 8 + 4) * 0.75 for c in "ABCDE") * ws.page_setup.scale / 100
        assert 0.8 * 7.7 * 72 <= width_pt <= 7.7 * 72  # the columns fill the page across, and stay on it


def test_summary_one_page_with_area_and_words_for_the_bound(printed):
    _, wb = printed
    ws = wb["Summary"]
    assert ws.page_setup.orientation == "portrait"
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 1)
    assert ws.print_area.startswith("'Summary'!$A$1:$F$")
    kv = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, ws.max_row + 1)}
    assert kv["Priority-1 minutes"] == "proven best: every priority-1 minute is covered"


def test_proof_text_says_what_the_bound_means():
    def result(objective, bound, p1):
        return SolveResult(Status.FEASIBLE, Schedule(), objective, bound, tiers=(("unmet_p1", p1),))

    assert proof_text(result(0.0, 0.0, 0)) == "proven best: every priority-1 minute is covered"
    assert proof_text(result(35.0, 35.0, 35)) == (
        "proven best: no schedule under these rules leaves fewer than 35 uncovered"
    )
    assert proof_text(result(185.0, 0.0, 185)) == (
        "not proven: 185 uncovered; the search could not rule out covering them all (a longer --time-limit may "
        "find a better schedule)"
    )
    assert proof_text(result(185.0, 40.0, 185)) == (
        "not proven: 185 uncovered, and at least 40 cannot be avoided (a longer --time-limit may find a better "
        "schedule)"
    )
    assert proof_text(result(185.0, None, 185)).startswith("not proven: the search gave no lower limit")


def test_machine_sheets_come_last_and_say_so_on_every_page(printed):
    _, wb = printed
    assert wb.sheetnames[-3:] == ["Unmet", "Assignments", "Sessions"]
    for name in ("Assignments", "Sessions"):
        ws = wb[name]
        assert ws.oddHeader.center.text == MACHINE_NOTE
        assert ws.print_title_rows == "$1:$1" and ws.page_setup.fitToWidth == 1
    unmet = wb["Unmet"]
    assert unmet.print_title_rows == "$1:$1" and unmet.oddHeader.center.text in (None, "")
    # priority and minutes centred, the reason indented: "2" never runs into "11 eligible paras"
    if unmet.max_row > 1:
        assert unmet.cell(2, 7).alignment.horizontal == "center"
        assert unmet.cell(2, 8).alignment.indent == 1


def test_duties_and_therapy_keep_their_titles(printed):
    _, wb = printed
    assert wb["Duties"].print_title_rows == "$4:$4"
    assert wb["Duties"].page_setup.orientation == "landscape"
    assert wb["Duties"].print_area.startswith("'Duties'!$A$1:")
    assert wb["Therapy"].print_area.startswith("'Therapy'!$A$1:$H$")


def test_a_students_day_groups_consecutive_pieces_of_the_same_para():
    pieces = [
        (480, 540, "Room 101 - Reading", "1:1", "Maria Gonzalez", "", False),
        (540, 600, "Gym - PE", "1:1", "Maria Gonzalez", "", False),
        (600, 690, "Room 101 - Math", "shared", "Maria Gonzalez", "", False),
        (690, 720, "Room 101 - Math", "1:1", "Aisha Johnson", "", False),
        (720, 750, "Cafeteria", "1:1", "", "UNCOVERED", True),
    ]
    assert group_by_para(pieces) == [
        (480, 690, "Room 101 - Reading; Gym - PE; Room 101 - Math", "1:1/shared", "Maria Gonzalez", "", False),
        (690, 720, "Room 101 - Math", "1:1", "Aisha Johnson", "", False),
        (720, 750, "Cafeteria", "1:1", "", "UNCOVERED", True),
    ]
