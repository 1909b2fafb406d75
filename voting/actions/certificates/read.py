"""Reading certificates: a ballot's certification status, a meeting's archive, its full public record."""
from __future__ import annotations

import json
from dataclasses import dataclass

from flask_babel import gettext
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from voting.actions.ballots.read import get_ballot
from voting.actions.errors import ActionError, NotFound
from voting.actions.meetings import get_meeting
from voting.actions.certificates.store import CertificateStore
from voting.domain.tally import ballots_digest
from voting.labels import CERTIFICATE_KINDS, VOTING_METHODS
from voting.render import certificate_pdf as labels
from voting.storage import archive, signing_key
from voting.storage.ballot_box import all_ballots
from voting.storage.ballots import Ballot
from voting.storage.certificates import Certificate, Certification
from voting.storage.models import Meeting

PENDING, CERTIFIED, FAILED = "pending", "certified", "failed"


def failure_message(code: str | None) -> str:
    """The clerk's-language sentence for a certification failure code."""
    messages = {
        "box_mismatch": _("The ballot box does not hold one ballot per recorded voter."),
        "named_mismatch": _("The named voters' recorded choices differ from the ballots in the box."),
        "result_mismatch": _("The recount differs from the result announced at the close."),
        "not_closed": _("The ballot is not closed."),
        "certificate_missing": _("The ballot is marked certified but its certificate is missing."),
        "pdf_mismatch": _("The certificate already names another PDF."),
    }
    return messages.get(code or "", _("The certification stopped on an error; it is retried automatically."))


def certificate_for(session: Session, ballot_id: int) -> Certificate | None:
    """The ballot's certificate (sealed or stored), or None."""
    return session.scalars(select(Certificate).where(Certificate.ballot_id == ballot_id)).first()


def urls(certificate: Certificate) -> dict:
    """Where the public finds a certificate (paths on this site)."""
    return {"pdf_url": f"/verify/{certificate.id}.pdf", "verify_url": f"/verify/{certificate.id}"}


def certificate_status(session: Session, ballot_id: int, with_reason: bool = False) -> dict:
    """GET /api/v1/ballots/{id}/certificate: pending, certified or failed. Raises ActionError (409) before close."""
    ballot = get_ballot(session, ballot_id)
    if ballot.status not in ("closed", "certified"):
        raise ActionError("not_closed", _("A ballot is certified once it is closed."), 409)
    certificate = certificate_for(session, ballot.id)
    state = session.get(Certification, ballot.id)
    body: dict = {"ballot_id": ballot.id, "id": None, "sha256": None, "record_sha256": None,
                  "pdf_url": None, "verify_url": None}
    if certificate is not None and certificate.is_stored:
        body.update(status=CERTIFIED, id=certificate.id, sha256=certificate.pdf_sha256,
                    record_sha256=certificate.record_sha256, **urls(certificate))
    elif state is not None and state.status == FAILED:
        body["status"] = FAILED
        if with_reason:
            body["reason"] = {"code": state.error_code, "message": failure_message(state.error_code),
                              "details": (state.reason or "").splitlines()}
    else:
        body["status"] = PENDING
    return body


@dataclass
class ArchivedResult:
    """One ballot of a meeting's public archive."""

    ballot: Ballot
    certificate: Certificate | None
    record: dict | None

    @property
    def status(self) -> str:
        """certified once the PDF is archived, else pending."""
        return CERTIFIED if self.certificate is not None and self.certificate.is_stored else PENDING


def meeting_archive(session: Session, meeting_id: int) -> tuple[Meeting, list[ArchivedResult]]:
    """The meeting and its closed ballots in agenda order, each with its certificate when there is one."""
    meeting = get_meeting(session, meeting_id)
    ballots = session.scalars(
        select(Ballot).where(Ballot.meeting_id == meeting.id, Ballot.status.in_(("closed", "certified")))
        .order_by(Ballot.position)
    ).all()
    found = []
    for ballot in ballots:
        certificate = certificate_for(session, ballot.id)
        if certificate is None or not certificate.is_stored:
            found.append(ArchivedResult(ballot, None, None))
            continue
        try:
            record = json.loads(certificate.record_json)
        except ValueError:  # damaged: listed, and its own page says what is wrong
            record = None
        found.append(ArchivedResult(ballot, certificate, record))
    return meeting, found


def meeting_export(session: Session, meeting_id: int, public_key_pem: str) -> dict:
    """A meeting's full public record: each certified result with its signed record and its sealed ballots.

    With it anyone can recount: the ballots, canonicalised and sorted, hash to
    the digest in the record, and `voting.domain.tally.count` over them gives
    the counts. The ballots carry no keys and no order (they were sealed at close).
    """
    meeting, results = meeting_archive(session, meeting_id)
    certified = []
    for result in results:
        if result.status != CERTIFIED or result.record is None:
            continue
        certificate = result.certificate
        ballots = all_ballots(session, result.ballot.id)
        certified.append({
            "certificate_id": certificate.id,
            "ballot_id": result.ballot.id,
            "record": result.record,
            "record_json": certificate.record_json,
            "record_sha256": certificate.record_sha256,
            "signature": certificate.signature,
            "key_fingerprint": certificate.key_fingerprint,
            "pdf_sha256": certificate.pdf_sha256,
            **urls(certificate),
            "ballots": ballots,
            "ballots_digest": ballots_digest(ballots),
        })
    return {
        "format": "voting-meeting-record/1",
        "meeting": {"id": meeting.id, "title": meeting.title, "body": meeting.body.name,
                    "date": meeting.meeting_date.isoformat() if meeting.meeting_date else None},
        "public_key": public_key_pem,
        "results": certified,
        "how_to_check": (
            "record_sha256 = SHA-256(record_json as UTF-8); signature = Ed25519(record_json) under public_key; "
            "ballots_digest = SHA-256 of the JSON array of the ballots, each as JSON with sorted keys and no "
            "spaces, sorted; it must equal record.ballots.digest, and counting the ballots must give record.items."
        ),
    }


def get_certificate(session: Session, certificate_id: int) -> Certificate:
    """The certificate, or NotFound."""
    certificate = session.get(Certificate, certificate_id)
    if certificate is None:
        raise NotFound(_("No certificate with number %(id)s.", id=certificate_id))
    return certificate


def public_key_info(public_key) -> dict:
    """GET /verify/key as data: the PEM and its fingerprint."""
    return {"algorithm": "Ed25519", "pem": signing_key.public_pem(public_key).decode("ascii"),
            "fingerprint": signing_key.fingerprint(public_key)}


@dataclass
class Unfinished:
    """A closed ballot without a stored certificate, for the clerk: pending or failed, and why."""

    ballot: Ballot
    state: Certification | None

    @property
    def status(self) -> str:
        """failed when the last attempt failed, else pending."""
        return FAILED if self.state is not None and self.state.status == FAILED else PENDING

    @property
    def message(self) -> str | None:
        """Why it failed, in the clerk's language."""
        return failure_message(self.state.error_code) if self.status == FAILED else None

    @property
    def details(self) -> list[str]:
        """The failure's details (figures that differ, counts), one per line."""
        return (self.state.reason or "").splitlines() if self.status == FAILED else []


def certification_overview(session: Session, recent: int = 20) -> tuple[list[Unfinished], list[Certificate]]:
    """Closed ballots still waiting for (or failing) their certificate, and the latest certificates."""
    ballots = session.scalars(
        select(Ballot).where(Ballot.status == "closed").order_by(Ballot.closed_at).options(selectinload(Ballot.meeting))
    ).all()
    unfinished = [Unfinished(b, session.get(Certification, b.id)) for b in ballots]
    latest = session.scalars(
        select(Certificate).where(Certificate.pdf_sha256.is_not(None)).order_by(Certificate.id.desc()).limit(recent)
        .options(selectinload(Certificate.ballot).selectinload(Ballot.meeting))
    ).all()
    return unfinished, list(latest)


def record_view(record: dict) -> dict:
    """What the public pages print of a record, worded as its PDF words it (one source for both)."""
    rows, _weights = labels.result_table(gettext, record)
    return {
        "full_title": labels.formal_title(record["body"]["name"], record["meeting"]["title"]),
        "kind": labels.label(gettext, CERTIFICATE_KINDS, record["kind"]),
        "method": labels.label(gettext, VOTING_METHODS, record["method"]),
        "rule": labels.rule_text(gettext, record),
        "opened": labels.local_time_text(gettext, record["times"]["opened_at"]),
        "closed": labels.local_time_text(gettext, record["times"]["closed_at"]),
        "certified": labels.local_time_text(gettext, record["times"]["certified_at"]),
        "header": rows[0],
        "rows": rows[1:],
        "statement": labels.result_statement(gettext, record),
    }


def archived_pdf(certificate: Certificate, store: CertificateStore) -> bytes | None:
    """The certificate's archived PDF, byte for byte, or None when it is not (or no longer) there."""
    if certificate.pdf_sha256 is None:
        return None
    try:
        return archive.read(store.archive, certificate.pdf_sha256)
    except FileNotFoundError:
        return None
