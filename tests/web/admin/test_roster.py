"""Console: the roster list, search, editing one person, and importing a file (upload → preview → confirm)."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from voting.storage.models import Body, Representative

from .pages import csrf_from, submit, text_of

GOOD_CSV = "姓名,代表证号,代表团\n张三,001,第一代表团\n李四,002,第一代表团\n王五,003,第二代表团\n"
# Row 3 repeats a number and row 4 names a delegation the body does not have.
BAD_CSV = "姓名,代表证号,代表团\n张三,001,第一代表团\n李四,001,第一代表团\n王五,003,第九代表团\n,004,第二代表团\n"


def upload(client, body_id: int, content: bytes | None, filename: str = "名单.csv"):
    """Post a file on the upload page (with the page's CSRF token)."""
    page = client.get(f"/admin/bodies/{body_id}/roster/import")
    data = {"csrf_token": csrf_from(text_of(page))}
    if content is not None:
        data["file"] = (io.BytesIO(content), filename)
    return client.post(f"/admin/bodies/{body_id}/roster/import", data=data, content_type="multipart/form-data")


def people(db, body_id: int) -> dict[str, tuple[str, str | None, str]]:
    """number → (name, group, status) of everyone on file."""
    with db.session() as s:
        reps = s.scalars(select(Representative).where(Representative.body_id == body_id)).all()
        return {r.number: (r.name, r.group.name if r.group else None, r.status) for r in reps}


def uploads_left(app) -> list[Path]:
    folder = Path(app.instance_path) / "uploads" / "roster"
    return sorted(folder.iterdir()) if folder.exists() else []


def test_import_a_utf8_csv_after_previewing_it(app, console, db, make_body):
    body_id = make_body()
    uploaded = upload(console, body_id, GOOD_CSV.encode("utf-8"))
    assert uploaded.status_code == 302
    preview_url = uploaded.headers["Location"]
    assert re.fullmatch(rf"/admin/bodies/{body_id}/roster/import/[A-Za-z0-9_-]{{22}}", preview_url)
    assert uploads_left(app), "the file waits on the server between preview and confirm"

    preview = console.get(preview_url)
    page = text_of(preview)
    assert preview.status_code == 200
    assert "将新增" in page and "张三" in page and "第二代表团" in page
    assert "确认导入：新增 3 人，更新 0 人" in page
    assert people(db, body_id) == {}, "the preview writes nothing"

    done = submit(console, preview_url)
    assert done.status_code == 200
    assert "已从 名单.csv 导入：新增 3 人，更新 0 人" in text_of(done)
    assert people(db, body_id) == {
        "001": ("张三", "第一代表团", "active"),
        "002": ("李四", "第一代表团", "active"),
        "003": ("王五", "第二代表团", "active"),
    }
    assert uploads_left(app) == [], "the file is deleted after the import"

    # Confirming again (a double click, the back button) imports nothing twice.
    again = console.post(preview_url, data={"csrf_token": csrf_from(text_of(console.get("/admin/bodies")))})
    assert again.status_code == 302
    assert "已导入、已取消或已过期" in text_of(console.get(again.headers["Location"]))
    assert len(people(db, body_id)) == 3


def test_a_file_with_bad_rows_imports_nobody_and_says_why_row_by_row(app, console, db, make_body):
    body_id = make_body()
    preview_url = upload(console, body_id, BAD_CSV.encode("utf-8")).headers["Location"]
    page = text_of(console.get(preview_url))
    assert "发现 3 个问题" in page
    assert "不会导入任何人员" in page
    # Row numbers are the file's own (header = row 1), so the clerk can find them.
    rows = re.findall(r'<td class="num mono">(\d+)</td>\s*<td>([^<]*)</td>\s*<td>([^<]*)</td>', page)
    assert ("3", "代表证号", "代表证号 001 与第 2 行重复。") in rows, rows
    assert any(r[0] == "4" and "第九代表团" in r[2] for r in rows), rows
    assert any(r[0] == "5" and r[1] == "姓名" for r in rows), rows
    assert "确认导入" not in page, "no confirm button for a file with errors"

    # Even posted by hand, the confirmation imports nobody.
    refused = submit(console, preview_url, follow_redirects=True)
    assert "名单中有 3 处错误，未导入任何人员" in text_of(refused)
    assert people(db, body_id) == {}


def test_reimport_updates_people_by_number(console, db, make_body):
    body_id = make_body()
    submit(console, upload(console, body_id, GOOD_CSV.encode()).headers["Location"])
    changed = "姓名,代表证号,代表团,状态\n张三丰,001,第二代表团,在任\n李四,002,第一代表团,离任\n王五,003,第二代表团,\n赵六,004,,\n"
    preview_url = upload(console, body_id, changed.encode("gbk"), "名单-gbk.csv").headers["Location"]
    page = text_of(console.get(preview_url))
    assert "确认导入：新增 1 人，更新 2 人" in page
    assert "张三丰" in page and "已离任" in page

    done = text_of(submit(console, preview_url))
    assert "新增 1 人，更新 2 人" in done
    assert people(db, body_id) == {
        "001": ("张三丰", "第二代表团", "active"),
        "002": ("李四", "第一代表团", "left"),
        "003": ("王五", "第二代表团", "active"),
        "004": ("赵六", None, "active"),
    }


def test_cancel_an_upload_deletes_it(app, console, db, make_body):
    body_id = make_body()
    preview_url = upload(console, body_id, GOOD_CSV.encode()).headers["Location"]
    cancelled = submit(console, preview_url, action=preview_url + "/cancel", follow_redirects=True)
    assert "已取消导入" in text_of(cancelled)
    assert uploads_left(app) == []
    assert console.get(preview_url).status_code == 302  # gone
    assert people(db, body_id) == {}


@pytest.mark.parametrize(
    "content,filename,message",
    [
        (None, "", "请选择文件"),  # no file chosen
        (b"", "empty.csv", "文件是空的"),
        (b"name,number\n", "roster.pdf", "只能导入 .csv 或 .xlsx 文件"),
        ("无关,表头\n甲,乙\n".encode(), "x.csv", "找不到“姓名”列"),
    ],
)
def test_unusable_files_are_refused_before_any_preview(app, console, make_body, content, filename, message):
    body_id = make_body()
    response = upload(console, body_id, content, filename)
    if response.status_code == 302:
        response = console.get(response.headers["Location"])
    assert message in text_of(response)
    if response.status_code != 200:
        assert uploads_left(app) == []


def test_an_upload_belongs_to_its_body(console, make_body):
    first, second = make_body("甲市人大"), make_body("乙市人大")
    preview_url = upload(console, first, GOOD_CSV.encode()).headers["Location"]
    token = preview_url.rsplit("/", 1)[1]
    assert console.get(f"/admin/bodies/{second}/roster/import/{token}").status_code == 302


@pytest.fixture
def roster(db, make_body):
    """A body of 230 people in two delegations: 2 suspended, 1 left; returns its id."""
    body_id = make_body()
    with db.transaction() as s:
        body = s.get(Body, body_id)
        first, second = body.groups
        for i in range(1, 231):
            s.add(Representative(body=body, name=f"代表{i:03d}", number=f"{i:04d}", group=first if i <= 120 else second))
        s.add(Representative(body=body, name="欧阳明", number="9001", group=second, status="suspended"))
        s.add(Representative(body=body, name="司马光", number="9002", group=second, status="suspended"))
        s.add(Representative(body=body, name="诸葛亮", number="9003", group=None, status="left"))
    return body_id


def test_roster_counts_and_pages(console, roster):
    page = text_of(console.get(f"/admin/bodies/{roster}/roster"))
    assert re.search(r"<dt>应到</dt><dd>230</dd>", page)
    assert re.search(r"<dt>在册</dt><dd>233</dd>", page)
    assert "第 1 页，共 3 页" in page
    assert page.count('class="mono">0') == 100
    last = text_of(console.get(f"/admin/bodies/{roster}/roster?page=3"))
    assert "诸葛亮" in last and "第 3 页，共 3 页" in last


def test_roster_search_by_name_number_group_and_status(console, roster, db):
    url = f"/admin/bodies/{roster}/roster"
    by_name = text_of(console.get(url, query_string={"q": "欧阳"}))
    assert "找到 1 人" in by_name and "欧阳明" in by_name and "司马光" not in by_name

    by_number = text_of(console.get(url, query_string={"q": "9002"}))
    assert "司马光" in by_number and "找到 1 人" in by_number

    with db.session() as s:
        second = s.get(Body, roster).groups[1].id
    suspended_in_second = text_of(console.get(url, query_string={"group": second, "status": "suspended"}))
    assert "找到 2 人" in suspended_in_second
    assert "欧阳明" in suspended_in_second and "司马光" in suspended_in_second

    no_group = text_of(console.get(url, query_string={"group": 0}))
    assert "找到 1 人" in no_group and "诸葛亮" in no_group

    wildcard = text_of(console.get(url, query_string={"q": "%"}))
    assert "没有符合条件的代表" in wildcard

    # Filters survive into the next page's link.
    first_group = text_of(console.get(url, query_string={"q": "代表"}))
    assert "找到 230 人" in first_group and "q=%E4%BB%A3%E8%A1%A8&amp;page=2" in first_group


def test_edit_a_representative(console, roster, db):
    with db.session() as s:
        rep = s.scalar(select(Representative).where(Representative.number == "9001"))
        other_group = s.get(Body, roster).groups[0].id
    url = f"/admin/bodies/{roster}/roster/{rep.id}"
    assert "欧阳明" in text_of(console.get(url))

    taken = submit(console, url, {"name": "欧阳明", "number": "0001", "group_id": other_group, "status": "active"})
    assert taken.status_code == 422 and "代表证号 0001 已被他人使用" in text_of(taken)

    saved = submit(console, url, {"name": "欧阳明", "number": "9001", "group_id": other_group, "status": "active"})
    assert saved.status_code == 302
    with db.session() as s:
        rep = s.get(Representative, rep.id)
        assert (rep.status, rep.group_id) == ("active", other_group)
    assert re.search(r"<dt>应到</dt><dd>231</dd>", text_of(console.get(f"/admin/bodies/{roster}/roster")))


def test_a_representative_of_another_body_is_not_found_here(console, roster, make_body, db):
    other = make_body("乙市人大")
    with db.session() as s:
        rep_id = s.scalar(select(func.min(Representative.id)))
    assert console.get(f"/admin/bodies/{other}/roster/{rep_id}").status_code == 404
