"""Never a traceback (issue 13): an unexpected error becomes one paragraph, a crash log and exit 3."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from parasched.cli import EXIT_CRASH, crash_log_dir, main
from parasched.io.reader import read_problem

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "small_school.xlsx"


@pytest.fixture
def name() -> str:
    """A student's name in the sample school: it must not reach the log without --verbose."""
    return read_problem(SAMPLE).problem.students[0].name


def _run(tmp_path: Path, args: list[str]) -> tuple[click.testing.Result, Path]:
    logs = tmp_path / "logs"
    result = CliRunner().invoke(main, args, env={"PARASCHED_LOG_DIR": str(logs)})
    return result, logs


def _log(logs: Path) -> str:
    files = sorted(logs.glob("crash-*.log"))
    assert len(files) == 1, files
    return files[0].read_text(encoding="utf-8")


def test_solve_crash_is_one_paragraph_exit_3_and_a_masked_log(
    tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError(f"index out of step near {name}")

    monkeypatch.setattr("parasched.workflows.solve.solve", broken)
    out = tmp_path / "schedule.xlsx"
    result, logs = _run(tmp_path, ["solve", str(SAMPLE), "-o", str(out), "--time-limit", "5"])
    assert result.exit_code == EXIT_CRASH
    assert "Traceback" not in result.output
    log_path = next(logs.glob("crash-*.log"))
    paragraph = [line for line in result.output.splitlines() if line.startswith("parasched stopped")]
    assert paragraph == [
        "parasched stopped on an unexpected error in 'solve' (RuntimeError: index out of step near (a student's "
        "name)). Nothing was written: your input files are unchanged and no output file was created or changed. "
        f"This is a fault in parasched, not in your workbook. The details are in the log file {log_path}; please "
        "send that file (it holds student ids, not names, unless --verbose was given) with the command you ran "
        "to whoever supports parasched at your school, or attach it to an issue in the project's tracker."
    ]
    assert not out.exists()
    log = _log(logs)
    assert "command: solve" in log
    assert "Traceback (most recent call last)" in log
    assert "RuntimeError: index out of step near (a student's name)" in log
    assert name not in log
    assert "student names: masked" in log
    assert (log_path.stat().st_mode & 0o777) == 0o600


def test_verbose_keeps_names_in_the_log(tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise KeyError(name)

    monkeypatch.setattr("parasched.scheduler.capacity.capacity_map", broken)
    result, logs = _run(tmp_path, ["--verbose", "validate", str(SAMPLE)])
    assert result.exit_code == EXIT_CRASH
    assert f"(KeyError: '{name}')" in result.output
    log = _log(logs)
    assert f"KeyError: '{name}'" in log
    assert "student names: shown (--verbose)" in log


def test_an_output_written_before_the_error_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def writes_then_fails(path: Path, *args: object, **kwargs: object) -> None:
        Path(path).write_bytes(b"report")
        raise ValueError("after writing")

    monkeypatch.setattr("parasched.io.report.write_capacity_report", writes_then_fails)
    report = tmp_path / "capacity.xlsx"
    result, _ = _run(tmp_path, ["validate", str(SAMPLE), "--report", str(report)])
    assert result.exit_code == EXIT_CRASH
    assert (
        f"(ValueError: after writing). {report} had been written before the error; check it with 'parasched "
        "check' before you use it. Your input files are unchanged."
    ) in result.output


def test_a_command_without_the_decorator_is_guarded_by_the_group(tmp_path: Path) -> None:
    @click.command("explode")
    def explode() -> None:
        raise ZeroDivisionError("division by zero")

    main.add_command(explode)
    try:
        result, logs = _run(tmp_path, ["explode"])
    finally:
        main.commands.pop("explode")
    assert result.exit_code == EXIT_CRASH
    assert "unexpected error in 'explode' (ZeroDivisionError: division by zero)" in result.output
    assert "ZeroDivisionError" in _log(logs)


def test_bad_input_and_usage_errors_are_not_crashes(tmp_path: Path) -> None:
    result, logs = _run(tmp_path, ["solve", str(SAMPLE), "-o", str(tmp_path / "s.xlsx"), "--time-limit", "abc"])
    assert result.exit_code == 2
    assert "'abc' is not a valid float" in result.output
    missing, _ = _run(tmp_path, ["validate", str(tmp_path / "nope.xlsx")])
    assert missing.exit_code == 2
    assert not logs.exists() or not list(logs.glob("crash-*.log"))


def test_log_dir_falls_back_when_the_chosen_one_cannot_be_made(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("PARASCHED_LOG_DIR", str(blocker / "logs"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert crash_log_dir() == tmp_path / "cache" / "parasched"
