"""iCalendar export: one RFC 5545 file per para, parsed back."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from parasched.cli import main
from parasched.io.ics import calendar, escape, export_ics, fold
from parasched.io.writer import write_schedule
from parasched.scheduler.errors import InputError
from parasched.scheduler.schedule import Assignment, Kind
from tests.test_writer import _problem, _result

NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)


def parse_ics(raw: bytes) -> list[dict[str, str]]:
    """Unfold (RFC 5545 3.1) and split into components; checks CRLF line ends and line lengths."""
    assert raw.endswith(b"\r\n")
    physical = raw.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and b"\r" not in line for line in physical)
    assert all(len(line) <= 75 for line in physical), max(physical, key=len)
    text = raw.decode("utf-8").replace("\r\n ", "")
    lines = text.split("\r\n")[:-1]
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    events: list[dict[str, str]] = []
    cur: dict[str, str] | None = None
    for line in lines:
        name, _, value = line.partition(":")
        if line == "BEGIN:VEVENT":
            cur = {}
        elif line == "END:VEVENT":
            assert cur is not None
            events.append(cur)
            cur = None
        elif cur is not None:
            cur[name] = value
    return events


@pytest.fixture
def schedule_file(tmp_path):
    path = tmp_path / "schedule.xlsx"
    write_schedule(path, _problem(), _result())
    return path


def test_one_file_per_para_with_dated_events(schedule_file, tmp_path):
    out = tmp_path / "ics"
    written = export_ics(schedule_file, out, now=NOW)
    assert [p.name for p in written] == ["P1.ics", "P2.ics"]
    events = parse_ics((out / "P1.ics").read_bytes())
    assert [(e["DTSTART"], e["DTEND"], e["SUMMARY"]) for e in events] == [
        ("20261123T080000", "20261123T100000", "Support: S1"),
        ("20261123T100000", "20261123T103000", "Duty D1"),
        ("20261123T113000", "20261123T120000", "Lunch"),
        ("20261124T080000", "20261124T083000", "Break"),
    ]
    assert events[0]["LOCATION"] == "Rm 4"
    assert all(e["DTSTAMP"] == "20261120T120000Z" for e in events)
    assert len({e["UID"] for e in events}) == 4
    # stable: exporting again gives the same UIDs
    export_ics(schedule_file, out)
    assert [e["UID"] for e in parse_ics((out / "P1.ics").read_bytes())] == [e["UID"] for e in events]


def test_input_gives_names_only_with_names_flag(tmp_path):
    from parasched.io.input_writer import write_problem

    inp = tmp_path / "school.xlsx"
    write_problem(_problem(week_of=dt.date(2026, 11, 30)), inp)
    sched = tmp_path / "schedule.xlsx"
    write_schedule(sched, _problem(week_of=None), _result())  # no date in the schedule itself
    res = CliRunner().invoke(main, ["export-ics", str(sched), str(tmp_path / "ics"), "--input", str(inp)])
    assert res.exit_code == 0, res.output
    raw = (tmp_path / "ics" / "P1.ics").read_bytes()
    assert b"Ana" not in raw and b"Lopez" not in raw
    events = parse_ics(raw)
    assert events[0]["DTSTART"] == "20261130T080000"  # week_of from --input
    assert events[0]["SUMMARY"] == "Support 1:1: S1"
    assert events[1]["SUMMARY"] == "Duty: Lunchroom"
    res = CliRunner().invoke(main, ["export-ics", str(sched), str(tmp_path / "ics"), "--input", str(inp), "--names"])
    assert res.exit_code == 0, res.output
    assert parse_ics((tmp_path / "ics" / "P1.ics").read_bytes())[0]["SUMMARY"] == "Support 1:1: Ana Lopez"
    assert b"X-WR-CALNAME:Pat Jones (P1) - week of 2026-11-30" in (tmp_path / "ics" / "P1.ics").read_bytes()


def test_names_need_input(schedule_file, tmp_path):
    with pytest.raises(InputError, match="--input"):
        export_ics(schedule_file, tmp_path / "ics", names=True)


def test_with_problem_labels_and_names():
    problem = _problem()
    a = [Assignment("P1", "Mon", 480, 600, Kind.SUPPORT, "", ("S1",), "Rm 4"),
         Assignment("P1", "Mon", 600, 630, Kind.DUTY, "D1")]
    days = problem.settings.days
    ids = parse_ics(calendar("P1", a, dt.date(2026, 11, 23), days, problem=problem, now=NOW).encode())
    assert [e["SUMMARY"] for e in ids] == ["Support 1:1: S1", "Duty: Lunchroom"]
    assert ids[1]["LOCATION"] == "Cafeteria"
    raw = calendar("P1", a, dt.date(2026, 11, 23), days, problem=problem, names=True, now=NOW)
    assert parse_ics(raw.encode())[0]["SUMMARY"] == "Support 1:1: Ana Lopez"
    assert "Ana Lopez" not in calendar("P1", a, dt.date(2026, 11, 23), days, problem=problem, now=NOW)


def test_no_date_exits_2_with_message(tmp_path):
    path = tmp_path / "schedule.xlsx"
    write_schedule(path, _problem(week_of=None), _result())
    res = CliRunner().invoke(main, ["export-ics", str(path), str(tmp_path / "ics")])
    assert res.exit_code == 2
    assert "week_of" in res.output
    assert not (tmp_path / "ics").exists()


def test_cli_writes_files(schedule_file, tmp_path):
    res = CliRunner().invoke(main, ["export-ics", str(schedule_file), str(tmp_path / "ics")])
    assert res.exit_code == 0, res.output
    assert "Wrote 2 calendar file(s)" in res.output
    assert sorted(p.name for p in (tmp_path / "ics").iterdir()) == ["P1.ics", "P2.ics"]


def test_fold_and_escape():
    line = "DESCRIPTION:" + "é" * 80
    folded = fold(line)
    pieces = folded.split("\r\n ")
    assert all(len(p.encode()) <= 75 for p in pieces[:1]) and all(len(p.encode()) <= 74 for p in pieces[1:])
    assert "".join(pieces) == line
    assert escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    assert fold("SUMMARY:short") == "SUMMARY:short"
