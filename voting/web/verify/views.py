"""The verification pages: a certificate, the upload form, the public key, a meeting's archive."""
from __future__ import annotations

import json

from flask import Response, abort, current_app, jsonify, redirect, render_template, request, url_for

from voting.actions.certificates import certificate_store
from voting.actions.certificates.read import (
    archived_pdf,
    get_certificate,
    meeting_archive,
    meeting_export,
    public_key_info,
    record_view,
)
from voting.actions.certificates.verify import check_certificate, reason_message, verify_upload
from voting.extensions import limiter
from voting.web.verify import bp

UPLOAD_LIMIT = "20 per minute"


def db():
    """The app's Database."""
    return current_app.extensions["voting.db"]


@bp.get("/")
def home():
    """How to verify: the upload form, the public key, a certificate number (?n=12 goes to it)."""
    number = request.args.get("n", type=int)
    if number is not None and number > 0:
        return redirect(url_for("verify.certificate", certificate_id=number))
    return render_template("verify/home.html", key=public_key_info(certificate_store().public_key()))


@bp.post("/")
@limiter.limit(UPLOAD_LIMIT)
def upload():
    """Check an uploaded PDF: is it a genuine archived certificate, unchanged?"""
    sent = request.files.get("file")
    if sent is None or not sent.filename:
        return render_template("verify/home.html", key=public_key_info(certificate_store().public_key()),
                               missing_file=True), 422
    with db().session() as session:
        verdict = verify_upload(session, sent.read(), certificate_store())
    return render_template("verify/verdict.html", verdict=verdict, filename=sent.filename)


@bp.get("/key")
def key():
    """The public key (PEM) and its fingerprint; JSON with ?format=json or Accept: application/json."""
    info = public_key_info(certificate_store().public_key())
    if request.args.get("format") == "json" or request.accept_mimetypes.best == "application/json":
        return jsonify(info)
    return render_template("verify/key.html", key=info)


@bp.get("/key.pem")
def key_pem():
    """The public key as a PEM file, for `voting verify FILE.pdf --key public-key.pem`."""
    info = public_key_info(certificate_store().public_key())
    return Response(info["pem"], mimetype="application/x-pem-file",
                    headers={"Content-Disposition": "attachment; filename=voting-public-key.pem",
                             "X-Key-Fingerprint": info["fingerprint"]})


@bp.get("/<int:certificate_id>")
def certificate(certificate_id: int):
    """One certificate: its record, and whether its signature, its chain links and its archived PDF check out."""
    with db().session() as session:
        found = get_certificate(session, certificate_id)
        check = check_certificate(session, found, certificate_store())
        try:
            record = json.loads(found.record_json)
        except ValueError:  # a damaged record: the page shows the checks that say so
            record = None
        view = _safe_view(record)
    return render_template("verify/certificate.html", certificate=found, check=check, record=record,
                           view=view, reason_message=reason_message)


@bp.get("/<int:certificate_id>.pdf")
def certificate_pdf(certificate_id: int):
    """The archived PDF, byte for byte."""
    with db().session() as session:
        found = get_certificate(session, certificate_id)
    data = archived_pdf(found, certificate_store())
    if data is None:
        abort(404)
    return Response(data, mimetype="application/pdf",
                    headers={"Content-Disposition": f"inline; filename=certificate-{found.id}.pdf"})


@bp.get("/<int:certificate_id>.json")
def certificate_json(certificate_id: int):
    """The signed record as stored (record_json is the exact signed text) with its signature."""
    with db().session() as session:
        found = get_certificate(session, certificate_id)
    return jsonify({
        "certificate_id": found.id,
        "record_json": found.record_json,
        "record_sha256": found.record_sha256,
        "previous_sha256": found.previous_sha256,
        "signature": found.signature,
        "key_fingerprint": found.key_fingerprint,
        "pdf_sha256": found.pdf_sha256,
    })


@bp.get("/meetings/<int:meeting_id>")
def meeting(meeting_id: int):
    """A meeting's certified results, each with its PDF."""
    with db().session() as session:
        found, results = meeting_archive(session, meeting_id)
        body = found.body
        rows = [(r, _safe_view(r.record)) for r in results]
    return render_template("verify/meeting.html", meeting=found, body=body, results=rows)


@bp.get("/meetings/<int:meeting_id>.json")
def meeting_json(meeting_id: int):
    """A meeting's full public record: signed records and sealed ballots, so anyone can recount."""
    pem = public_key_info(certificate_store().public_key())["pem"]
    with db().session() as session:
        body = meeting_export(session, meeting_id, pem)
    response = jsonify(body)
    response.headers["Content-Disposition"] = f"attachment; filename=meeting-{meeting_id}-record.json"
    return response


def _safe_view(record: dict | None) -> dict | None:
    """record_view, or None for a record too damaged to print (its certificate page says why)."""
    if record is None:
        return None
    try:
        return record_view(record)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
