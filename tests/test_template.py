"""Writing input workbooks: the template, write_problem round trips, the bundled samples."""

import importlib.util
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from parasched.cli import main
from parasched.io.input_writer import INPUT_SHEETS, SETTING_ROWS, write_problem, write_problem_csv
from parasched.io.reader import SETTING_NAMES, SHEETS, read_absences, read_problem
from parasched.io.template import COLUMN_HELP, build_template, write_template
from parasched.scheduler.model import Para, Problem, Settings, Student
from samples.generator import generate_school

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"


def _make_samples():
    spec = importlib.util.spec_from_file_location("make_samples", SAMPLES / "make_samples.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _header(ws):
    return [c.value for c in next(ws.iter_rows(min_row=1, max_row=1))]


# -- the contract columns --------------------------------------------------------------------------
def test_writer_columns_are_the_readers_columns():
    assert list(INPUT_SHEETS) == list(SHEETS)
    for name, spec in SHEETS.items():
        assert INPUT_SHEETS[name] == spec.columns
    assert SETTING_ROWS == SETTING_NAMES


# -- template --------------------------------------------------------------------------------------
def test_template_structure(tmp_path):
    path = tmp_path / "blank.xlsx"
    write_template(path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Instructions", *INPUT_SHEETS]
    for name, columns in INPUT_SHEETS.items():
        ws = wb[name]
        header = _header(ws)
        assert tuple(header[: len(columns)]) == columns
        assert all(ws.cell(row=1, column=j).font.bold for j in range(1, len(columns) + 1))
        assert ws.freeze_panes == "A2"
        assert ws.column_dimensions["A"].width >= 8
        if name == "Settings":
            assert [ws.cell(row=r, column=1).value for r in range(2, 2 + len(SETTING_ROWS))] == list(SETTING_ROWS)
        else:
            filled = [r for r in ws.iter_rows(min_row=2, values_only=True) if any(v is not None for v in r)]
            assert len(filled) == 1  # one example row
    # the instructions explain every column of every sheet
    text = [str(c.value) for row in wb["Instructions"].iter_rows() for c in row if c.value]
    for name, columns in INPUT_SHEETS.items():
        assert [c for c, _, _ in COLUMN_HELP[name]] == list(columns)
        assert name in text


def _dropdowns(ws):
    """column header -> list choices of the data validation on that column."""
    out = {}
    for dv in ws.data_validations.dataValidation:
        col = str(dv.sqref).split(":")[0].rstrip("0123456789")
        j = openpyxl.utils.column_index_from_string(col)
        out[ws.cell(row=1, column=j).value] = dv.formula1.strip('"').split(",")
    return out


def test_template_dropdowns(tmp_path):
    wb = build_template()
    assert _dropdowns(wb["Paras"]) == {
        "role": ["para", "substitute"],
        "days": ["Mon-Fri", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
        "general_duties": ["yes", "no"],
    }
    students = _dropdowns(wb["Students"])
    assert students["support"] == ["1:1", "shared", "flex", "none"]
    assert students["priority"] == ["1", "2", "3"] and students["gender_match"] == ["yes", "no"]
    assert _dropdowns(wb["Duties"])["kind"] == ["lunch", "recess", "bus", "arrival", "dismissal", "hallway", "other"]
    therapy = _dropdowns(wb["Therapy"])
    assert therapy["para_role"] == ["none", "assist", "deliver"] and "kind" not in therapy
    assert set(therapy) == {"para_role", "priority", "days", "allowed_days"}
    assert _dropdowns(wb["Availability"])["day"] == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    assert _dropdowns(wb["StudentSchedule"])["protected"] == ["yes", "no"]


def test_template_reads_back_clean(tmp_path):
    path = tmp_path / "blank.xlsx"
    write_template(path)
    read = read_problem(path)
    assert read.warnings == ()
    p = read.problem
    assert p.settings == Settings(school_name="Example Elementary")
    counts = [
        len(x)
        for x in (
            p.paras,
            p.availability,
            p.students,
            p.student_blocks,
            p.duties,
            p.sessions,
            p.provider_hours,
            p.absences,
        )
    ]
    assert counts == [1] * 8
    assert p.students[0].support == "1:1" and p.students[0].preferred_paras == ("P01",)


def test_template_command(tmp_path):
    runner = CliRunner()
    path = tmp_path / "school.xlsx"
    res = runner.invoke(main, ["template", str(path)])
    assert res.exit_code == 0, res.output
    assert path.exists() and "Wrote" in res.output
    res = runner.invoke(main, ["template", str(path)])
    assert res.exit_code == 2 and "already exists" in res.output
    path.write_bytes(b"old")
    assert runner.invoke(main, ["template", str(path), "--force"]).exit_code == 0
    assert read_problem(path).warnings == ()
    res = runner.invoke(main, ["template", str(tmp_path / "school.csv")])
    assert res.exit_code == 2 and ".xlsx" in res.output
    res = runner.invoke(main, ["template", str(tmp_path / "missing" / "x.xlsx")])
    assert res.exit_code == 2 and "Traceback" not in res.output


# -- write_problem round trips ----------------------------------------------------------------------
def test_round_trip_complete_problem(tmp_path, complete_problem):
    path = tmp_path / "complete.xlsx"
    write_problem(complete_problem, path)
    read = read_problem(path)
    assert read.problem == complete_problem
    assert read.problem.paras[0].source is not None  # read records know their row; equality ignores it


@pytest.mark.parametrize("n, seed", [(7, 0), (40, 2)])
def test_round_trip_generated(tmp_path, n, seed):
    p = generate_school(n, seed=seed)
    write_problem(p, tmp_path / "gen.xlsx")
    assert read_problem(tmp_path / "gen.xlsx").problem == p


def test_round_trip_csv_folder(tmp_path, complete_problem):
    write_problem_csv(complete_problem, tmp_path / "school")
    assert sorted(f.name for f in (tmp_path / "school").iterdir()) == sorted(f"{s}.csv" for s in INPUT_SHEETS)
    assert read_problem(tmp_path / "school").problem == complete_problem


def test_text_never_becomes_a_formula(tmp_path):
    tricky = ('=HYPERLINK("http://x","y")', "+1 555", "-dash", "@home")
    p = Problem(
        Settings(school_name="=1+1"),
        (Para("P1", tricky[0], 480, 900, gender="f", skills=frozenset({"+medical"})),),
        tuple(Student(f"S{i}", name, homeroom=name) for i, name in enumerate(tricky)),
    )
    path = tmp_path / "tricky.xlsx"
    write_problem(p, path)
    wb = openpyxl.load_workbook(path)
    cells = [c for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not any(c.data_type == "f" for c in cells)
    assert wb["Students"]["B2"].value == tricky[0] and wb["Students"]["B2"].data_type == "s"
    assert read_problem(path).problem == p


def test_write_is_atomic_and_refuses_to_overwrite_its_input(tmp_path, complete_problem):
    from parasched.scheduler.errors import InputError

    path = tmp_path / "school.xlsx"
    write_problem(complete_problem, path)
    before = path.read_bytes()
    with pytest.raises(InputError):
        write_problem(complete_problem, path, inputs=[path])
    assert path.read_bytes() == before
    assert [f.name for f in tmp_path.iterdir()] == ["school.xlsx"]  # no temporary file left


# -- samples ----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def samples():
    return _make_samples()


def test_samples_read_back_clean_and_are_up_to_date(samples):
    small = read_problem(SAMPLES / "small_school.xlsx")
    assert small.warnings == ()
    assert small.problem == samples.small_school()
    assert read_problem(SAMPLES / "small_school_csv").problem == small.problem
    mid = read_problem(SAMPLES / "midsize_school.xlsx")
    assert mid.warnings == ()
    assert mid.problem == samples.midsize_school()
    assert read_absences(SAMPLES / "absences_tuesday.xlsx") == samples.tuesday_absences()


def test_small_school_looks_like_a_school(samples):
    p = samples.small_school()
    assert (len(p.paras), len(p.students)) == (12, 15)
    assert [x.para_id for x in p.paras][:2] == ["P01", "P02"] and p.students[0].student_id == "S01"
    assert any(s.is_flexible for s in p.sessions) and any(not s.is_flexible for s in p.sessions)
    assert len(read_problem(SAMPLES / "midsize_school.xlsx").problem.paras) == 40


def test_tuesday_absences(samples):
    absences = samples.tuesday_absences()
    small = samples.small_school()
    paras = [a for a in absences if a.person_id in {p.para_id for p in small.paras}]
    assert len(paras) == 3 and sum(a.start is not None for a in paras) == 1
    assert len(absences) == 4 and all(a.days == ("Tue",) for a in absences)
    read = read_problem(SAMPLES / "small_school.xlsx", absences=SAMPLES / "absences_tuesday.xlsx")
    assert read.problem.absences[-4:] == absences


def test_samples_use_every_column_and_setting():
    used: dict[str, set[str]] = {name: set() for name in INPUT_SHEETS}
    settings_given: set[str] = set()
    for f in ("small_school.xlsx", "midsize_school.xlsx", "absences_tuesday.xlsx"):
        wb = openpyxl.load_workbook(SAMPLES / f, read_only=True)
        for ws in wb:
            rows = list(ws.iter_rows(values_only=True))
            header = list(rows[0])
            for row in rows[1:]:
                for col, value in zip(header, row, strict=False):
                    if value not in (None, ""):
                        used[ws.title].add(col)
                if ws.title == "Settings" and row[1] not in (None, ""):
                    settings_given.add(row[0])
    missing = {name: sorted(set(cols) - used[name]) for name, cols in INPUT_SHEETS.items()}
    assert {k: v for k, v in missing.items() if v} == {}
    assert settings_given == set(SETTING_ROWS)


def test_make_samples_writes_every_file(tmp_path, samples):
    samples.main(tmp_path)
    names = sorted(f.name for f in tmp_path.iterdir())
    assert names == ["absences_tuesday.xlsx", "midsize_school.xlsx", "small_school.xlsx", "small_school_csv"]
    assert read_problem(tmp_path / "small_school.xlsx").problem == samples.small_school()
