"""Import a body's roster from a CSV or Excel file (or API rows): read, preview, import.

All or nothing: a file with one bad row imports no one. Re-importing updates
people by their number (name, group, status) instead of adding them twice;
people on file but not in the new file are left as they are. New people get
a login code, returned once in plain text; only its hash is stored.

The rules for a valid row are voting.domain.roster's; this module reads files,
talks to the database in a few bulk queries (3,000 rows take well under a
second) and turns problem codes into the user's language.
"""
from __future__ import annotations

import csv
import io
import warnings
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import PurePath
from typing import Iterable, Iterator, Mapping, Sequence

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from voting.actions.accounts import hash_secret
from voting.actions.errors import ActionError
from voting.actions.login_codes import new_login_code
from voting.domain import roster as rules
from voting.domain.roster import RosterRow, RowProblem
from voting.storage.models import Body, Representative

MAX_FILE_BYTES = 8 * 1024 * 1024  # a 10,000-person CSV is under 1 MB
MAX_COLUMNS = 200
# Excel sheets often carry thousands of formatted but empty rows at the end:
# this many blank rows in a row is taken as the end of the data.
BLANK_ROWS_AT_END = 1000
MAX_REPORTED_ROWS = 1000  # row errors sent back in one API answer
TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls (and .doc)
DELIMITERS = (",", ";", "\t")


# --- translation: the one place that words roster problems ---------------------------


def field_label(name: str | None) -> str:
    """A roster field's name in the user's language (姓名, 代表证号, 代表团, 状态)."""
    labels = {
        rules.NAME: _("Name"),
        rules.NUMBER: _("Number"),
        rules.GROUP: _("Group"),
        rules.STATUS: _("Status"),
    }
    return labels.get(name, "") if name else ""


def problem_message(problem: RowProblem) -> str:
    """The translated sentence for a domain problem code (without the row number)."""
    params = dict(problem.params)
    code = problem.code
    if code == rules.MISSING_COLUMN:
        column = params["column"]
        return _(
            "No %(column)s column found; the header row needs one of: %(headers)s.",
            column=field_label(column),
            headers=" / ".join(rules.HEADER_ALIASES[column]),
        )
    messages = {
        rules.EMPTY_ROSTER: _("The file lists no one."),
        rules.TOO_MANY_ROWS: _("A roster can have at most %(max)d people."),
        rules.MISSING_NAME: _("The name is missing."),
        rules.MISSING_NUMBER: _("The number is missing."),
        rules.NAME_TOO_LONG: _("The name is longer than %(max)d characters."),
        rules.NUMBER_TOO_LONG: _("The number is longer than %(max)d characters."),
        rules.INVALID_NUMBER: _("The number %(number)s contains spaces or invisible characters."),
        rules.DUPLICATE_NUMBER: _("The number %(number)s is already used on row %(first_row)d."),
        rules.UNKNOWN_GROUP: _("The group %(group)s is not one of this body's groups."),
        rules.INVALID_STATUS: _("Unknown status %(status)s: use active, suspended or left."),
    }
    return messages[code] % params if params else messages[code]


@dataclass(frozen=True)
class RowError:
    """One problem as the user reads it: file row (header = 1; None for the whole file), field, message."""

    row: int | None
    field: str | None
    code: str
    message: str

    def as_dict(self) -> dict:
        """The API's shape of a row error."""
        return {"row": self.row, "field": self.field, "code": self.code, "message": self.message}

    def as_line(self) -> str:
        """One line for a terminal or a flash message: 第 3 行，姓名：缺少姓名。"""
        if self.row is None:
            return self.message
        if self.field is None:
            return _("Row %(row)d: %(message)s", row=self.row, message=self.message)
        return _("Row %(row)d, %(field)s: %(message)s", row=self.row, field=field_label(self.field), message=self.message)


def _row_error(problem: RowProblem) -> RowError:
    return RowError(problem.row, problem.field, problem.code, problem_message(problem))


# --- reading files ------------------------------------------------------------------


def _bounded(table: Iterable[Sequence[object]]) -> Iterator[list[object]]:
    """The sheet's rows, at most MAX_COLUMNS wide, stopping once there are more people than a
    roster may have (the domain then reports too_many_rows) or after BLANK_ROWS_AT_END blank rows."""
    filled = blank_run = 0
    limit = rules.MAX_ROWS + rules.HEADER_SEARCH_ROWS + 1
    for cells in table:
        cells = list(cells[:MAX_COLUMNS])
        if any(rules.clean_cell(c) for c in cells):
            filled += 1
            blank_run = 0
        else:
            blank_run += 1
            if blank_run >= BLANK_ROWS_AT_END:
                return
        yield cells
        if filled > limit:
            return


def _decode(data: bytes) -> str:
    """The text of a CSV: UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode text"),
    else GB18030, the superset of the GBK that Chinese office software writes."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ActionError(
        "unreadable_encoding",
        _("The file's text is neither UTF-8 nor GBK; save it as CSV (UTF-8) and try again."),
        422,
    )


def _delimiter(text: str) -> str:
    """Comma, semicolon or tab: whichever the first non-blank line has most of (comma on a tie)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    return max(DELIMITERS, key=lambda d: (first.count(d), d == ","))


def _read_csv(data: bytes) -> list[list[object]]:
    """The rows of a CSV (or tab-separated text) file."""
    text = _decode(data)
    if "\x00" in text:
        raise ActionError("unreadable_file", _("The CSV file could not be read."), 422)
    try:
        return list(_bounded(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))))
    except csv.Error:
        raise ActionError("unreadable_file", _("The CSV file could not be read."), 422) from None


def _excel_text(value: object) -> str:
    """A cell value as the clerk sees it: 10001.0 is "10001", a date is 2024-01-31."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _read_xlsx(data: bytes) -> list[list[object]]:
    """The rows of the first sheet of an Excel workbook (stored values, not formulas)."""
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "no default style" and similar noise from other tools' files
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                sheet = workbook.worksheets[0]
                rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
                return list(_bounded([_excel_text(v) for v in row] for row in rows))
            finally:
                workbook.close()
    except ActionError:
        raise
    except Exception:  # openpyxl raises many kinds of error on a damaged or fake file
        raise ActionError(
            "unreadable_file", _("The Excel file could not be read; it may be damaged or not really .xlsx."), 422
        ) from None


def _kind(filename: str, data: bytes) -> str:
    """"xlsx" or "csv", from the content first (a renamed file), then the file name's suffix."""
    suffix = PurePath(filename or "").suffix.lower()
    if data.startswith(_OLE_MAGIC) or suffix == ".xls":
        raise ActionError(
            "unsupported_file",
            _("Old Excel files (.xls) cannot be read: in Excel, save the roster as .xlsx or CSV and upload that."),
            415,
        )
    if suffix in EXCEL_SUFFIXES or (data.startswith(_ZIP_MAGIC) and suffix in TEXT_SUFFIXES + ("",)):
        return "xlsx"  # an .xlsx is a ZIP archive, whatever it was renamed to
    if suffix in TEXT_SUFFIXES or (suffix == "" and not data.startswith(_ZIP_MAGIC)):
        return "csv"
    raise ActionError("unsupported_file", _("Upload a CSV or Excel (.xlsx) file."), 415)


def read_roster_file(filename: str, data: bytes) -> list[dict[str, str]]:
    """The rows of a roster file as header → cell text; index 0 is row 2 of the file.

    CSV in UTF-8 (BOM or not), GBK/GB18030 or UTF-16, separated by commas,
    semicolons or tabs; or the first sheet of an .xlsx. A title line above the
    header is allowed (see voting.domain.roster.rows_from_table). Raises
    ActionError for an empty, too large, unreadable or unsupported file.
    """
    if len(data) > MAX_FILE_BYTES:
        raise ActionError(
            "file_too_large", _("The file is larger than %(mb)d MB.", mb=MAX_FILE_BYTES // (1024 * 1024)), 413
        )
    if not data.strip():
        raise ActionError("empty_file", _("The file is empty."), 422)
    table = _read_xlsx(data) if _kind(filename, data) == "xlsx" else _read_csv(data)
    rows = rules.rows_from_table(table)
    if not rows:
        raise ActionError("empty_file", _("The file is empty."), 422)
    return rows


# --- preview and import --------------------------------------------------------------


@dataclass(frozen=True)
class RosterUpdate:
    """A person on file whom the import changes: `changes` is field → (old, new)."""

    row: RosterRow
    representative_id: int
    changes: dict[str, tuple[object, object]]


@dataclass
class RosterPreview:
    """What importing the rows would do, or why it cannot: nothing is written to make it."""

    errors: list[RowError] = field(default_factory=list)
    to_create: list[RosterRow] = field(default_factory=list)
    to_update: list[RosterUpdate] = field(default_factory=list)
    unchanged: int = 0

    @property
    def is_valid(self) -> bool:
        return not self.errors


@dataclass
class ImportResult:
    """Who was added (with their one-time plain login code) and who was changed."""

    created: list[tuple[Representative, str]] = field(default_factory=list)
    updated: list[Representative] = field(default_factory=list)
    unchanged: int = 0

    def summary(self) -> str:
        """One translated line: how many were created, updated and left unchanged."""
        return _(
            "Imported: %(created)d added, %(updated)d updated, %(unchanged)d unchanged.",
            created=len(self.created),
            updated=len(self.updated),
            unchanged=self.unchanged,
        )


def _plan(
    session: Session, body: Body, rows: Sequence[Mapping[str, object]]
) -> tuple[RosterPreview, dict[str, Representative]]:
    """The preview, and the body's people by number (one query for all of them)."""
    existing = {rep.number: rep for rep in session.scalars(select(Representative).where(Representative.body_id == body.id))}
    group_names = {g.id: g.name for g in body.groups}
    check = rules.check_roster(rows, group_names.values(), existing.keys())
    preview = RosterPreview(errors=[_row_error(p) for p in check.problems])
    if not preview.is_valid:
        return preview, existing
    for row in check.rows:
        rep = existing.get(row.number)
        if rep is None:
            preview.to_create.append(row)
            continue
        current = {rules.NAME: rep.name, rules.GROUP: group_names.get(rep.group_id), rules.STATUS: rep.status}
        changes = rules.roster_changes(row, current)
        if changes:
            preview.to_update.append(RosterUpdate(row=row, representative_id=rep.id, changes=changes))
        else:
            preview.unchanged += 1
    return preview, existing


def preview_roster(session: Session, body: Body, rows: Sequence[Mapping[str, object]]) -> RosterPreview:
    """Check `rows` (from read_roster_file, or API items) against the body and its people; write nothing."""
    return _plan(session, body, rows)[0]


def invalid_roster_error(errors: Sequence[RowError]) -> ActionError:
    """The 422 refusal for a roster with bad rows; details.rows lists them (the first MAX_REPORTED_ROWS)."""
    message = ngettext(
        "The roster has %(num)d problem; nothing was imported.",
        "The roster has %(num)d problems; nothing was imported.",
        len(errors),
    )
    details = {"rows": [e.as_dict() for e in errors[:MAX_REPORTED_ROWS]], "total": len(errors)}
    return ActionError("invalid_roster", message, 422, details=details)


def import_roster(session: Session, body: Body, rows: Sequence[Mapping[str, object]]) -> ImportResult:
    """Add and update the body's people from `rows`, all or nothing, within the caller's transaction.

    Raises ActionError invalid_roster (422, details.rows) when any row is bad,
    and roster_changed (409) when someone else added the same number meanwhile;
    either way nothing is written.
    """
    preview, existing = _plan(session, body, rows)
    if not preview.is_valid:
        raise invalid_roster_error(preview.errors)
    groups = {g.name: g for g in body.groups}
    result = ImportResult(unchanged=preview.unchanged)
    for update in preview.to_update:
        rep = existing[update.row.number]
        for name, (_old, new) in update.changes.items():
            if name == rules.GROUP:
                rep.group = groups[new] if new else None
            else:
                setattr(rep, name, new)
        result.updated.append(rep)
    codes = {row.number: new_login_code() for row in preview.to_create}
    try:
        session.flush()  # the updates, batched
        if preview.to_create:
            # An INSERT ... RETURNING of all the new rows in a few statements; session.add_all
            # would insert them one by one on SQLite (it needs each new id in order).
            created = session.scalars(
                insert(Representative).returning(Representative),
                [
                    {
                        "body_id": body.id,
                        "name": row.name,
                        "number": row.number,
                        "group_id": groups[row.group].id if row.group else None,
                        "status": row.status,
                        "login_code_hash": hash_secret(codes[row.number]),
                    }
                    for row in preview.to_create
                ],
            ).all()
            by_number = {rep.number: rep for rep in created}
            result.created = [(by_number[row.number], codes[row.number]) for row in preview.to_create]
    except IntegrityError:
        raise ActionError(
            "roster_changed", _("The roster was changed by someone else during the import; please try again."), 409
        ) from None
    return result
