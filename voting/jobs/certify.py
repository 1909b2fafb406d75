"""The certify_ballot job: recount, seal, render, archive and announce a closed ballot's certificate.

Enqueued by the close (after its commit) with the job id `certify_ballot-<ballot id>`
(RQ allows only letters, digits, "_" and "-" in ids), retried with back-off. The
job re-reads everything by id and each of its steps is safe to repeat (see
voting.actions.certificates.certify), so running it twice, or again after a
worker was killed half-way, leaves exactly one certificate. Failures are noted
for the clerk, then re-raised so RQ retries and finally keeps the job in its
failed registry.

Test hook: with CERTIFY_PAUSE_AT = "sealing" (inside the sealing transaction,
holding its locks) or "sealed" (committed, PDF not stored yet), the job touches
the file CERTIFY_PAUSE_MARKER and sleeps CERTIFY_PAUSE_S seconds there, so a
test can kill the worker at that very point.
"""
from __future__ import annotations

import logging
import time
from pathlib import Path

from flask import Flask, current_app
from rq import Retry
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus

from voting.jobs import QUEUE_CERTIFY, enqueue, get_queue

log = logging.getLogger(__name__)

JOB = "voting.jobs.certify.certify_ballot"
RETRY_INTERVALS_S = (10, 30, 120, 600, 1800)  # back-off: the next try waits longer
JOB_TIMEOUT_S = 300
ACTIVE = (JobStatus.QUEUED, JobStatus.STARTED, JobStatus.SCHEDULED, JobStatus.DEFERRED)


def job_id(ballot_id: int) -> str:
    """The one job id of a ballot's certification."""
    return f"certify_ballot-{int(ballot_id)}"


def certify_ballot(ballot_id: int, request_base: str | None = None) -> dict:
    """Certify ballot `ballot_id` (runs in the worker, inside the app). Returns the certificate's id and hashes.

    `request_base` is the address the clerk used ("http://10.0.0.5:5000"), printed
    in the QR code when PUBLIC_URL is not set. Raises CertificationFailed (noted
    for the clerk first) or whatever went wrong, for RQ to retry.
    """
    from voting.actions.certificates import certificate_store
    from voting.actions.certificates.certify import (
        CertificationFailed,
        archive_pdf,
        finish_certificate,
        mark_running,
        render_certificate_pdf,
        seal_certificate,
    )
    from voting.actions.ballots.events import publish_ballot
    from voting.realtime.ballots import BALLOT_CERTIFIED

    app = current_app._get_current_object()
    db = app.extensions["voting.db"]
    store = certificate_store(app)
    with db.transaction() as session:
        attempt = mark_running(session, ballot_id)
    try:
        with db.transaction() as session:
            certificate = seal_certificate(session, ballot_id, store, request_base)
            _pause(app, "sealing")
            certificate_id, already_stored = certificate.id, certificate.is_stored
        if already_stored:
            with db.transaction() as session:
                finish_certificate(session, certificate_id, certificate.pdf_sha256)  # the ballot's status, if a crash left it
            return {"certificate_id": certificate_id, "pdf_sha256": certificate.pdf_sha256, "new": False}
        _pause(app, "sealed")
        pdf_sha256 = archive_pdf(render_certificate_pdf(certificate, store), store)
        with db.transaction() as session:
            finished = finish_certificate(session, certificate_id, pdf_sha256)
            meeting_id = finished.ballot.meeting_id
    except CertificationFailed as error:
        _note_failure(db, ballot_id, error.code, error.details)
        log.error("certification of ballot %s failed (attempt %s): %s", ballot_id, attempt, error)
        raise
    except Exception as error:
        _note_failure(db, ballot_id, "internal", [f"{type(error).__name__}: {error}"])
        raise
    publish_ballot(BALLOT_CERTIFIED, ballot_id, meeting_id, app)
    log.info("ballot %s certified as certificate %s (attempt %s)", ballot_id, certificate_id, attempt)
    return {"certificate_id": certificate_id, "pdf_sha256": pdf_sha256, "new": True}


def _note_failure(db, ballot_id: int, code: str, details: list[str]) -> None:
    """Keep the failure for the clerk; never hide the original error if even that fails."""
    from voting.actions.certificates.certify import record_failure

    try:
        with db.transaction() as session:
            record_failure(session, ballot_id, code, details)
    except Exception:  # noqa: BLE001 (the job's own error is re-raised by the caller)
        log.exception("could not record the certification failure of ballot %s", ballot_id)


def _pause(app: Flask, step: str) -> None:
    """The test hook: stop at `step` for a while, after leaving a marker file (see the module docstring)."""
    if app.config.get("CERTIFY_PAUSE_AT") != step:
        return
    marker = app.config.get("CERTIFY_PAUSE_MARKER")
    if marker:
        Path(marker).write_text(step)
    time.sleep(float(app.config.get("CERTIFY_PAUSE_S", 60)))


def retry_policy(app: Flask) -> Retry:
    """Retries with back-off (CERTIFY_RETRY_INTERVALS overrides the waits, e.g. [0] in tests)."""
    intervals = list(app.config.get("CERTIFY_RETRY_INTERVALS", RETRY_INTERVALS_S))
    return Retry(max=len(intervals), interval=intervals)


def find_job(app: Flask, ballot_id: int) -> Job | None:
    """The ballot's certification job in Redis, if RQ still knows it."""
    queue = get_queue(app, QUEUE_CERTIFY)
    try:
        return Job.fetch(job_id(ballot_id), connection=queue.connection, serializer=queue.serializer)
    except NoSuchJobError:
        return None


def enqueue_certification(app: Flask, ballot_id: int, request_base: str | None = None, restart: bool = False) -> Job:
    """Queue the certification of a closed (committed) ballot, unless it is queued or running already.

    `restart` replaces a failed or finished job with a fresh one (the clerk's
    retry button): a new job gets all its retries again.
    """
    existing = find_job(app, ballot_id)
    if existing is not None:
        status = existing.get_status(refresh=True)
        if status in ACTIVE:
            return existing
        if not restart and status == JobStatus.FINISHED:
            return existing
        existing.delete()  # a failed or stopped job: start over under the same id
    return enqueue(
        app,
        JOB,
        int(ballot_id),
        request_base,
        queue=QUEUE_CERTIFY,
        job_id=job_id(ballot_id),
        retry=retry_policy(app),
        job_timeout=JOB_TIMEOUT_S,
        result_ttl=7 * 24 * 3600,
        failure_ttl=365 * 24 * 3600,  # a failure waits for the clerk, however long
        description=f"certify ballot {int(ballot_id)}",
    )


def after_close(app: Flask, ballot_id: int) -> None:
    """The close endpoint's hook (committed and announced already): queue the certificate.

    If Redis cannot be reached the close still stands; the clerk's certificates
    page lists the ballot as not queued, with a button to queue it.
    """
    from flask import has_request_context, request

    base = request.host_url.rstrip("/") if has_request_context() else None
    try:
        enqueue_certification(app, ballot_id, base)
    except Exception:  # noqa: BLE001 (the close has committed; the console offers the retry)
        log.exception("could not queue the certification of ballot %s", ballot_id)
