"""The hall screen (大屏): /screen/<meeting_id>?token=<screen token>.

A 16:9 page in huge type, opened full-screen on the hall's display computer.
It needs no account: the clerk's console gives the link with the meeting's
screen token, and a new link revokes the old one.
"""
from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("screen", __name__, url_prefix="/screen")


def init_app(app: Flask) -> None:
    """Register the screen pages."""
    from voting.web.screen import views  # noqa: F401  (routes attach to bp)
    from voting.web.screen import hall  # noqa: F401  (issue 5: ballot states, themes, certificate QR)

    app.register_blueprint(bp)
