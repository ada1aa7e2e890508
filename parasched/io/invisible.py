"""Ids that look right but are not: invisible or look-alike characters, found and named.

An id pasted from a web page, an email or a Word table may carry a zero-width space, a
non-breaking space or full-width digits (``Ｐ０１``). Excel shows it exactly like ``P01``, yet it
matches nothing, and the administrator sees "unknown id" with no way to tell why. These
helpers say which character it is and where, so the cell can be retyped.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

# columns holding ids or references to ids, in the input and in the schedule workbook
ID_COLUMNS = frozenset(
    {
        "para_id",
        "student_id",
        "duty_id",
        "session_id",
        "person_id",
        "student_ids",
        "preferred_paras",
        "avoid_paras",
        "provider",
        "students",
        "ref",
    }
)

_NAMES = {
    "\u00a0": "a non-breaking space",
    "\u200b": "a zero-width space",
    "\u200c": "a zero-width non-joiner",
    "\u200d": "a zero-width joiner",
    "\u2060": "a word joiner",
    "\ufeff": "a byte-order mark (zero-width no-break space)",
    "\u00ad": "a soft hyphen",
    "\u200e": "a left-to-right mark",
    "\u200f": "a right-to-left mark",
    "\u3000": "an ideographic (full-width) space",
}


def _what(ch: str) -> tuple[str, str] | None:
    """(``invisible`` or ``look-alike``, how to name ``ch``) if it does not belong in an id typed on
    a keyboard, else None."""
    if ch in _NAMES:
        return "invisible", _NAMES[ch]
    category = unicodedata.category(ch)
    code = f"U+{ord(ch):04X}"
    if category in ("Cf", "Cc", "Co", "Cn") and ch not in "\t\n\r":
        return "invisible", f"an invisible control character ({code})"
    if category == "Zs" and ch != " ":
        return "invisible", f"a special space ({unicodedata.name(ch, code).lower()})"
    if unicodedata.normalize("NFKC", ch) != ch and "FULLWIDTH" in unicodedata.name(ch, ""):
        return "look-alike", f"'{ch}'"
    return None


def id_problem(text: str) -> str | None:
    """Why ``text`` (one id) will not match the id it looks like, or None."""
    invisible: list[str] = []
    wide: list[str] = []
    for ch in text:
        found = _what(ch)
        if found is not None:
            group = invisible if found[0] == "invisible" else wide
            if found[1] not in group:
                group.append(found[1])
    if not invisible and not wide:
        return None
    plain = "".join(c if _what(c) is None else unicodedata.normalize("NFKC", c) for c in text)
    plain = "".join(c for c in plain if _what(c) is None or c in "\u00a0\u3000").replace("\u00a0", " ")
    parts = []
    if invisible:
        parts.append(f"{', '.join(invisible)}, which Excel does not show (? marks where)")
    if wide:
        parts.append(
            f"the full-width character(s) {', '.join(wide)}, which look like ordinary ones but are not "
            "(typed with an Asian keyboard layout)"
        )
    shown = "".join("?" if (_what(c) or ("", ""))[0] == "invisible" else c for c in text)
    return (
        f"'{shown}' contains {' and '.join(parts)}, so it matches no id; retype the cell by hand "
        f"(it should probably read '{plain.replace(chr(0x3000), ' ').strip()}')"
    )


def cell_id_problem(column: str, value: Any) -> str | None:
    """:func:`id_problem` for a cell of an id column; None for other columns and non-text values."""
    if column not in ID_COLUMNS or not isinstance(value, str):
        return None
    # each id of a list alone, stripped as the reader strips it: a space Python strips is harmless
    for item in re.split(r"[,;]", value):
        problem = id_problem(item.strip())
        if problem is not None:
            return problem
    return None


__all__ = ["ID_COLUMNS", "cell_id_problem", "id_problem"]
