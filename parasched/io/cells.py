"""Cell helpers shared by the writer's sheets: text stays text, tables get a header."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, MergedCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
THIN = Side(style="thin", color="A6A6A6")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def put(ws: Worksheet, row: int, column: int, value: Any, **style: Any) -> Cell | MergedCell:
    """Write one cell. Strings are always stored as text: ``=SUM(A1)`` never becomes a formula."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters cannot be stored in xlsx
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl would otherwise turn a leading '=' into a formula
    if style:
        apply_style(cell, style)
    return cell


def apply_style(cell: Any, style: Mapping[str, Any]) -> None:
    """Set style attributes (``fill``, ``font``, ``border``, ``alignment``...; None = leave as is).

    Same result as ``setattr`` for each, but a combination already applied in this workbook is
    copied as a whole: openpyxl hashes every style object on assignment, which made large grids
    take minutes.
    """
    items = tuple((k, v) for k, v in sorted(style.items()) if v is not None)
    if not items:
        return
    wb = cell.parent.parent
    cache = wb.__dict__.setdefault("_parasched_style_cache", {})
    key = (tuple(cell._style or ()), tuple((k, id(v)) for k, v in items))
    hit = cache.get(key)
    if hit is None:
        for k, v in items:
            setattr(cell, k, v)
        cache[key] = (copy.copy(cell._style), items)  # items keep the objects (and so their ids) alive
    else:
        cell._style = copy.copy(hit[0])


def write_table(
    ws: Worksheet,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    widths: Mapping[str, float] | None = None,
    start_row: int = 1,
) -> int:
    """A header row and data rows; frozen header, autofilter, sensible widths. Returns the last row."""
    widths = dict(widths or {})
    for j, name in enumerate(columns, start=1):
        put(ws, start_row, j, name, font=HEADER_FONT, fill=HEADER_FILL)
    r = start_row
    for r, row in enumerate(rows, start=start_row + 1):
        for j, v in enumerate(row, start=1):
            if v is None or v == "":
                continue
            put(ws, r, j, v)
    for j, name in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(j)].width = widths.get(name, max(10, len(name) + 3))
    if start_row == 1:
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(r, 1)}"
    return r


__all__ = ["BOX", "HEADER_FILL", "HEADER_FONT", "Alignment", "apply_style", "put", "write_table"]


# =============================================================================================
# Parsing what people type (owned by the input reader). Every parser takes a raw cell value
# (str from csv, or what openpyxl returns: str, int, float, bool, date, datetime, time,
# timedelta), returns None for a blank cell, and raises CellError worded as
# "'<value found>' is not <what>; expected <what is expected>".
# =============================================================================================

import datetime as _dt  # noqa: E402
import re as _re  # noqa: E402
from enum import StrEnum as _StrEnum  # noqa: E402

from parasched.scheduler.model import Support as _Support  # noqa: E402
from parasched.scheduler.timegrid import DAYS as _DAYS  # noqa: E402

TIME_EXPECTED = "expected HH:MM such as 08:30"
DAYS_EXPECTED = "expected days such as Mon, Wed or Mon-Thu"


class CellError(ValueError):
    """A cell value cannot be understood; ``text`` is the message without the location."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def shown(value: Any) -> str:
    """A cell value as the person typed / sees it, for messages."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, _dt.datetime):
        if value.date() == _dt.date(1899, 12, 30) or value.date() == _dt.date(1899, 12, 31):
            return value.strftime("%H:%M")
        return value.isoformat(sep=" ")
    if isinstance(value, _dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, _dt.date):
        return value.isoformat()
    return str(value).strip()


def _seconds_to_minutes(seconds: float, value: Any) -> int:
    minutes = round(seconds / 60)
    if abs(seconds - minutes * 60) > 1:
        raise CellError(f"'{shown(value)}' has seconds; {TIME_EXPECTED}")
    return minutes


_CLOCK_RE = _re.compile(
    r"^(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?\s*([ap])\.?\s*m?\.?$|^(\d{1,2}):(\d{2})(?::(\d{2}))?$", _re.IGNORECASE
)


def parse_time(value: Any, *, time_format: bool = False) -> int | None:
    """Minutes from midnight. ``time_format``: the cell is formatted as a time in Excel, so a
    number in it is a fraction of a day (otherwise a bare number is ambiguous and refused)."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(f"'{shown(value)}' is not a time; {TIME_EXPECTED}")
    if isinstance(value, _dt.datetime):
        t = value.time()
        return _seconds_to_minutes(t.hour * 3600 + t.minute * 60 + t.second + t.microsecond / 1e6, value)
    if isinstance(value, _dt.time):
        return _seconds_to_minutes(
            value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6, value
        )
    if isinstance(value, _dt.timedelta):
        secs = value.total_seconds()
        if 0 <= secs <= 24 * 3600:
            return _seconds_to_minutes(secs, value)
        raise CellError(f"'{shown(value)}' is not a time of day; {TIME_EXPECTED}")
    if isinstance(value, int | float):
        if time_format and 0 <= value <= 1:
            return _seconds_to_minutes(float(value) * 24 * 3600, value)
        raise CellError(f"'{shown(value)}' is not a time; {TIME_EXPECTED}")
    if isinstance(value, _dt.date):
        raise CellError(f"'{shown(value)}' is a date, not a time; {TIME_EXPECTED}")
    text = str(value).strip()
    if text.lower() in ("noon", "midday"):
        return 12 * 60
    m = _CLOCK_RE.match(text)
    if not m:
        raise CellError(f"'{text}' is not a time; {TIME_EXPECTED}")
    if m.group(5) is not None:  # 24h HH:MM[:SS]
        h, mi, sec = int(m.group(5)), int(m.group(6)), m.group(7)
        if sec is not None and int(sec) != 0:
            raise CellError(f"'{text}' has seconds; {TIME_EXPECTED}")
        if (h, mi) == (24, 0):
            return 24 * 60
        if h > 23 or mi > 59:
            raise CellError(f"'{text}' is not a time; {TIME_EXPECTED}")
        return h * 60 + mi
    h, mi, sec, ampm = int(m.group(1)), int(m.group(2) or 0), m.group(3), m.group(4).lower()
    if sec is not None and int(sec) != 0:
        raise CellError(f"'{text}' has seconds; {TIME_EXPECTED}")
    if not 1 <= h <= 12 or mi > 59:
        raise CellError(f"'{text}' is not a time; expected a 12-hour time such as 8:30 AM, or HH:MM such as 08:30")
    h = h % 12 + (12 if ampm == "p" else 0)
    return h * 60 + mi


_SPAN_SPLIT = _re.compile(r"\s*(?:-|–|—|\bto\b)\s*", _re.IGNORECASE)


def parse_span(value: Any) -> tuple[int, int] | None:
    """``10:30-13:30`` (also ``10:30 AM - 1:30 PM``, ``10:30 to 13:30``) as (start, end) minutes."""
    if is_blank(value):
        return None
    text = shown(value)
    parts = _SPAN_SPLIT.split(text)
    expected = "expected start-end such as 10:30-13:30"
    if len(parts) != 2:
        raise CellError(f"'{text}' is not a time span; {expected}")
    try:
        start, end = parse_time(parts[0]), parse_time(parts[1])
    except CellError:
        raise CellError(f"'{text}' is not a time span; {expected}") from None
    if start is None or end is None:
        raise CellError(f"'{text}' is not a time span; {expected}")
    return start, end


_DAY_NAMES: dict[str, str] = {d.lower(): d for d in _DAYS} | {
    "monday": "Mon",
    "tuesday": "Tue",
    "wednesday": "Wed",
    "thursday": "Thu",
    "friday": "Fri",
    "saturday": "Sat",
    "sunday": "Sun",
    "tues": "Tue",
    "weds": "Wed",
    "thur": "Thu",
    "thurs": "Thu",
    "mo": "Mon",
    "tu": "Tue",
    "we": "Wed",
    "th": "Thu",
    "fr": "Fri",
    "sa": "Sat",
    "su": "Sun",
    "m": "Mon",
    "w": "Wed",
    "r": "Thu",
    "f": "Fri",  # as in M-F, M/W/F, TR; T and S are ambiguous
}
_AMBIGUOUS_DAYS = {"t": "Tue or Thu", "s": "Sat or Sun"}
_EVERY_DAY = {"all", "every day", "everyday", "daily", "all days"}


def _day(token: str, whole: str) -> str:
    key = token.strip().rstrip(".").lower()
    if key in _AMBIGUOUS_DAYS:
        raise CellError(f"'{whole}' is ambiguous ('{token.strip()}' may be {_AMBIGUOUS_DAYS[key]}); {DAYS_EXPECTED}")
    day = _DAY_NAMES.get(key)
    if day is None:
        raise CellError(
            f"'{whole}' is not a list of days ('{token.strip()}' is not a day); {DAYS_EXPECTED}"
            if token.strip() != whole
            else f"'{whole}' is not a day; {DAYS_EXPECTED}"
        )
    return day


def parse_days(value: Any) -> tuple[str, ...] | None:
    """Days in week order, each once: ``Mon``, ``monday``, ``Mon, Wed``, ``Mon-Thu``, ``Mon-Wed, Fri``.

    Blank (or ``all``/``daily``) gives None: every school day."""
    if is_blank(value):
        return None
    if not isinstance(value, str):
        raise CellError(f"'{shown(value)}' is not a day; {DAYS_EXPECTED}")
    text = value.strip()
    if text.lower() in _EVERY_DAY:
        return None
    norm = _re.sub(r"\s*[-–—]\s*", "-", text)
    norm = _re.sub(r"\s+(?:to|through|thru)\s+", "-", norm, flags=_re.IGNORECASE)
    found: set[str] = set()
    for token in _re.split(r"[,;/&\s]+|\band\b", norm):
        if not token.strip():
            continue
        if "-" in token:
            ends = token.split("-")
            if len(ends) != 2:
                raise CellError(f"'{text}' is not a list of days; {DAYS_EXPECTED}")
            a, b = _DAYS.index(_day(ends[0], text)), _DAYS.index(_day(ends[1], text))
            if b < a:
                raise CellError(f"'{text}' runs backwards; {DAYS_EXPECTED}")
            found.update(_DAYS[a : b + 1])
        else:
            found.add(_day(token, text))
    if not found:
        raise CellError(f"'{text}' is not a day; {DAYS_EXPECTED}")
    return tuple(d for d in _DAYS if d in found)


def parse_text(value: Any) -> str:
    """Text as shown; numbers typed into a text column (ids such as 101) become '101'."""
    return "" if is_blank(value) else shown(value)


def parse_list(value: Any) -> tuple[str, ...]:
    """Comma (or semicolon) separated items, stripped, blanks dropped, duplicates kept once."""
    if is_blank(value):
        return ()
    out: list[str] = []
    for item in _re.split(r"[,;]", shown(value)):
        item = item.strip()
        if item and item not in out:
            out.append(item)
    return tuple(out)


def parse_tags(value: Any) -> frozenset[str]:
    """A list of tags, lower-case (tags are compared case-insensitively)."""
    return frozenset(t.lower() for t in parse_list(value))


_YES = {"yes", "y", "true", "1", "x", "t"}
_NO = {"no", "n", "false", "0", "f"}


def parse_bool(value: Any) -> bool | None:
    """yes/no, y/n, true/false, 1/0, x (ticked); blank gives None (the default)."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    text = shown(value).lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise CellError(f"'{shown(value)}' is not yes or no; expected yes or no")


_SUPPORT_WORDS = {
    "1:1": _Support.ONE_TO_ONE,
    "1-1": _Support.ONE_TO_ONE,
    "1 to 1": _Support.ONE_TO_ONE,
    "1to1": _Support.ONE_TO_ONE,
    "one-to-one": _Support.ONE_TO_ONE,
    "one to one": _Support.ONE_TO_ONE,
    "1 on 1": _Support.ONE_TO_ONE,
    "one-on-one": _Support.ONE_TO_ONE,
    "one on one": _Support.ONE_TO_ONE,
    "1:01": _Support.ONE_TO_ONE,
    "01:01": _Support.ONE_TO_ONE,
    "01:01:00": _Support.ONE_TO_ONE,
    "shared": _Support.SHARED,
    "group": _Support.SHARED,
    "flex": _Support.FLEX,
    "flexible": _Support.FLEX,
    "none": _Support.NONE,
    "no": _Support.NONE,
}


def parse_support(value: Any) -> _Support | None:
    """``1:1`` (also Excel's time 01:01, ``1-1``, ``one-to-one``), ``shared``, ``flex``, ``none``."""
    if is_blank(value):
        return None
    if isinstance(value, _dt.datetime):
        value = value.time()
    if isinstance(value, _dt.time) and (value.hour, value.minute) == (1, 1):
        return _Support.ONE_TO_ONE
    if isinstance(value, _dt.timedelta) and round(value.total_seconds()) == 3660:
        return _Support.ONE_TO_ONE
    found = _SUPPORT_WORDS.get(_re.sub(r"\s+", " ", shown(value).lower()))
    if found is None:
        raise CellError(f"'{shown(value)}' is not a support level; expected 1:1, shared, flex or none")
    return found


def parse_int(value: Any, what: str = "a whole number", example: str = "3") -> int | None:
    """``3`` or ``3.0`` (Excel stores numbers as floats); ``three`` or ``2.5`` are refused."""
    if is_blank(value):
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = value.strip().replace(",", "") if _re.fullmatch(r"\d{1,3}(,\d{3})+", value.strip()) else value.strip()
        if _re.fullmatch(r"[+-]?\d+(\.0*)?", text):
            return int(float(text))
    raise CellError(f"'{shown(value)}' is not {what}; expected a number such as {example}")


def parse_number(value: Any, example: str = "60") -> float | None:
    """A number (seconds and the like): ``60``, ``7.5``."""
    if is_blank(value):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str) and _re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", value.strip()):
        return float(value.strip())
    raise CellError(f"'{shown(value)}' is not a number; expected a number such as {example}")


_PRIORITY_WORDS = {"critical": 1, "required": 2, "desirable": 3}


def parse_priority(value: Any) -> int | None:
    """1, 2 or 3 (also the words critical, required, desirable). Range is checked by the model."""
    if is_blank(value):
        return None
    if isinstance(value, str) and value.strip().lower() in _PRIORITY_WORDS:
        return _PRIORITY_WORDS[value.strip().lower()]
    try:
        return parse_int(value)
    except CellError:
        raise CellError(
            f"'{shown(value)}' is not a priority; expected 1 (critical), 2 (required) or 3 (desirable)"
        ) from None


def parse_date(value: Any) -> _dt.date | None:
    """A date cell, or ISO text such as 2026-09-07."""
    if is_blank(value):
        return None
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            return _dt.date.fromisoformat(
                text[:10] if _re.fullmatch(r"\d{4}-\d\d-\d\d([ T]00:00(:00)?)?", text) else text
            )
        except ValueError:
            pass
    raise CellError(f"'{shown(value)}' is not a date; expected a date such as 2026-09-07")


def parse_choice(value: Any, choices: type[_StrEnum], what: str) -> Any:
    """One of an enum's values, case-insensitively; blank gives None."""
    if is_blank(value):
        return None
    text = shown(value).lower()
    for c in choices:
        if c.value == text:
            return c
    names = [c.value for c in choices]
    listed = ", ".join(names[:-1]) + " or " + names[-1]
    raise CellError(f"'{shown(value)}' is not {what}; expected {listed}")


__all__ += [
    "DAYS_EXPECTED",
    "TIME_EXPECTED",
    "CellError",
    "is_blank",
    "parse_bool",
    "parse_choice",
    "parse_date",
    "parse_days",
    "parse_int",
    "parse_list",
    "parse_number",
    "parse_priority",
    "parse_span",
    "parse_support",
    "parse_tags",
    "parse_text",
    "parse_time",
    "shown",
]
