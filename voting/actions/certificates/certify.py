"""Certify a closed ballot: recount, seal the signed record into the chain, store the PDF.

Three steps, each safe to repeat, so a job killed anywhere and run again ends
with exactly one certificate:
1. `seal_certificate` (one transaction): lock the ballot; if it already has a
   certificate, return it. Otherwise recount from the stored ballots (never the
   live counters) with the domain's own `count` and `decide`, check the box
   against the roll of voters and the result announced at close, then, holding
   the chain's head, build the record, sign it and add it to the chain.
2. `render_certificate_pdf` (no transaction): the PDF is a pure function of the
   sealed row, so rendering again after a crash gives the same bytes; they go to
   the write-once archive under their hash.
3. `finish_certificate` (one transaction): note the PDF's hash, mark the ballot certified.
A refusal raises CertificationFailed with a stable code and the details the
clerk is shown; `record_failure` keeps them.
"""
from __future__ import annotations

import json
from datetime import datetime

from flask_babel import force_locale, gettext
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

import voting
from voting.actions.ballots.read import get_ballot, item_ids, rules_of
from voting.actions.certificates.store import CertificateStore
from voting.actions.projects.adopt import apply_certified_result
from voting.domain.certificate import build_record, canonical_json, result_differences, sha256_hex
from voting.domain.outcomes import decide
from voting.domain.tally import count
from voting.render.certificate_file import append_signature
from voting.render.certificate_pdf import render_certificate
from voting.storage import archive, signing_key
from voting.storage.ballot_box import all_ballots, canonical
from voting.storage.ballots import Ballot, Participation
from voting.storage.certificates import CHAIN_ID, Certificate, CertificateChain, Certification
from voting.storage.models import utcnow


class CertificationFailed(Exception):
    """The ballot cannot be certified: `code` says why, `details` are the lines the clerk reads."""

    def __init__(self, code: str, details: list[str] | None = None) -> None:
        """`code` is stable (box_mismatch, result_mismatch...); `details` are plain lines with the figures."""
        self.code = code
        self.details = list(details or [])
        super().__init__(code + (": " + "; ".join(self.details) if self.details else ""))


def recount(session: Session, ballot: Ballot) -> dict:
    """The result recounted from the sealed box, checked; returns it as stored JSON would hold it.

    Raises CertificationFailed: "box_mismatch" when the box holds another number
    of ballots than there are voters on the roll, "named_mismatch" when a named
    ballot's recorded choices are not the box's, "result_mismatch" (every
    differing figure listed) when the recount is not the result announced at close.
    """
    rules = rules_of(ballot)
    ballots = all_ballots(session, ballot.id)
    voters = session.scalar(select(func.count()).select_from(Participation).where(Participation.ballot_id == ballot.id))
    if len(ballots) != voters:
        raise CertificationFailed("box_mismatch", [f"{len(ballots)} ballots stored, {voters} voters recorded"])
    if not rules.secret:
        named = session.scalars(select(Participation.named_choices_json).where(Participation.ballot_id == ballot.id))
        if sorted(canonical(json.loads(n or "{}")) for n in named) != sorted(canonical(b) for b in ballots):
            raise CertificationFailed("named_mismatch", ["the voters' recorded choices are not the ballots in the box"])
    tally = count(ballot.kind, rules, item_ids(ballot), ballots)
    result = decide(
        ballot.kind,
        rules,
        [(item.id, item.title) for item in ballot.items],
        tally,
        expected=ballot.expected_at_close,
        present=ballot.present_at_close,
        body_kind=ballot.meeting.body.kind,
    )
    recounted = json.loads(canonical(result.to_dict()))
    differences = result_differences(json.loads(ballot.result_json or "null"), recounted)
    if differences:
        raise CertificationFailed("result_mismatch", differences)
    return recounted


def _chain_head(session: Session) -> CertificateChain:
    """The chain's head row, locked for this transaction (created on first use)."""
    head = session.scalars(select(CertificateChain).where(CertificateChain.id == CHAIN_ID).with_for_update()).first()
    if head is None:
        try:
            with session.begin_nested():
                session.add(CertificateChain(id=CHAIN_ID, sequence=0, last_sha256=None))
        except IntegrityError:
            pass  # another worker made it first; lock theirs
        head = session.scalars(select(CertificateChain).where(CertificateChain.id == CHAIN_ID).with_for_update()).one()
    return head


def seal_certificate(
    session: Session, ballot_id: int, store: CertificateStore, request_base: str | None = None,
    now: datetime | None = None,
) -> Certificate:
    """The ballot's certificate: the existing one, or a new one recounted, signed and chained. The caller commits.

    Raises CertificationFailed ("not_closed", "certificate_missing" for a ballot
    marked certified without one, and those of `recount`), NotFound for an unknown ballot.
    """
    ballot = get_ballot(session, ballot_id, lock=True)  # two jobs for one ballot queue up here
    existing = session.scalars(select(Certificate).where(Certificate.ballot_id == ballot.id)).first()
    if existing is not None:
        return existing
    if ballot.status == "certified":
        raise CertificationFailed("certificate_missing", [f"ballot {ballot.id} is marked certified but has no certificate"])
    if ballot.status != "closed":
        raise CertificationFailed("not_closed", [f"ballot {ballot.id} is {ballot.status}"])
    result = recount(session, ballot)
    head = _chain_head(session)
    now = now or utcnow()
    sequence = head.sequence + 1
    key = store.signing_key()
    fingerprint = signing_key.fingerprint(key.public_key())
    meeting, body = ballot.meeting, ballot.meeting.body
    record = build_record(
        sequence=sequence,
        previous_sha256=head.last_sha256,
        body={"name": body.name, "kind": body.kind, "term": body.term},
        meeting={
            "id": meeting.id,
            "title": meeting.title,
            "date": meeting.meeting_date.isoformat() if meeting.meeting_date else None,
            "location": meeting.location,
        },
        ballot={"id": ballot.id, "position": ballot.position, "title": ballot.title, "kind": ballot.kind},
        result=result,
        on_leave=ballot.on_leave_at_close or 0,
        ballots_count=result["cast"],
        ballots_digest=result["digest"],
        opened_at=ballot.opened_at,
        closed_at=ballot.closed_at,
        certified_at=now,
        software_version=voting.__version__,
        key_fingerprint=fingerprint,
    )
    record_bytes = canonical_json(record)
    certificate = Certificate(
        id=sequence,
        ballot_id=ballot.id,
        record_json=record_bytes.decode("utf-8"),
        record_sha256=sha256_hex(record_bytes),
        previous_sha256=head.last_sha256,
        signature=signing_key.sign(key, record_bytes),
        key_fingerprint=fingerprint,
        verify_url=f"{store.verify_base(request_base)}/verify/{sequence}",
        certified_at=now,
    )
    session.add(certificate)
    head.sequence, head.last_sha256, head.updated_at = sequence, certificate.record_sha256, now
    session.flush()
    return certificate


def record_signature(certificate: Certificate) -> dict:
    """What record.sig holds: the signature of the record's bytes and what checks it."""
    return {
        "algorithm": "Ed25519",
        "certificate_id": certificate.id,
        "key_fingerprint": certificate.key_fingerprint,
        "record_sha256": certificate.record_sha256,
        "signature": certificate.signature,
    }


def render_certificate_pdf(certificate: Certificate, store: CertificateStore) -> bytes:
    """The certificate's PDF, signed as a whole (deterministic: the same row gives the same bytes)."""
    record_bytes = certificate.record_json.encode("utf-8")
    with force_locale(store.locale):
        pdf = render_certificate(
            json.loads(record_bytes),
            record_bytes=record_bytes,
            record_signature=record_signature(certificate),
            certificate_id=certificate.id,
            verify_url=certificate.verify_url,
            translate=gettext,
        )
    key = store.signing_key()
    return append_signature(pdf, certificate.key_fingerprint, lambda data: signing_key.sign(key, data))


def archive_pdf(pdf: bytes, store: CertificateStore) -> str:
    """Write the PDF to the archive (once); returns its SHA-256."""
    return archive.store(store.archive, pdf)


def finish_certificate(session: Session, certificate_id: int, pdf_sha256: str, now: datetime | None = None) -> Certificate:
    """Record the archived PDF and mark the ballot certified. The caller commits, then announces.

    Raises CertificationFailed("pdf_mismatch") if the certificate already names another file.
    """
    now = now or utcnow()
    certificate = session.get(Certificate, certificate_id)
    ballot = get_ballot(session, certificate.ballot_id, lock=True)
    if certificate.pdf_sha256 is not None and certificate.pdf_sha256 != pdf_sha256:
        raise CertificationFailed("pdf_mismatch", [f"certificate {certificate.id} names another PDF"])
    if certificate.pdf_sha256 is None:
        certificate.pdf_sha256, certificate.stored_at = pdf_sha256, now
    ballot.status = "certified"
    _set_state(session, ballot.id, "certified", None, None)
    session.flush()
    # Issue 7: a livelihood-project ballot's certified result lands on its projects in this
    # same transaction (adopted / graded together with "certified"); other ballots: a no-op.
    apply_certified_result(session, ballot.id)
    return certificate


def mark_running(session: Session, ballot_id: int) -> int:
    """Note that an attempt started; returns the attempt number (1 for the first)."""
    state = _set_state(session, ballot_id, "running", None, None)
    state.attempts = (state.attempts or 0) + 1
    session.flush()
    return state.attempts


def record_failure(session: Session, ballot_id: int, code: str, details: list[str]) -> None:
    """Keep why the certification failed, for the clerk (the certificate is not made)."""
    _set_state(session, ballot_id, "failed", code, "\n".join(details) or None)
    session.flush()


def _set_state(session: Session, ballot_id: int, status: str, code: str | None, reason: str | None) -> Certification:
    """The ballot's certification row (created if needed) with this status and reason."""
    state = session.get(Certification, ballot_id, with_for_update=True)
    if state is None:
        try:
            with session.begin_nested():
                session.add(Certification(ballot_id=ballot_id, status=status, attempts=0))
        except IntegrityError:
            pass  # a concurrent attempt made it; lock theirs
        state = session.get(Certification, ballot_id, with_for_update=True, populate_existing=True)
    state.status, state.error_code, state.reason, state.updated_at = status, code, reason, utcnow()
    return state
