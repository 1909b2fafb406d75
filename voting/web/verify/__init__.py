"""Public verification (核验): /verify/<certificate>, PDF upload, the public key, and each meeting's archive.

No account is needed: anyone holding a certificate (or its number) can check
it, and every meeting's certified results and sealed ballots are public.
"""
from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("verify", __name__, url_prefix="/verify")


def init_app(app: Flask) -> None:
    """Register the verification pages and queue certificates after every close."""
    from functools import partial

    from voting.jobs.certify import after_close
    from voting.web.verify import views  # noqa: F401  (routes attach to bp)

    app.register_blueprint(bp)
    app.extensions["voting.after_close"] = partial(after_close, app)
