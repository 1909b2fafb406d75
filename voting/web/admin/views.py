"""Console pages."""
from __future__ import annotations

from flask import render_template

from voting.web.admin import bp


@bp.get("/")
def home():
    """The console's start page."""
    return render_template("admin/home.html")
