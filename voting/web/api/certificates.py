"""Certificates: GET /api/v1/ballots/{id}/certificate and POST /api/v1/verify (public, multipart `file`)."""
from __future__ import annotations

import marshmallow as ma
from flask_smorest import Blueprint
from flask_smorest.fields import Upload

from voting.actions.certificates import certificate_store
from voting.actions.certificates.read import certificate_status
from voting.actions.certificates.verify import verify_upload
from voting.extensions import limiter
from voting.web.api.security import SECURITY, STAFF, current_principal, db, requires

URL_PREFIX = ""
blp = Blueprint("api_certificates", __name__, description="Certified results: status and verification")


class CertificateOut(ma.Schema):
    ballot_id = ma.fields.Integer()
    status = ma.fields.String(metadata={"description": "pending | certified | failed"})
    id = ma.fields.Integer(allow_none=True, metadata={"description": "the certificate number (its place in the chain)"})
    sha256 = ma.fields.String(allow_none=True, metadata={"description": "SHA-256 of the archived PDF"})
    record_sha256 = ma.fields.String(allow_none=True, metadata={"description": "SHA-256 of the signed record"})
    pdf_url = ma.fields.String(allow_none=True)
    verify_url = ma.fields.String(allow_none=True)
    reason = ma.fields.Dict(metadata={"description": "staff only, when failed: {code, message, details}"})


class VerifyIn(ma.Schema):
    file = Upload(required=True, metadata={"description": "the certificate PDF"})


class VerdictOut(ma.Schema):
    valid = ma.fields.Boolean()
    certificate_id = ma.fields.Integer(allow_none=True)
    reason = ma.fields.String(metadata={"description": "ok, or why not: unreadable, record_hash_mismatch, "
                                                       "bad_record_signature, bad_document_signature, "
                                                       "not_the_archived_file, unknown_certificate, ..."})
    message = ma.fields.String(metadata={"description": "the reason in the user's language"})


@blp.route("/ballots/<int:ballot_id>/certificate", methods=["GET"])
@blp.doc(security=SECURITY)
@requires(*STAFF, "representative")
@blp.response(200, CertificateOut)
def get_certificate(ballot_id):
    """Where a closed ballot's certificate stands: pending, certified (with its links) or failed."""
    staff = current_principal().role in STAFF
    with db().session() as session:
        return certificate_status(session, ballot_id, with_reason=staff)


@blp.route("/verify", methods=["POST"])
@limiter.limit("20 per minute")
@blp.arguments(VerifyIn, location="files")
@blp.response(200, VerdictOut)
def verify(files):
    """Is this PDF a genuine archived certificate, unchanged? No account needed."""
    data = files["file"].read()
    with db().session() as session:
        return verify_upload(session, data, certificate_store()).to_dict()
