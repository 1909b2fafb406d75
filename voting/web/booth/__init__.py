"""The booth (代表端): a representative's phone. Plain server-rendered pages that
work without JavaScript, in WeChat's in-app browser as in any other.

Two blueprints: `booth` (pages under /booth/) and `booth_links`, the short links
printed in QR codes (/r/<login code> on the card, /c/<meeting>/<code> on the
hall screen) that must stay short so the codes stay easy to scan.
"""
from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("booth", __name__, url_prefix="/booth")
links = Blueprint("booth_links", __name__)


def init_app(app: Flask) -> None:
    """Register the booth pages and the short links."""
    from voting.web.booth import identity, views, voting  # noqa: F401  (routes attach to the blueprints)
    from voting.web.booth import projects  # noqa: F401  (issue 7: livelihood projects on the phone)

    app.register_blueprint(bp)
    app.register_blueprint(links)
