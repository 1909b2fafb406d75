"""The console's start page."""
from __future__ import annotations

from flask import redirect, url_for

from voting.web.admin import bp


@bp.get("/")
def home():
    """Start at the list of bodies: everything else hangs off a body."""
    return redirect(url_for("admin.bodies"))
