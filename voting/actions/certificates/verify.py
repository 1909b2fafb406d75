"""Checking certificates: an uploaded PDF, one archived certificate, or the whole chain.

Every check answers with a stable reason code (for the API and scripts) that
`reason_message` turns into the user's language. Nothing here trusts the PDF
reader's view of the page: the embedded record's bytes are hashed and their
signature checked, the document's own signature covers every byte of the file,
and online checks compare with the archived file and the chain.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from voting.actions.certificates.store import CertificateStore
from voting.domain.certificate import Link, head_problem, link_problem, sha256_hex
from voting.render.certificate_file import UnreadableCertificate, read_certificate_file
from voting.storage import archive, signing_key
from voting.storage.certificates import CHAIN_ID, Certificate, CertificateChain

REASONS = {
    "ok": _l("Genuine: the signature checks and the file is the archived certificate, unchanged."),
    "ok_offline": _l("Genuine: the record's and the document's signatures check with this public key."),
    "unreadable": _l("This is not a certificate of this system, or the file is damaged."),
    "record_hash_mismatch": _l("The record does not match its hash: it was changed after signing."),
    "bad_record_signature": _l("The record's signature does not check: it was not signed by this system's key."),
    "unknown_key": _l("The certificate was signed with another key than this system's."),
    "document_signature_missing": _l("The file's signature line is missing: the file was changed after signing."),
    "bad_document_signature": _l("The file's signature does not check: the file was changed after signing."),
    "unknown_certificate": _l("No certificate with this number is archived here."),
    "record_differs": _l("The record in the file is not the archived record."),
    "not_the_archived_file": _l("The file differs from the archived certificate."),
    "not_stored": _l("The certificate is sealed but its PDF is not in the archive yet."),
    "archive_missing": _l("The archived PDF is missing."),
    "archive_damaged": _l("The archived PDF was changed."),
    "missing_predecessor": _l("A certificate before this one is missing from the chain."),
    "previous_hash_mismatch": _l("The previous certificate is not the one this one was chained to."),
    "record_position_mismatch": _l("The record's place in the chain disagrees with its row."),
    "record_unreadable": _l("The stored record is not readable."),
    "missing_tail": _l("The newest certificates of the chain are missing."),
    "ballot_mismatch": _l("The certificate is stored for another ballot than its record names."),
}


def reason_message(code: str) -> str:
    """The user's-language sentence for a reason code."""
    return str(REASONS.get(code, REASONS["unreadable"]))


@dataclass
class Verdict:
    """The answer to "is this a genuine certificate?": valid, which certificate, and why not."""

    valid: bool
    certificate_id: int | None
    reason: str

    @property
    def message(self) -> str:
        """The reason in the user's language."""
        return reason_message(self.reason)

    def to_dict(self) -> dict:
        """POST /api/v1/verify's answer."""
        return {"valid": self.valid, "certificate_id": self.certificate_id, "reason": self.reason,
                "message": self.message}


def verify_offline(data: bytes, public_key: Ed25519PublicKey) -> Verdict:
    """Check a certificate PDF with nothing but the public key: the record's hash and signature, and the file's."""
    try:
        found = read_certificate_file(data)
    except UnreadableCertificate:
        return Verdict(False, None, "unreadable")
    cid = found.certificate_id
    claimed = found.record_signature
    if sha256_hex(found.record) != claimed.get("record_sha256"):
        return Verdict(False, cid, "record_hash_mismatch")
    fingerprint = signing_key.fingerprint(public_key)
    if claimed.get("key_fingerprint") != fingerprint:
        return Verdict(False, cid, "unknown_key")
    if not signing_key.is_valid(public_key, str(claimed.get("signature", "")), found.record):
        return Verdict(False, cid, "bad_record_signature")
    if found.document_signature is None:
        return Verdict(False, cid, "document_signature_missing")
    if found.document_key_fingerprint != fingerprint or not signing_key.is_valid(
        public_key, found.document_signature, found.body
    ):
        return Verdict(False, cid, "bad_document_signature")
    return Verdict(True, cid, "ok_offline")


def verify_upload(session: Session, data: bytes, store: CertificateStore) -> Verdict:
    """Check an uploaded PDF: offline checks, then that it is exactly the archived certificate and its link holds."""
    verdict = verify_offline(data, store.public_key())
    if not verdict.valid:
        return verdict
    certificate = session.get(Certificate, verdict.certificate_id) if verdict.certificate_id else None
    if certificate is None:
        return Verdict(False, verdict.certificate_id, "unknown_certificate")
    found = read_certificate_file(data)
    if found.record != certificate.record_json.encode("utf-8"):
        return Verdict(False, certificate.id, "record_differs")
    problem = check_certificate(session, certificate, store).problem
    if problem:
        return Verdict(False, certificate.id, problem)
    if hashlib.sha256(data).hexdigest() != certificate.pdf_sha256:
        return Verdict(False, certificate.id, "not_the_archived_file")
    return Verdict(True, certificate.id, "ok")


@dataclass
class CertificateCheck:
    """The checks of one archived certificate, for its public page."""

    certificate: Certificate
    record_ok: bool = False
    signature_ok: bool = False
    chain_ok: bool = False
    pdf_ok: bool = False
    problems: list[str] = field(default_factory=list)
    previous_id: int | None = None  # the neighbours in the chain, when they are stored
    next_id: int | None = None

    @property
    def problem(self) -> str | None:
        """The first problem found, or None when everything holds."""
        return self.problems[0] if self.problems else None


def _link(certificate: Certificate) -> Link:
    """The chain's view of a certificate row."""
    return Link(certificate.id, certificate.record_json.encode("utf-8"), certificate.record_sha256,
                certificate.previous_sha256)


def _record_problem(certificate: Certificate, public_key: Ed25519PublicKey) -> str | None:
    """Hash and signature of the stored record."""
    record = certificate.record_json.encode("utf-8")
    if sha256_hex(record) != certificate.record_sha256:
        return "record_hash_mismatch"
    if certificate.key_fingerprint != signing_key.fingerprint(public_key):
        return "unknown_key"
    if not signing_key.is_valid(public_key, certificate.signature, record):
        return "bad_record_signature"
    if json.loads(record).get("agenda_item", {}).get("ballot_id") != certificate.ballot_id:
        return "ballot_mismatch"
    return None


def _pdf_problem(certificate: Certificate, store: CertificateStore, deep: bool = True) -> str | None:
    """The archived PDF: present, unchanged, and (deep) carrying this very record with valid signatures."""
    if certificate.pdf_sha256 is None:
        return "not_stored"
    try:
        data = archive.read(store.archive, certificate.pdf_sha256)
    except FileNotFoundError:
        return "archive_missing"
    if hashlib.sha256(data).hexdigest() != certificate.pdf_sha256:
        return "archive_damaged"
    if deep:
        verdict = verify_offline(data, store.public_key())
        if not verdict.valid:
            return "archive_damaged"
        if read_certificate_file(data).record != certificate.record_json.encode("utf-8"):
            return "record_differs"
    return None


def check_certificate(session: Session, certificate: Certificate, store: CertificateStore) -> CertificateCheck:
    """Check one certificate: its record's hash and signature, its links to both neighbours, its archived PDF."""
    check = CertificateCheck(certificate)
    public_key = store.public_key()
    problem = _record_problem(certificate, public_key)
    check.record_ok = problem not in ("record_hash_mismatch", "ballot_mismatch")
    check.signature_ok = problem is None
    if problem:
        check.problems.append(problem)
    previous = session.get(Certificate, certificate.id - 1) if certificate.id > 1 else None
    following = session.get(Certificate, certificate.id + 1)
    check.previous_id = previous.id if previous else None
    check.next_id = following.id if following else None
    chain = link_problem(_link(certificate), _link(previous) if previous else None)
    if chain is None and following is not None and following.previous_sha256 != certificate.record_sha256:
        chain = "previous_hash_mismatch"
    if chain is None and certificate.id > 1 and previous is None:
        chain = "missing_predecessor"
    check.chain_ok = chain is None
    if chain:
        check.problems.append(chain)
    pdf = _pdf_problem(certificate, store)
    check.pdf_ok = pdf is None
    if pdf:
        check.problems.append(pdf)
    return check


@dataclass
class AuditReport:
    """The walk over the whole chain: how many certificates, the first broken link, the unfinished ones."""

    count: int
    broken_at: int | None = None
    reason: str | None = None
    pending: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether every link holds."""
        return self.reason is None


def audit_chain(session: Session, store: CertificateStore) -> AuditReport:
    """Walk the chain from the first certificate; name the first broken link (certificate number and reason).

    A certificate still waiting for its PDF (sealed, job not finished) is listed
    as pending, not as broken.
    """
    public_key = store.public_key()
    report = AuditReport(count=0)
    previous: Link | None = None
    last: Link | None = None
    for certificate in session.scalars(select(Certificate).order_by(Certificate.id)):
        report.count += 1
        link = _link(certificate)
        problem = link_problem(link, previous) or _record_problem(certificate, public_key)
        if problem is None:
            problem = _pdf_problem(certificate, store)
            if problem == "not_stored":
                report.pending.append(certificate.id)
                problem = None
        if problem:
            report.broken_at, report.reason = certificate.id, problem
            return report
        previous = last = link
    head = session.get(CertificateChain, CHAIN_ID)
    problem = head_problem(last, head.sequence if head else 0, head.last_sha256 if head else None)
    if problem:
        report.broken_at, report.reason = (last.sequence + 1 if last else 1), problem
    return report
