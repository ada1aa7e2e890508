"""iCalendar export: one RFC 5545 file per para, parsed back."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from parasched.cli import main
from parasched.io.ics import calendar, export_ics
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
    export_ics(schedule_file, out, force=True)
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
    res = CliRunner().invoke(
        main, ["export-ics", str(sched), str(tmp_path / "ics"), "--input", str(inp), "--names", "--force"]
    )
    assert res.exit_code == 0, res.output
    assert parse_ics((tmp_path / "ics" / "P1.ics").read_bytes())[0]["SUMMARY"] == "Support 1:1: Ana Lopez"
    assert b"X-WR-CALNAME:Pat Jones (P1) - week of 2026-11-30" in (tmp_path / "ics" / "P1.ics").read_bytes()


def test_names_need_input(schedule_file, tmp_path):
    with pytest.raises(InputError) as err:
        export_ics(schedule_file, tmp_path / "ics", names=True)
    # the workbook shows names on its people's sheets: the message says where names come from instead
    assert str(err.value.issues[0]) == (
        "--names: needs --input: student names are taken from the input workbook (the schedule's Assignments "
        "sheet, which calendars are made from, holds student ids); add --input school.xlsx, or leave out --names "
        "for ids only"
    )


def test_existing_calendars_need_force(schedule_file, tmp_path):
    out = tmp_path / "ics"
    export_ics(schedule_file, out, now=NOW)
    before = (out / "P1.ics").read_bytes()
    res = CliRunner().invoke(main, ["export-ics", str(schedule_file), str(out)])
    assert res.exit_code == 2
    assert "already holds P1.ics, P2.ics; choose another folder, or add --force to overwrite them" in res.output
    assert (out / "P1.ics").read_bytes() == before
    res = CliRunner().invoke(main, ["export-ics", str(schedule_file), str(out), "--force"])
    assert res.exit_code == 0, res.output


def test_with_problem_labels_and_names():
    problem = _problem()
    a = [
        Assignment("P1", "Mon", 480, 600, Kind.SUPPORT, "", ("S1",), "Rm 4"),
        Assignment("P1", "Mon", 600, 630, Kind.DUTY, "D1"),
    ]
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


def test_text_is_escaped_and_long_lines_folded():
    problem = _problem(student_name="Zoë, Ana; \\ Lopez-Éléonore-Marie-Antoinette de la Fontaine")
    a = [Assignment("P1", "Mon", 480, 600, Kind.SUPPORT, "", ("S1",), "Rm 4, east wing; upstairs")]
    raw = calendar("P1", a, dt.date(2026, 11, 23), problem.settings.days, problem=problem, names=True, now=NOW).encode()
    (event,) = parse_ics(raw)  # checks CRLF ends and 75-octet lines
    assert event["LOCATION"] == "Rm 4\\, east wing\\; upstairs"
    assert "Zoë\\, Ana\\; \\\\ Lopez" in event["SUMMARY"]
    assert "\\nStudents: " in event["DESCRIPTION"]  # a newline inside the text is escaped, not a new line
    assert any(line.startswith(b" ") for line in raw.split(b"\r\n"))  # folded
