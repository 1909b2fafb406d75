"""The candidate list as a table for the congress's materials (CSV for any tool, XLSX for Excel)."""
from __future__ import annotations

import csv
import io

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from voting.actions.projects.candidates import candidates_of
from voting.actions.projects.labels import CATEGORY_LABELS
from voting.domain.projects import format_wan

# A cell starting with one of these is a formula in Excel; public text must stay text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def candidate_table(session: Session, year_id: int) -> tuple[list[str], list[list]]:
    """(header, rows) of the year's candidate list in its order, with the proposals each answers."""
    header = [
        _("No."), _("Project"), _("Category"), _("Description"), _("Responsible department"),
        _("Budget (10,000 yuan)"), _("Planned completion"), _("From proposals"),
    ]
    rows = []
    for index, project in enumerate(candidates_of(session, year_id), start=1):
        rows.append([
            index,
            project.title,
            str(CATEGORY_LABELS[project.category]),
            project.description,
            project.department,
            format_wan(project.budget).replace(",", ""),
            project.planned_completion.isoformat(),
            "、".join(f"#{p.id} {p.title}" for p in project.proposals),
        ])
    return header, rows


def _safe(cell):
    """Text that Excel would run as a formula, quoted as text."""
    return ("'" + cell) if isinstance(cell, str) and cell.startswith(_FORMULA_START) else cell


def to_csv(header: list[str], rows: list[list]) -> bytes:
    """CSV in UTF-8 with a byte-order mark, so Excel on Windows reads the Chinese right."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([_safe(c) for c in row] for row in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(header: list[str], rows: list[list], sheet_title: str) -> bytes:
    """A workbook with one sheet: bold frozen header, wrapped description, sensible widths."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title[:31] or "Sheet1"
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_safe(c) for c in row])
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDEFGH", (6, 28, 12, 50, 22, 14, 14, 36)):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
