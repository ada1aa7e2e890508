"""`parasched batch`: a folder of schools solved, checked and summarized; resume; Ray.

One folder of three small generated one-day schools and one broken workbook is solved once for
the module (local processes); the tests read its outputs. Solves use one CP-SAT worker, a fixed
seed and a short limit.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from parasched.cli import main
from parasched.io.input_writer import write_problem
from parasched.io.reader import read_problem
from parasched.io.schedule_reader import read_schedule
from parasched.scheduler.check import check_schedule
from parasched.scheduler.model import Problem
from parasched.workflows import batch as bt

ROOT = Path(__file__).resolve().parent.parent
# two-para schools whose every objective stage is proven optimal well within the limit: the
# schedule is then the same however loaded the machine is (a stage cut short by its limit may
# differ from run to run under load, see the report on the one-worker path)
LIMIT = "5"
SCHOOLS = {"adams": (2, 3), "baker": (2, 4), "carver": (2, 1)}  # name -> (paras, seed)


def generated_school(n_paras: int, seed: int, name: str) -> Problem:
    """A small one-day school from the seeded generator (wherever it lives now)."""
    try:
        from samples.generator import generate_school
    except ImportError:  # before the generator moved to samples/
        from parasched.scheduler.generator import generate_school  # type: ignore[no-redef]
    return generate_school(n_paras, seed=seed, days=("Mon",), school_name=name)


def make_schools(folder: Path, *, broken: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, (n, seed) in SCHOOLS.items():
        write_problem(generated_school(n, seed, name.title()), folder / f"{name}.xlsx")
    if broken:
        shutil.copy(folder / "adams.xlsx", folder / "broken.xlsx")
        wb = load_workbook(folder / "broken.xlsx")
        assert wb["Paras"]["E1"].value == "start"
        wb["Paras"]["E2"] = "8:3O"
        wb.save(folder / "broken.xlsx")
    return folder


@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, object]:
    base = tmp_path_factory.mktemp("district")
    schools = make_schools(base / "schools")
    out = base / "out"
    result = CliRunner().invoke(
        main, ["batch", str(schools), "-o", str(out), "--time-limit", LIMIT, "--workers", "2", "--seed", "7"]
    )
    return schools, out, result


@pytest.mark.slow
def test_three_schedules_pass_check_and_the_broken_school_is_located(district) -> None:
    schools, out, result = district
    assert result.exit_code == 1, result.output  # one school was not solved
    assert "3 of 4 school(s) solved" in result.output
    assert "broken.xlsx: bad input: Paras!E2 (start): '8:3O' is not a time" in result.output
    for name in SCHOOLS:
        checked = CliRunner().invoke(main, ["check", str(schools / f"{name}.xlsx"), str(out / f"{name}-schedule.xlsx")])
        assert checked.exit_code == 0, checked.output
        assert "Passes every hard rule." in checked.output
    assert not (out / "broken-schedule.xlsx").exists()
    errors = pd.read_excel(out / "district.xlsx", sheet_name="Errors")
    assert errors.to_dict("records") == [
        {
            "school": "broken.xlsx",
            "status": "bad input",
            "problem": "Paras!E2 (start): '8:3O' is not a time; expected HH:MM such as 08:30",
        }
    ]


@pytest.mark.slow
def test_the_summary_figures_equal_each_schools_own(district) -> None:
    schools, out, _ = district
    table = pd.read_excel(out / "district.xlsx", sheet_name="Schools").set_index("school")
    assert list(table.index) == ["adams.xlsx", "baker.xlsx", "broken.xlsx", "carver.xlsx"]
    assert table.loc["broken.xlsx", "status"] == "bad input"
    assert table.loc["broken.xlsx", "errors"] == 1
    for name in SCHOOLS:
        problem = read_problem(schools / f"{name}.xlsx").problem
        k = check_schedule(problem, read_schedule(out / f"{name}-schedule.xlsx")).kpis
        row = table.loc[f"{name}.xlsx"]
        assert row["status"] == "solved"
        assert row["schedule"] == f"{name}-schedule.xlsx"
        assert (row["paras"], row["students"]) == (len(problem.paras), len(problem.students))
        for p in (1, 2, 3):
            assert row[f"P{p} required min"] == k.required_minutes.get(p, 0)
            assert row[f"P{p} covered min"] == k.covered_minutes.get(p, 0)
            assert row[f"P{p} unmet min"] == getattr(k, f"unmet_p{p}")
            assert row[f"P{p} covered %"] == pytest.approx(k.coverage_percent_of(p), abs=0.01)
        assert row["unmet min"] == k.unmet_p1 + k.unmet_p2 + k.unmet_p3
        assert row["handoffs"] == k.handoffs
        assert row["substitute min"] == k.substitute_minutes
        assert row["rules broken"] == 0


@pytest.mark.slow
def test_a_second_run_skips_every_unchanged_school_and_another_seed_is_another_run(district, tmp_path) -> None:
    schools, out, _ = district
    events: list[tuple[str, str]] = []
    report = bt.run_batch(
        schools,
        out,
        bt.BatchOptions(time_limit=float(LIMIT), seed=7, parallel=2),
        on_event=lambda what, label, o, p: events.append((what, label)),
    )
    assert sorted(report.skipped) == ["adams.xlsx", "baker.xlsx", "broken.xlsx", "carver.xlsx"]
    assert all(what == bt.SKIPPED for what, _ in events)
    # another seed is another run: nothing is reused
    digests = {
        bt.SchoolTask(bt.load_school(schools / "adams.xlsx"), "a.xlsx", 0.5, seed, 1).digest() for seed in (7, 8)
    }
    assert len(digests) == 2


def _records(out: Path) -> set[str]:
    state = out / bt.STATE_DIR
    return {p.stem for p in state.glob("*.json")} if state.is_dir() else set()


@pytest.mark.slow
def test_a_killed_run_resumes_where_it_stopped(tmp_path) -> None:
    schools = make_schools(tmp_path / "schools", broken=False)
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "parasched.cli",
            "batch",
            str(schools),
            "-o",
            str(out),
            "--time-limit",
            LIMIT,
            "--workers",
            "1",
            "--seed",
            "7",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        deadline = time.monotonic() + 120
        while not _records(out) and time.monotonic() < deadline and run.poll() is None:
            time.sleep(0.05)
    finally:
        run.send_signal(signal.SIGKILL)
        run.wait()
    done_before = _records(out)
    assert done_before and done_before != set(SCHOOLS), "the run was not stopped half-way"
    assert not (out / "district.xlsx").exists()  # the summary comes at the end
    events: list[tuple[str, str]] = []
    report = bt.run_batch(
        schools,
        out,
        bt.BatchOptions(time_limit=float(LIMIT), seed=7, parallel=2),
        on_event=lambda what, label, o, p: events.append((what, label)),
    )
    skipped = {label for what, label in events if what == bt.SKIPPED}
    solved = {label for what, label in events if what == bt.SOLVED}
    assert skipped == {f"{n}.xlsx" for n in done_before}
    assert solved == {f"{n}.xlsx" for n in SCHOOLS} - skipped
    assert [o.status for o in report.outcomes] == [bt.SOLVED] * 3
    for name in SCHOOLS:
        problem = read_problem(schools / f"{name}.xlsx").problem
        assert check_schedule(problem, read_schedule(out / f"{name}-schedule.xlsx")).ok


def test_a_school_over_its_time_is_stopped_and_reported_and_not_kept(tmp_path) -> None:
    schools = tmp_path / "schools"
    schools.mkdir()
    write_problem(generated_school(3, 1, "Adams"), schools / "adams.xlsx")
    report = bt.run_batch(schools, tmp_path / "out", bt.BatchOptions(time_limit=5, school_timeout=0.3, parallel=1))
    (outcome,) = report.outcomes
    assert outcome.status == bt.TIMED_OUT
    assert outcome.errors == ("stopped after 0.3 s (--school-timeout)",)
    assert _records(tmp_path / "out") == set()  # tried again by the next run
    table = pd.read_excel(tmp_path / "out" / "district.xlsx", sheet_name="Schools")
    assert table["status"].tolist() == ["timed out"]


def test_bad_folders_are_refused_with_exit_code_2(tmp_path) -> None:
    runner = CliRunner()
    missing = runner.invoke(main, ["batch", str(tmp_path / "nope"), "-o", str(tmp_path / "out")])
    assert missing.exit_code == 2
    assert "is not a folder" in missing.output
    (tmp_path / "empty").mkdir()
    empty = runner.invoke(main, ["batch", str(tmp_path / "empty"), "-o", str(tmp_path / "out")])
    assert empty.exit_code == 2
    assert "holds no school" in empty.output
    same = runner.invoke(main, ["batch", str(tmp_path / "empty"), "-o", str(tmp_path / "empty")])
    assert same.exit_code == 2
    assert "is the schools folder" in same.output
    (tmp_path / "twice").mkdir()
    (tmp_path / "twice" / "a.xlsx").write_bytes(b"")
    (tmp_path / "twice" / "A").mkdir()
    (tmp_path / "twice" / "A" / "Paras.csv").write_text("para_id\n")
    twice = runner.invoke(main, ["batch", str(tmp_path / "twice"), "-o", str(tmp_path / "out")])
    assert twice.exit_code == 2
    assert "has the same name as" in twice.output


def test_the_schools_of_a_folder_are_its_workbooks_and_csv_folders(tmp_path) -> None:
    for name in ("b.xlsx", "a.xls", "~$b.xlsx", ".hidden.xlsx", "notes.txt", "district.xlsx"):
        (tmp_path / name).write_bytes(b"")
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "Paras.csv").write_text("para_id\n")
    (tmp_path / "pictures").mkdir()
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "Paras.csv").write_text("para_id\n")
    found = [p.name for p in bt.find_schools(tmp_path, tmp_path / "out")]
    assert found == ["a.xls", "b.xlsx", "c"]


@pytest.fixture(scope="module")
def ray_session():
    ray = pytest.importorskip("ray")
    ray.init(
        num_cpus=2,
        include_dashboard=False,
        log_to_driver=False,
        configure_logging=False,
        object_store_memory=128 * 1024 * 1024,
    )
    yield ray
    ray.shutdown()


@pytest.mark.slow
def test_ray_gives_the_same_schedules_as_local_processes(district, ray_session, tmp_path) -> None:
    schools, out, _ = district
    report = bt.run_batch(schools, tmp_path / "ray-out", bt.BatchOptions(time_limit=float(LIMIT), seed=7, ray="local"))
    assert report.engine == "Ray (local)"
    assert [o.status for o in report.outcomes] == [bt.SOLVED, bt.SOLVED, bt.BAD_INPUT, bt.SOLVED]
    for name in SCHOOLS:
        local = read_schedule(out / f"{name}-schedule.xlsx")
        on_ray = read_schedule(tmp_path / "ray-out" / f"{name}-schedule.xlsx")
        assert on_ray.assignments == local.assignments, name
        assert on_ray.sessions == local.sessions, name
    local_table = pd.read_excel(out / "district.xlsx", sheet_name="Schools").drop(columns=["seconds", "resumed"])
    ray_table = pd.read_excel(tmp_path / "ray-out" / "district.xlsx", sheet_name="Schools").drop(
        columns=["seconds", "resumed"]
    )
    pd.testing.assert_frame_equal(local_table, ray_table)


def _school_processes() -> list[int]:
    """The processes this test started for schools (spawned children running spawn_main)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
        except OSError:
            continue
        if int(stat[1]) == os.getpid() and b"spawn_main" in cmdline:
            found.append(int(entry))
    return found


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="finds the school's process in /proc")
def test_a_school_whose_process_dies_is_reported_and_the_others_finish(tmp_path) -> None:
    schools = tmp_path / "schools"
    schools.mkdir()
    write_problem(generated_school(2, 3, "Adams"), schools / "adams.xlsx")
    write_problem(generated_school(2, 4, "Baker"), schools / "baker.xlsx")
    killed: list[int] = []

    def kill_adams(what: str, label: str, outcome: object, progress: object) -> None:
        if what == "started" and label == "adams.xlsx":  # one school at a time: its process is the only one
            for pid in _school_processes():
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)

    report = bt.run_batch(
        schools, tmp_path / "out", bt.BatchOptions(time_limit=float(LIMIT), seed=7, parallel=1), on_event=kill_adams
    )
    assert len(killed) == 1
    adams, baker = report.outcomes
    assert adams.status == bt.FAILED
    assert adams.errors == ("the school's process ended without a result (exit code -9)",)
    assert baker.status == bt.SOLVED
    table = pd.read_excel(tmp_path / "out" / "district.xlsx", sheet_name="Schools")
    assert table["status"].tolist() == ["failed", "solved"]
