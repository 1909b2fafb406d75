"""Console: meetings of a body."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from voting.storage.models import Meeting

from .pages import submit, text_of

TITLE = "第十八届人大常委会第二十次会议"


def test_create_a_meeting_and_find_it(console, db, make_body):
    body_id = make_body("江北市人大常委会", kind="standing_committee", groups=[])
    response = submit(
        console,
        f"/admin/bodies/{body_id}/meetings/new",
        {"title": TITLE, "meeting_date": "2025-03-18", "location": "市人大常委会会议厅"},
    )
    assert response.status_code == 302
    with db.session() as s:
        meeting = s.scalar(select(Meeting))
        assert (meeting.body_id, meeting.title, meeting.meeting_date, meeting.location, meeting.status) == (
            body_id, TITLE, date(2025, 3, 18), "市人大常委会会议厅", "scheduled",
        )
    assert response.headers["Location"] == f"/admin/meetings/{meeting.id}"

    detail = text_of(console.get(response.headers["Location"]))
    assert f"已创建会议“{TITLE}”" in detail
    assert "2025年3月18日" in detail and "市人大常委会会议厅" in detail and "未开始" in detail
    assert "出席情况" in detail and "议程" in detail

    assert TITLE in text_of(console.get(f"/admin/bodies/{body_id}/meetings"))
    everything = text_of(console.get("/admin/meetings"))
    assert TITLE in everything and "江北市人大常委会" in everything

    english = text_of(console.get(f"/admin/meetings/{meeting.id}?lang=en"))
    assert "2025-03-18" in english and "Scheduled" in english


def test_a_meeting_needs_a_title_and_a_real_date(console, db, make_body):
    body_id = make_body()
    response = submit(console, f"/admin/bodies/{body_id}/meetings/new", {"title": "", "meeting_date": "2025-02-30"})
    assert response.status_code == 422
    page = text_of(response)
    assert "请输入会议名称" in page
    assert "不是有效的日期" in page  # WTForms' own message, in Chinese through Flask-WTF
    with db.session() as s:
        assert s.scalar(select(Meeting)) is None


def test_an_unknown_meeting_is_a_friendly_404(console):
    response = console.get("/admin/meetings/4242")
    assert response.status_code == 404
    assert "找不到编号为 4242 的会议" in text_of(response)
