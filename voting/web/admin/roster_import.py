"""Console pages for importing a roster file: upload → preview → confirm (all or nothing).

Between preview and confirm the uploaded file stays on the server, in the
instance folder under a random name, so the browser never sends it twice and
the rows confirmed are exactly the rows previewed. It is deleted after the
import, on cancel, or a day later. Reading, checking and importing are
voting.actions.roster_import's; this module only moves the file around.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import time
from pathlib import Path

from flask import current_app, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _

from voting.actions import roster_import
from voting.actions.bodies import get_body
from voting.actions.errors import ActionError
from voting.domain.roster import HEADER_ALIASES
from voting.web.admin import bp
from voting.web.admin.forms import RosterUploadForm
from voting.web.admin.helpers import db

KEEP_UPLOADS_SECONDS = 24 * 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{22}$")


class UploadGone(Exception):
    """The upload was imported, cancelled or expired (or never existed)."""


def _folder() -> Path:
    """Where uploads wait for their confirmation (private to the service's user)."""
    folder = Path(current_app.instance_path) / "uploads" / "roster"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def _forget_old_uploads(folder: Path) -> None:
    """Delete uploads nobody confirmed within a day (a clerk who walked away)."""
    cutoff = time.time() - KEEP_UPLOADS_SECONDS
    for path in folder.iterdir():
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except FileNotFoundError:
            pass  # another process cleaned it first


def save_upload(body_id: int, filename: str, data: bytes) -> str:
    """Keep an uploaded roster file for `body_id`; return the random token that names it."""
    folder = _folder()
    _forget_old_uploads(folder)
    token = secrets.token_urlsafe(16)
    (folder / f"{token}.data").write_bytes(data)
    meta = {"body_id": body_id, "filename": filename, "user_id": g.staff.id, "size": len(data)}
    (folder / f"{token}.json").write_text(json.dumps(meta, ensure_ascii=False))
    return token


def load_upload(body_id: int, token: str, suffix: str = ".data") -> tuple[dict, bytes]:
    """The metadata and bytes of an upload for this body, or UploadGone."""
    if not _TOKEN.match(token):
        raise UploadGone(token)
    folder = _folder()
    try:
        meta = json.loads((folder / f"{token}.json").read_text())
        data = (folder / f"{token}{suffix}").read_bytes()
    except FileNotFoundError:
        raise UploadGone(token) from None
    if meta.get("body_id") != body_id:
        raise UploadGone(token)
    return meta, data


def delete_upload(token: str) -> None:
    """Remove an upload and its metadata (whatever state it is in)."""
    if not _TOKEN.match(token):
        return
    for suffix in (".data", ".json", ".importing"):
        (_folder() / f"{token}{suffix}").unlink(missing_ok=True)


def _upload_page(form: RosterUploadForm, body, groups: list[str], status: int = 200):
    """The upload form, with the column names the file may use."""
    return render_template(
        "admin/roster_upload.html", form=form, body=body, groups=groups,
        header_aliases=HEADER_ALIASES, field_label=roster_import.field_label,
    ), status


def _gone_redirect(body_id: int):
    flash(_("This upload was already imported, cancelled or has expired. Please upload the file again."), "error")
    return redirect(url_for("admin.roster_upload", body_id=body_id))


@bp.route("/bodies/<int:body_id>/roster/import", methods=["GET", "POST"])
def roster_upload(body_id: int):
    """Step 1: choose a CSV or XLSX file; it is kept on the server and previewed."""
    with db().session() as s:
        body = get_body(s, body_id)
        groups = [grp.name for grp in body.groups]
    form = RosterUploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        token = save_upload(body_id, os.path.basename(upload.filename or "roster"), upload.read())
        return redirect(url_for("admin.roster_preview", body_id=body_id, token=token))
    return _upload_page(form, body, groups, 422 if form.errors else 200)


def _read(meta: dict, data: bytes) -> list[dict]:
    """The file's rows (ActionError when it cannot be read at all)."""
    return roster_import.read_roster_file(meta["filename"], data)


@bp.get("/bodies/<int:body_id>/roster/import/<token>")
def roster_preview(body_id: int, token: str):
    """Step 2: what the file would change, and every bad row, before anything is written."""
    try:
        meta, data = load_upload(body_id, token)
    except UploadGone:
        return _gone_redirect(body_id)
    with db().session() as s:
        body = get_body(s, body_id)
        try:
            rows = _read(meta, data)
        except ActionError as error:
            delete_upload(token)
            form = RosterUploadForm()
            form.file.errors = [error.message]
            return _upload_page(form, body, [grp.name for grp in body.groups], 422)
        preview = roster_import.preview_roster(s, body, rows)
    return render_template(
        "admin/roster_preview.html", body=body, preview=preview, meta=meta, token=token, row_count=len(rows),
        field_label=roster_import.field_label,
    )


@bp.post("/bodies/<int:body_id>/roster/import/<token>")
def roster_confirm(body_id: int, token: str):
    """Step 3: import every row or none; then show who was created and updated."""
    try:
        load_upload(body_id, token)
        # Claim the file first (an atomic rename), so a double click imports once.
        os.rename(_folder() / f"{token}.data", _folder() / f"{token}.importing")
    except (UploadGone, FileNotFoundError):
        return _gone_redirect(body_id)
    meta, data = load_upload(body_id, token, ".importing")
    try:
        with db().transaction() as s:
            body = get_body(s, body_id)
            result = roster_import.import_roster(s, body, _read(meta, data))
            created = [(rep.name, rep.number, rep.group.name if rep.group else "") for rep, _code in result.created]
            updated = len(result.updated)
    except ActionError as error:
        # Nothing was written: put the file back so the clerk sees the preview again.
        os.rename(_folder() / f"{token}.importing", _folder() / f"{token}.data")
        flash(error.message, "error")
        return redirect(url_for("admin.roster_preview", body_id=body_id, token=token))
    delete_upload(token)
    with db().session() as s:
        body = get_body(s, body_id)
    return render_template(
        "admin/roster_imported.html", body=body, created=created, updated=updated, meta=meta
    )


@bp.post("/bodies/<int:body_id>/roster/import/<token>/cancel")
def roster_import_cancel(body_id: int, token: str):
    """Drop an upload without importing anything."""
    delete_upload(token)
    flash(_("The import was cancelled; nothing was changed."), "info")
    return redirect(url_for("admin.roster", body_id=body_id))
