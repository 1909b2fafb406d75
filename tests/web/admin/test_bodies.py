"""Console: bodies and their delegations."""
from __future__ import annotations

from sqlalchemy import select

from voting.storage.models import Body, Representative

from .pages import submit, text_of


def test_create_a_body_with_its_delegations(console, db):
    response = submit(
        console,
        "/admin/bodies/new",
        {"name": "江北市人民代表大会", "kind": "people_congress", "term": "18", "groups": "第一代表团\n\n 第二代表团 \n第三代表团\n"},
    )
    assert response.status_code == 302
    with db.session() as s:
        body = s.scalar(select(Body).where(Body.name == "江北市人民代表大会"))
        assert (body.kind, body.term) == ("people_congress", 18)
        assert [g.name for g in body.groups] == ["第一代表团", "第二代表团", "第三代表团"]
    assert response.headers["Location"] == f"/admin/bodies/{body.id}/roster"

    page = text_of(console.get(response.headers["Location"]))
    assert "已创建“江北市人民代表大会”" in page
    assert "人民代表大会 · 第18届" in page

    listing = text_of(console.get("/admin/bodies"))
    assert "江北市人民代表大会" in listing and "第18届" in listing


def test_a_body_needs_a_name_and_a_sensible_term(console, db):
    response = submit(console, "/admin/bodies/new", {"name": " ", "kind": "standing_committee", "term": "0"})
    assert response.status_code == 422
    page = text_of(response)
    assert "请输入机构名称" in page
    assert "请输入 1 至 99 之间的数字" in page
    with db.session() as s:
        assert s.scalar(select(Body)) is None


def test_edit_delegations_keeps_people_and_refuses_to_drop_a_used_one(console, db, make_body):
    body_id = make_body(groups=["第一代表团", "第二代表团"])
    with db.transaction() as s:
        body = s.get(Body, body_id)
        s.add(Representative(body=body, name="张三", number="001", group=body.groups[0]))

    url = f"/admin/bodies/{body_id}/groups"
    assert "第一代表团\n第二代表团" in text_of(console.get(url))

    refused = submit(console, url, {"groups": "第二代表团"})
    assert refused.status_code == 422
    assert "代表团“第一代表团”中仍有代表" in text_of(refused)

    saved = submit(console, url, {"groups": "第二代表团\n第一代表团\n第三代表团"})
    assert saved.status_code == 302
    with db.session() as s:
        assert [g.name for g in s.get(Body, body_id).groups] == ["第二代表团", "第一代表团", "第三代表团"]


def test_an_unknown_body_is_a_friendly_404(console):
    response = console.get("/admin/bodies/999/roster")
    assert response.status_code == 404
    assert "找不到编号为 999 的机构" in text_of(response)
