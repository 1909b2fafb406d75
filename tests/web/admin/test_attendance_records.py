"""Attendance records across meetings: the table, one person's history, CSV/Excel, and the 第62条 warning."""
from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from .pages import text_of


@pytest.fixture
def history(app, db, console, make_roster):
    """A people's congress with three held meetings and one still to come.

    rep 0: present, present, present   rep 1: absent (no leave), on leave, absent  → mandate ends
    rep 2: absent, present, on leave   → one unapproved absence: warned
    """
    from voting.actions.attendance import set_attendance
    from voting.storage.models import Meeting

    roster = make_roster(4)
    with app.app_context(), db.transaction() as s:
        meetings = [roster.meeting_id]
        for title in ("第二次会议", "第三次会议", "第四次会议"):
            m = Meeting(body_id=roster.body_id, title=title)
            s.add(m)
            s.flush()
            meetings.append(m.id)
        for mid in meetings[:3]:  # held; the fourth is still to come
            s.get(Meeting, mid).status = "in_progress"
    plan = {0: ["present"] * 3, 1: ["absent", "on_leave", None], 2: [None, "present", "on_leave"]}
    with app.app_context():
        for i, statuses in plan.items():
            for mid, status in zip(meetings, statuses):
                if status:
                    set_attendance(db, mid, roster.reps[i].id, status, "病假" if status == "on_leave" else None, None)
        with db.transaction() as s:
            for mid in meetings[:2]:
                s.get(Meeting, mid).status = "closed"
    roster.meetings = meetings
    return roster


def test_records_table_counts_and_warnings(console, history):
    page = text_of(console.get(f"/admin/bodies/{history.body_id}/attendance-records"))
    assert "已召开 3 次会议" in page
    assert "未经批准缺席人民代表大会会议" in page and "代表法第六十二条" in page
    warnings = page.split('id="mandate-warnings"', 1)[1].split("</div>", 1)[0]
    assert history.reps[1].name in warnings and "已未经批准缺席 2 次：代表资格终止" in warnings
    assert history.reps[2].name in warnings and "已有 1 次未经批准缺席" in warnings
    assert history.reps[0].name not in warnings
    # Someone never seen at any meeting has three absences.
    assert history.reps[3].name in warnings


def test_meeting_desk_shows_the_warning_too(console, history):
    page = text_of(console.get(f"/admin/meetings/{history.meetings[2]}/attendance"))
    row = page.split(f'id="rep-{history.reps[2].id}"', 1)[1].split("</tr>", 1)[0]
    assert "已有 1 次未经批准缺席" in row


def test_one_representatives_history(console, history):
    rep = history.reps[1]
    page = text_of(console.get(f"/admin/bodies/{history.body_id}/attendance-records/{rep.id}"))
    assert rep.name in page and "第二次会议" in page and "病假" in page
    assert "第四次会议" not in page  # not held yet
    assert console.get(f"/admin/bodies/{history.body_id}/attendance-records/999999").status_code == 404


def test_csv_export_opens_in_excel_with_chinese(console, history):
    response = console.get(f"/admin/bodies/{history.body_id}/attendance-records/export.csv")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    assert response.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][:6] == ["代表证号", "姓名", "代表团", "会议名称", "日期", "出席情况"]
    assert len(rows) == 1 + 4 * 3
    rep1 = [r for r in rows[1:] if r[1] == history.reps[1].name]
    assert [r[5] for r in rep1] == ["缺席", "请假", "缺席"]


def test_xlsx_export_for_one_representative(console, history):
    rep = history.reps[0]
    response = console.get(f"/admin/bodies/{history.body_id}/attendance-records/export.xlsx?representative={rep.id}")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = list(sheet.values)
    assert values[0][1] == "姓名" and len(values) == 1 + 3
    assert {row[5] for row in values[1:]} == {"出席"} and {row[1] for row in values[1:]} == {rep.name}
    assert console.get(f"/admin/bodies/{history.body_id}/attendance-records/export.pdf").status_code == 404


def test_standing_committee_members_get_no_mandate_warning(app, db, console, make_roster):
    from voting.storage.models import Meeting

    roster = make_roster(2, kind="standing_committee", name="某县人大常委会")
    with app.app_context(), db.transaction() as s:
        s.get(Meeting, roster.meeting_id).status = "closed"
    page = text_of(console.get(f"/admin/bodies/{roster.body_id}/attendance-records"))
    assert "mandate-warnings" not in page and "未经批准缺席人民代表大会会议" not in page
