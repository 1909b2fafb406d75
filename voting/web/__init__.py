"""The web audiences, one blueprint package each: admin (clerk console), api, and later booth, screen, verify."""
from __future__ import annotations

from flask import Flask


def register_web(app: Flask) -> None:
    """Register every blueprint and the shared error pages."""
    from voting import i18n
    from voting.web import admin, api, errors

    api.init_api(app)
    admin.init_app(app)
    errors.init_app(app)
    app.after_request(i18n.remember_locale)

    @app.get("/healthz")
    def healthz():
        """Liveness: the process answers (used by `voting run` and load balancers)."""
        return {"status": "ok"}
