"""The render_card_sheet job: a whole roster's cards as one PDF, with progress for the clerk.

The console enqueues it (queue "render") with ids and the base URL only; the
job re-reads the roster, reissues the codes and writes the PDF into the
instance folder (instance/card_sheets/<sheet id>.pdf, readable by this user
only). Progress lives in the RQ job's meta, which the console polls.

Safe to run twice: a second run issues yet newer codes and rewrites the same
file, so the file always matches the codes in force. It is not retried
automatically: an unexpected failure stays in RQ's failed registry and the
clerk starts again (nothing changed, see voting.actions.cards).

The PDF holds secrets (the login codes); sheets older than a day are deleted
whenever a new one is requested, and the clerk can delete one at once.
"""
from __future__ import annotations

import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app
from rq import get_current_job
from rq.exceptions import NoSuchJobError
from rq.job import Job
from rq.serializers import JSONSerializer

from voting.jobs import QUEUE_RENDER, enqueue, redis_connection

JOB = "voting.jobs.cards.render_card_sheet"
JOB_TIMEOUT_S = 15 * 60
KEEP_SECONDS = 24 * 3600
_SHEET_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def sheets_folder(app: Flask) -> Path:
    """Where finished sheets are kept (inside the instance folder, private)."""
    folder = Path(app.instance_path) / "card_sheets"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def sheet_path(app: Flask, sheet_id: str) -> Path:
    """The PDF file of a sheet. Raises ValueError for a malformed id (no path tricks)."""
    if not _SHEET_ID.match(sheet_id or ""):
        raise ValueError("bad sheet id")
    return sheets_folder(app) / f"{sheet_id}.pdf"


def job_id(sheet_id: str) -> str:
    """The RQ job id of a sheet."""
    return f"render_card_sheet-{sheet_id}"


def forget_old_sheets(app: Flask, now: float | None = None) -> int:
    """Delete sheets older than KEEP_SECONDS (they hold login codes). Returns how many."""
    now = time.time() if now is None else now
    removed = 0
    for path in sheets_folder(app).glob("*.pdf"):
        if now - path.stat().st_mtime > KEEP_SECONDS:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def request_card_sheet(app: Flask, body_id: int, base_url: str, group_id: int | None = None) -> str:
    """Queue a sheet for the body (or one delegation); returns the sheet id to follow."""
    forget_old_sheets(app)
    sheet_id = secrets.token_urlsafe(18)
    enqueue(
        app,
        JOB,
        sheet_id,
        body_id,
        base_url,
        group_id,
        queue=QUEUE_RENDER,
        job_id=job_id(sheet_id),
        job_timeout=JOB_TIMEOUT_S,
        result_ttl=KEEP_SECONDS,
        failure_ttl=KEEP_SECONDS,
        meta={"body_id": body_id, "done": 0, "total": None},
    )
    return sheet_id


def render_card_sheet(sheet_id: str, body_id: int, base_url: str, group_id: int | None = None) -> dict:
    """Reissue and render the cards (runs in the worker, inside the app). Returns {"count"}."""
    from voting.actions.cards import print_cards

    app = current_app._get_current_object()
    job = get_current_job()

    def progress(done: int, total: int) -> None:
        if job is not None:
            job.meta.update(done=done, total=total)
            job.save_meta()

    pdf, count = print_cards(app.extensions["voting.db"], body_id, base_url, group_id=group_id, progress=progress)
    path = sheet_path(app, sheet_id)
    tmp = path.with_suffix(".part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(pdf)
    tmp.replace(path)
    return {"count": count}


@dataclass(frozen=True)
class SheetStatus:
    """What the console shows about a sheet."""

    state: str  # "queued", "running", "ready", "failed" or "gone"
    done: int
    total: int | None
    count: int | None
    body_id: int | None


def sheet_status(app: Flask, sheet_id: str) -> SheetStatus:
    """The state of a requested sheet, read from RQ and the instance folder."""
    try:
        path = sheet_path(app, sheet_id)
    except ValueError:
        return SheetStatus("gone", 0, None, None, None)
    try:
        job = Job.fetch(job_id(sheet_id), connection=redis_connection(app), serializer=JSONSerializer)
    except NoSuchJobError:
        return SheetStatus("ready" if path.exists() else "gone", 0, None, None, None)
    meta = job.get_meta(refresh=True) or {}
    status = job.get_status(refresh=False)
    done, total, body_id = meta.get("done", 0), meta.get("total"), meta.get("body_id")
    if status == "finished":
        result = job.return_value() or {}
        state = "ready" if path.exists() else "gone"
        return SheetStatus(state, done, total, result.get("count"), body_id)
    if status in ("failed", "stopped", "canceled"):
        return SheetStatus("failed", done, total, None, body_id)
    return SheetStatus("running" if status == "started" else "queued", done, total, None, body_id)
