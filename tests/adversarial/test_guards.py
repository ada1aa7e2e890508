"""The guards of issue 14 one by one: used range, merged cells, outputs, signals, ids, belonging."""

from __future__ import annotations

import io
import os
import signal
import sys
from pathlib import Path

import openpyxl
import pytest

from parasched.io import files
from parasched.io.invisible import cell_id_problem, id_problem
from parasched.io.schedule_reader import belongs_issues, read_schedule
from parasched.scheduler.errors import InputError
from parasched.scheduler.schedule import Assignment, Kind, Schedule

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_cases

# -- the used range of a sheet ----------------------------------------------------------------------


def test_extent_counts_values_not_formatting_and_reads_merges() -> None:
    xml = (
        b'<worksheet><dimension ref="A1:XFD1048576"/><sheetData>'
        b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" s="1" /></row>'
        b'<row><c><v>1</v></c><c/><c t="inlineStr"><is><t>x</t></is></c></row>'  # no r: counted by position
        b'<row r="1048576"><c r="XFD1048576" s="2"/></row></sheetData>'
        b'<mergeCells><mergeCell ref="A2:A4"/><mergeCell ref="B1:D1"/></mergeCells></worksheet>'
    )
    extent = files._sheet_extent(io.BytesIO(xml))
    assert (extent.rows, extent.first_row, extent.last_row, extent.last_col) == (3, 1, 2, 3)
    assert extent.merged == ((2, 1, 4, 1), (1, 2, 1, 4))


def test_extent_finds_tags_split_between_chunks() -> None:
    rows = 40_000  # about 1.7 MB: tags straddle the 1 MB chunks
    body = b"".join(b'<row r="%d"><c r="C%d"><v>1</v></c></row>' % (i, i) for i in range(1, rows + 1))
    extent = files._sheet_extent(io.BytesIO(b"<worksheet><sheetData>" + body + b"</sheetData></worksheet>"))
    assert (extent.rows, extent.last_row, extent.last_col) == (rows, rows, 3)
    stopped = files._sheet_extent(io.BytesIO(b"<worksheet><sheetData>" + body), max_rows=100)
    assert stopped.rows == 101


def test_column_names() -> None:
    assert [files.column_name(n) for n in (1, 26, 27, 702, 16_384)] == ["A", "Z", "AA", "ZZ", "XFD"]


def test_read_bounds_are_the_used_range_and_a_budget_when_unknown(tmp_path: Path) -> None:
    path = make_cases.styled_far_cell(tmp_path, Path())
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        assert files.read_bounds(wb["Paras"]) == {"max_row": 13, "max_col": 12}
    finally:
        wb.close()
    assert files.read_bounds(object()) == {
        "max_row": files.MAX_SHEET_ROWS,
        "max_col": files.MAX_SHEET_CELLS // files.MAX_SHEET_ROWS,
    }


def test_a_note_far_right_of_a_short_sheet_is_within_the_budget(tmp_path: Path) -> None:
    path = tmp_path / "note.xlsx"
    wb = openpyxl.load_workbook(make_cases.SCHOOL)
    wb["Duties"]["XFD1"] = "note"  # 10 rows x 16,384 columns: read, not refused
    wb.save(path)
    files.check_input_file(path)


# -- outputs --------------------------------------------------------------------------------------


def _refused(path: Path, **kwargs) -> str:
    with pytest.raises(InputError) as info:
        files.check_output_path(path, **kwargs)
    assert getattr(info.value, "file", None) == f"the output {path.name}"
    return str(info.value.issues[0])


def test_outputs_never_replace_an_input_sheet_a_device_or_each_other(tmp_path: Path) -> None:
    folder = tmp_path / "school_csv"
    folder.mkdir()
    (folder / "Paras.csv").write_text("para_id\n")
    assert "input folder school_csv" in _refused(folder / "Paras.csv", inputs=[folder])
    assert "input folder" in _refused(folder / "Extra.CSV", inputs=[folder])  # would become an input sheet
    (folder / "schedule.xlsx").write_bytes(b"last week's")
    files.check_output_path(folder / "schedule.xlsx", inputs=[folder])  # a workbook beside the csv files is fine
    os.mkfifo(tmp_path / "pipe.xlsx")
    assert "not a regular file" in _refused(tmp_path / "pipe.xlsx")
    assert "device or system path" in _refused(Path("/dev/null"))
    assert "device or system path" in _refused(Path("/dev/stdout"))  # a link to a file when stdout is redirected
    assert "device or system path" in _refused(Path("/proc/self/fd/1"))
    assert "two outputs" in _refused(tmp_path / "a.xlsx", others=[tmp_path / "a.xlsx"])
    assert "ending in .xlsx (such as x.xlsx)" in _refused(tmp_path / "x.csv", suffix=".xlsx")
    assert "ending in .json" in _refused(tmp_path / "x.xlsx", suffix=".json")
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["Paras.csv", "pipe.xlsx", "schedule.xlsx", "school_csv"]


def test_signals_are_held_while_a_temporary_file_is_named() -> None:
    seen: list[int] = []
    before = signal.signal(signal.SIGINT, lambda s, f: seen.append(s))
    try:
        with files._signals_deferred():
            os.kill(os.getpid(), signal.SIGINT)
            assert seen == []  # held: the temporary file's name is not yet known to the cleanup
        assert seen == [signal.SIGINT]  # delivered right after
    finally:
        signal.signal(signal.SIGINT, before)


# -- ids that look right ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "says", "should_read"),
    [
        ("P01\u200b", "a zero-width space", "'P01'"),
        ("P\uff10\uff11", "full-width", "'P01'"),
        ("P\u00a001", "a non-breaking space", "'P 01'"),
        ("\ufeffS03", "byte-order mark", "'S03'"),
    ],
)
def test_invisible_characters_are_named(text: str, says: str, should_read: str) -> None:
    problem = id_problem(text)
    assert problem is not None and says in problem and should_read in problem


def test_harmless_text_passes() -> None:
    assert id_problem("P01") is None and id_problem("Ms. O'Neil") is None
    assert cell_id_problem("avoid_paras", "P01,\u00a0P02") is None  # stripped around commas, as read
    assert cell_id_problem("name", "Ana\u200b") is None  # names are not ids
    assert cell_id_problem("para_id", 101) is None


# -- does a schedule belong to the input ------------------------------------------------------------


def _schedule(paras: list[str], students: list[str]) -> Schedule:
    return Schedule(
        tuple(
            Assignment(p, "Mon", 480, 510, Kind.SUPPORT, "", (s,), "Room 1")
            for p, s in zip(paras, students, strict=True)
        )
    )


def test_belonging(small_problem) -> None:
    paras = [p.para_id for p in small_problem.paras]
    students = [s.student_id for s in small_problem.students][: len(paras)]
    students += students[:1] * (len(paras) - len(students))
    assert belongs_issues(small_problem, _schedule(paras, students)) == []
    typo = [*paras[:-1], "PX"]  # one unknown para: a hand edit for check to report, not another school
    assert belongs_issues(small_problem, _schedule(typo, students)) == []
    foreign = [f"W{p}" for p in paras]
    (issue,) = belongs_issues(small_problem, _schedule(foreign, students), label="s.xlsx")
    assert f"{len(paras)} of the {len(paras)} para ids" in issue.text and issue.where == "s.xlsx"
    school = small_problem.settings.school_name
    if school:
        assert belongs_issues(small_problem, _schedule(paras, students), school=f" {school.upper()} ") == []
        assert "another" not in str(belongs_issues(small_problem, _schedule(paras, students), school=""))
        assert len(belongs_issues(small_problem, _schedule(paras, students), school="Elsewhere High")) == 1


def test_schedule_reader_merged_cells_are_located(tmp_path: Path) -> None:
    path = tmp_path / "merged.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Assignments"
    ws.append(["para_id", "day", "start", "end", "kind", "ref", "students", "location"])
    ws.append(["P01", "Mon", "08:00", "08:30", "lunch", "", "", ""])
    ws.append([None, "Mon", "09:00", "09:30", "break", "", "", ""])
    ws.merge_cells("A2:A3")
    wb.save(path)
    with pytest.raises(InputError) as info:
        read_schedule(path)
    assert any(i.where == "Assignments!A2:A3" and "merged cells" in i.text for i in info.value.issues)
