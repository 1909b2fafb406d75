"""Bodies and their rosters: /api/v1/bodies."""
from __future__ import annotations

import marshmallow as ma
from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_smorest import Blueprint
from flask_smorest.fields import Upload
from marshmallow import validate

from voting.actions import bodies as body_actions
from voting.actions.errors import ActionError
from voting.actions.representatives import search_roster
from voting.actions.roster_import import MAX_FILE_BYTES, import_roster, read_roster_file
from voting.domain.bodies import BODY_KINDS
from voting.domain.roster import MAX_ROWS
from voting.web.api.schemas import StrictSchema, text
from voting.web.api.security import SECURITY, STAFF, db, requires

URL_PREFIX = "/bodies"
blp = Blueprint("api_bodies", __name__, description="Bodies (人大 / 常委会) and their rosters")


class BodyCreate(StrictSchema):
    name = text(200)
    kind = ma.fields.String(required=True, validate=validate.OneOf(BODY_KINDS))
    term = ma.fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1, max=99))
    groups = ma.fields.List(ma.fields.String(validate=validate.Length(min=1, max=100)), load_default=list,
                            validate=validate.Length(max=500))


class BodyOut(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    kind = ma.fields.String()
    term = ma.fields.Integer(allow_none=True)
    groups = ma.fields.List(ma.fields.String())
    expected = ma.fields.Integer(metadata={"description": "应到: representatives counted in the roster"})


def body_json(session, body) -> dict:
    return {
        "id": body.id,
        "name": body.name,
        "kind": body.kind,
        "term": body.term,
        "groups": [g.name for g in body.groups],
        "expected": body_actions.roster_count(session, body),
    }


@blp.route("", methods=["POST"])
@blp.doc(security=SECURITY)
@requires(*STAFF)
@blp.arguments(BodyCreate)
@blp.response(201, BodyOut)
def create_body(payload):
    """Create a body (人民代表大会 or 常委会) with its delegations."""
    with db().transaction() as session:
        body = body_actions.create_body(session, payload["name"], payload["kind"], payload["term"], payload["groups"])
        return body_json(session, body)


@blp.route("/<int:body_id>", methods=["GET"])
@blp.doc(security=SECURITY)
@requires(*STAFF)
@blp.response(200, BodyOut)
def get_body(body_id):
    """One body."""
    with db().session() as session:
        return body_json(session, body_actions.get_body(session, body_id))


# --- the roster: /api/v1/bodies/{id}/representatives ----------------------------------


class RepresentativeIn(StrictSchema):
    """One person to add or update. Lengths, blanks, duplicates, groups and statuses are
    checked row by row by the import (422 with details.rows); here only the types."""

    name = ma.fields.String(required=True, validate=validate.Length(max=1000))
    number = ma.fields.String(required=True, validate=validate.Length(max=1000),
                              metadata={"description": "代表证号 or member number; re-importing a number updates that person"})
    group = ma.fields.String(allow_none=True, validate=validate.Length(max=1000),
                             metadata={"description": "one of the body's groups; blank or null for none; "
                                                      "absent leaves an existing person's group as it is"})
    status = ma.fields.String(allow_none=True, validate=validate.Length(max=100),
                              metadata={"description": "active (在任, the default), suspended (暂停) or left (离任)"})


class RosterImportJson(StrictSchema):
    representatives = ma.fields.List(
        ma.fields.Nested(RepresentativeIn),
        required=True,
        validate=validate.Length(
            min=1, max=MAX_ROWS, error=_l("Send between 1 and %(max)d representatives.", max=MAX_ROWS)
        ),
    )


class RosterImportFile(StrictSchema):
    file = Upload(metadata={"description": "a CSV (UTF-8 or GBK) or .xlsx roster: 姓名, 代表证号, 代表团, 状态"})


class CreatedRepresentativeOut(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    number = ma.fields.String()
    login_code = ma.fields.String(metadata={"description": "the card's login secret, shown this once only"})


class UpdatedRepresentativeOut(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    number = ma.fields.String()


class RosterImportOut(ma.Schema):
    created = ma.fields.List(ma.fields.Nested(CreatedRepresentativeOut))
    updated = ma.fields.List(ma.fields.Nested(UpdatedRepresentativeOut))
    unchanged = ma.fields.Integer(metadata={"description": "people in the input already on file as given"})


class RosterQuery(ma.Schema):
    q = ma.fields.String(load_default="", validate=validate.Length(max=100),
                         metadata={"description": "part of a name or number"})


class RepresentativeOut(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    number = ma.fields.String()
    group = ma.fields.String(allow_none=True)
    status = ma.fields.String()


class RosterOut(ma.Schema):
    representatives = ma.fields.List(ma.fields.Nested(RepresentativeOut))


def _json_rows(items: list[dict]) -> list[dict]:
    """API items as roster rows (the keys name, number, group, status are headers the import knows)."""
    return [{key: "" if value is None else value for key, value in item.items()} for item in items]


@blp.route("/<int:body_id>/representatives", methods=["POST"])
@blp.doc(
    security=SECURITY,
    requestBody={"content": {"application/json": {"schema": RosterImportJson}}},
    responses={"422": {"description": "a bad row: error.details.rows lists {row, field, code, message}"}},
)
@requires(*STAFF)
@blp.arguments(RosterImportFile, location="files")
@blp.response(201, RosterImportOut)
def import_representatives(upload, body_id):
    """Add or update the roster from JSON or an uploaded CSV/XLSX file, all or nothing.

    Re-importing a number updates that person; new people get a login code, returned only here.
    """
    if upload.get("file") is not None:
        rows = read_roster_file(upload["file"].filename or "", upload["file"].read(MAX_FILE_BYTES + 1))
    elif request.is_json:
        payload = blp.ARGUMENTS_PARSER.parse(RosterImportJson, location="json")
        rows = _json_rows(payload["representatives"])
    elif request.mimetype == "multipart/form-data":
        raise ActionError(
            "invalid_input",
            _("Invalid input: %(fields)s", fields="file"),
            422,
            details={"fields": {"file": [_("Missing data for required field.")]}},
        )
    else:
        raise ActionError("unsupported_media_type", _("Send JSON (Content-Type: application/json) or a file upload."), 415)
    with db().transaction() as session:
        body = body_actions.get_body(session, body_id)
        result = import_roster(session, body, rows)
        return {
            "created": [{"id": r.id, "name": r.name, "number": r.number, "login_code": code} for r, code in result.created],
            "updated": [{"id": r.id, "name": r.name, "number": r.number} for r in result.updated],
            "unchanged": result.unchanged,
        }


@blp.route("/<int:body_id>/representatives", methods=["GET"])
@blp.doc(security=SECURITY)
@requires(*STAFF)
@blp.arguments(RosterQuery, location="query")
@blp.response(200, RosterOut)
def list_representatives(query, body_id):
    """The body's roster, by group then number; `q` keeps those whose name or number contains it."""
    with db().session() as session:
        body = body_actions.get_body(session, body_id)
        page = search_roster(session, body, query["q"], per_page=MAX_ROWS)
        return {
            "representatives": [
                {"id": r.id, "name": r.name, "number": r.number, "group": r.group.name if r.group else None,
                 "status": r.status}
                for r in page.rows
            ]
        }
