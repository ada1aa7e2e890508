"""Safe file handling: refuse unusable or hostile inputs early, write outputs atomically.

``check_input_file(path)`` looks at a file (or folder of csv files) before any spreadsheet
library touches it. It reads at most a few kilobytes per part plus the zip central directory,
so it answers in well under a second and with little memory, even for hostile files:

- a missing path; an empty file; a file larger than ``MAX_FILE_BYTES``;
- a folder without ``.csv`` files (a folder OF csv files is valid input);
- legacy ``.xls`` (OLE2), ``.xlsb``, ``.ods``, ``.numbers`` (file or package folder): "save as .xlsx";
- a password-protected workbook (an OLE2 container with an ``EncryptedPackage`` stream);
- a macro workbook (``.xlsm``/``.xltm``/``.xlam``, or any workbook holding ``vbaProject.bin``):
  REFUSED, "save as .xlsx without macros" (we never open a file that carries code);
- a file that is no spreadsheet (content sniffed from magic bytes, not only the extension);
- a zip bomb (total declared size, per-member ratio, member count, encrypted members);
- an XML part with a ``<!DOCTYPE`` or ``<!ENTITY`` (entity bombs, external entities);
- a worksheet with more than ``MAX_SHEET_ROWS`` rows (counted by streaming its XML, which the
  size checks above bound), since reading it cell by cell would take minutes; a school's
  sheets hold a few thousand rows at most.

Python's ``zipfile`` never inflates a member beyond the size declared in the central directory,
so checking declared sizes is a real bound for every reader built on it (openpyxl, pandas).

``atomic_output(path, inputs=...)`` yields a temporary path in the target folder and moves it
into place only when the block succeeds, so an output file is never left half written.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import struct
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from parasched.scheduler.errors import InputError, Issue

MAX_FILE_BYTES = 50 * 1024 * 1024  # one input file (or one csv of a folder)
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024  # sum of declared sizes of a workbook's parts
MAX_RATIO = 100  # compression ratio allowed for a part larger than RATIO_FLOOR_BYTES
RATIO_FLOOR_BYTES = 4 * 1024 * 1024
MAX_MEMBERS = 10_000
XML_HEAD_BYTES = 64 * 1024  # how much of each xml part is inspected for a DTD
MAX_SHEET_ROWS = 10_000  # rows (row elements, blank or not) in one worksheet
MAX_SHEET_CELLS = 2_000_000  # rows x columns of a sheet's used range: readers pad every row to its width

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
MACRO_SUFFIXES = {".xlsm", ".xltm", ".xlam"}
WORKBOOK_SUFFIXES = {".xlsx", ".xltx"}

SAVE_AS_XLSX = "open it in Excel (or LibreOffice) and use File > Save As > Excel Workbook (.xlsx)"

_MAGIC_NAMES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"{\\rtf", "an RTF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"MZ", "a Windows program"),
    (b"\x7fELF", "a program"),
)

_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_ELEMENT_START = re.compile(rb"<[A-Za-z_]")


def _refuse(path: Path, text: str) -> InputError:
    return InputError([Issue(text, where=path.name or str(path))])


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB"


def check_input_file(path: str | os.PathLike[str]) -> None:
    """Raise ``InputError`` (one located Issue) unless ``path`` is a usable, harmless input.

    Usable inputs: an ``.xlsx`` workbook, or a folder holding the sheets as ``.csv`` files.
    """
    p = Path(path)
    if not p.exists():
        where = p.parent if str(p.parent) not in ("", ".") else Path.cwd()
        raise _refuse(p, f"file not found (looked in {where}); check the name and the folder")
    if p.is_dir():
        _check_folder(p)
        return
    if not p.is_file():
        raise _refuse(p, "is not a regular file; give an .xlsx workbook or a folder of .csv files")
    _check_file(p)


def _check_folder(p: Path) -> None:
    suffix = p.suffix.lower()
    if suffix == ".numbers" or (p / "Index.zip").exists() or ((p / "Index").is_dir() and (p / "Metadata").is_dir()):
        raise _refuse(
            p, "is an Apple Numbers document; in Numbers use File > Export To > Excel (.xlsx) and give that file"
        )
    try:
        csvs = sorted(c for c in p.iterdir() if c.suffix.lower() == ".csv" and c.is_file())
    except PermissionError as exc:
        raise _refuse(p, "folder cannot be read (permission denied); check its sharing settings") from exc
    if not csvs:
        raise _refuse(
            p,
            "folder holds no .csv files; give an .xlsx workbook, or a folder with one .csv file "
            "per sheet (Paras.csv, Students.csv, ...)",
        )
    for c in csvs:
        size = c.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _refuse(
                c,
                f"is {_mb(size)}, more than the {_mb(MAX_FILE_BYTES)} a school sheet needs; "
                f"check it is the right file, or remove unused rows",
            )
        with c.open("rb") as fh:
            head = fh.read(4096)
            if head.startswith((b"\xff\xfe", b"\xfe\xff")):
                raise _refuse(
                    c,
                    "is saved as UTF-16 ('Unicode Text'); in Excel use File > Save As > "
                    "CSV UTF-8 (Comma delimited) and run again",
                )
            kind = _sniff_binary(head)
            if kind is not None:
                raise _refuse(c, f"is named .csv but holds {kind}; save the sheet as CSV (comma separated) instead")
            lines = head.count(b"\n")
            while chunk := fh.read(1024 * 1024):
                lines += chunk.count(b"\n")
        if lines > MAX_SHEET_ROWS:
            raise _refuse(
                c,
                f"has {lines:,} lines, more than the {MAX_SHEET_ROWS:,} rows parasched reads; a "
                f"school's sheets hold a few thousand at most. Delete the blank lines at the end, "
                f"or split the school into several inputs",
            )


def _sniff_binary(head: bytes) -> str | None:
    """What a non-text file looks like, or None for something that may be text."""
    if head.startswith(OLE2_MAGIC):
        return "an old-style Office file"
    if head.startswith(ZIP_MAGICS):
        return "a zip archive (perhaps an Excel workbook)"
    for magic, name in _MAGIC_NAMES:
        if head.startswith(magic):
            return name
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary data"
    return None


def _check_file(p: Path) -> None:
    suffix = p.suffix.lower()
    size = p.stat().st_size
    if size == 0:
        raise _refuse(p, "file is empty (0 bytes); give the workbook with the Paras and Students sheets")
    if size > MAX_FILE_BYTES:
        raise _refuse(
            p,
            f"is {_mb(size)}, more than the {_mb(MAX_FILE_BYTES)} a school workbook needs; "
            f"check it is the right file, or remove unused sheets and rows",
        )
    with p.open("rb") as fh:
        head = fh.read(4096)

    if head.startswith(OLE2_MAGIC):
        if _ole2_encrypted(p):
            raise _refuse(
                p,
                "workbook is password-protected (encrypted), so it cannot be read; open it in "
                "Excel, remove the password (File > Info > Protect Workbook > Encrypt with "
                "Password, clear it), save as .xlsx and run again",
            )
        raise _refuse(p, f"is an old Excel 97-2003 file (.xls) or another legacy Office file; {SAVE_AS_XLSX}")

    if head.startswith(ZIP_MAGICS):
        _check_zip(p, suffix)
        return

    if suffix == ".csv":
        raise _refuse(
            p,
            "is a single .csv file; put one .csv file per sheet (Paras.csv, Students.csv, ...) "
            "in a folder and give the folder, or give an .xlsx workbook",
        )
    kind = _sniff_binary(head)
    what = kind if kind is not None else "text, not a workbook"
    if suffix in WORKBOOK_SUFFIXES | MACRO_SUFFIXES or suffix in {".xls", ".ods", ".numbers"}:
        raise _refuse(
            p,
            f"is named {suffix} but holds {what}; it is no spreadsheet (perhaps renamed or "
            f"damaged); open the real workbook in Excel and save it as .xlsx",
        )
    raise _refuse(p, f"is no spreadsheet (it holds {what}); give an .xlsx workbook or a folder of .csv files")


def _ole2_encrypted(p: Path) -> bool:
    """Whether an OLE2 compound file holds an ``EncryptedPackage`` stream (encrypted OOXML)."""
    needles = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))
    overlap = max(len(n) for n in needles)
    tail = b""
    with p.open("rb") as fh:
        while chunk := fh.read(1024 * 1024):
            window = tail + chunk
            if any(n in window for n in needles):
                return True
            tail = window[-overlap:]
    return False


def _zip_directory_size(p: Path) -> tuple[int, int] | None:
    """(entries, central directory bytes) from the end-of-central-directory record, or None."""
    size = p.stat().st_size
    with p.open("rb") as fh:
        fh.seek(max(0, size - 65_557))
        tail = fh.read()
    pos = tail.rfind(b"PK\x05\x06")
    if pos < 0 or pos + 22 > len(tail):
        return None
    _, _, _, entries, cd_size, _, _ = struct.unpack("<HHHHIIH", tail[pos + 4 : pos + 22])
    return entries, cd_size


def _check_zip(p: Path, suffix: str) -> None:
    directory = _zip_directory_size(p)  # before zipfile builds one object per entry
    if directory is not None and (directory[0] > MAX_MEMBERS or directory[1] > MAX_MEMBERS * 1024):
        raise _refuse(
            p,
            f"looks like a zip bomb ({directory[0]} parts inside), not a school workbook; it was "
            f"not opened. Check you have the right file; if it is, open it in Excel and save it "
            f"again as .xlsx",
        )
    try:
        with zipfile.ZipFile(p) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            lower = {n.lower() for n in names}
            if any(n.startswith("index/") or n == "index.zip" for n in lower) or suffix == ".numbers":
                raise _refuse(
                    p,
                    "is an Apple Numbers document; in Numbers use File > Export To > Excel (.xlsx) and give that file",
                )
            if "mimetype" in names or suffix in {".ods", ".ots"}:
                kind = zf.read("mimetype")[:200].decode("ascii", "replace") if "mimetype" in names else ""
                if "spreadsheet" in kind or suffix in {".ods", ".ots"}:
                    raise _refuse(p, f"is an OpenDocument spreadsheet (.ods); {SAVE_AS_XLSX}")
                raise _refuse(p, "is an OpenDocument file, not an Excel workbook; give an .xlsx workbook")
            if "xl/workbook.bin" in lower or suffix == ".xlsb":
                raise _refuse(p, f"is an Excel Binary Workbook (.xlsb); {SAVE_AS_XLSX}")
            is_workbook = "[content_types].xml" in lower and any(n.startswith("xl/workbook") for n in lower)
            if not is_workbook:
                raise _refuse(
                    p,
                    "is a zip archive, not an Excel workbook; unzip it and give the .xlsx "
                    "workbook (or the folder of .csv files) inside",
                )
            if suffix in MACRO_SUFFIXES or any(n.endswith("vbaproject.bin") for n in lower):
                raise _refuse(
                    p,
                    "workbook contains macros (.xlsm), which parasched does not open; "
                    "in Excel use File > Save As > Excel Workbook (.xlsx) to save it "
                    "without macros, and run again",
                )
            if suffix not in WORKBOOK_SUFFIXES:
                raise _refuse(
                    p,
                    f"is an Excel workbook named {suffix or 'without an extension'}; "
                    f"rename it to end in .xlsx and run again",
                )
            _check_zip_sizes(p, infos)
            for info in infos:
                if info.filename.lower().endswith((".xml", ".rels", ".vml")):
                    _check_xml_part(p, zf, info)
            for info in infos:
                if info.filename.lower().startswith("xl/worksheets/") and info.filename.lower().endswith(".xml"):
                    _check_sheet_extent(p, zf, info)
    except zipfile.BadZipFile as exc:
        raise _refuse(
            p,
            "workbook is damaged (its zip structure cannot be read); open it in Excel, "
            "let Excel repair it, save it as .xlsx and run again",
        ) from exc
    except (NotImplementedError, RuntimeError, OSError, EOFError) as exc:
        # unsupported compression, encrypted member, truncated data
        raise _refuse(
            p,
            "workbook is damaged or uses an unsupported packing; open it in Excel, "
            "save it again as .xlsx and run again",
        ) from exc


def _check_zip_sizes(p: Path, infos: list[zipfile.ZipInfo]) -> None:
    bomb = (
        "looks like a zip bomb ({why}), not a school workbook; it was not opened. "
        "Check you have the right file; if it is, open it in Excel and save it again as .xlsx"
    )
    if len(infos) > MAX_MEMBERS:
        raise _refuse(p, bomb.format(why=f"{len(infos)} parts inside"))
    total = sum(i.file_size for i in infos)
    if total > MAX_UNZIPPED_BYTES:
        raise _refuse(p, bomb.format(why=f"it unpacks to {_mb(total)}"))
    for info in infos:
        if info.flag_bits & 0x1:
            raise _refuse(
                p,
                "workbook has encrypted parts, so it cannot be read; remove the password in "
                "Excel, save it as .xlsx and run again",
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR_BYTES and ratio > MAX_RATIO:
            raise _refuse(p, bomb.format(why=f"part {info.filename} is compressed {ratio:.0f}:1"))


def _check_xml_part(p: Path, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Refuse an xml part whose prolog declares a DTD or entities (bounded read of its start)."""
    with zf.open(info) as fh:
        head = fh.read(XML_HEAD_BYTES)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", "replace").encode("utf-8", "replace")
    elif len(head) > 1 and (head[0] == 0 or head[1] == 0):  # utf-16 without BOM
        head = head.decode("utf-16-be" if head[0] == 0 else "utf-16-le", "replace").encode("utf-8", "replace")
    element = _ELEMENT_START.search(head)
    prolog = head if element is None else head[: element.start()]
    if _DTD.search(prolog) or _DTD.search(head):
        raise _refuse(
            p,
            f"part {info.filename} declares a DTD or XML entities, which Excel never writes "
            f"(possibly an 'entity bomb'); it was not opened. Open the workbook in Excel, save it "
            f"again as .xlsx and run again",
        )
    if element is None and info.file_size > XML_HEAD_BYTES:
        raise _refuse(
            p,
            f"part {info.filename} has no content in its first {XML_HEAD_BYTES // 1024} KB, "
            f"which Excel never writes; open the workbook in Excel, save it again as .xlsx "
            f"and run again",
        )


_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c|mergeCell)(?=[\s>/])([^<>]*?)\s*>")
_REF_ATTR = re.compile(rb"""(?:^|\s)r(?:ef)?\s*=\s*["']\$?([A-Za-z]*)\$?(\d*)(?::\$?([A-Za-z]*)\$?(\d*))?["']""")
_TAIL_CAP = 64 * 1024  # a tag split between two chunks is carried over; no real tag is longer


@dataclass(frozen=True)
class SheetExtent:
    """What a worksheet's XML holds, found by streaming it (memory stays small).

    ``rows`` counts ``<row>`` elements, blank or not. ``last_row``/``last_col`` bound the cells
    holding something (a value, an inline string or a formula); a cell that is only formatted
    (Excel writes it as ``<c r="XFD1048576" s="1"/>``) is not part of that used range, however
    far away it sits. ``merged`` lists merged ranges as (top, left, bottom, right), 1-based.
    """

    rows: int = 0
    last_row: int = 0
    last_col: int = 0
    first_row: int = 0  # first row holding something (0: none)
    merged: tuple[tuple[int, int, int, int], ...] = ()


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


def column_name(n: int) -> str:
    """Excel column letters of a 1-based column number (``16384`` -> ``XFD``)."""
    out = ""
    while n > 0:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def _sheet_extent(fh: IO[bytes], max_rows: int | None = None) -> SheetExtent:
    """Stream a worksheet part and find its used range (see :class:`SheetExtent`).

    With ``max_rows``, stop as soon as there are more row elements than that (the sheet is
    refused anyway, and a 50,000-row sheet is then refused in a fraction of the time).
    """
    rows = last_row = last_col = first_row = 0
    row = col = 0
    merged: list[tuple[int, int, int, int]] = []
    tail = b""
    while chunk := fh.read(1024 * 1024):
        window = tail + chunk
        consumed = 0
        for m in _TAG.finditer(window):
            consumed = m.end()
            tag, attrs = m.group(1), m.group(2)
            if tag == b"c":
                # <c r="XFD1048576" s="1"/> or <c ...></c> (as lxml writes it): formatted only, not
                # part of the used range
                if attrs.endswith(b"/") or _EMPTY_CELL_END.match(window, m.end()):
                    col += 1
                    continue
                ref = _REF_ATTR.search(attrs)
                col = _col_number(ref.group(1)) if ref and ref.group(1) else col + 1
                if ref and ref.group(2):
                    row = int(ref.group(2))
                last_row, last_col = max(last_row, row), max(last_col, col)
                first_row = row if first_row == 0 else min(first_row, row)
                continue
            ref = _REF_ATTR.search(attrs)
            if tag == b"row":
                rows += 1
                if max_rows is not None and rows > max_rows:
                    return SheetExtent(rows, last_row, last_col, first_row, tuple(merged))
                row = int(ref.group(2)) if ref and ref.group(2) else row + 1
                col = 0
            elif ref and ref.group(1) and ref.group(2):  # <mergeCell ref="A5:A7"/>
                top, left = int(ref.group(2)), _col_number(ref.group(1))
                bottom = int(ref.group(4)) if ref.group(4) else top
                right = _col_number(ref.group(3)) if ref.group(3) else left
                merged.append((top, left, bottom, right))
        last_open = window.rfind(b"<")
        tail = window[last_open:] if last_open >= consumed else b""
        tail = tail[-_TAIL_CAP:]
    return SheetExtent(rows, last_row, last_col, first_row, tuple(merged))


_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s>/]")
_EMPTY_CELL_END = re.compile(rb"\s*</(?:[A-Za-z_][\w.-]*:)?c>")


def _count_rows(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> int:
    """Row elements in a worksheet part, streamed in chunks (memory stays small)."""
    count = 0
    tail = b""
    with zf.open(info) as fh:
        while chunk := fh.read(1024 * 1024):
            window = tail + chunk
            count += sum(1 for m in _ROW_TAG.finditer(window) if m.end() > len(tail))
            tail = window[-32:]
    return count


def _check_sheet_extent(p: Path, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Refuse a worksheet that cannot be read within the row and memory budget.

    A reader pads every row to the widest used column, so the cost is rows x columns of the
    used range; a value far below or right of the data (a stray keystroke in row 1,048,576)
    is refused with where it is, before any spreadsheet library builds those cells.
    """
    with zf.open(info) as fh:
        extent = _sheet_extent(fh, max_rows=MAX_SHEET_ROWS)
    if extent.rows <= MAX_SHEET_ROWS:  # complete: the reader asks again for its read bounds
        _remember(zf, info.filename, extent)

    def sheet() -> str:
        return _sheet_names(zf).get(info.filename, info.filename)

    if extent.rows > MAX_SHEET_ROWS:
        rows = _count_rows(zf, info)  # all of them, for the message (the scan above stopped early)
        raise _refuse(
            p,
            f"sheet {sheet()} has {rows:,} rows, more than the {MAX_SHEET_ROWS:,} "
            f"parasched reads; a school's sheets hold a few thousand at most. If "
            f"most are blank, select the rows below your data, delete them and "
            f"save; otherwise split the school into several workbooks",
        )
    far = f"{column_name(extent.last_col)}{extent.last_row}"
    if extent.last_row > MAX_SHEET_ROWS:
        raise _refuse(
            p,
            f"sheet {sheet()} has something in row {extent.last_row:,} (the used range ends at "
            f"{far}), beyond the {MAX_SHEET_ROWS:,} rows parasched reads; go to that cell "
            f"(Ctrl+End in Excel shows it), delete the rows below your data and save",
        )
    if extent.last_row * extent.last_col > MAX_SHEET_CELLS:
        raise _refuse(
            p,
            f"sheet {sheet()} uses cells up to {far} ({extent.last_row:,} rows x "
            f"{extent.last_col:,} columns), more than the {MAX_SHEET_CELLS:,} cells parasched "
            f"reads; go to that cell (Ctrl+End in Excel shows it), delete the rows and columns "
            f"beyond your data and save",
        )


# extents found while checking a file, so the reader does not stream each sheet a second time;
# keyed by the file's identity (path, size, modification time) and the part
_EXTENTS: dict[tuple[str, int, int, str], SheetExtent] = {}


def _file_key(zf: zipfile.ZipFile, part: str) -> tuple[str, int, int, str] | None:
    name = zf.filename
    if not name:
        return None
    try:
        st = os.stat(name)
    except OSError:
        return None
    return os.path.abspath(name), st.st_size, st.st_mtime_ns, part


def _remember(zf: zipfile.ZipFile, part: str, extent: SheetExtent) -> None:
    key = _file_key(zf, part)
    if key is not None:
        if len(_EXTENTS) > 256:  # a long-running process (the web page) reads many files
            _EXTENTS.clear()
        _EXTENTS[key] = extent


def _worksheet_extent(ws: Any) -> SheetExtent | None:
    """The extent of an openpyxl read-only worksheet, from its XML part (None if unreachable)."""
    try:
        archive, part = ws.parent._archive, ws._worksheet_path
        key = _file_key(archive, part)
        if key is not None and key in _EXTENTS:
            return _EXTENTS[key]
        with archive.open(part) as fh:
            return _sheet_extent(fh)
    except (AttributeError, KeyError, OSError, zipfile.BadZipFile):
        return None


def read_bounds(ws: Any) -> dict[str, int]:
    """``iter_rows`` bounds that read only the used range of a read-only worksheet.

    openpyxl pads rows up to the sheet's declared dimension, so one formatted cell at
    ``XFD1048576`` would make it build 17 billion empty cells; with these bounds it stops at
    the last cell holding something. Unknown extent: the largest sheet parasched accepts.
    """
    extent = _worksheet_extent(ws)
    if extent is None:
        return {"max_row": MAX_SHEET_ROWS, "max_col": MAX_SHEET_CELLS // MAX_SHEET_ROWS}
    return {"max_row": max(extent.last_row, 1), "max_col": max(extent.last_col, 1)}


def merged_cells_issues(ws: Any, sheet: str) -> list[Issue]:
    """Merged ranges in a sheet's data area, one located Issue each.

    A merged range keeps its value in its top-left cell only, so the other rows it spans
    read as blank. Merges spanning several rows below the first row holding something (the
    title or the header) are refused; a title merged across one row, or a header merged over
    two rows at the top, is fine.
    """
    extent = _worksheet_extent(ws)
    if extent is None:
        return []
    out = []
    for top, left, bottom, right in extent.merged:
        if bottom > top and top > extent.first_row:
            where = f"{sheet}!{column_name(left)}{top}:{column_name(right)}{bottom}"
            out.append(
                Issue(
                    "merged cells: a merged range keeps its value in its first row only, so the "
                    f"other {bottom - top} row(s) read as blank; select the range, unmerge it "
                    "(Home > Merge & Center) and type the value in every row",
                    where,
                )
            )
    return out


def _sheet_names(zf: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part name -> sheet name, from the workbook and its relationships ({} if unreadable)."""
    import defusedxml.ElementTree as SafeET

    try:
        rels = SafeET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
        book = SafeET.fromstring(zf.read("xl/workbook.xml"))
    except Exception:  # any problem here only costs the nicer name
        return {}
    targets = {}
    for rel in rels:
        target = rel.get("Target", "")
        targets[rel.get("Id")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    names = {}
    for el in book.iter():
        if el.tag.endswith("}sheet") or el.tag == "sheet":
            rid = next((v for k, v in el.attrib.items() if k.endswith("}id")), None)
            if rid in targets:
                names[targets[rid]] = el.get("name", "")
    return names


# --- output -----------------------------------------------------------------------------------


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.resolve() == b.resolve():
            return True
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def check_output_path(
    path: str | os.PathLike[str],
    *,
    inputs: Iterable[str | os.PathLike[str]] = (),
    suffix: str | None = None,
    others: Iterable[str | os.PathLike[str]] = (),
) -> None:
    """Refuse with ``InputError`` an output path that cannot be written, before any work is done.

    A missing or unwritable folder, a target that is a folder, a device or pipe, is read-only or
    open in Excel, is one of ``inputs`` or lies in an input folder of .csv files, or is one of
    ``others`` (the command's other outputs). ``suffix``: the only extension this output may
    have (the schedule is always an .xlsx workbook). Nothing is left behind (the write probe is
    removed).
    """
    target = Path(path)
    try:
        for other in others:
            if _same_file(target, Path(other)):
                raise _refuse(
                    target, f"is given for two outputs of this command ({Path(other).name}); choose different names"
                )
        with _signals_deferred():
            fd, tmp = _open_temp(target, inputs)
            os.close(fd)
            Path(tmp).unlink()
        # after the guards above, so an input or a device is named as such whatever its name
        if suffix is not None and target.suffix.lower() != suffix:
            hint = f"{target.stem or 'schedule'}{suffix}"
            what = "an Excel workbook" if suffix == ".xlsx" else f"a {suffix} file"
            raise _refuse(
                target,
                f"this output is always {what}; give a name ending in {suffix} (such as "
                f"{hint}), so the file is what its name says",
            )
    except InputError as exc:
        exc.file = f"the output {target.name}"  # type: ignore[attr-defined]  # "Cannot use ..." in the CLI
        raise


def _open_temp(target: Path, inputs: Iterable[str | os.PathLike[str]]) -> tuple[int, str]:
    folder = target.parent if str(target.parent) != "" else Path(".")
    name = target.name
    if not folder.exists():
        raise _refuse(target, f"folder {folder} does not exist; create it or choose another output path")
    if not folder.is_dir():
        raise _refuse(target, f"{folder} is not a folder; choose another output path")
    if target.is_dir():
        raise _refuse(target, "is a folder; give an output file name such as schedule.xlsx")
    system = ("/dev/", "/proc/")  # (/sys is read-only: refused below as a folder that cannot be written)
    if os.path.abspath(target).startswith(system) or os.path.realpath(target).startswith(system):
        # /dev/stdout is a link to /proc/self/fd/1, which may be a regular file (stdout redirected):
        # the atomic move would replace the link itself
        raise _refuse(
            target,
            "is a device or system path (/dev, /proc), not a file; outputs are written "
            "only to files: give a file name such as schedule.xlsx",
        )
    if target.exists() and not target.is_file():
        # a device (/dev/full, /dev/stdout), a pipe or a socket: the atomic move would replace
        # the node itself with a regular file (as root, /dev/null would stop being a device)
        raise _refuse(
            target,
            "is not a regular file (a device, pipe or socket); outputs are written only to "
            "a new file or over an existing file; give a file name such as schedule.xlsx",
        )
    for inp in inputs:
        ip = Path(inp)
        if _same_file(target, ip):
            raise _refuse(target, f"output would overwrite the input {ip.name}; choose another output name")
        if ip.is_dir() and _same_file(folder, ip) and target.suffix.lower() == ".csv":
            # the folder IS the input: its .csv files are the sheets read (Paras.csv, ...)
            raise _refuse(
                target,
                f"lies in the input folder {ip.name}, whose .csv files are the input sheets; "
                f"writing it there would replace or add an input sheet; choose an output "
                f"outside {ip.name}",
            )
    for lock in (f"~${name}", f".~lock.{name}#"):  # Excel's and LibreOffice's "file is open" markers
        if (folder / lock).exists():
            raise _refuse(
                target,
                f"is open in Excel or LibreOffice (lock file {lock} found); close it in Excel "
                f"and run again (or delete the leftover {lock} file if nothing has it open)",
            )
    if target.exists() and not os.access(target, os.W_OK):
        raise _refuse(
            target,
            "is read-only or locked; close it in Excel (or clear its read-only flag) and "
            "run again, or choose another output name",
        )
    try:
        return tempfile.mkstemp(dir=folder, prefix=f".{target.stem}-", suffix=target.suffix)
    except PermissionError as exc:
        raise _refuse(
            target, f"cannot write in folder {folder} (permission denied); choose another output folder"
        ) from exc
    except OSError as exc:
        raise _refuse(
            target, f"cannot write in folder {folder} ({exc.strerror}); choose another output folder"
        ) from exc


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
    """Hold Ctrl-C (SIGINT) and SIGTERM for a few statements, so that a temporary file is never
    created, or moved into place, without the code that removes it knowing its name.

    Python runs signal handlers in the main thread only, so the handlers are swapped for ones
    that take note; the signals noted are handed to the previous handlers on the way out. (A
    signal mask would not do: the kernel gives a process's signal to any thread not masking it.)
    """
    held = (signal.SIGINT, signal.SIGTERM)
    noted: list[int] = []
    try:
        before = {s: signal.signal(s, lambda signum, _frame: noted.append(signum)) for s in held}
    except ValueError:  # not the main thread: signals never interrupt this thread's Python code
        yield
        return
    try:
        yield
    finally:
        for s, handler in before.items():
            signal.signal(s, handler)
        for signum in noted:
            handler = before[signal.Signals(signum)]
            if callable(handler):
                handler(signum, None)  # KeyboardInterrupt, SystemExit(130), ...: raised here
            elif handler == signal.SIG_DFL:
                os.kill(os.getpid(), signum)


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike[str], *, inputs: Iterable[str | os.PathLike[str]] = ()) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; on success move it into place, else remove it.

    Before anything is written, refuse with ``InputError`` what ``check_output_path`` refuses.
    Whatever ends the block (an error, Ctrl-C, SIGTERM turned into an exception), the temporary
    file is removed: it is never left beside the output.
    """
    target = Path(path)
    tmp: Path | None = None
    try:
        with _signals_deferred():
            fd, tmp_name = _open_temp(target, inputs)
            tmp = Path(tmp_name)
            os.close(fd)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        yield tmp
        try:
            with _signals_deferred():
                os.replace(tmp, target)
                tmp = None
        except PermissionError as exc:
            raise _refuse(
                target,
                "cannot be replaced (permission denied; probably open in Excel); close it in "
                "Excel and run again, or choose another output name",
            ) from exc
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink()
