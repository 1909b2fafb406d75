"""The JSON API under /api/v1: bearer tokens, marshmallow schemas that validate
and also generate the OpenAPI document at /api/v1/openapi.json (flask-smorest).
"""
from __future__ import annotations

from flask import Flask
from flask_smorest import Api

from voting.extensions import csrf

API_PREFIX = "/api/v1"


class VotingApi(Api):
    """flask-smorest's Api without its app-wide error handler: voting.web.errors
    gives API paths the {"error": {...}} shape and pages their own look."""

    def _register_error_handlers(self):
        pass


api = VotingApi()


def init_api(app: Flask) -> None:
    """Configure the OpenAPI document and register every API blueprint."""
    from voting.web.api import auth, bodies, meetings

    app.config.setdefault("API_TITLE", "voting")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config.setdefault("OPENAPI_URL_PREFIX", API_PREFIX)
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    api.init_app(
        app,
        spec_kwargs={
            "components": {
                "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}
            }
        },
    )
    for module in (auth, bodies, meetings):
        csrf.exempt(module.blp)  # bearer tokens, not cookies: CSRF does not apply
        api.register_blueprint(module.blp, url_prefix=API_PREFIX + module.URL_PREFIX)
    _register_attendance(app)
    _register_ballots()
    _register_certificates()
    _register_screen()


def _register_attendance(app: Flask) -> None:
    """Attendance, room check-in, leave and the representatives' card log-in (issue 3)."""
    from voting.web.api import attendance, representative_login

    api.spec.components.security_scheme(
        "screenToken", {"type": "apiKey", "in": "header", "name": attendance.SCREEN_TOKEN_HEADER}
    )
    for blueprint, prefix in (
        (attendance.blp, attendance.URL_PREFIX),
        (attendance.leave_blp, attendance.LEAVE_URL_PREFIX),
        (representative_login.blp, representative_login.URL_PREFIX),
        (representative_login.codes_blp, representative_login.CODES_URL_PREFIX),
    ):
        csrf.exempt(blueprint)  # bearer tokens, not cookies: CSRF does not apply
        api.register_blueprint(blueprint, url_prefix=API_PREFIX + prefix)


def _register_ballots() -> None:
    """Ballots and votes (issue 4)."""
    from voting.web.api import ballots

    csrf.exempt(ballots.blp)  # bearer tokens, not cookies: CSRF does not apply
    api.register_blueprint(ballots.blp, url_prefix=API_PREFIX + ballots.URL_PREFIX)


def _register_certificates() -> None:
    """Certificate status and public verification (issue 6)."""
    from voting.web.api import certificates

    csrf.exempt(certificates.blp)  # bearer tokens or public uploads, not cookies: CSRF does not apply
    api.register_blueprint(certificates.blp, url_prefix=API_PREFIX + certificates.URL_PREFIX)


def _register_screen() -> None:
    """What the hall screen shows (issue 5)."""
    from voting.web.api import screen

    csrf.exempt(screen.blp)  # bearer or screen tokens, not cookies: CSRF does not apply
    api.register_blueprint(screen.blp, url_prefix=API_PREFIX + screen.URL_PREFIX)
