"""The public verification pages and API as a citizen uses them: no account, Chinese first."""
from __future__ import annotations

import hashlib
import io
import json

import pytest
from cryptography.hazmat.primitives import serialization

from tests.closed_ballots import close_ballot_of, run_worker
from tests.hall import make_hall
from voting.actions.certificates import certificate_store
from voting.domain.ballots import Rules
from voting.domain.tally import ballots_digest, count
from voting.storage import archive


@pytest.fixture
def certified(app, client, auth):
    """A meeting with a certified motion and a certified satisfaction test."""
    hall = make_hall(app, 35, present=29)
    motion = close_ballot_of(app, client, auth, "motion", hall=hall)
    satisfaction = close_ballot_of(app, client, auth, "satisfaction", hall=hall)
    run_worker(app)
    return hall, motion, satisfaction


def test_the_public_key_page_and_file(app, client):
    page = client.get("/verify/key")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "本系统的公钥" in html and "-----BEGIN PUBLIC KEY-----" in html
    info = client.get("/verify/key?format=json").json
    assert info["algorithm"] == "Ed25519" and len(info["fingerprint"]) == 64 and info["fingerprint"] in html
    pem = client.get("/verify/key.pem")
    assert pem.headers["X-Key-Fingerprint"] == info["fingerprint"]
    key = serialization.load_pem_public_key(pem.data)
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    assert hashlib.sha256(raw).hexdigest() == info["fingerprint"]
    key_file = certificate_store(app).key_path
    assert key_file.stat().st_mode & 0o777 == 0o600  # made on first use, private to its owner
    assert b"PRIVATE" not in pem.data and b"PRIVATE" not in page.data


def test_a_certificate_page_shows_the_record_and_its_checks(app, client, certified):
    hall, motion, _ = certified
    status = client.get(f"/api/v1/ballots/{motion.ballot_id}/certificate", headers=hall.members[0].headers).json
    page = client.get(status["verify_url"])
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for text in ("核验通过：签名、证书链和存档文件均无误。", "关于批准2025年市级预算调整方案的决议（草案）", "表决结果：未通过",
                 "赞成 ≥ 18（全体组成人员35人的过半数）", "无记名按表决器（手机）", status["record_sha256"]):
        assert text in html, text
    pdf = client.get(status["pdf_url"])
    assert pdf.mimetype == "application/pdf"
    assert hashlib.sha256(pdf.data).hexdigest() == status["sha256"]
    record = client.get(f"/verify/{status['id']}.json").json
    assert hashlib.sha256(record["record_json"].encode()).hexdigest() == status["record_sha256"]
    assert client.get("/verify/999").status_code == 404
    assert client.get("/verify/?n=" + str(status["id"])).headers["Location"].endswith(status["verify_url"])


def test_uploading_a_pdf_on_the_page_says_whether_it_is_genuine(app, client, certified):
    from tests.web.admin.pages import csrf_from

    form = client.get("/verify/")
    assert "核验表决结果证书" in form.get_data(as_text=True)
    token = csrf_from(form.get_data(as_text=True))
    pdf = next(certificate_store(app).archive.glob("*.pdf")).read_bytes()
    genuine = client.post("/verify/", data={"csrf_token": token, "file": (io.BytesIO(pdf), "证书.pdf")},
                          content_type="multipart/form-data")
    assert genuine.status_code == 200 and "真实有效的证书" in genuine.get_data(as_text=True)
    changed = bytearray(pdf)
    changed[len(changed) // 2] ^= 0x20
    forged = client.post("/verify/", data={"csrf_token": token, "file": (io.BytesIO(bytes(changed)), "证书.pdf")},
                         content_type="multipart/form-data")
    assert "不是真实、未经改动的证书" in forged.get_data(as_text=True)
    missing = client.post("/verify/", data={"csrf_token": token}, content_type="multipart/form-data")
    assert missing.status_code == 422 and "请选择要核验的 PDF 文件。" in missing.get_data(as_text=True)


def test_the_verify_api_needs_a_file(client):
    response = client.post("/api/v1/verify", data={}, content_type="multipart/form-data")
    assert response.status_code == 422 and response.json["error"]["code"] == "invalid_input"


def test_the_meeting_archive_lists_results_and_exports_everything_needed_to_recount(app, client, certified):
    hall, motion, satisfaction = certified
    page = client.get(f"/verify/meetings/{hall.meeting_id}").get_data(as_text=True)
    assert "测评结果：县政府关于生态环境保护工作情况的报告，基本满意" in page and "表决结果：未通过" in page
    assert page.count(".pdf") == 2
    export = client.get(f"/verify/meetings/{hall.meeting_id}.json").json
    assert [r["ballot_id"] for r in export["results"]] == [motion.ballot_id, satisfaction.ballot_id]
    key = serialization.load_pem_public_key(export["public_key"].encode())
    for result in export["results"]:
        record = json.loads(result["record_json"])
        assert hashlib.sha256(result["record_json"].encode()).hexdigest() == result["record_sha256"]
        import base64

        key.verify(base64.b64decode(result["signature"]), result["record_json"].encode())  # raises if forged
        # Anyone's recount: the published ballots hash to the signed digest and count to the signed figures.
        assert ballots_digest(result["ballots"]) == record["ballots"]["digest"] == result["ballots_digest"]
        tally = count(record["kind"], Rules.from_mapping(record["rules"]), [i["id"] for i in record["items"]],
                      result["ballots"])
        assert [dict(tally.items[i["id"]].counts) for i in record["items"]] == [i["counts"] for i in record["items"]]
        assert len(result["ballots"]) == record["tally"]["cast"]
        assert all(set(b) <= {str(i["id"]) for i in record["items"]} for b in result["ballots"])  # no keys, no names
        assert hashlib.sha256(archive.read(certificate_store(app).archive, result["pdf_sha256"])).hexdigest() == \
            result["pdf_sha256"]


def test_certificate_status_before_close_and_for_strangers(app, client, auth):
    hall = make_hall(app, 5)
    created = client.post(f"/api/v1/meetings/{hall.meeting_id}/ballots",
                          json={"kind": "motion", "title": "决定", "items": [{"title": "决定"}]}, headers=auth).json
    early = client.get(f"/api/v1/ballots/{created['id']}/certificate", headers=auth)
    assert early.status_code == 409 and early.json["error"]["code"] == "not_closed"
    assert client.get(f"/api/v1/ballots/{created['id']}/certificate").status_code == 401
