"""Public pages (公开): the livelihood projects of each year and the call for proposals.

No account and no JavaScript: plain pages readable on any phone, charts drawn
with CSS and inline SVG. Nothing here shows a proposer's contact.
"""
from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("public", __name__, url_prefix="/public")


def init_app(app: Flask) -> None:
    """Register the public pages and their template helpers."""
    from voting.web import project_labels
    from voting.web.public import propose, views  # noqa: F401  (routes attach to bp)

    project_labels.register(app)
    app.register_blueprint(bp)
