"""Attendance records (履职档案, 出席情况): each representative's history across a body's meetings,
the warning of 代表法 第62条, and the export to CSV and Excel.

Only held meetings count: one that is in progress or closed, or whose check-in
was ever opened. A meeting still to come is nobody's absence.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from voting.actions.bodies import get_body
from voting.domain.attendance import (
    ABSENT,
    ON_LEAVE,
    PRESENT,
    effective_status,
    mandate_warning,
    unapproved_absences,
)
from voting.domain.bodies import PEOPLE_CONGRESS
from voting.domain.roster import LEFT
from voting.storage.models import Attendance, Body, Meeting, MeetingCheckin, Representative


@dataclass(frozen=True)
class HeldMeeting:
    id: int
    title: str
    meeting_date: date | None


@dataclass(frozen=True)
class HistoryLine:
    """One representative at one held meeting."""

    meeting: HeldMeeting
    status: str  # effective: present / on_leave / absent
    method: str | None
    checked_in_at: datetime | None
    reason: str | None


@dataclass
class RepresentativeRecord:
    """A representative's attendance over the body's held meetings."""

    id: int
    name: str
    number: str
    group: str | None
    status: str
    lines: list[HistoryLine] = field(default_factory=list)
    warning: str | None = None  # None, "first" or "mandate_ends" (people's congress only)

    @property
    def present(self) -> int:
        return sum(1 for line in self.lines if line.status == PRESENT)

    @property
    def on_leave(self) -> int:
        return sum(1 for line in self.lines if line.status == ON_LEAVE)

    @property
    def absent(self) -> int:
        return sum(1 for line in self.lines if line.status == ABSENT)


def held_meetings(session: Session, body: Body) -> list[HeldMeeting]:
    """The body's meetings that have taken place or are taking place, oldest first."""
    opened = select(MeetingCheckin.meeting_id).where(MeetingCheckin.opened_at.is_not(None))
    rows = session.scalars(
        select(Meeting)
        .where(Meeting.body_id == body.id, or_(Meeting.status != "scheduled", Meeting.id.in_(opened)))
        .order_by(Meeting.meeting_date.is_(None), Meeting.meeting_date, Meeting.id)
    ).all()
    return [HeldMeeting(m.id, m.title, m.meeting_date) for m in rows]


def body_records(session: Session, body_id: int, representative_id: int | None = None) -> tuple[Body, list[HeldMeeting], list[RepresentativeRecord]]:
    """Every representative's (or one's) attendance history in the body, in number order.

    People who left office keep their record. Raises NotFound for an unknown body.
    """
    body = get_body(session, body_id)
    meetings = held_meetings(session, body)
    query = select(Representative).where(Representative.body_id == body.id).order_by(Representative.number)
    if representative_id is not None:
        query = query.where(Representative.id == representative_id)
    reps = session.scalars(query).all()
    recorded = {
        (a.meeting_id, a.representative_id): a
        for a in session.scalars(
            select(Attendance).where(Attendance.meeting_id.in_([m.id for m in meetings]))
        )
    } if meetings else {}
    is_congress = body.kind == PEOPLE_CONGRESS
    records = []
    for rep in reps:
        record = RepresentativeRecord(rep.id, rep.name, rep.number, rep.group.name if rep.group else None, rep.status)
        for meeting in meetings:
            row = recorded.get((meeting.id, rep.id))
            record.lines.append(
                HistoryLine(
                    meeting=meeting,
                    status=effective_status(row.status if row else None),
                    method=row.method if row else None,
                    checked_in_at=row.checked_in_at if row else None,
                    reason=row.reason if row else None,
                )
            )
        if rep.status != LEFT:
            count = unapproved_absences(line.status for line in record.lines)
            record.warning = mandate_warning(is_congress, count)
        records.append(record)
    return body, meetings, records


def status_label(status: str) -> str:
    """出席 / 请假 / 缺席 for exports and pages."""
    return {PRESENT: _("Attended"), ON_LEAVE: _("On leave"), ABSENT: _("Absent")}[status]


def method_label(method: str | None) -> str:
    """How someone checked in, in words."""
    return {
        "qr": _("Scanned the hall code"),
        "desk": _("Marked at the desk"),
        "card_scan": _("Card scanned at the desk"),
    }.get(method or "", "")


def export_rows(records: list[RepresentativeRecord]) -> tuple[list[str], list[list]]:
    """The header and rows of the export: one row per representative and held meeting."""
    header = [
        _("Number"), _("Name"), _("Delegation"), _("Meeting name"), _("Date"),
        _("Attendance"), _("How"), _("Checked in at (UTC)"), _("Reason"),
    ]
    rows = []
    for record in records:
        for line in record.lines:
            rows.append([
                record.number,
                record.name,
                record.group or "",
                line.meeting.title,
                line.meeting.meeting_date.isoformat() if line.meeting.meeting_date else "",
                status_label(line.status),
                method_label(line.method),
                line.checked_in_at.strftime("%Y-%m-%d %H:%M:%S") if line.checked_in_at else "",
                line.reason or "",
            ])
    return header, rows


def to_csv(header: list[str], rows: list[list]) -> bytes:
    """CSV in UTF-8 with a byte-order mark, so Excel on Windows reads the Chinese right."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        # A cell starting with = + - @ would be a formula in Excel: quote it as text.
        writer.writerow([("'" + c) if isinstance(c, str) and c[:1] in ("=", "+", "-", "@") else c for c in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(header: list[str], rows: list[list], sheet_title: str) -> bytes:
    """An Excel workbook with one sheet, a bold frozen header and sensible column widths."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title[:31] or "Sheet1"
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([("'" + c) if isinstance(c, str) and c[:1] == "=" else c for c in row])
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDEFGHI", (10, 12, 18, 36, 12, 8, 16, 20, 30)):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
