"""JSON export: the same schedule as plain data for other tools."""

from __future__ import annotations

import json

from parasched.io.json_out import FORMAT, schedule_to_json, write_json
from parasched.io.writer import write_schedule
from tests.test_writer import _problem, _result


def test_schedule_to_json_content():
    data = schedule_to_json(_problem(), _result())
    assert data["format"] == FORMAT
    assert data["school"] == "Maple Elementary" and data["week_of"] == "2026-11-23"
    assert data["days"] == ["Mon", "Tue"]
    assert data["solve"] == {"status": "optimal", "objective": 60.0, "bound": 60.0, "gap": 0.0, "runtime_seconds": 1.25}
    assert data["assignments"][0] == {
        "para_id": "P1",
        "day": "Mon",
        "date": "2026-11-23",
        "start": "08:00",
        "end": "10:00",
        "kind": "support",
        "ref": "",
        "students": ["S1"],
        "location": "Rm 4",
    }
    assert [(a["para_id"], a["day"], a["start"]) for a in data["assignments"]] == [
        ("P1", "Mon", "08:00"),
        ("P1", "Mon", "10:00"),
        ("P1", "Mon", "11:30"),
        ("P1", "Tue", "08:00"),
        ("P2", "Mon", "09:00"),
    ]
    assert data["sessions"] == [
        {
            "session_id": "T1",
            "day": "Mon",
            "date": "2026-11-23",
            "start": "10:00",
            "end": "10:30",
            "provider": "Ms SLP",
            "para_id": "",
        }
    ]
    assert {
        "kind": "therapy",
        "ref": "T9",
        "day": None,
        "start": None,
        "end": None,
        "minutes": 30,
        "priority": 1,
        "reason": "no slot",
    } in data["unmet"]
    assert data["changes"] == []
    assert data["students"][0] == {"student_id": "S1", "priority": 2, "name": "Ana Lopez"}
    assert data["kpis"]["required_minutes"] == {"1": 0, "2": 1710, "3": 0}
    json.dumps(data)  # plain data only


def test_anonymized_json_has_initials_only():
    data = schedule_to_json(_problem(), _result(), anonymize=True)
    assert data["anonymized"] is True
    assert data["students"][0] == {"student_id": "S1", "priority": 2, "initials": "A.L."}
    assert "Lopez" not in json.dumps(data)


def test_write_json_and_via_writer(tmp_path):
    path = tmp_path / "s.json"
    write_json(path, _problem(), _result())
    assert json.loads(path.read_text(encoding="utf-8"))["assignments"][0]["para_id"] == "P1"
    xlsx, js = tmp_path / "s.xlsx", tmp_path / "w.json"
    write_schedule(xlsx, _problem(), _result(), json_path=js)
    assert xlsx.exists()
    assert json.loads(js.read_text(encoding="utf-8")) == schedule_to_json(_problem(), _result())
