"""Careless and hostile use (issue 14): every command on every case of the generated corpus.

Each run asserts: no traceback (nor the crash paragraph), the exit code, the located message,
inputs unchanged (hash), no partial or temporary file left, the deadline kept and the memory
of this process under 1 GB. Signals are sent to real ``parasched`` processes.
"""

from __future__ import annotations

import hashlib
import os
import resource
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from parasched.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_cases

GB = 1024**3
REFUSAL_DEADLINE = 20.0  # seconds: a refusal never waits for a solve (the machine is shared and slow)
SOLVE_DEADLINE = 60.0  # a 2 s solve, reading and writing included
MIDSIZE = make_cases.ROOT / "samples" / "midsize_school.xlsx"


def _params() -> list:
    out = []
    for case in make_cases.CASES:
        for command in make_cases._commands(case, "x", "s", "b", Path("o")):
            if case.commands and command not in case.commands:
                continue
            marks = () if command == make_cases.PRIMARY[case.role] else (pytest.mark.slow,)
            out.append(pytest.param(case, command, marks=marks, id=f"{case.cls}-{case.name}-{command}"))
    return out


@pytest.fixture(scope="session")
def good_schedule(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_cases.good_schedule(tmp_path_factory.mktemp("good") / "schedule.xlsx")


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory, good_schedule: Path) -> dict[tuple[str, str], make_cases.Run]:
    root = tmp_path_factory.mktemp("adversarial")
    return {(r.case.name, r.command): r for r in make_cases.runs(root, good_schedule)}


def _digest(path: Path) -> dict[str, str]:
    """Path -> content hash (or node kind) of every file under ``path`` (or of ``path`` itself)."""
    out = {}
    for p in [path] if not path.is_dir() else sorted(path.rglob("*")):
        mode = os.lstat(p).st_mode
        if stat.S_ISREG(mode):
            out[str(p)] = hashlib.sha256(p.read_bytes()).hexdigest()
        elif not stat.S_ISDIR(mode):
            out[str(p)] = f"node {stat.S_IFMT(mode)}"  # a fifo stays a fifo, a device a device
    return out


def _temp_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.startswith((".", "~$"))]


@pytest.mark.parametrize(("case", "command"), _params())
def test_every_command_on_every_case(case: make_cases.Case, command: str, corpus: dict, good_schedule: Path) -> None:
    run = corpus[(case.name, command)]
    guarded = [run.workdir, make_cases.SCHOOL, make_cases.SCHOOL_CSV, good_schedule]
    if run.argv[-1] == "/dev/null" or "/dev/null" in run.argv:
        guarded.append(Path("/dev/null"))
    for out in run.outputs:  # every run starts with no output: a refused one must create none
        if out.is_dir():
            for p in out.iterdir():
                p.unlink()
            out.rmdir()
        elif out.exists():
            out.unlink()
    before = {k: v for p in guarded for k, v in _digest(p).items()}

    began = time.monotonic()
    result = CliRunner().invoke(main, list(run.argv))
    elapsed = time.monotonic() - began

    text = result.output + (result.stderr if result.stderr_bytes is not None else "")
    assert result.exception is None or isinstance(result.exception, SystemExit), text
    assert "Traceback" not in text and "unexpected error" not in text, text
    assert result.exit_code == case.exit_code, text
    for fragment in case.expect:
        assert any(alternative in text for alternative in fragment.split("|")), f"{fragment!r} not in:\n{text}"
    after = {k: v for p in guarded for k, v in _digest(p).items()}
    created = {k for k in after if k not in before}
    assert {k: after.get(k) for k in before} == before, "an input or a device changed"
    if case.exit_code != 0:
        assert created == set(), f"a refused run wrote {created}"
    else:
        assert created <= {str(p) for p in run.outputs} | {
            str(p) for o in run.outputs if o.is_dir() for p in o.iterdir()
        }, created
    assert _temp_files(run.workdir) == [] and _temp_files(good_schedule.parent) == []
    deadline = REFUSAL_DEADLINE if case.exit_code != 0 else SOLVE_DEADLINE
    assert elapsed < deadline, f"{elapsed:.1f} s"
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 < GB


# -- memory of a real process on the far-cell workbooks ---------------------------------------------


@pytest.mark.parametrize("build", [make_cases.styled_far_cell, make_cases.value_far_right])
def test_far_cells_stay_small_in_a_real_process(tmp_path: Path, build) -> None:
    workbook = build(tmp_path, Path())
    began = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "parasched.cli", "validate", workbook],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    assert proc.returncode in (0, 2)
    assert usage.ru_maxrss * 1024 < GB / 2, f"{usage.ru_maxrss // 1024} MB"
    assert time.monotonic() - began < REFUSAL_DEADLINE


# -- signals: Ctrl-C, a second Ctrl-C, SIGTERM, on a real solve --------------------------------------


def _start_solve(tmp_path: Path, *extra: str) -> tuple[subprocess.Popen, Path, Path]:
    out = tmp_path / "schedule.xlsx"
    err = tmp_path / "stderr.txt"
    proc = subprocess.Popen(
        [sys.executable, "-m", "parasched.cli", "solve", str(MIDSIZE), "-o", str(out), "--time-limit", "60", *extra],
        stdout=subprocess.DEVNULL,
        stderr=err.open("w"),
    )
    began = time.monotonic()
    while "Solving" not in err.read_text() and time.monotonic() - began < 60:  # the search has begun
        time.sleep(0.2)
    time.sleep(3)
    return proc, out, err


def _stopped_within(proc: subprocess.Popen, seconds: float) -> int:
    try:
        return proc.wait(timeout=seconds)
    finally:
        if proc.poll() is None:
            proc.kill()


@pytest.mark.slow
def test_ctrl_c_stops_a_solve_and_writes_nothing(tmp_path: Path) -> None:
    digest = _digest(MIDSIZE)
    proc, out, err = _start_solve(tmp_path)
    proc.send_signal(signal.SIGINT)
    assert _stopped_within(proc, 5) == 130, err.read_text()
    assert "--keep-on-interrupt" in err.read_text()
    assert not out.exists() and _temp_files(tmp_path) == []
    assert _digest(MIDSIZE) == digest


@pytest.mark.slow
def test_second_ctrl_c_exits_at_once(tmp_path: Path) -> None:
    proc, out, err = _start_solve(tmp_path, "--keep-on-interrupt")
    proc.send_signal(signal.SIGINT)
    time.sleep(0.5)
    proc.send_signal(signal.SIGINT)
    assert _stopped_within(proc, 5) == 130, err.read_text()
    assert not out.exists() and _temp_files(tmp_path) == []


@pytest.mark.slow
def test_sigterm_stops_a_solve_and_writes_nothing(tmp_path: Path) -> None:
    proc, out, err = _start_solve(tmp_path)
    proc.send_signal(signal.SIGTERM)
    assert _stopped_within(proc, 5) == 128 + signal.SIGTERM, err.read_text()
    assert not out.exists() and _temp_files(tmp_path) == []


@pytest.mark.slow
def test_keep_on_interrupt_writes_the_best_schedule(tmp_path: Path) -> None:
    """Needs the solver to honour SolverOptions.stop: the best schedule comes back soon after."""
    from parasched.io.schedule_reader import read_schedule

    proc, out, err = _start_solve(tmp_path, "--keep-on-interrupt")
    proc.send_signal(signal.SIGINT)
    assert _stopped_within(proc, 15) == 130, err.read_text()
    assert "Interrupted: wrote the best schedule" in err.read_text()
    assert read_schedule(out).assignments and _temp_files(tmp_path) == []


# -- Ctrl-C while an output is being written --------------------------------------------------------


@pytest.mark.parametrize("interrupt", [KeyboardInterrupt, SystemExit])
def test_interrupted_write_leaves_no_temporary_file(tmp_path: Path, interrupt: type[BaseException]) -> None:
    from parasched.io.files import atomic_output

    target = tmp_path / "schedule.xlsx"
    with pytest.raises(interrupt), atomic_output(target) as tmp:
        tmp.write_bytes(b"half a workbook")
        raise interrupt(130)
    assert list(tmp_path.iterdir()) == []
