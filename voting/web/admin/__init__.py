"""The clerk console (会务): server-rendered pages at /admin.

Every page needs a logged-in staff account (clerk or chair); the check runs
before every request of the blueprint, so a new page is protected by default.
"""
from __future__ import annotations

from flask import Blueprint, Flask, redirect, url_for

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder=None)


def init_app(app: Flask) -> None:
    """Register the console, its template helpers, and send / to it."""
    from voting.web.admin import auth, ballots, bodies, meetings, roster, roster_import, views  # noqa: F401  (routes attach to bp)
    from voting.web.admin import certificates  # noqa: F401  (issue 6: certification problems and retry)
    from voting.web.admin import attendance, attendance_records, cards  # noqa: F401  (issue 3: desk, records, cards)
    from voting.web.admin import projects, projects_cycle  # noqa: F401  (issue 7: livelihood projects)
    from voting.web.admin import chair  # noqa: F401  (issue 5: the chair's console)
    from voting.web.admin.helpers import register_template_helpers

    register_template_helpers(app)
    app.register_blueprint(bp)

    @app.get("/")
    def index():
        """The site root is the console."""
        return redirect(url_for("admin.home"))
