"""POST/GET /api/v1/bodies/{id}/representatives: JSON or a file in, login codes out, every bad input a 4xx."""
from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from voting.actions.accounts import hash_secret, issue_token
from voting.storage.models import Representative

GROUPS = ["城东代表团", "城西代表团"]
PEOPLE = [
    {"name": "张三", "number": "10001", "group": "城东代表团"},
    {"name": "李四", "number": "10002", "group": "城西代表团", "status": "suspended"},
    {"name": "欧阳娜娜", "number": "10003"},
]


@pytest.fixture
def body(client, auth):
    """A 人大 made through the API: its id."""
    response = client.post(
        "/api/v1/bodies", json={"name": "某市人大", "kind": "people_congress", "groups": GROUPS}, headers=auth
    )
    assert response.status_code == 201, response.json
    return response.json["id"]


def url(body_id) -> str:
    return f"/api/v1/bodies/{body_id}/representatives"


def upload(client, auth, body_id, filename, data):
    return client.post(url(body_id), data={"file": (io.BytesIO(data), filename)}, headers=auth,
                       content_type="multipart/form-data")


def listing(client, auth, body_id, q=None):
    response = client.get(url(body_id), query_string={"q": q} if q else None, headers=auth)
    assert response.status_code == 200, response.json
    return response.json["representatives"]


def test_json_import_returns_login_codes_once_and_stores_only_their_hash(client, auth, body, db):
    response = client.post(url(body), json={"representatives": PEOPLE}, headers=auth)
    assert response.status_code == 201, response.json
    created = response.json["created"]
    assert [(c["name"], c["number"]) for c in created] == [("张三", "10001"), ("李四", "10002"), ("欧阳娜娜", "10003")]
    assert response.json["updated"] == []
    with db.session() as s:
        for c in created:
            assert s.get(Representative, c["id"]).login_code_hash == hash_secret(c["login_code"])

    assert listing(client, auth, body) == [
        {"id": created[0]["id"], "name": "张三", "number": "10001", "group": "城东代表团", "status": "active"},
        {"id": created[1]["id"], "name": "李四", "number": "10002", "group": "城西代表团", "status": "suspended"},
        {"id": created[2]["id"], "name": "欧阳娜娜", "number": "10003", "group": None, "status": "active"},
    ]
    # The codes are not in the listing, or anywhere else after this answer.
    assert "login_code" not in str(client.get(url(body), headers=auth).json)


def test_re_import_updates_by_number(client, auth, body):
    first = client.post(url(body), json={"representatives": PEOPLE}, headers=auth).json
    again = client.post(
        url(body), json={"representatives": [{"name": "张三丰", "number": "10001", "status": "left"}]}, headers=auth
    )
    assert again.status_code == 201
    assert again.json["created"] == []
    assert again.json["updated"] == [{"id": first["created"][0]["id"], "name": "张三丰", "number": "10001"}]
    people = {p["number"]: p for p in listing(client, auth, body)}
    assert len(people) == 3
    assert (people["10001"]["name"], people["10001"]["group"], people["10001"]["status"]) == ("张三丰", "城东代表团", "left")


def test_search_by_name_or_number(client, auth, body):
    client.post(url(body), json={"representatives": PEOPLE}, headers=auth)
    assert [p["name"] for p in listing(client, auth, body, q="欧阳")] == ["欧阳娜娜"]
    assert [p["name"] for p in listing(client, auth, body, q="10002")] == ["李四"]
    assert listing(client, auth, body, q="王") == []
    assert listing(client, auth, body, q="%") == []  # a wildcard is taken literally


def test_gbk_csv_upload(client, auth, body):
    csv_text = "姓名,代表证号,代表团,状态\r\n张三,10001,城东代表团,在任\r\n李四,10002,,暂停\r\n"
    response = upload(client, auth, body, "名单.csv", csv_text.encode("gbk"))
    assert response.status_code == 201, response.json
    assert [c["name"] for c in response.json["created"]] == ["张三", "李四"]
    assert {p["number"]: p["status"] for p in listing(client, auth, body)} == {"10001": "active", "10002": "suspended"}


def test_xlsx_upload(client, auth, body):
    workbook = Workbook()
    sheet = workbook.active
    for row in [("姓名", "代表证号", "代表团"), ("张三", 10001, "城东代表团"), ("李四", 10002.0, None)]:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = upload(client, auth, body, "名单.xlsx", buffer.getvalue())
    assert response.status_code == 201, response.json
    assert [(c["name"], c["number"]) for c in response.json["created"]] == [("张三", "10001"), ("李四", "10002")]


def test_a_bad_row_is_a_422_with_every_row_in_chinese_and_nothing_imported(client, auth, body):
    rows = PEOPLE + [{"name": "", "number": "10001", "group": "火星代表团"}]
    response = client.post(url(body), json={"representatives": rows}, headers=auth)
    assert response.status_code == 422
    error = response.json["error"]
    assert error["code"] == "invalid_roster"
    assert error["message"] == "名单中有 3 处错误，未导入任何人员。"
    assert error["details"]["rows"] == [
        {"row": 5, "field": "name", "code": "missing_name", "message": "缺少姓名。"},
        {"row": 5, "field": "number", "code": "duplicate_number", "message": "代表证号 10001 与第 2 行重复。"},
        {"row": 5, "field": "group", "code": "unknown_group", "message": "代表团“火星代表团”不在本机构的代表团名单中。"},
    ]
    assert listing(client, auth, body) == []


def test_row_errors_in_english_on_request(client, auth, body):
    response = client.post(
        url(body) + "?lang=en", json={"representatives": [{"name": "张三", "number": ""}]}, headers=auth
    )
    assert response.json["error"]["details"]["rows"][0]["message"] == "The number is missing."


def test_a_bad_file_is_a_clear_4xx(client, auth, body):
    response = upload(client, auth, body, "名单.pdf", b"%PDF-1.4")
    assert response.status_code == 415
    assert response.json["error"] == {"code": "unsupported_file", "message": "请上传 CSV 或 Excel（.xlsx）文件。"}
    response = upload(client, auth, body, "名单.csv", b"")
    assert response.status_code == 422 and response.json["error"]["code"] == "empty_file"


@pytest.mark.parametrize(
    "payload, field",
    [
        ({}, "representatives"),
        ({"representatives": "张三"}, "representatives"),
        ({"representatives": []}, "representatives"),
        ({"representatives": [{"name": "张三"}]}, "representatives"),  # no number
        ({"representatives": [{"name": "张三", "number": 10001}]}, "representatives"),  # a number, not text
        ({"representatives": [{"name": "张三", "number": "1", "age": 40}]}, "representatives"),  # unknown field
        ({"representatives": [{"name": ["张三"], "number": "1"}]}, "representatives"),
        ({"representatives": PEOPLE, "extra": 1}, "extra"),
    ],
    ids=["empty", "not-a-list", "no-one", "missing-number", "int-number", "unknown-field", "list-name", "extra-key"],
)
def test_wrong_shapes_and_types_are_422_naming_the_field(client, auth, body, payload, field):
    response = client.post(url(body), json=payload, headers=auth)
    assert response.status_code == 422, response.json
    assert response.json["error"]["code"] == "invalid_input"
    assert field in response.json["error"]["details"]["fields"]


def test_more_than_10000_people_is_refused(client, auth, body):
    many = [{"name": "代表", "number": str(i)} for i in range(10_001)]
    response = client.post(url(body), json={"representatives": many}, headers=auth)
    assert response.status_code == 422
    assert response.json["error"]["details"]["fields"]["representatives"] == ["每次须提交 1 至 10000 名代表。"]


@pytest.mark.parametrize(
    "kwargs, status, code",
    [
        ({"data": "not json", "content_type": "application/json"}, 400, "bad_request"),
        ({"data": "name=张三", "content_type": "application/x-www-form-urlencoded"}, 415, "unsupported_media_type"),
        ({"data": {"other": "x"}, "content_type": "multipart/form-data"}, 422, "invalid_input"),
        ({"data": "x" * (9 * 1024 * 1024), "content_type": "application/json"}, 413, "too_large"),
    ],
    ids=["invalid-json", "form", "no-file", "huge"],
)
def test_bad_bodies_are_a_clear_4xx(client, auth, body, kwargs, status, code):
    response = client.post(url(body), headers=auth, **kwargs)
    assert response.status_code == status, response.json
    assert response.json["error"]["code"] == code
    assert response.json["error"]["message"]


def test_unknown_body_is_404(client, auth):
    assert client.post(url(999), json={"representatives": PEOPLE}, headers=auth).status_code == 404
    assert client.get(url(999), headers=auth).status_code == 404


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("token, status", [(None, 401), ("not-a-token", 401)])
def test_a_token_is_required(client, body, method, token, status):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = getattr(client, method)(url(body), json={"representatives": PEOPLE}, headers=headers)
    assert response.status_code == status
    assert response.json["error"]["code"] == "unauthorized"


def test_a_chair_may_import_and_a_representative_may_not(app, client, auth, body, db, make_user):
    make_user("chair", role="chair", password="correct horse battery")
    chair = client.post("/api/v1/auth/token", json={"username": "chair", "password": "correct horse battery"}).json
    chair_auth = {"Authorization": f"Bearer {chair['token']}"}
    created = client.post(url(body), json={"representatives": PEOPLE}, headers=chair_auth)
    assert created.status_code == 201

    with app.app_context(), db.transaction() as s:
        token = issue_token(s, representative=s.get(Representative, created.json["created"][0]["id"]))
    rep_auth = {"Authorization": f"Bearer {token}"}
    assert client.get(url(body), headers=rep_auth).status_code == 403
    assert client.post(url(body), json={"representatives": PEOPLE}, headers=rep_auth).status_code == 403


def test_openapi_documents_json_and_file_upload(client):
    operation = client.get("/api/v1/openapi.json").json["paths"]["/api/v1/bodies/{body_id}/representatives"]
    content = operation["post"]["requestBody"]["content"]
    assert set(content) == {"application/json", "multipart/form-data"}
    assert "201" in operation["post"]["responses"] and "200" in operation["get"]["responses"]
    assert any(p["name"] == "q" for p in operation["get"]["parameters"])
