"""Roster import on both databases: reading real files, previewing, all-or-nothing, re-import."""
from __future__ import annotations

import io
import time

import pytest
from openpyxl import Workbook
from sqlalchemy import event, func, select

from voting.actions.accounts import hash_secret
from voting.actions.bodies import create_body, get_body
from voting.actions.errors import ActionError
from voting.actions.roster_import import import_roster, preview_roster, read_roster_file
from voting.storage.models import Representative

GROUPS = ["城东代表团", "城西代表团"]
CSV_TEXT = "姓名,代表证号,代表团,状态\n张三,10001,城东代表团,在任\n李四,10002,城西代表团,暂停\n欧阳娜娜,10003,,\n"


@pytest.fixture
def ctx(app):
    """A request context in the default locale (zh_CN), as a clerk's request would have."""
    with app.test_request_context("/"):
        yield


@pytest.fixture(scope="module")
def reader(tmp_path_factory, embedded_redis_url):
    """A zh_CN request context for the file-reading tests: they touch no database, so one app
    on the embedded backend serves them all."""
    from voting import create_app

    app = create_app({"instance_path": tmp_path_factory.mktemp("reader"), "redis_url": embedded_redis_url,
                      "testing": True, "SOCKETIO_ASYNC_MODE": "threading"})
    with app.test_request_context("/"):
        yield
    app.extensions["voting.db"].dispose()


@pytest.fixture
def body_id(app, db):
    """A 人大 with two delegations."""
    with app.app_context(), db.transaction() as s:
        return create_body(s, "某市第十六届人民代表大会", "people_congress", 16, GROUPS).id


def people(db, body_id) -> dict[str, tuple]:
    """number → (name, group, status, login_code_hash) of everyone on the body's roster."""
    with db.session() as s:
        reps = s.scalars(select(Representative).where(Representative.body_id == body_id)).all()
        return {r.number: (r.name, r.group.name if r.group else None, r.status, r.login_code_hash) for r in reps}


def run_import(db, body_id, rows):
    with db.transaction() as s:
        result = import_roster(s, get_body(s, body_id), rows)
        return [(rep.number, code) for rep, code in result.created], [rep.number for rep in result.updated], result


def xlsx_bytes(*rows, title: str | None = None) -> bytes:
    """An .xlsx made the way Excel stores it: numbers as numbers, an optional title row."""
    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- reading files -------------------------------------------------------------------

EXPECTED = [
    {"姓名": "张三", "代表证号": "10001", "代表团": "城东代表团", "状态": "在任"},
    {"姓名": "李四", "代表证号": "10002", "代表团": "城西代表团", "状态": "暂停"},
    {"姓名": "欧阳娜娜", "代表证号": "10003", "代表团": "", "状态": ""},
]


@pytest.mark.parametrize(
    "filename, data",
    [
        ("名单.csv", CSV_TEXT.encode("utf-8")),
        ("名单.csv", CSV_TEXT.encode("utf-8-sig")),  # Excel's "CSV UTF-8" writes a BOM
        ("名单.csv", CSV_TEXT.encode("gbk")),  # what WPS and older Excel write on a Chinese PC
        ("名单.CSV", CSV_TEXT.replace("\n", "\r\n").encode("gb18030")),
        ("名单.csv", CSV_TEXT.replace(",", ";").encode("utf-8")),
        ("名单.txt", CSV_TEXT.replace(",", "\t").encode("utf-16")),  # Excel's "Unicode text"
        ("名单.tsv", CSV_TEXT.replace(",", "\t").encode("utf-8")),
    ],
    ids=["utf8", "utf8-bom", "gbk", "gb18030-crlf", "semicolon", "utf16-tab", "tsv"],
)
def test_csv_in_every_encoding_and_delimiter_reads_the_same(reader, filename, data):
    assert read_roster_file(filename, data) == EXPECTED


def test_xlsx_numbers_become_the_text_the_clerk_typed(reader):
    data = xlsx_bytes(
        ("姓名", "代表证号", "代表团", "状态"),
        ("张三", 10001, "城东代表团", "在任"),
        ("李四", 10002.0, "城西代表团", "暂停"),
        ("欧阳娜娜", "10003", None, None),
    )
    assert read_roster_file("名单.xlsx", data) == EXPECTED


def test_xlsx_with_a_title_row_keeps_the_row_numbers_excel_shows(ctx, app, db, body_id):
    data = xlsx_bytes(("姓名", "代表证号"), ("张三", 10001), (None, 10002), title="某市人大代表名单")
    rows = read_roster_file("名单.xlsx", data)
    with db.session() as s:
        preview = preview_roster(s, get_body(s, body_id), rows)
    assert [(e.row, e.field, e.message) for e in preview.errors] == [(4, "name", "缺少姓名。")]


def test_an_xlsx_renamed_to_csv_is_still_read(reader):
    data = xlsx_bytes(("姓名", "代表证号"), ("张三", 10001))
    assert read_roster_file("名单.csv", data) == [{"姓名": "张三", "代表证号": "10001"}]


@pytest.mark.parametrize(
    "filename, data, code, message",
    [
        ("名单.csv", b"", "empty_file", "文件是空的。"),
        ("名单.csv", "\ufeff\r\n\r\n".encode("utf-8"), "empty_file", "文件是空的。"),
        ("名单.xlsx", xlsx_bytes(), "empty_file", "文件是空的。"),
        ("名单.pdf", b"%PDF-1.4 ...", "unsupported_file", "请上传 CSV 或 Excel（.xlsx）文件。"),
        ("名单.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "unsupported_file",
         "无法读取旧版 Excel 文件（.xls）：请在 Excel 中另存为 .xlsx 或 CSV 格式后再上传。"),
        ("名单.xlsx", b"PK\x03\x04 not really a workbook", "unreadable_file",
         "无法读取该 Excel 文件：文件可能已损坏，或并非 .xlsx 格式。"),
        ("名单.csv", bytes(range(128, 256)) * 4, "unreadable_encoding",
         "文件的文字编码既不是 UTF-8 也不是 GBK：请另存为“CSV UTF-8”格式后重试。"),
    ],
    ids=["empty", "blank-lines", "empty-sheet", "pdf", "xls", "fake-xlsx", "binary"],
)
def test_unreadable_files_are_refused_with_a_chinese_reason(reader, filename, data, code, message):
    with pytest.raises(ActionError) as caught:
        read_roster_file(filename, data)
    assert (caught.value.code, caught.value.message) == (code, message)
    assert 400 <= caught.value.status < 500


def test_a_file_over_the_size_limit_is_refused(reader, monkeypatch):
    from voting.actions import roster_import

    monkeypatch.setattr(roster_import, "MAX_FILE_BYTES", 100)
    with pytest.raises(ActionError) as caught:
        read_roster_file("名单.csv", CSV_TEXT.encode() * 10)
    assert caught.value.status == 413


# --- preview and import --------------------------------------------------------------


def test_import_creates_everyone_with_a_one_time_login_code(ctx, db, body_id):
    created, updated, _result = run_import(db, body_id, read_roster_file("名单.csv", CSV_TEXT.encode("gbk")))
    assert [n for n, _code in created] == ["10001", "10002", "10003"] and updated == []
    on_file = people(db, body_id)
    assert {n: p[:3] for n, p in on_file.items()} == {
        "10001": ("张三", "城东代表团", "active"),
        "10002": ("李四", "城西代表团", "suspended"),
        "10003": ("欧阳娜娜", None, "active"),
    }
    codes = dict(created)
    assert len(set(codes.values())) == 3 and all(len(code) >= 32 for code in codes.values())
    # Only the hash is kept: the code itself is nowhere in the database.
    assert all(on_file[n][3] == hash_secret(code) != code for n, code in codes.items())


def test_preview_counts_what_would_change_and_writes_nothing(ctx, db, body_id):
    run_import(db, body_id, read_roster_file("名单.csv", CSV_TEXT.encode()))
    changed = CSV_TEXT.replace("李四,10002,城西代表团,暂停", "李四,10002,城东代表团,在任") + "赵六,10004,,\n"
    with db.session() as s:
        preview = preview_roster(s, get_body(s, body_id), read_roster_file("名单.csv", changed.encode()))
    assert preview.is_valid
    assert [r.number for r in preview.to_create] == ["10004"]
    assert [(u.row.number, u.changes) for u in preview.to_update] == [
        ("10002", {"group": ("城西代表团", "城东代表团"), "status": ("suspended", "active")})
    ]
    assert preview.unchanged == 2
    assert "10004" not in people(db, body_id)


BAD_ROWS = [
    ("姓名,代表证号\n,10001\n", [(2, "name", "missing_name", "缺少姓名。")]),
    ("姓名,代表证号\n张三,\n", [(2, "number", "missing_number", "缺少代表证号。")]),
    (
        "姓名,代表证号\n张三,10001\n李四,10002\n王五,10001\n",
        [(4, "number", "duplicate_number", "代表证号 10001 与第 2 行重复。")],
    ),
    (
        "姓名,代表证号,代表团\n张三,10001,火星代表团\n",
        [(2, "group", "unknown_group", "代表团“火星代表团”不在本机构的代表团名单中。")],
    ),
    (
        "姓名,代表证号,状态\n张三,10001,退休\n",
        [(2, "status", "invalid_status", "无法识别的状态“退休”：请填写 在任、暂停 或 离任。")],
    ),
    ("姓名,代表证号\n" + "张" * 101 + ",10001\n", [(2, "name", "name_too_long", "姓名超过 100 个字。")]),
    (
        "序号,代表团\n1,城东代表团\n",
        [
            (1, "name", "missing_column", "找不到“姓名”列，表头须为以下之一：姓名 / 代表姓名 / name。"),
            (1, "number", "missing_column", "找不到“代表证号”列，表头须为以下之一：代表证号 / 证号 / 编号 / 号码 / number。"),
        ],
    ),
]


@pytest.mark.parametrize("text, expected", BAD_ROWS, ids=[e[0][2] for _t, e in BAD_ROWS])
def test_one_bad_row_imports_no_one_and_says_where_in_chinese(ctx, db, body_id, text, expected):
    good_rows = "".join(f"代表{i},2{i:04d}\n" for i in range(5))
    lines = text.splitlines(keepends=True)
    rows = read_roster_file("名单.csv", (lines[0] + "".join(lines[1:]) + good_rows).encode("gbk"))
    with db.session() as s:
        preview = preview_roster(s, get_body(s, body_id), rows)
    assert [(e.row, e.field, e.code, e.message) for e in preview.errors] == expected
    assert not preview.is_valid

    with pytest.raises(ActionError) as caught:
        run_import(db, body_id, rows)
    error = caught.value
    assert (error.code, error.status) == ("invalid_roster", 422)
    assert error.message == f"名单中有 {len(expected)} 处错误，未导入任何人员。"
    assert [(r["row"], r["field"], r["code"], r["message"]) for r in error.details["rows"]] == expected
    assert people(db, body_id) == {}  # the good rows were not imported either


def test_a_row_error_reads_as_one_line(ctx, db, body_id):
    with db.session() as s:
        preview = preview_roster(s, get_body(s, body_id), [{"姓名": "", "代表证号": "1"}])
    assert preview.errors[0].as_line() == "第 2 行，姓名：缺少姓名。"


def test_errors_are_english_when_the_user_chose_english(app, db, body_id):
    with app.test_request_context("/?lang=en"), db.session() as s:
        preview = preview_roster(s, get_body(s, body_id), [{"name": "", "number": "1"}])
    assert preview.errors[0].message == "The name is missing."


def test_re_import_updates_by_number_and_does_not_duplicate(ctx, db, body_id):
    created, _u, _r = run_import(db, body_id, read_roster_file("名单.csv", CSV_TEXT.encode()))
    before = people(db, body_id)

    again = "姓名,代表证号,代表团,状态\n张三丰,10001,城西代表团,离任\n李四,10002,城西代表团,暂停\n"
    created2, updated, result = run_import(db, body_id, read_roster_file("名单.csv", again.encode("gbk")))
    assert created2 == [] and updated == ["10001"] and result.unchanged == 1
    after = people(db, body_id)
    assert len(after) == 3  # 10003 was not in the file: left as it was, not removed
    assert after["10001"][:3] == ("张三丰", "城西代表团", "left")
    assert after["10001"][3] == before["10001"][3]  # the card's login code still works
    assert after["10003"] == before["10003"]


def test_re_import_without_status_or_group_columns_keeps_them(ctx, db, body_id):
    run_import(db, body_id, read_roster_file("名单.csv", CSV_TEXT.encode()))
    _c, updated, _r = run_import(db, body_id, [{"姓名": "李思", "代表证号": "10002"}])
    assert updated == ["10002"]
    assert people(db, body_id)["10002"][:3] == ("李思", "城西代表团", "suspended")


def test_a_blank_group_on_re_import_takes_the_person_out_of_their_group(ctx, db, body_id):
    run_import(db, body_id, read_roster_file("名单.csv", CSV_TEXT.encode()))
    run_import(db, body_id, [{"姓名": "张三", "代表证号": "10001", "代表团": ""}])
    assert people(db, body_id)["10001"][1] is None


def test_numbers_are_per_body(ctx, app, db, body_id):
    with db.transaction() as s:
        other = create_body(s, "某市人大常委会", "standing_committee", 16).id
    run_import(db, body_id, [{"姓名": "张三", "代表证号": "1"}])
    created, _u, _r = run_import(db, other, [{"姓名": "张三", "代表证号": "1"}])
    assert len(created) == 1 and len(people(db, other)) == 1 and len(people(db, body_id)) == 1


def test_3000_rows_import_in_a_few_bulk_queries(ctx, db, body_id):
    text = "姓名,代表证号,代表团\n" + "".join(f"代表{i},{100000 + i},{GROUPS[i % 2]}\n" for i in range(3000))
    rows = read_roster_file("名单.csv", text.encode("gbk"))
    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        started = time.perf_counter()
        created, _u, _r = run_import(db, body_id, rows)
        first = time.perf_counter() - started
        first_statements = len(statements)
        # Re-import with every name changed: 3,000 updates.
        changed = [{**row, "姓名": row["姓名"] + "甲"} for row in rows]
        statements.clear()
        started = time.perf_counter()
        _c, updated, _r = run_import(db, body_id, changed)
        second = time.perf_counter() - started
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(created) == 3000 and len(updated) == 3000
    assert first_statements < 30 and len(statements) < 30, "a query per row crept in"
    assert first < 10 and second < 10, (first, second)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Representative)) == 3000
