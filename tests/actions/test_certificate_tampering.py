"""Tampering is caught: a changed PDF byte, a changed record in the database, a deleted certificate.

Each is checked the ways a citizen, a clerk and an auditor would: uploading the
PDF (POST /api/v1/verify), `voting verify FILE.pdf --key` offline, the
certificate's public page, and `voting audit` over the whole chain.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import delete, select, update

from tests.closed_ballots import close_ballot_of, run_worker
from tests.hall import make_hall
from voting.actions.certificates import certificate_store
from voting.storage import archive
from voting.storage.certificates import Certificate

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def chain(app, client, auth, db):
    """Three certified motions of one meeting: certificates 1, 2 and 3, their PDFs archived."""
    hall = make_hall(app, 35, present=28)
    for i in range(3):
        close_ballot_of(app, client, auth, "motion", hall=hall, title=f"关于第{i + 1}项事项的决定（草案）")
    run_worker(app)
    with db.session() as s:
        found = s.scalars(select(Certificate).order_by(Certificate.id)).all()
    assert [c.id for c in found] == [1, 2, 3] and all(c.pdf_sha256 for c in found)
    return found


def pdf_of(app, certificate) -> bytes:
    return archive.read(certificate_store(app).archive, certificate.pdf_sha256)


def upload(client, data: bytes, name: str = "certificate.pdf"):
    import io

    response = client.post("/api/v1/verify", data={"file": (io.BytesIO(data), name)},
                           content_type="multipart/form-data")
    assert response.status_code == 200, response.json
    return response.json


def cli(app_config, *args: str) -> subprocess.CompletedProcess:
    """`voting ARGS` as an operator runs it, on this test's instance, database and Redis."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "PUBLIC_URL")}
    env["VOTING_INSTANCE"] = str(app_config["instance_path"])
    if app_config["database_url"]:
        env["DATABASE_URL"] = app_config["database_url"]
    env["REDIS_URL"] = app_config["redis_url"]
    return subprocess.run([sys.executable, "-m", "voting", *args], env=env, capture_output=True, text=True,
                          timeout=120, cwd=REPO_ROOT)


def public_key_file(client, tmp_path) -> Path:
    path = tmp_path / "voting-public-key.pem"
    path.write_bytes(client.get("/verify/key.pem").data)
    return path


def test_genuine_certificates_pass_every_check(app, app_config, client, chain, tmp_path):
    key = public_key_file(client, tmp_path)
    for certificate in chain:
        data = pdf_of(app, certificate)
        assert upload(client, data) == {"valid": True, "certificate_id": certificate.id, "reason": "ok",
                                        "message": "真实有效：签名核验通过，文件与存档证书完全一致，未被改动。"}
        path = tmp_path / f"{certificate.id}.pdf"
        path.write_bytes(data)
        offline = cli(app_config, "verify", str(path), "--key", str(key))
        assert offline.returncode == 0, offline.stdout + offline.stderr
        assert offline.stdout.startswith(f"VALID #{certificate.id} ok_offline")
    audit = cli(app_config, "audit")
    assert audit.returncode == 0 and "OK: 3 certificates" in audit.stdout, audit.stdout + audit.stderr
    assert "核验通过：签名、证书链和存档文件均无误。" in client.get("/verify/2").get_data(as_text=True)


@pytest.mark.parametrize("where", ["page text", "embedded record", "last byte"])
def test_a_changed_pdf_byte_is_detected(app, app_config, client, chain, tmp_path, where):
    data = bytearray(pdf_of(app, chain[1]))
    if where == "page text":
        at = data.index(b"stream\n", 2000) + 40  # inside a page's compressed content
    elif where == "embedded record":
        at = data.index(b"/EmbeddedFile") + 200
    else:
        at = len(data) - 2  # inside the signature line
    data[at] ^= 0x01
    verdict = upload(client, bytes(data))
    assert verdict["valid"] is False
    assert verdict["reason"] in ("bad_document_signature", "unreadable", "record_hash_mismatch",
                                 "bad_record_signature", "document_signature_missing")
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(bytes(data))
    offline = cli(app_config, "verify", str(tampered), "--key", str(public_key_file(client, tmp_path)))
    assert offline.returncode == 1 and offline.stdout.startswith("INVALID"), offline.stdout

    # The same change made to the archived file itself: the audit names certificate 2.
    path = archive.path_for(certificate_store(app).archive, chain[1].pdf_sha256)
    os.chmod(path, 0o644)
    path.write_bytes(bytes(data))
    audit = cli(app_config, "audit")
    assert audit.returncode == 1
    assert "BROKEN at certificate #2: archive_damaged" in audit.stdout, audit.stdout
    assert "This certificate does not check out." not in client.get("/verify/1?lang=en").get_data(as_text=True)
    assert "This certificate does not check out." in client.get("/verify/2?lang=en").get_data(as_text=True)


def test_a_changed_record_in_the_database_is_detected(app, app_config, client, db, chain):
    forged = chain[1].record_json.replace('"yes":17', '"yes":18').replace('"outcome":"failed"', '"outcome":"passed"')
    assert forged != chain[1].record_json
    with db.transaction() as s:
        s.execute(update(Certificate).where(Certificate.id == 2).values(record_json=forged))
    audit = cli(app_config, "audit")
    assert audit.returncode == 1
    assert "BROKEN at certificate #2: record_hash_mismatch" in audit.stdout, audit.stdout
    # The genuine PDF no longer matches what the database claims.
    assert upload(client, pdf_of(app, chain[1]))["reason"] == "record_differs"
    page = client.get("/verify/2?lang=en").get_data(as_text=True)
    assert "The record does not match its hash: it was changed after signing." in page

    # Re-hashing the forged record does not help: the signature, and the next link, give it away.
    from voting.domain.certificate import sha256_hex

    with db.transaction() as s:
        s.execute(update(Certificate).where(Certificate.id == 2).values(record_sha256=sha256_hex(forged.encode())))
    audit = cli(app_config, "audit")
    assert "BROKEN at certificate #2: bad_record_signature" in audit.stdout, audit.stdout


@pytest.mark.parametrize("deleted, broken_at, reason", [(2, 3, "missing_predecessor"), (1, 2, "missing_predecessor"),
                                                        (3, 3, "missing_tail")])
def test_a_deleted_certificate_is_detected(app, app_config, client, db, chain, deleted, broken_at, reason):
    with db.transaction() as s:
        s.execute(delete(Certificate).where(Certificate.id == deleted))
    audit = cli(app_config, "audit")
    assert audit.returncode == 1
    assert f"BROKEN at certificate #{broken_at}: {reason}" in audit.stdout, audit.stdout
    assert upload(client, pdf_of(app, chain[deleted - 1]))["reason"] == "unknown_certificate"
    if deleted < 3:
        assert upload(client, pdf_of(app, chain[deleted]))["valid"] is False  # its neighbour's link is broken
    if deleted > 1:  # the one before it is still itself genuine; the audit reports the gap
        assert upload(client, pdf_of(app, chain[deleted - 2]))["valid"] is True


def test_a_certificate_from_another_installation_is_refused(app, client, chain, tmp_path):
    from voting.storage import signing_key

    other = signing_key.load_or_create(tmp_path / "other.pem")
    other_pem = tmp_path / "other-public.pem"
    other_pem.write_bytes(signing_key.public_pem(other.public_key()))
    from voting.actions.certificates.verify import verify_offline

    with app.app_context():
        assert verify_offline(pdf_of(app, chain[0]), other.public_key()).reason == "unknown_key"
    assert upload(client, b"%PDF-1.4 not really")["reason"] == "unreadable"
    assert upload(client, b"hello")["reason"] == "unreadable"


def test_a_record_damaged_beyond_reading_still_gets_a_page_that_says_so(app, app_config, client, db, chain):
    with db.transaction() as s:
        s.execute(update(Certificate).where(Certificate.id == 3).values(record_json='{"sequence": 3, "broken'))
    page = client.get("/verify/3?lang=en")
    assert page.status_code == 200
    assert "The record does not match its hash: it was changed after signing." in page.get_data(as_text=True)
    audit = cli(app_config, "audit")
    assert "BROKEN at certificate #3: record_hash_mismatch" in audit.stdout, audit.stdout
    meeting_id = json.loads(chain[0].record_json)["meeting"]["id"]
    meeting = client.get(f"/verify/meetings/{meeting_id}?lang=en").get_data(as_text=True)
    assert "This certificate does not check out." in meeting
