"""Regenerate the corpus of broken and hostile inputs in ``tests/data/bad/``.

    python tests/data/bad/make_corpus.py            # rewrite every corpus file
    python tests/data/bad/make_corpus.py --check    # fail if a committed file differs

Every file is built from one small valid school (``BASE``) by one mutation, so each case has
exactly one thing wrong. Workbooks are re-packed with fixed zip timestamps and document dates,
so the output is byte-for-byte deterministic. ``legacy.xls`` is made by LibreOffice
(``soffice --headless --convert-to xls``) and is kept when it exists, since LibreOffice stamps
its own metadata; ``--soffice`` forces a rebuild. The ``.ods`` file is made by LibreOffice too,
then re-packed deterministically.

Two inputs are too large to commit and are built by the tests into a temporary folder:
:func:`make_rows_50000` (a 50,000-row Students sheet) and :func:`make_many_parts` (a workbook
zip with 20,000 parts).
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import io
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent
ZIP_TIME = (2026, 1, 5, 8, 0, 0)
DOC_TIME = dt.datetime(2026, 1, 5, 8, 0, 0)

Sheets = dict[str, list[list[object]]]

# Student names are distinctive so tests can scan logs for them (FERPA: no names without --verbose).
STUDENT_NAMES = ("Zephyrine Quillfeather", "Bartholomew Xandercrest", "Ottoline Vexworth")

BASE: Sheets = {
    "Settings": [
        ["setting", "value"],
        ["school_name", "Corpus Test School"],
        ["days", "Mon-Wed"],
        ["time_limit_seconds", 5],
    ],
    "Paras": [
        ["para_id", "name", "role", "days", "start", "end", "skills", "gender", "general_duties"],
        ["P01", "Pat Rivera", "para", "", "07:45", "15:15", "behavior", "f", "yes"],
        ["P02", "Sam Chen", "para", "Mon-Wed", "08:00", "15:00", "medical, lift", "m", "yes"],
        ["P03", "Lee Novak", "substitute", "", "08:00", "15:00", "behavior, medical", "", "yes"],
    ],
    "Availability": [
        ["para_id", "day", "start", "end"],
        ["P02", "Wed", "08:00", "12:00"],
    ],
    "Students": [
        [
            "student_id",
            "name",
            "grade",
            "homeroom",
            "support",
            "group_max",
            "skills_required",
            "gender",
            "gender_match",
            "priority",
            "max_minutes_with_same_para",
            "preferred_paras",
            "avoid_paras",
            "weekly_flex_minutes",
        ],
        ["S01", STUDENT_NAMES[0], 3, "Room 12", "1:1", "", "behavior", "f", "", 1, "", "P01", "P03", ""],
        ["S02", STUDENT_NAMES[1], 4, "Room 14", "shared", 3, "", "m", "", 2, "", "", "", ""],
        ["S03", STUDENT_NAMES[2], 2, "Room 12", "flex", "", "", "", "", 3, "", "", "", 60],
    ],
    "StudentSchedule": [
        ["student_id", "days", "start", "end", "activity", "location", "support", "skills_required", "protected"],
        ["S01", "Mon-Wed", "08:00", "10:00", "reading", "Room 12", "1:1", "", "yes"],
        ["S01", "Mon-Wed", "10:00", "12:00", "math", "Room 12", "1:1", "", ""],
        ["S02", "Mon-Wed", "09:00", "11:00", "math", "Room 14", "shared", "", ""],
        ["S03", "Mon, Wed", "13:00", "14:00", "science", "Room 12", "flex", "", ""],
    ],
    "Duties": [
        ["duty_id", "name", "kind", "days", "start", "end", "location", "staff_needed", "skills_required", "priority"],
        ["D01", "Arrival", "arrival", "Mon-Wed", "07:45", "08:00", "Front door", 1, "", 2],
    ],
    "Therapy": [
        [
            "session_id",
            "student_ids",
            "kind",
            "provider",
            "para_role",
            "skills_required",
            "priority",
            "days",
            "start",
            "end",
            "sessions_per_week",
            "duration_minutes",
            "allowed_days",
            "window_start",
            "window_end",
        ],
        ["T01", "S01", "speech", "SLP Kim", "none", "", 2, "Tue", "13:00", "13:30", "", "", "", "", ""],
        ["T02", "S03", "OT", "OT Ray", "none", "", 2, "", "", "", 1, 30, "Mon-Wed", "12:00", "15:00"],
    ],
    "Providers": [
        ["provider", "days", "start", "end"],
        ["SLP Kim", "Mon-Wed", "08:00", "15:00"],
    ],
    "Absences": [
        ["person_id", "days", "start", "end", "reason"],
        ["P03", "Wed", "", "", "training"],
    ],
}

# Baseline schedule for `resolve --baseline` and `check FILE SCHED` (contract sheets only).
BASELINE: Sheets = {
    "Assignments": [
        ["para_id", "day", "start", "end", "kind", "ref", "students", "location"],
        ["P01", "Mon", "07:45", "08:00", "duty", "D01", "", "Front door"],
        ["P01", "Mon", "08:00", "12:00", "support", "", "S01", "Room 12"],
        ["P02", "Mon", "09:00", "11:00", "support", "", "S02", "Room 14"],
    ],
    "Sessions": [
        ["session_id", "day", "start", "end", "provider", "para_id"],
        ["T01", "Tue", "13:00", "13:30", "SLP Kim", ""],
    ],
    "Unmet": [
        ["kind", "ref", "day", "start", "end", "minutes", "priority", "reason"],
    ],
}


# --- writing ----------------------------------------------------------------------------------


def _repack(
    path: Path,
    *,
    replace: dict[str, bytes] | None = None,
    add: dict[str, bytes] | None = None,
    edit: Callable[[str, bytes], bytes] | None = None,
    drop: tuple[str, ...] = (),
) -> None:
    """Rewrite a zip with fixed timestamps and fixed document dates; optionally change parts."""
    replace = replace or {}
    add = add or {}
    with zipfile.ZipFile(path) as zf:
        parts = [(i.filename, zf.read(i.filename)) for i in zf.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in [*parts, *add.items()]:
            if name in drop:
                continue
            data = replace.get(name, data)
            if name.endswith("core.xml") or name == "meta.xml":
                data = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>2026-01-05T08:00:00Z", data)
                data = re.sub(rb"(<meta:creation-date>|<dc:date>)[^<]*", rb"\g<1>2026-01-05T08:00:00", data)
            if edit is not None:
                data = edit(name, data)
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    path.write_bytes(out.getvalue())


def write_xlsx(path: Path, sheets: Sheets, hook: Callable[[openpyxl.Workbook], None] | None = None) -> Path:
    wb = openpyxl.Workbook()
    for ws in list(wb.worksheets):
        wb.remove(ws)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    if not sheets:
        wb.create_sheet("Sheet1")
    if hook is not None:
        hook(wb)
    wb.properties.creator = "parasched corpus"
    wb.properties.created = DOC_TIME
    wb.properties.modified = DOC_TIME
    wb.save(path)
    _repack(path)
    return path


def write_csv_folder(
    folder: Path, sheets: Sheets, *, encoding: str = "utf-8", sep: str = ",", bom: bool = False
) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for name, rows in sheets.items():
        lines = [sep.join(_csv_cell(v, sep) for v in row) for row in rows]
        data = ("\r\n".join(lines) + "\r\n").encode(encoding)
        (folder / f"{name}.csv").write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return folder


def _csv_cell(value: object, sep: str) -> str:
    text = "" if value is None else str(value)
    return f'"{text}"' if (sep in text or '"' in text) else text


def base() -> Sheets:
    return copy.deepcopy(BASE)


def mutate(fn: Callable[[Sheets], object]) -> Sheets:
    sheets = base()
    fn(sheets)
    return sheets


def set_cell(sheets: Sheets, sheet: str, row: int, column: str, value: object) -> None:
    """Set a value by Excel row number (header = row 1) and column name."""
    rows = sheets[sheet]
    rows[row - 1][rows[0].index(column)] = value


def _sheet_xml_name(wb_path: Path, sheet: str) -> str:
    """The zip part holding a sheet of a workbook written by :func:`write_xlsx`."""
    wb = openpyxl.load_workbook(wb_path, read_only=True)
    index = wb.sheetnames.index(sheet) + 1
    wb.close()
    return f"xl/worksheets/sheet{index}.xml"


def set_raw_cell(path: Path, sheet: str, ref: str, cell_xml: str) -> None:
    """Replace cell ``ref`` of ``sheet`` with raw SpreadsheetML (e.g. a formula with a cached error)."""
    part = _sheet_xml_name(path, sheet)

    def edit(name: str, data: bytes) -> bytes:
        if name != part:
            return data
        new, n = re.subn(rf'<c r="{ref}"[^>]*?(/>|>.*?</c>)'.encode(), cell_xml.encode(), data, count=1)
        assert n == 1, f"cell {ref} not found in {part}"
        return new

    _repack(path, edit=edit)


# --- OLE2 (compound file) ---------------------------------------------------------------------


def _cfb(streams: list[tuple[str, bytes]]) -> bytes:
    """A minimal, structurally valid OLE2 compound file holding ``streams`` (each >= 4096 bytes)."""
    sector = 512
    end, free, fatsect, nostream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    fat = [fatsect, end]  # sector 0: FAT, sector 1: directory
    starts = []
    data = b""
    for _, payload in streams:
        assert len(payload) >= 4096, "streams under 4096 bytes would belong in the mini stream"
        payload = payload + b"\0" * (-len(payload) % sector)
        n = len(payload) // sector
        first = len(fat)
        starts.append(first)
        fat += [*range(first + 1, first + n), end]
        data += payload
    assert len(fat) <= sector // 4
    fat_bytes = struct.pack(f"<{sector // 4}I", *(fat + [free] * (sector // 4 - len(fat))))

    def entry(name: str, kind: int, left: int, right: int, child: int, start: int, size: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0"
        return (
            raw.ljust(64, b"\0")
            + struct.pack("<HBBIII", len(raw) if name else 0, kind, 1, left, right, child)
            + b"\0" * 16
            + b"\0" * 4
            + b"\0" * 16
            + struct.pack("<IQ", start, size)
        )

    # Directory: root -> first stream; later streams are right siblings (names sorted by length then text).
    ents = [entry("Root Entry", 5, nostream, nostream, 1 if streams else nostream, end, 0)]
    for i, (name, payload) in enumerate(streams):
        right = i + 2 if i + 1 < len(streams) else nostream
        ents.append(entry(name, 2, nostream, right, nostream, starts[i], len(payload)))
    while len(ents) < 4:
        ents.append(b"\0" * 64 + struct.pack("<HBBIII", 0, 0, 0, nostream, nostream, nostream) + b"\0" * 48)
    directory = b"".join(ents)
    assert len(directory) == sector
    header = (
        bytes.fromhex("D0CF11E0A1B11AE1")
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
        + struct.pack("<109I", 0, *([free] * 108))
    )
    assert len(header) == sector
    return header + fat_bytes + directory + data


def _pseudo_random(n: int, seed: bytes) -> bytes:
    out = b""
    block = seed
    while len(out) < n:
        block = hashlib.sha256(block).digest()
        out += block
    return out[:n]


def encrypted_workbook() -> bytes:
    """What Excel writes for a password-protected workbook: OLE2 with EncryptionInfo + EncryptedPackage."""
    info_xml = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<encryption '
        b'xmlns="http://schemas.microsoft.com/office/2006/encryption"><keyData saltSize="16" '
        b'blockSize="16" keyBits="256" hashSize="64" cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" '
        b'hashAlgorithm="SHA512" saltValue="AAAAAAAAAAAAAAAAAAAAAA=="/></encryption>'
    )
    info = (b"\x04\x00\x04\x00\x40\x00\x00\x00" + info_xml).ljust(4096, b"\0")
    package = struct.pack("<Q", 7000) + _pseudo_random(8184, b"parasched")
    return _cfb([("EncryptionInfo", info), ("EncryptedPackage", package)])


# --- zips ---------------------------------------------------------------------------------------

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    b"</Types>"
)


def _zip(parts: list[tuple[str, bytes]], level: int = 9) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
        for name, data in parts:
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data, compresslevel=level)
    return out.getvalue()


def zip_bomb(src: Path, dest: Path, total_mb: int, sheets: tuple[str, ...]) -> None:
    """``src`` whose ``sheets`` each inflate to ``total_mb / len(sheets)`` MB: millions of rows of
    valid cells, so a reader that opens it spends minutes and gigabytes (written in a stream)."""
    parts = {_sheet_xml_name(src, name) for name in sheets}
    row = (
        b'<row><c t="inlineStr"><is><t>P01</t></is></c><c t="inlineStr"><is><t>Pat</t></is></c>'
        b'<c t="inlineStr"><is><t>para</t></is></c></row>'
    )
    count = total_mb * 1024 * 1024 // len(sheets) // len(row)
    head = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row><c t="inlineStr"><is><t>para_id</t></is></c><c t="inlineStr"><is><t>name</t></is></c>'
        b'<c t="inlineStr"><is><t>role</t></is></c></row>'
    )
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            out = zipfile.ZipInfo(info.filename, ZIP_TIME)
            out.compress_type = zipfile.ZIP_DEFLATED
            if info.filename not in parts:
                zout.writestr(out, zin.read(info.filename), compresslevel=9)
                continue
            with zout.open(out, "w") as fh:
                fh.write(head)
                block = row * 10_000
                for _ in range(count // 10_000):
                    fh.write(block)
                fh.write(b"</sheetData></worksheet>")


def make_many_parts(path: Path, n: int = 20_000) -> Path:
    """A workbook-shaped zip with ``n`` tiny parts (too many to be a school workbook)."""
    members = [("[Content_Types].xml", CONTENT_TYPES), ("xl/workbook.xml", b"<workbook/>")]
    members += [(f"xl/p{i}.bin", b"x") for i in range(n)]
    path.write_bytes(_zip(members, level=1))
    return path


def make_rows_50000(path: Path, rows: int = 50_000) -> Path:
    """``valid.xlsx`` whose Students sheet holds ``rows`` students (S01-S03, X00004...); the last is S01 again.

    The sheet XML is written directly (openpyxl would take many seconds on a shared machine).
    """
    write_xlsx(path, base())
    part = _sheet_xml_name(path, "Students")
    header = [str(h) for h in BASE["Students"][0][:5]]

    def cell(ref: str, text: str) -> str:
        return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'

    lines = [
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="A1:E{rows + 1}"/><sheetData>',
        '<row r="1">' + "".join(cell(f"{c}1", h) for c, h in zip("ABCDE", header, strict=True)) + "</row>",
    ]
    for i in range(1, rows + 1):
        r = i + 1
        sid = "S01" if i == rows else f"S{i:02d}" if i <= 3 else f"X{i:05d}"
        lines.append(
            f'<row r="{r}">{cell(f"A{r}", sid)}{cell(f"B{r}", f"Student {i}")}'
            f'<c r="C{r}"><v>3</v></c>{cell(f"D{r}", "Room 12")}{cell(f"E{r}", "none")}</row>'
        )
    lines.append("</sheetData></worksheet>")
    _repack(path, replace={part: "".join(lines).encode()})
    return path


def macro_workbook(src: Path, dest: Path) -> None:
    """``src`` plus a VBA project, declared the way Excel declares an .xlsm."""
    shutil.copyfile(src, dest)
    vba = _cfb([("VBA", _pseudo_random(4096, b"vba")), ("PROJECT", b'ID="{00000000}"\r\n'.ljust(4096, b" "))])

    def edit(name: str, data: bytes) -> bytes:
        if name == "[Content_Types].xml":
            data = data.replace(
                b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
            )
            data = data.replace(
                b"</Types>", b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>'
            )
        if name == "xl/_rels/workbook.xml.rels":
            data = data.replace(
                b"</Relationships>",
                b'<Relationship Id="rIdVba" '
                b'Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" '
                b'Target="vbaProject.bin"/></Relationships>',
            )
        return data

    _repack(dest, add={"xl/vbaProject.bin": vba}, edit=edit)


BILLION_LAUGHS = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n' for i in range(1, 10))
    + "]>\n"
)


def xml_bomb(src: Path, dest: Path, *, padding: int = 0, external: bool = False) -> None:
    """``src`` with its Paras sheet declaring an entity bomb (or an external entity) used in a cell."""
    shutil.copyfile(src, dest)
    if external:
        prolog = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        )
        text = "&xxe;"
    else:
        prolog = BILLION_LAUGHS
        text = "&lol9;"
    if padding:  # hide the DTD behind a long comment, past a naive "first few KB" scan
        prolog = prolog.replace("<!DOCTYPE", "<!--" + " " * padding + "-->\n<!DOCTYPE", 1)

    part = _sheet_xml_name(dest, "Paras")

    def edit(name: str, data: bytes) -> bytes:
        if name != part:
            return data
        body = data.decode("utf-8")
        body = body[body.index("<worksheet") :]
        assert "<t>Pat Rivera</t>" in body
        body = body.replace("<t>Pat Rivera</t>", f"<t>{text}</t>", 1)
        return (prolog + body).encode("utf-8")

    _repack(dest, edit=edit)


def numbers_file() -> bytes:
    return _zip(
        [
            ("Index/Document.iwa", _pseudo_random(600, b"doc")),
            ("Index/Metadata.iwa", _pseudo_random(200, b"meta")),
            ("Index/Tables/DataList.iwa", _pseudo_random(300, b"tbl")),
            ("Metadata/Properties.plist", b"bplist00" + _pseudo_random(80, b"plist")),
            ("Metadata/DocumentIdentifier", b"5B1F7A2E-0000-4000-8000-000000000000"),
            ("preview.jpg", b"\xff\xd8\xff\xe0" + _pseudo_random(100, b"jpg")),
        ]
    )


PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cf00000301010018dd8db00000000049454e44ae426082"
)


# --- the corpus -----------------------------------------------------------------------------


def _merged_header(wb: openpyxl.Workbook) -> None:
    ws = wb["Paras"]
    ws["E1"] = "hours"  # 'start' and 'end' under one merged 'hours' title
    ws["F1"] = None
    ws.merge_cells("E1:F1")


def _hidden_row(wb: openpyxl.Workbook) -> None:
    wb["Paras"].row_dimensions[3].hidden = True


def _formulas(wb: openpyxl.Workbook) -> None:
    ws = wb["Paras"]
    ws["F2"] = "=E2+0"  # no cached value: openpyxl never computes formulas


def build(out: Path, *, soffice: bool = False) -> list[Path]:
    """Write every committed corpus file into ``out``; returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    made: list[Path] = []

    def xlsx(name: str, sheets: Sheets, hook: Callable[[openpyxl.Workbook], None] | None = None) -> Path:
        p = write_xlsx(out / name, sheets, hook)
        made.append(p)
        return p

    good = xlsx("valid.xlsx", base())
    made.append(write_xlsx(out / "baseline_schedule.xlsx", copy.deepcopy(BASELINE)))

    # broken schedules (the SCHEDULE of `check`, the --baseline of `resolve`)
    sched = copy.deepcopy(BASELINE)
    sched.pop("Assignments")
    made.append(write_xlsx(out / "schedule_missing_assignments.xlsx", sched))
    sched = copy.deepcopy(BASELINE)
    sched["Assignments"][2][3] = "half past"
    made.append(write_xlsx(out / "schedule_bad_time.xlsx", sched))
    sched = copy.deepcopy(BASELINE)
    sched["Assignments"][2][4] = "nap"
    made.append(write_xlsx(out / "schedule_bad_kind.xlsx", sched))

    # structure
    xlsx("missing_sheet_students.xlsx", mutate(lambda s: s.pop("Students")))
    xlsx("missing_sheet_paras.xlsx", mutate(lambda s: s.pop("Paras")))
    xlsx("missing_column_paras_start.xlsx", mutate(lambda s: [r.pop(4) for r in s["Paras"]]))
    xlsx("missing_column_student_id.xlsx", mutate(lambda s: [r.pop(0) for r in s["Students"]]))
    xlsx("misspelled_header_paras_end.xlsx", mutate(lambda s: set_cell(s, "Paras", 1, "end", "ned")))
    xlsx("duplicate_para_id.xlsx", mutate(lambda s: set_cell(s, "Paras", 4, "para_id", "P01")))
    xlsx("duplicate_student_id.xlsx", mutate(lambda s: set_cell(s, "Students", 4, "student_id", "S02")))
    xlsx("empty_sheet_paras.xlsx", mutate(lambda s: s.__setitem__("Paras", [])))
    xlsx("empty_workbook.xlsx", {})
    xlsx("header_only_paras.xlsx", mutate(lambda s: s.__setitem__("Paras", s["Paras"][:1])))
    # references
    xlsx(
        "unknown_ref_preferred_paras.xlsx", mutate(lambda s: set_cell(s, "Students", 2, "preferred_paras", "P01, P99"))
    )
    xlsx("unknown_ref_avoid_paras.xlsx", mutate(lambda s: set_cell(s, "Students", 2, "avoid_paras", "P98")))
    xlsx("unknown_ref_availability_para.xlsx", mutate(lambda s: set_cell(s, "Availability", 2, "para_id", "P97")))
    xlsx("unknown_ref_schedule_student.xlsx", mutate(lambda s: set_cell(s, "StudentSchedule", 4, "student_id", "S99")))
    xlsx("unknown_ref_therapy_students.xlsx", mutate(lambda s: set_cell(s, "Therapy", 2, "student_ids", "S01, S98")))
    xlsx("unknown_ref_absence_person.xlsx", mutate(lambda s: set_cell(s, "Absences", 2, "person_id", "Q42")))
    # values
    xlsx("end_before_start_paras.xlsx", mutate(lambda s: set_cell(s, "Paras", 3, "end", "07:00")))
    xlsx("end_before_start_schedule.xlsx", mutate(lambda s: set_cell(s, "StudentSchedule", 3, "end", "09:30")))
    xlsx("off_grid_time.xlsx", mutate(lambda s: set_cell(s, "StudentSchedule", 2, "start", "08:03")))
    xlsx("not_a_time.xlsx", mutate(lambda s: set_cell(s, "Paras", 2, "start", "early")))
    xlsx("text_in_number.xlsx", mutate(lambda s: set_cell(s, "Students", 3, "group_max", "three")))
    xlsx("text_in_priority.xlsx", mutate(lambda s: set_cell(s, "Duties", 2, "priority", "high")))
    xlsx("number_in_days.xlsx", mutate(lambda s: set_cell(s, "Paras", 3, "days", 5)))
    xlsx("bad_day_name.xlsx", mutate(lambda s: set_cell(s, "StudentSchedule", 5, "days", "Mon, Funday")))
    xlsx("settings_bad_value.xlsx", mutate(lambda s: s["Settings"].append(["time_step_minutes", "five"])))
    xlsx("negative_group_max.xlsx", mutate(lambda s: set_cell(s, "Students", 3, "group_max", -2)))
    xlsx("bool_in_days.xlsx", mutate(lambda s: set_cell(s, "Duties", 2, "days", True)))

    def padded(s: Sheets) -> None:
        set_cell(s, "Paras", 2, "para_id", " P01 ")
        set_cell(s, "Students", 2, "preferred_paras", "P01 ,  ")

    xlsx("padded_ids.xlsx", mutate(padded))
    # layout
    xlsx("duplicate_sheet.xlsx", mutate(lambda s: s.__setitem__("Paras ", copy.deepcopy(s["Paras"]))))
    xlsx("duplicate_column.xlsx", mutate(lambda s: s.__setitem__("Paras", [[*r, r[4]] for r in s["Paras"]])))
    xlsx(
        "title_above_header.xlsx",
        mutate(lambda s: s.__setitem__("Paras", [["Paras of Corpus Test School"], [], *s["Paras"]])),
    )

    def title_bad(s: Sheets) -> None:
        set_cell(s, "Paras", 4, "para_id", "P01")
        s["Paras"] = [["Paras of Corpus Test School"], [], *s["Paras"]]

    xlsx("title_above_header_bad.xlsx", mutate(title_bad))
    xlsx("merged_header.xlsx", base(), _merged_header)
    xlsx("hidden_rows.xlsx", base(), _hidden_row)  # accepted: hidden rows are read like any other
    xlsx("hidden_row_bad.xlsx", mutate(lambda s: set_cell(s, "Paras", 3, "start", "later")), _hidden_row)
    xlsx("formula_no_cached_value.xlsx", base(), _formulas)
    p = xlsx("formula_ref_error.xlsx", base())
    set_raw_cell(p, "Paras", "E3", '<c r="E3" t="e"><f>#REF!+0</f><v>#REF!</v></c>')
    p = xlsx("formula_div0_error.xlsx", base())
    set_raw_cell(p, "Students", "F3", '<c r="F3" t="e"><f>1/0</f><v>#DIV/0!</v></c>')
    p = xlsx("formula_cached_ok.xlsx", base())  # accepted: a formula with its cached value
    set_raw_cell(p, "Paras", "F3", '<c r="F3" t="str"><f>"15:"&amp;"00"</f><v>15:00</v></c>')

    # csv folders
    made.append(write_csv_folder(out / "csv_bom", base(), bom=True))
    made.append(write_csv_folder(out / "csv_semicolon", base(), sep=";"))
    latin = base()
    set_cell(latin, "Paras", 2, "name", "José Núñez")
    made.append(write_csv_folder(out / "csv_latin1", latin, encoding="cp1252"))
    made.append(write_csv_folder(out / "csv_missing_students", mutate(lambda s: s.pop("Students"))))
    made.append(write_csv_folder(out / "csv_utf16", base(), encoding="utf-16", sep="\t"))
    folder = write_csv_folder(out / "csv_short_rows", base())  # trailing blank cells left out, as people type
    for f in folder.iterdir():
        f.write_bytes(re.sub(rb",+\r\n", b"\r\n", f.read_bytes()))
    made.append(folder)
    long_row = base()
    long_row["Paras"][2].extend(["", "a note", "another note"])
    made.append(write_csv_folder(out / "csv_long_row", long_row))
    folder = write_csv_folder(out / "csv_unclosed_quote", base())
    paras = (folder / "Paras.csv").read_bytes().replace(b"P02,Sam Chen", b'P02,"Sam Chen', 1)
    (folder / "Paras.csv").write_bytes(paras)
    made.append(folder)
    made.append(
        write_csv_folder(out / "csv_duplicate_para", mutate(lambda s: set_cell(s, "Paras", 4, "para_id", "P01")))
    )
    folder = out / "csv_no_csv_files"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir()
    (folder / "README.txt").write_text("the csv files should be here\n")
    made.append(folder)
    folder = write_csv_folder(out / "csv_xlsx_inside", {})
    (folder / "Paras.csv").write_bytes((out / "valid.xlsx").read_bytes())
    (folder / "Students.csv").write_text("student_id,name\r\nS01,Somebody\r\n")
    made.append(folder)
    single = out / "single_sheet.csv"
    single.write_bytes((out / "csv_bom" / "Paras.csv").read_bytes())
    made.append(single)

    # other formats
    made.append(_write(out / "encrypted.xlsx", encrypted_workbook()))
    made.append(_write(out / "sheet.numbers", numbers_file()))
    made.append(_write(out / "numbers_renamed.xlsx", numbers_file()))
    made.append(
        _write(
            out / "binary_workbook.xlsb",
            _zip(
                [
                    ("[Content_Types].xml", CONTENT_TYPES.replace(b"workbook.xml", b"workbook.bin")),
                    ("xl/workbook.bin", _pseudo_random(300, b"xlsb")),
                    ("xl/worksheets/sheet1.bin", _pseudo_random(300, b"xlsb1")),
                ]
            ),
        )
    )
    zip_bomb(good, out / "zip_bomb.xlsx", 220, ("Paras", "Students"))
    zip_bomb(good, out / "zip_bomb_ratio.xlsx", 20, ("Paras",))
    made += [out / "zip_bomb.xlsx", out / "zip_bomb_ratio.xlsx"]
    for name, kwargs in (
        ("xml_entity_bomb.xlsx", {}),
        ("xml_bomb_padded.xlsx", {"padding": 100_000}),
        ("xml_external_entity.xlsx", {"external": True}),
    ):
        xml_bomb(good, out / name, **kwargs)
        made.append(out / name)
    macro_workbook(good, out / "macros.xlsm")
    macro_workbook(good, out / "macros_renamed.xlsx")
    made += [out / "macros.xlsm", out / "macros_renamed.xlsx"]
    made.append(_write(out / "picture.png", PNG_1X1))
    made.append(_write(out / "picture_renamed.xlsx", PNG_1X1))
    made.append(_write(out / "text_renamed.xlsx", b"para_id,name\nP01,Pat Rivera\n"))
    made.append(_write(out / "empty_file.xlsx", b""))
    made.append(_write(out / "truncated.xlsx", good.read_bytes()[: len(good.read_bytes()) // 2]))
    made.append(_write(out / "plain_zip.xlsx", _zip([("notes.txt", b"not a workbook\n")])))

    for suffix, name in (("xls", "legacy.xls"), ("ods", "sheet.ods")):
        target = out / name
        if soffice or not target.exists():
            _soffice_convert(good, suffix, target)
        if suffix == "ods":
            _repack(target)
        made.append(target)
    return made


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _soffice_convert(src: Path, suffix: str, target: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{tmp}/profile",
                "--headless",
                "--convert-to",
                suffix,
                "--outdir",
                tmp,
                str(src),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        shutil.move(Path(tmp) / f"{src.stem}.{suffix}", target)


def _digest(root: Path, paths: list[Path]) -> dict[str, str]:
    out = {}
    for p in paths:
        files = sorted(p.rglob("*")) if p.is_dir() else [p]
        for f in files:
            if f.is_file():
                out[str(f.relative_to(root))] = hashlib.sha256(f.read_bytes()).hexdigest()
    return out


def main(argv: list[str]) -> int:
    if "--check" in argv:
        committed = [p for p in HERE.iterdir() if p.name not in {"make_corpus.py", "__pycache__"}]
        before = _digest(HERE, committed)
        with tempfile.TemporaryDirectory() as tmp:
            for p in committed:
                if p.suffix in {".xls", ".ods"}:
                    shutil.copy(p, Path(tmp) / p.name)
            after = _digest(Path(tmp), build(Path(tmp)))
        diff = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
        print("\n".join(diff) or "corpus up to date")
        return 1 if diff else 0
    made = build(HERE, soffice="--soffice" in argv)
    print(f"{len(made)} corpus inputs in {HERE}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
