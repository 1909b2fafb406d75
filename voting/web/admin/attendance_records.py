"""Attendance records in the console: the body's table, one representative's history, exports."""
from __future__ import annotations

from flask import Response, abort, render_template, request

from voting.actions.attendance_records import body_records, export_rows, method_label, status_label, to_csv, to_xlsx
from voting.web.admin import bp
from voting.web.admin.helpers import db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/bodies/<int:body_id>/attendance-records")
def attendance_records(body_id: int):
    """Everyone's attendance over the body's held meetings, with the 代表法 第62条 warnings first."""
    with db().session() as s:
        body, meetings, records = body_records(s, body_id)
    warned = [r for r in records if r.warning]
    return render_template("admin/attendance_records.html", body=body, meetings=meetings, records=records,
                           warned=warned)


@bp.get("/bodies/<int:body_id>/attendance-records/<int:representative_id>")
def attendance_history(body_id: int, representative_id: int):
    """One representative's attendance, meeting by meeting."""
    with db().session() as s:
        body, meetings, records = body_records(s, body_id, representative_id)
    if not records:
        abort(404)
    return render_template("admin/attendance_history.html", body=body, record=records[0],
                           status_label=status_label, method_label=method_label)


@bp.get("/bodies/<int:body_id>/attendance-records/export.<fmt>")
def attendance_export(body_id: int, fmt: str):
    """The records as CSV or Excel: one row per representative and held meeting (?representative=<id> for one)."""
    if fmt not in ("csv", "xlsx"):
        abort(404)
    rep_id = request.args.get("representative", type=int)
    with db().session() as s:
        body, _meetings, records = body_records(s, body_id, rep_id)
    header, rows = export_rows(records)
    name = f"attendance-{body_id}" + (f"-{records[0].number}" if rep_id and records else "")
    if fmt == "csv":
        data, mimetype = to_csv(header, rows), "text/csv; charset=utf-8"
    else:
        data, mimetype = to_xlsx(header, rows, body.name), XLSX
    return Response(data, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'})
