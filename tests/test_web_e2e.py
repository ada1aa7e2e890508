"""The web page end to end in headless Chromium (Debian's ``chromium``; ``.ci/run`` installs it).

A real server on 127.0.0.1 in a thread, a real browser: open the small sample and this week's
schedule (the greedy week, written by the CLI's writer: quick and the same every run), mark two
paras out, re-plan, read the changes, download the workbook and the day's absences,
and ``parasched check`` passes on the download. Screenshots (1366x768) go to ``$PARASCHED_SCREENSHOTS``
when set (``docs/web/`` holds the committed ones), else to the test's temporary folder.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("playwright")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
if not Path(CHROMIUM).exists():  # pragma: no cover - CI installs it (.ci/run)
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True)

import uvicorn  # noqa: E402
from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402

from parasched.io.reader import read_problem  # noqa: E402
from parasched.io.writer import write_schedule  # noqa: E402
from parasched.scheduler.greedy import greedy_schedule  # noqa: E402
from parasched.scheduler.schedule import SolveResult, Status  # noqa: E402
from parasched.web.app import create_app  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "small_school.xlsx"
# from the greedy week, 4 s re-plans P05 and P07 out with paras covering them (measured: 26 changes)
LIMIT = float(os.environ.get("PARASCHED_E2E_LIMIT") or 4)
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    port = _free_port()
    app = create_app(time_limit=LIMIT, workers=2)
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)
    assert len(app.state.sessions) == 0, "every session folder is removed when the server stops"


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    problem = read_problem(SAMPLE).problem
    path = tmp_path_factory.mktemp("week") / "week_of_nov_30.xlsx"
    write_schedule(path, problem, SolveResult(Status.FEASIBLE, greedy_schedule(problem)))
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser profile: its own cookie, so its own session on the server."""
    context = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True)
    yield context.new_page()
    context.close()


def _shots(tmp_path: Path) -> Path:
    out = Path(os.environ.get("PARASCHED_SCREENSHOTS") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    return out


@pytest.mark.slow
def test_replan_two_paras_out_in_a_real_browser(server: str, page: Page, baseline: Path, tmp_path: Path) -> None:
    shots = _shots(tmp_path)
    page.goto(server + "/")
    expect(page.get_by_text("Start here")).to_be_visible()

    page.set_input_files("#input-file", str(SAMPLE))
    page.click("#open-input")
    expect(page.locator(".msg-ok")).to_contain_text("Opened small_school.xlsx: 12 paras, 15 students")

    page.set_input_files("#baseline-file", str(baseline))
    page.click("#open-baseline")
    expect(page.locator(".msg-ok")).to_contain_text(
        "Opened the baseline week_of_nov_30.xlsx; it passes every hard rule"
    )
    page.screenshot(path=shots / "1-opened.png")

    page.click("nav.days >> text=Tue")
    expect(page.locator("#replan")).to_have_text("Re-plan Tue")
    page.check("input[name='out:P05']")
    page.check("input[name='out:P07']")
    page.screenshot(path=shots / "2-who-is-out.png")
    page.click("#replan")
    expect(page.locator("#progress")).to_be_visible()
    expect(page.locator("#p-time")).to_contain_text(f" s (limit {LIMIT:g} s)")
    expect(page.locator("#p-cover")).to_contain_text("Covered so far: priority 1 ")
    page.screenshot(path=shots / "3-re-planning.png")

    changes = page.locator("#changes")
    expect(changes).to_be_visible(timeout=90_000)
    expect(page.locator(".msg-ok")).to_contain_text("Re-planned Tue")
    expect(page.locator("#check-ok")).to_contain_text("Passes every hard rule (with the absences applied)")
    lines = changes.locator("li").all_inner_texts()
    assert any(re.fullmatch(r"P05: Tue \d\d:\d\d-\d\d:\d\d was .+, now free \(absent\)", x) for x in lines)
    assert any(re.fullmatch(r"P07: Tue \d\d:\d\d-\d\d:\d\d was .+, now free \(absent\)", x) for x in lines)
    # every para with a line in words has its row marked and each change outlined in the grid
    changed = sorted({x.split(":", 1)[0] for x in lines})
    marked = sorted(page.locator(".grow.row-changed").evaluate_all("rows => rows.map(r => r.dataset.id)"))
    assert marked == changed
    assert page.locator(".grid").first.locator(".k-changed").count() >= len(lines) > 0
    # the ticks stay ticked for a second re-plan
    expect(page.locator("input[name='out:P05']")).to_be_checked()
    for anchor, name in (("#paras-grid", "4-day-grid"), ("#changes", "5-changes"), ("#students-grid", "6-students")):
        page.locator(anchor).evaluate("e => e.scrollIntoView({block: 'start'})")
        page.screenshot(path=shots / f"{name}.png")

    with page.expect_download() as got:
        page.click("#download-xlsx")
    workbook = tmp_path / got.value.suggested_filename
    got.value.save_as(workbook)
    assert workbook.name == "small_school-Tue-replanned.xlsx"
    with page.expect_download() as got:
        page.click("#download-absences")
    absences = tmp_path / got.value.suggested_filename
    got.value.save_as(absences)
    with page.expect_download() as got:
        page.click("#download-ics")
    assert got.value.suggested_filename == "small_school-calendars.zip"

    done = subprocess.run(
        [sys.executable, "-m", "parasched.cli", "check", str(SAMPLE), str(workbook), "--absences", str(absences)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Passes every hard rule." in done.stdout


@pytest.mark.slow
def test_a_bad_upload_is_a_located_message_in_the_browser(server: str, page: Page, tmp_path: Path) -> None:
    bad = tmp_path / "school.xlsx"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)  # a picture renamed .xlsx
    page.goto(server + "/")
    page.set_input_files("#input-file", str(bad))
    page.click("#validate-input")
    box = page.locator(".msg-error")
    expect(box).to_contain_text("Not valid")
    expect(box).to_contain_text("school.xlsx")
    expect(box).to_contain_text("PNG image")
    assert "Traceback" not in page.content()
