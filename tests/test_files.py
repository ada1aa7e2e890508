"""parasched.io.files: refusing unusable or hostile inputs quickly, writing outputs atomically."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from parasched.io import files
from parasched.io.files import atomic_output, check_input_file
from parasched.scheduler.errors import InputError

BAD = Path(__file__).parent / "data" / "bad"

try:  # repo root on sys.path (python -m pytest)
    from tests.data.bad import make_corpus
except ImportError:  # pragma: no cover - plain `pytest` puts tests/ itself on sys.path
    from data.bad import make_corpus  # type: ignore[no-redef]


def refusal(path: Path) -> str:
    """The single issue's text; asserts it names the file."""
    with pytest.raises(InputError) as info:
        check_input_file(path)
    issues = info.value.issues
    assert len(issues) == 1, issues
    assert issues[0].where == path.name, issues[0]
    assert issues[0].severity == "error"
    return issues[0].text


# --- accepted ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "valid.xlsx",
        "baseline_schedule.xlsx",
        "csv_bom",
        "csv_semicolon",
        "csv_latin1",
        "hidden_rows.xlsx",
        "formula_ref_error.xlsx",
        "duplicate_para_id.xlsx",
    ],
)
def test_usable_files_pass(name: str) -> None:
    check_input_file(BAD / name)  # no InputError


def test_accepts_str_path_and_template_extension(tmp_path: Path) -> None:
    target = tmp_path / "school.xltx"
    shutil.copy(BAD / "valid.xlsx", target)
    check_input_file(str(target))  # no InputError


# --- refused, with what to do -------------------------------------------------------------------

REFUSED = {
    "legacy.xls": ["Excel 97-2003", "Save As", ".xlsx"],
    "sheet.ods": ["OpenDocument", "Save As", ".xlsx"],
    "binary_workbook.xlsb": ["Excel Binary Workbook (.xlsb)", "Save As", ".xlsx"],
    "sheet.numbers": ["Apple Numbers", "Export To > Excel"],
    "numbers_renamed.xlsx": ["Apple Numbers", "Export To > Excel"],
    "encrypted.xlsx": ["password-protected", "remove the password"],
    "macros.xlsm": ["macros", "Save As > Excel Workbook (.xlsx)"],
    "macros_renamed.xlsx": ["macros", "without macros"],
    "zip_bomb.xlsx": ["zip bomb", "unpacks to 219 MB", "not opened"],
    "zip_bomb_ratio.xlsx": ["zip bomb", "part xl/worksheets/sheet2.xml is compressed 257:1"],
    "xml_entity_bomb.xlsx": ["DTD", "entity", "save it again as .xlsx"],
    "xml_external_entity.xlsx": ["DTD", "not opened"],
    "xml_bomb_padded.xlsx": ["first 64 KB", "save it again as .xlsx"],
    "picture.png": ["no spreadsheet", "PNG image"],
    "picture_renamed.xlsx": ["named .xlsx", "PNG image"],
    "text_renamed.xlsx": ["named .xlsx", "text"],
    "empty_file.xlsx": ["empty"],
    "truncated.xlsx": ["damaged", "repair"],
    "plain_zip.xlsx": ["zip archive, not an Excel workbook"],
    "single_sheet.csv": ["single .csv", "folder"],
    "csv_no_csv_files": ["no .csv files"],
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refused_with_advice(name: str) -> None:
    text = refusal(BAD / name)
    for part in REFUSED[name]:
        assert part in text, (part, text)


def test_csv_folder_with_a_workbook_named_csv(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        check_input_file(BAD / "csv_xlsx_inside")
    (issue,) = info.value.issues
    assert issue.where == "Paras.csv"
    assert "holds a zip archive" in issue.text


def test_missing_file_names_the_folder(tmp_path: Path) -> None:
    text = refusal(tmp_path / "nope.xlsx")
    assert "file not found" in text and str(tmp_path) in text


def test_numbers_package_folder(tmp_path: Path) -> None:
    bundle = tmp_path / "School.numbers"
    bundle.mkdir()
    (bundle / "Index.zip").write_bytes(make_corpus.numbers_file())
    assert "Apple Numbers" in refusal(bundle)


def test_too_large_file_refused_without_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.xlsx"
    shutil.copy(BAD / "valid.xlsx", big)
    with big.open("r+b") as fh:  # sparse: no disk used
        fh.truncate(files.MAX_FILE_BYTES + 1)
    assert "more than the 50 MB" in refusal(big)


def test_too_large_csv_in_folder(tmp_path: Path) -> None:
    folder = tmp_path / "school"
    shutil.copytree(BAD / "csv_bom", folder)
    with (folder / "Students.csv").open("r+b") as fh:
        fh.truncate(files.MAX_FILE_BYTES + 1)
    with pytest.raises(InputError) as info:
        check_input_file(folder)
    (issue,) = info.value.issues
    assert issue.where == "Students.csv" and "more than the 50 MB" in issue.text


def test_wrong_extension_workbook(tmp_path: Path) -> None:
    target = tmp_path / "school.dat"
    shutil.copy(BAD / "valid.xlsx", target)
    assert "rename it to end in .xlsx" in refusal(target)


def test_too_many_parts(tmp_path: Path) -> None:
    text = refusal(make_corpus.make_many_parts(tmp_path / "many.xlsx"))
    assert "zip bomb" in text and "20002 parts" in text


def test_utf16_part_with_dtd(tmp_path: Path) -> None:
    target = tmp_path / "utf16.xlsx"
    shutil.copy(BAD / "valid.xlsx", target)
    xml = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'
    with zipfile.ZipFile(target, "a") as zf:
        zf.writestr("xl/extra.xml", xml.encode("utf-16"))
    assert "declares a DTD" in refusal(target)


def test_encrypted_zip_member(tmp_path: Path) -> None:
    target = tmp_path / "enc.xlsx"
    shutil.copy(BAD / "valid.xlsx", target)
    data = bytearray(target.read_bytes())
    # set the 'encrypted' flag bit of every central directory entry
    pos = data.find(b"PK\x01\x02")
    while pos != -1:
        data[pos + 8] |= 0x1
        pos = data.find(b"PK\x01\x02", pos + 4)
    target.write_bytes(bytes(data))
    assert "encrypted parts" in refusal(target)


def test_ole2_without_encryption_is_legacy_not_password(tmp_path: Path) -> None:
    target = tmp_path / "old.xls"
    target.write_bytes(make_corpus._cfb([("Workbook", b"\x09\x08" + b"\0" * 5000)]))
    text = refusal(target)
    assert "Excel 97-2003" in text and "password" not in text


@pytest.mark.parametrize(
    "name", ["zip_bomb.xlsx", "zip_bomb_ratio.xlsx", "xml_entity_bomb.xlsx", "xml_bomb_padded.xlsx", "encrypted.xlsx"]
)
def test_hostile_files_refused_fast_and_small(name: str) -> None:
    tracemalloc.start()
    started = time.perf_counter()
    try:
        refusal(BAD / name)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 2.0
    assert peak < 8 * 1024 * 1024, peak


# --- atomic_output ----------------------------------------------------------------------------------


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_atomic_output_writes_on_success(tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"old")
    with atomic_output(target) as tmp:
        assert tmp.parent == tmp_path and tmp != target and tmp.suffix == ".xlsx"
        tmp.write_bytes(b"new")
        assert target.read_bytes() == b"old"  # not in place until the block ends
    assert target.read_bytes() == b"new"
    assert listing(tmp_path) == ["out.xlsx"]
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask  # not mkstemp's private 0600


@pytest.mark.parametrize("exc", [ValueError("boom"), KeyboardInterrupt()])
def test_atomic_output_failure_leaves_nothing(tmp_path: Path, exc: BaseException) -> None:
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"old")
    with pytest.raises(type(exc)), atomic_output(target) as tmp:
        tmp.write_bytes(b"half written")
        raise exc
    assert target.read_bytes() == b"old"
    assert listing(tmp_path) == ["out.xlsx"]


def issue_of(path: Path, **kwargs: object) -> str:
    with pytest.raises(InputError) as info, atomic_output(path, **kwargs):  # type: ignore[arg-type]
        pytest.fail("the block must not run")
    (issue,) = info.value.issues
    assert issue.where == path.name
    return issue.text


def test_missing_folder(tmp_path: Path) -> None:
    text = issue_of(tmp_path / "nope" / "out.xlsx")
    assert text == f"folder {tmp_path / 'nope'} does not exist; create it or choose another output path"
    assert listing(tmp_path) == []


def test_target_is_a_folder(tmp_path: Path) -> None:
    (tmp_path / "out.xlsx").mkdir()
    assert "is a folder" in issue_of(tmp_path / "out.xlsx")


def test_same_as_input(tmp_path: Path) -> None:
    src = tmp_path / "school.xlsx"
    src.write_bytes(b"input")
    text = issue_of(src, inputs=[tmp_path / "other.xlsx", src])
    assert text == "output would overwrite the input school.xlsx; choose another output name"
    # another spelling of the same path, and a hard link
    (tmp_path / "sub").mkdir()
    assert "overwrite the input" in issue_of(tmp_path / "sub" / ".." / "school.xlsx", inputs=[src])
    os.link(src, tmp_path / "linked.xlsx")
    assert "overwrite the input" in issue_of(tmp_path / "linked.xlsx", inputs=[str(src)])
    assert src.read_bytes() == b"input"


@pytest.mark.parametrize("lock", ["~$out.xlsx", ".~lock.out.xlsx#"])
def test_open_in_excel_lock_file(tmp_path: Path, lock: str) -> None:
    (tmp_path / lock).write_bytes(b"lock")
    text = issue_of(tmp_path / "out.xlsx")
    assert f"lock file {lock} found" in text and "close it in Excel and run again" in text


def test_csv_utf16_refused() -> None:
    with pytest.raises(InputError) as info:
        check_input_file(BAD / "csv_utf16")
    (issue,) = info.value.issues
    assert issue.where.endswith(".csv") and "UTF-16" in issue.text and "CSV UTF-8" in issue.text


def test_folder_with_index_subfolder_is_not_numbers(tmp_path: Path) -> None:
    folder = tmp_path / "school"
    shutil.copytree(BAD / "csv_bom", folder)
    (folder / "Index").mkdir()
    check_input_file(folder)  # no InputError


def test_unwritable_folder_real() -> None:
    folder = Path("/sys")  # read-only even for root
    try:
        fd, name = tempfile.mkstemp(dir=folder)
    except OSError:
        pass
    else:  # pragma: no cover - /sys writable: the monkeypatched test below still covers the case
        os.close(fd)
        os.unlink(name)
        pytest.skip("/sys is writable here")
    assert "cannot write in folder /sys" in issue_of(folder / "parasched-out.xlsx")


def test_unwritable_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def denied(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(files.tempfile, "mkstemp", denied)
    text = issue_of(tmp_path / "out.xlsx")
    assert text == f"cannot write in folder {tmp_path} (permission denied); choose another output folder"


def test_target_locked_at_replace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"old")

    def locked(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(files.os, "replace", locked)
    with pytest.raises(InputError) as info, atomic_output(target) as tmp:
        tmp.write_bytes(b"new")
    assert "close it in Excel and run again" in str(info.value)
    assert target.read_bytes() == b"old"
    assert listing(tmp_path) == ["out.xlsx"]


# --- row limit -------------------------------------------------------------------------------


def test_sheet_with_too_many_rows(tmp_path: Path) -> None:
    big = make_corpus.make_rows_50000(tmp_path / "big.xlsx")
    started = time.perf_counter()
    text = refusal(big)
    assert time.perf_counter() - started < 5.0
    assert text.startswith("sheet Students has 50,001 rows, more than the 10,000 parasched reads")
    assert "delete them and save" in text


def test_row_limit_is_exact(tmp_path: Path) -> None:
    at_limit = make_corpus.make_rows_50000(tmp_path / "ok.xlsx", rows=files.MAX_SHEET_ROWS - 1)
    check_input_file(at_limit)  # no InputError: header + 9,999 students = 10,000 rows
    over = make_corpus.make_rows_50000(tmp_path / "over.xlsx", rows=files.MAX_SHEET_ROWS)
    assert "has 10,001 rows" in refusal(over)


def test_csv_with_too_many_lines(tmp_path: Path) -> None:
    folder = tmp_path / "school"
    shutil.copytree(BAD / "csv_bom", folder)
    with (folder / "Students.csv").open("ab") as fh:
        fh.write(b"\r\n" * files.MAX_SHEET_ROWS)
    with pytest.raises(InputError) as info:
        check_input_file(folder)
    (issue,) = info.value.issues
    assert issue.where == "Students.csv" and "more than the 10,000 rows" in issue.text


def test_fifo_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "school.xlsx"
    os.mkfifo(fifo)
    assert "is not a regular file" in refusal(fifo)


def test_parent_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "school.xlsx").write_bytes(b"x")
    assert "is not a folder" in issue_of(tmp_path / "school.xlsx" / "out.xlsx")


def test_relative_output_in_working_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with atomic_output("out.xlsx", inputs=["school.xlsx"]) as tmp:
        tmp.write_bytes(b"new")
    assert listing(tmp_path) == ["out.xlsx"]
    (tmp_path / "school.xlsx").write_bytes(b"input")
    assert "overwrite the input" in issue_of(Path("school.xlsx"), inputs=[tmp_path / "school.xlsx"])


def test_check_output_path_refuses_early_and_leaves_nothing(tmp_path: Path) -> None:
    from parasched.io.files import check_output_path

    inp = tmp_path / "school.xlsx"
    inp.write_bytes(b"x")
    check_output_path(tmp_path / "out.xlsx", inputs=[inp])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["school.xlsx"]
    with pytest.raises(InputError, match="does not exist; create it"):
        check_output_path(tmp_path / "missing" / "out.xlsx")
    with pytest.raises(InputError, match=r"would overwrite the input school\.xlsx"):
        check_output_path(inp, inputs=[inp])


def test_solve_refuses_a_bad_output_before_solving(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from parasched.cli import main
    from parasched.workflows import solve as workflows

    def must_not_run(*args: object, **kwargs: object) -> None:
        raise AssertionError("solved although the output path is unusable")

    monkeypatch.setattr(workflows, "solve", must_not_run)
    sample = Path(__file__).parent.parent / "samples" / "small_school.xlsx"
    result = CliRunner().invoke(main, ["solve", str(sample), "-o", str(tmp_path / "nope" / "s.xlsx")])
    assert result.exit_code == 2
    assert "does not exist; create it or choose another output path" in result.output
