"""The clerk console (会务): server-rendered pages at /admin."""
from __future__ import annotations

from flask import Blueprint, Flask, redirect, url_for

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder=None)


def init_app(app: Flask) -> None:
    """Register the console and send / to it."""
    from voting.web.admin import views  # noqa: F401  (routes attach to bp)

    app.register_blueprint(bp)

    @app.get("/")
    def index():
        return redirect(url_for("admin.home"))
