"""The web page's endpoints through the framework's test client (the browser test is test_web_e2e.py)."""

from __future__ import annotations

import io
import re
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from parasched.cli import main
from parasched.io.reader import read_problem
from parasched.io.writer import write_schedule
from parasched.scheduler.greedy import greedy_schedule
from parasched.scheduler.model import Problem
from parasched.scheduler.schedule import SolveResult, Status
from parasched.web import server
from parasched.web.app import COOKIE, create_app
from parasched.workflows import web_session as ws

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "small_school.xlsx"
BAD = ROOT / "tests" / "data" / "bad"
BROKEN = ROOT / "tests" / "data"


@pytest.fixture(scope="module")
def problem() -> Problem:
    return read_problem(SAMPLE).problem


@pytest.fixture(scope="module")
def baseline_bytes(problem: Problem, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A week that breaks no rule, quickly: the greedy schedule through the CLI's writer."""
    path = tmp_path_factory.mktemp("baseline") / "week.xlsx"
    write_schedule(path, problem, SolveResult(Status.FEASIBLE, greedy_schedule(problem)))
    return path.read_bytes()


@pytest.fixture()
def client() -> Iterator[TestClient]:
    app = create_app(time_limit=2, workers=2)  # 2 workers: the limit is wall time
    with TestClient(app, base_url="http://127.0.0.1") as c:
        c.get("/")
        yield c


def _session(c: TestClient) -> ws.Session:
    s = c.app.state.sessions.get(c.cookies[COOKIE])  # type: ignore[attr-defined]
    assert s is not None
    return s


def _upload(c: TestClient, path: Path, *, action: str = "open", name: str | None = None) -> str:
    r = c.post("/input", files={"file": (name or path.name, path.read_bytes())}, data={"action": action})
    assert r.status_code == 200  # after the redirect to the page
    return r.text


def _messages(html: str, level: str) -> list[str]:
    boxes = re.findall(rf'<div class="msg msg-{level}"[^>]*>(.*?)</div>', html, flags=re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", b)).strip() for b in boxes]


def _wait(c: TestClient, seconds: float = 60) -> dict[str, object]:
    deadline = time.monotonic() + seconds
    while True:
        status = c.get("/progress").json()
        if not status["running"]:
            return status
        assert time.monotonic() < deadline, "the job did not end"
        time.sleep(0.1)


# -- pages and sessions ----------------------------------------------------------------------------
def test_first_visit_sets_a_private_cookie_and_shows_how_to_start() -> None:
    with TestClient(create_app(), base_url="http://127.0.0.1") as c:
        r = c.get("/")
        assert r.status_code == 200
        assert "Start here" in r.text
        cookie = r.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie
        assert r.headers["cache-control"] == "no-store"
        assert c.get("/static/app.js").status_code == 200  # vendored, nothing from a CDN
        assert "http" not in re.sub(r'href="/|src="/', "", "".join(re.findall(r'(?:src|href)="[^"]*"', r.text)))


def test_another_host_header_is_refused_on_loopback() -> None:
    with TestClient(create_app(), base_url="http://127.0.0.1") as c:
        assert c.get("/", headers={"host": "evil.example"}).status_code == 400
        assert c.get("/", headers={"host": "localhost:8000"}).status_code == 200


def test_open_the_sample(client: TestClient) -> None:
    html = _upload(client, SAMPLE)
    assert _messages(html, "ok") == ["Opened small_school.xlsx: 12 paras, 15 students."]
    assert "Open baseline" in html and "Solve the week (2 s)" in html
    assert list(_session(client).folder.iterdir()) == []  # the upload is read, then removed


def test_sessions_are_kept_apart(client: TestClient) -> None:
    _upload(client, SAMPLE)
    with TestClient(client.app, base_url="http://127.0.0.1") as other:
        html = other.get("/").text
        assert "Start here" in html and "small_school.xlsx" not in html
        assert other.cookies[COOKIE] != client.cookies[COOKIE]
        r = other.get("/download/schedule.xlsx")  # the page with a message, not the file
        assert "no schedule yet" in " ".join(_messages(r.text, "error"))


# -- validate and refused files ---------------------------------------------------------------------
def test_validate_shows_the_cli_report(client: TestClient) -> None:
    html = _upload(client, SAMPLE, action="validate")
    assert "small_school.xlsx: valid, no warnings" in html
    assert "Capacity (staff needed / paras present" in html


def test_validate_errors_are_located_by_sheet_row_and_column(client: TestClient) -> None:
    html = _upload(client, BROKEN / "broken_bad_time.xlsx", action="validate")
    (box,) = _messages(html, "error")
    assert box.startswith("Not valid (1 problem(s)):")
    assert "Paras!D3 (start): &#39;8:3O&#39; is not a time; expected HH:MM such as 08:30" in box
    assert "Traceback" not in html


@pytest.mark.parametrize(
    ("file", "expected"),
    [
        ("macros_renamed.xlsx", "workbook contains macros"),
        ("macros.xlsm", "macros"),
        ("picture_renamed.xlsx", "PNG image"),
        ("zip_bomb.xlsx", "MB"),
        ("xml_entity_bomb.xlsx", "DTD"),
        ("legacy.xls", "Save As"),
        ("encrypted.xlsx", "password"),
    ],
)
def test_hostile_or_wrong_files_are_refused_with_the_cli_rules(client: TestClient, file: str, expected: str) -> None:
    html = _upload(client, BAD / file)
    (box,) = _messages(html, "error")
    assert file in box and expected.lower() in box.lower(), box
    assert "Traceback" not in html
    assert _session(client).problem is None
    assert list(_session(client).folder.iterdir()) == []


def test_a_file_over_the_limit_is_refused_before_it_is_read() -> None:
    with TestClient(create_app(max_upload_bytes=10_000), base_url="http://127.0.0.1") as c:
        c.get("/")
        html = _upload(c, SAMPLE)  # 30+ kB: refused while streaming (Content-Length is over the limit too)
        assert "is larger than 0 MB" in " ".join(_messages(html, "error"))


def test_a_wrong_extension_is_refused(client: TestClient, tmp_path: Path) -> None:
    txt = tmp_path / "notes.txt"
    txt.write_text("hello")
    (box,) = _messages(_upload(client, txt), "error")
    assert "notes.txt: &#39;.txt&#39; is not a workbook" in box


# -- baseline, re-plan, downloads -----------------------------------------------------------------
def test_a_baseline_of_another_school_is_refused(client: TestClient, tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    sheet = wb.active
    assert sheet is not None
    sheet.title = "Assignments"
    sheet.append(["para_id", "day", "start", "end", "kind", "ref", "students", "location"])
    sheet.append(["Z99", "Mon", "08:00", "09:00", "duty", "D01", "", ""])
    other = tmp_path / "other.xlsx"
    wb.save(other)
    _upload(client, SAMPLE)
    r = client.post("/baseline", files={"file": (other.name, other.read_bytes())})
    (box,) = _messages(r.text, "error")
    assert box.startswith("Cannot use other.xlsx (1 problem(s)):")
    assert "&#39;Z99&#39; is not a para_id in the input&#39;s Paras; is this the baseline of this input?" in box
    assert _session(client).baseline is None


def test_bad_ticks_are_messages_naming_the_person(client: TestClient, baseline_bytes: bytes) -> None:
    _upload(client, SAMPLE)
    client.post("/baseline", files={"file": ("week.xlsx", baseline_bytes)})
    r = client.post("/replan", data={"day": "Tue", "out:P01": "1", "from:P01": "10:00", "to:P01": "9:00"})
    assert "P01: the time range 10:00-9:00 ends before it starts" in " ".join(_messages(r.text, "error"))
    r = client.post("/replan", data={"day": "Tue", "out:P07": "1", "from:P07": "10:00"})
    assert "P07: &#39;&#39; is not a time" in " ".join(_messages(r.text, "error"))
    r = client.post("/replan", data={"day": "Tue", "out:P99": "1"})
    assert "--absent P99: &#39;P99&#39; is neither a para_id in Paras nor a student_id in Students" in " ".join(
        _messages(r.text, "error")
    )
    r = client.post("/replan", data={"day": "Tue", "out:P03": "1", "from:P03": "10:02", "to:P03": "11:00"})
    assert "is not on the 5-minute grid" in " ".join(_messages(r.text, "error"))
    assert client.get("/progress").json()["running"] is False  # nothing was started


@pytest.mark.slow
def test_replan_from_an_uploaded_baseline(client: TestClient, baseline_bytes: bytes, tmp_path: Path) -> None:
    _upload(client, SAMPLE)
    r = client.post("/baseline", files={"file": ("week.xlsx", baseline_bytes)})
    assert _messages(r.text, "ok") == ["Opened the baseline week.xlsx; it passes every hard rule."]
    r = client.post(
        "/replan",
        data={
            "day": "Wed",
            "out:P03": "1",
            "out:P05": "1",
            "from:P05": "10:00",
            "to:P05": "12:00",
            "out:S02": "1",
            "sub:P11": "1",
        },
    )
    assert r.status_code == 200
    status = _wait(client)
    assert status["kind"] == "replan" and status["error"] is False and status["limit"] == 2.0
    html = client.get("/?day=Wed").text
    assert any(m.startswith("Re-planned Wed in ") for m in _messages(html, "ok"))
    s = _session(client)
    plan = s.current
    assert plan is not None and plan.outcome is not None and plan.marks is not None
    assert plan.marks.paras == (("P03", None), ("P05", (600, 720)))
    assert plan.marks.students == (("S02", None),)
    assert [a.person_id for a in plan.outcome.new_absences] == ["P03", "P05", "S02"]  # P11 called in
    assert plan.violations == ()
    # every change is a line in words on the page, and outlined on its para's row
    lines = re.findall(r"<li>(P\d\d: Wed [^<]+)</li>", html)
    assert lines and len(lines) == len(plan.schedule.changes)
    assert any(x.startswith("P03: Wed ") and x.endswith("(absent)") for x in lines)
    assert html.count("b k-changed") == len(plan.schedule.changes)
    # the ticks stay on the form
    assert re.search(r'name="out:P05" value="1" checked', html)
    assert 'name="from:P05" step="300" value="10:00"' in html

    # the workbook download and `parasched check` on it: test_web_e2e.py
    csv = client.get("/download/absences.csv").text.splitlines()
    assert csv == [
        "person_id,days,start,end,reason",
        "P03,Wed,,,--absent",
        "P05,Wed,10:00,12:00,--absent",
        "S02,Wed,,,--absent",
    ]
    ics = zipfile.ZipFile(io.BytesIO(client.get("/download/calendars.zip").content))
    assert "P01.ics" in ics.namelist()
    text = ics.read("P01.ics").decode()
    assert text.startswith("BEGIN:VCALENDAR") and "Mateo Alvarez" not in text  # student ids only
    assert list(s.folder.iterdir()) == []  # uploads are read and removed; downloads are made on demand


def test_an_uncalled_substitute_is_kept_out_of_the_day(problem: Problem, baseline_bytes: bytes) -> None:
    s = ws.Session()
    try:
        s.open_input(SAMPLE.name, SAMPLE.read_bytes())
        marks = ws.Marks("Tue", paras=(("P01", None),))
        got = {(a.person_id, a.reason) for a in s.absences(marks)}
        assert got == {("P01", "--absent"), ("P11", ws.SUB_NOT_CALLED)}
        assert {a.person_id for a in s.absences(ws.Marks("Tue", substitutes=("P11",)))} == set()
    finally:
        s.close()
    assert not s.folder.exists()


def test_a_failed_solve_is_a_message_not_a_traceback(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    import parasched.workflows.solve as solve_module

    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("the model could not be built")

    monkeypatch.setattr(solve_module, "solve", broken)
    _upload(client, SAMPLE)
    html = client.post("/solve").text  # the job may fail before the page is drawn, or after
    assert _wait(client)["error"] is True
    html += client.get("/").text
    (box,) = _messages(html, "error")
    assert box.startswith("The solve failed.") and "RuntimeError: the model could not be built" in box
    assert "Traceback" not in html and _session(client).current is None


def test_nothing_to_download_yet_is_a_message(client: TestClient) -> None:
    r = client.get("/download/calendars.zip")
    assert "no schedule yet" in " ".join(_messages(r.text, "error"))


def test_session_folders_are_removed_when_the_server_stops() -> None:
    app = create_app()
    with TestClient(app, base_url="http://127.0.0.1") as c:
        c.get("/")
        folder = _session(c).folder
        assert folder.is_dir()
    assert not folder.exists() and len(app.state.sessions) == 0


# -- the day view -----------------------------------------------------------------------------------
def test_the_day_view_draws_the_workbook_grid(problem: Problem) -> None:
    schedule = greedy_schedule(problem)
    plan = ws.Plan(problem, SolveResult(Status.FEASIBLE, schedule), "uploaded")
    view = ws.day_view(plan, "Mon")
    assert view.title == "Monday Nov 30"
    assert [r.key for r in view.paras] == [p.para_id for p in problem.paras]
    row = view.paras[0]
    rows = [a for a in schedule.assignments if a.para_id == row.key and a.day == "Mon"]
    kinds = [b.css for b in row.blocks if b.css not in ("off", "absent")]
    assert len(kinds) == len(rows) and set(kinds) <= {"one", "shared", "duty", "therapy", "lunch", "break"}
    assert all(b.left >= 0 and b.left + b.width <= 100.001 for r in view.paras for b in r.blocks)
    unmet_mon = [u for u in schedule.unmet if u.day == "Mon"]
    assert len(view.unmet) == len(unmet_mon)
    assert sum(len(r.blocks) for r in view.uncovered) == len(unmet_mon)
    assert view.changes == ()


# -- parasched serve ---------------------------------------------------------------------------------
def test_serve_warns_for_a_host_other_than_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, int]] = []
    monkeypatch.setattr(server, "run", lambda host, port, **_: calls.append((host, port)))
    monkeypatch.setattr(server, "check_port", lambda host, port: None)
    out = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0", "--port", "8123"])
    assert out.exit_code == 0, out.output
    assert "WARNING: --host 0.0.0.0 lets other computers" in out.output
    assert "parasched is running at http://0.0.0.0:8123/" in out.output
    out = CliRunner().invoke(main, ["serve", "--port", "8124"])
    assert "WARNING" not in out.output and "http://127.0.0.1:8124/" in out.output
    assert calls == [("0.0.0.0", 8123), ("127.0.0.1", 8124)]


def test_serve_refuses_a_busy_port() -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        out = CliRunner().invoke(main, ["serve", "--port", str(port)])
    assert out.exit_code == 2
    assert f"--port: cannot listen on 127.0.0.1:{port}" in out.output and "Traceback" not in out.output


def test_loopback_addresses() -> None:
    assert server.is_loopback("127.0.0.1") and server.is_loopback("localhost") and server.is_loopback("::1")
    assert not server.is_loopback("0.0.0.0") and not server.is_loopback("192.168.1.20")


@pytest.mark.slow
def test_stop_keeps_the_best_schedule_so_far() -> None:
    with TestClient(create_app(time_limit=120, workers=2), base_url="http://127.0.0.1") as c:
        c.get("/")
        _upload(c, SAMPLE)
        c.post("/solve")
        time.sleep(1.5)  # past the greedy warm start: the solver is searching
        assert c.get("/progress").json()["running"] is True
        began = time.monotonic()
        # (the page the Stop redirects to shows the messages so far: the solve may end before it)
        stopped_page = c.post("/stop").text
        status = _wait(c, 60)
        assert time.monotonic() - began < 30 and status["elapsed"] < 60  # far from the 120 s limit
        assert status["error"] is False
        covered = status["covered"]  # the solver's own progress reports reached the page's endpoint
        assert isinstance(covered, list) and len(covered) == 3 and status["stage"]
        shown = _messages(stopped_page, "ok") + _messages(c.get("/").text, "ok")
        assert any(m.startswith("Solved the week in") for m in shown)
        assert _session(c).baseline is not None


def test_names_from_the_workbook_are_text_never_markup(client: TestClient, tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(SAMPLE)
    ws_paras = wb["Paras"]
    header = [c.value for c in ws_paras[1]]
    ws_paras.cell(2, header.index("name") + 1, "<script>alert(1)</script>")
    hostile = tmp_path / "hostile.xlsx"
    wb.save(hostile)
    _upload(client, hostile)
    s = _session(client)
    assert s.problem is not None
    s.baseline = s.current = ws.Plan(s.problem, SolveResult(Status.FEASIBLE, greedy_schedule(s.problem)), "solved")
    html = client.get("/").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert" not in html


@pytest.mark.slow
def test_an_absences_file_joins_the_ticks(client: TestClient, baseline_bytes: bytes) -> None:
    _upload(client, SAMPLE)
    client.post("/baseline", files={"file": ("week.xlsx", baseline_bytes)})
    tuesday = ROOT / "samples" / "absences_tuesday.xlsx"
    picture = BAD / "picture_renamed.xlsx"
    r = client.post(
        "/replan", data={"day": "Tue", "out:P05": "1"}, files={"absences": (picture.name, picture.read_bytes())}
    )
    (box,) = _messages(r.text, "error")
    assert box.startswith("Cannot re-plan") and "picture_renamed.xlsx" in box and "PNG image" in box
    r = client.post(
        "/replan",
        data={"day": "Tue", "out:P05": "1", "sub:P11": "1"},
        files={"absences": (tuesday.name, tuesday.read_bytes())},
    )
    assert _wait(client)["error"] is False
    ok = " ".join(_messages(r.text + client.get("/?day=Tue").text, "ok"))
    assert "New absences: P02 Tue, P07 Tue, P03 Tue 12:00-15:00, S03 Tue, P05 Tue" in ok
    plan = _session(client).current
    assert plan is not None and plan.violations == ()


def test_the_page_opens_on_today_when_it_is_a_school_day(problem: Problem) -> None:
    import datetime as dt

    assert ws.first_day(problem, None, today=dt.date(2026, 12, 3)) == "Thu"
    assert ws.first_day(problem, None, today=dt.date(2026, 12, 5)) == "Mon"  # a Saturday
    assert ws.first_day(problem, "wed", today=dt.date(2026, 12, 3)) == "Wed"
