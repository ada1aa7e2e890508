"""`parasched solve` end to end: reads the workbook, writes a schedule the checker accepts."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from parasched.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "small_school.xlsx"


def test_solve_writes_a_schedule_that_passes_check(tmp_path: Path) -> None:
    out = tmp_path / "schedule.xlsx"
    runner = CliRunner()
    r = runner.invoke(
        main, ["solve", str(SAMPLE), "-o", str(out), "--time-limit", "2", "--workers", "1", "--seed", "1"]
    )
    assert r.exit_code == 0, r.output
    assert out.exists()
    assert "Status:" in r.output and "priority 1:" in r.output and "Unmet:" in r.output
    checked = runner.invoke(main, ["check", str(SAMPLE), str(out)])
    assert checked.exit_code == 0, checked.output
    assert "Passes every hard rule." in checked.output
    assert "The Unmet sheet agrees with the schedule." in checked.output


def test_solve_rejects_a_bad_time_limit(tmp_path: Path) -> None:
    r = CliRunner().invoke(main, ["solve", str(SAMPLE), "-o", str(tmp_path / "x.xlsx"), "--time-limit", "0"])
    assert r.exit_code == 2
    assert "--time-limit" in r.output
    assert not (tmp_path / "x.xlsx").exists()


def test_solve_reports_missing_input_with_exit_2(tmp_path: Path) -> None:
    r = CliRunner().invoke(main, ["solve", str(tmp_path / "nope.xlsx"), "-o", str(tmp_path / "x.xlsx")])
    assert r.exit_code == 2
    assert "Traceback" not in r.output
