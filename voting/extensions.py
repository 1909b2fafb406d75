"""Flask extensions, created unbound here and wired to the app in create_app."""
from __future__ import annotations

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
