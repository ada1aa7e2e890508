"""Problems found in input: located, worded for the person who fills in the sheets."""

from __future__ import annotations

from dataclasses import dataclass, field


def column_letter(index: int) -> str:
    """Excel column letter for a 0-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass(frozen=True)
class Source:
    """Where a record came from: sheet, Excel row number and the sheet's column letters."""

    sheet: str
    row: int
    columns: tuple[tuple[str, str], ...] = ()  # (column name, letter)
    file: str = ""

    def cell(self, column: str | None = None) -> str:
        """``Paras!D7 (start)``, or ``Paras row 7`` when the column is unknown."""
        if column is not None:
            for name, letter in self.columns:
                if name == column:
                    return f"{self.sheet}!{letter}{self.row} ({column})"
            return f"{self.sheet} row {self.row} ({column})"
        return f"{self.sheet} row {self.row}"


@dataclass(frozen=True)
class Issue:
    """One problem in the input; ``where`` names file/sheet/cell, ``text`` says what and what to do."""

    text: str
    where: str = ""
    severity: str = "error"  # "error" or "warning"

    def __str__(self) -> str:
        return f"{self.where}: {self.text}" if self.where else self.text


class DataError(ValueError):
    """A record is invalid; ``column`` names the offending field when there is one."""

    def __init__(self, text: str, column: str | None = None) -> None:
        super().__init__(text)
        self.text = text
        self.column = column


@dataclass
class InputError(Exception):
    """The input cannot be used; carries every problem found in one pass."""

    issues: list[Issue] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.__str__())

    def __str__(self) -> str:
        return "\n".join(str(i) for i in self.issues)
