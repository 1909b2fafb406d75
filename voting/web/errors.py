"""One error shape for the API ({"error": {"code", "message"}}) and friendly pages elsewhere."""
from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from voting.actions.errors import ActionError

# Werkzeug's codes, named for API clients; each message is translated when used.
_HTTP_CODES = {
    400: ("bad_request", "The request could not be understood."),
    401: ("unauthorized", "Please log in first."),
    403: ("forbidden", "You are not allowed to do this."),
    404: ("not_found", "Not found."),
    405: ("method_not_allowed", "This method is not allowed here."),
    409: ("conflict", "This conflicts with the current state."),
    413: ("too_large", "The request is too large."),
    415: ("unsupported_media_type", "Send JSON (Content-Type: application/json) or a file upload."),
    422: ("invalid_input", "The input is invalid."),
    429: ("too_many_requests", "Too many requests; please wait a moment and try again."),
    500: ("internal_error", "Something went wrong on the server; nothing was changed."),
}


def wants_json() -> bool:
    """API paths always answer JSON."""
    return request.path.startswith("/api/")


def translate_field_errors(messages):
    """Translate marshmallow's English field messages (they are message ids of our catalog)."""
    if isinstance(messages, dict):
        return {k: translate_field_errors(v) for k, v in messages.items()}
    if isinstance(messages, list):
        return [translate_field_errors(m) for m in messages]
    return _(messages) if isinstance(messages, str) else messages


def error_response(status: int, code: str, message: str, details=None, headers=None):
    """The API's one error body."""
    body = {"error": {"code": code, "message": message}}
    if details:
        body["error"]["details"] = details
    response = jsonify(body)
    response.status_code = status
    for k, v in (headers or {}).items():
        response.headers[k] = v
    return response


def _page(status: int, message: str):
    return render_template("errors/error.html", status=status, message=message), status


def init_app(app: Flask) -> None:
    """Register the handlers for both audiences."""

    @app.errorhandler(ActionError)
    def handle_action_error(error: ActionError):
        if wants_json():
            return error_response(error.status, error.code, error.message, error.details)
        return _page(error.status, error.message)

    @app.errorhandler(CSRFError)
    def handle_csrf(error: CSRFError):
        message = _("The form expired or did not come from this site. Reload the page and try again.")
        if wants_json():
            return error_response(400, "csrf_failed", message)
        return _page(400, message)

    @app.errorhandler(HTTPException)
    def handle_http(error: HTTPException):
        code, default = _HTTP_CODES.get(error.code or 500, ("error", error.description or ""))
        data = getattr(error, "data", None) or {}
        if wants_json():
            if error.code == 422 and "messages" in data:
                # webargs/marshmallow validation: say which fields are wrong, in the user's language.
                fields = data["messages"].get("json", data["messages"].get("files", data["messages"]))
                fields = translate_field_errors(fields)
                names = ", ".join(sorted(fields)) if isinstance(fields, dict) else ""
                message = _("Invalid input: %(fields)s", fields=names) if names else _(default)
                return error_response(422, "invalid_input", message, {"fields": fields})
            message = data.get("message") or _(default)
            return error_response(error.code or 500, data.get("code", code), message, headers=data.get("headers"))
        return _page(error.code or 500, _(default))

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception):
        if isinstance(error, HTTPException):
            return handle_http(error)
        app.logger.exception("unhandled error")
        return handle_http(InternalServerError())
