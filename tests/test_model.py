"""Records validate themselves; the Problem validates cross-references, all at once."""

import pytest

from parasched.scheduler.errors import DataError, InputError, Source
from parasched.scheduler.model import Para, Problem, Session, Settings, Student, StudentBlock

SRC = Source("Paras", 7, (("para_id", "A"), ("start", "D")))


def test_para_end_before_start_names_column():
    with pytest.raises(DataError) as e:
        Para("P1", "Ann", 600, 540)
    assert e.value.column == "end"
    assert "end 09:00 is not after start 10:00" in str(e.value)


def test_tags_are_lowercase_and_trimmed():
    p = Para("P1", "Ann", 480, 900, skills=frozenset({" Behavior ", "ASL", ""}))
    assert p.skills == frozenset({"behavior", "asl"})


def test_session_must_be_fixed_or_flexible_not_both():
    with pytest.raises(DataError, match="both fixed times"):
        Session("T1", ("S1",), provider="SLP", start=540, end=570, sessions_per_week=2, duration_minutes=30)
    with pytest.raises(DataError, match="neither"):
        Session("T1", ("S1",), provider="SLP")


def test_problem_collects_every_cross_reference_problem():
    paras = (Para("P1", "A", 480, 900, source=SRC), Para("P1", "B", 480, 900, source=SRC))
    students = (Student("S1", "x", avoid_paras=("P9",)),)
    blocks = (StudentBlock("S9", 480, 500),)
    with pytest.raises(InputError) as e:
        Problem(Settings(), paras, students, student_blocks=blocks)
    texts = [str(i) for i in e.value.issues]
    assert texts[0] == (
        "Paras!A7 (para_id): 'P1' is a duplicate para_id (first at row 7); expected ids unique within Paras"
    )
    assert any("'P9' is not a para_id in Paras" in t for t in texts)
    assert any("'S9' is not a student_id in Students" in t for t in texts)
    assert len(texts) == 3


def test_off_grid_and_overlapping_blocks():
    src = Source("StudentSchedule", 3, (("start", "B"),))
    blocks = (StudentBlock("S1", 482, 540, source=src), StudentBlock("S1", 530, 600))
    with pytest.raises(InputError) as e:
        Problem(Settings(), (Para("P1", "A", 480, 900),), (Student("S1", "x"),), student_blocks=blocks)
    texts = [str(i) for i in e.value.issues]
    assert "StudentSchedule!B3 (start): '08:02' is not on the 5-minute grid; expected a multiple of 5 minutes" in texts
    assert any("is in two places on Mon" in t for t in texts)


def test_settings_date_of_day():
    import datetime as dt

    s = Settings(week_of=dt.date(2026, 11, 23))
    assert s.date_of("Wed") == dt.date(2026, 11, 25)
