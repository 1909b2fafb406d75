"""Flask extensions, created unbound here and wired to the app in create_app."""
from __future__ import annotations

from flask import request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_socketio import SocketIO
from flask_wtf import CSRFProtect

babel = Babel()
csrf = CSRFProtect()
socketio = SocketIO()
# Storage is set in create_app from the same Redis the rest of the stack uses,
# so limits hold across several web processes.
limiter = Limiter(key_func=get_remote_address, default_limits=[])

# Endpoints with no limit at all ("blueprint.view"), where flask-limiter's per-request
# bookkeeping is pure cost: it was a twentieth of a vote's CPU when a congress votes at once.
UNLIMITED_ENDPOINTS: set[str] = set()


@limiter.request_filter
def _unlimited() -> bool:
    return request.endpoint in UNLIMITED_ENDPOINTS
