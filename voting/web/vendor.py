"""Browser libraries from npm, served from node_modules at /vendor/<package>/<file>.

The meeting hall may have no internet, so nothing comes from a CDN. Only the
files listed here are served; node_modules itself is never committed (make setup
runs `npm ci` from package-lock.json).
"""
from __future__ import annotations

from flask import Blueprint, Flask, abort, send_from_directory

from voting.config import REPO_ROOT

NODE_MODULES = REPO_ROOT / "node_modules"
# package -> the files of it that pages load
ALLOWED = {
    "socket.io-client": {"dist/socket.io.min.js", "dist/socket.io.min.js.map"},
    "jsqr": {"dist/jsQR.js"},
}

bp = Blueprint("vendor", __name__, url_prefix="/vendor")


@bp.get("/<package>/<path:filename>")
def asset(package: str, filename: str):
    """One allowed file of an npm package, cached by browsers for a day."""
    if filename not in ALLOWED.get(package, ()):
        abort(404)
    return send_from_directory(NODE_MODULES / package, filename, max_age=24 * 3600)


def init_app(app: Flask) -> None:
    """Register /vendor."""
    app.register_blueprint(bp)
