"""The web audiences, one blueprint package each: admin (clerk console), api, and later booth, screen, verify."""
from __future__ import annotations

import redis
from flask import Flask, current_app


def app_redis(extension_key: str) -> redis.Redis:
    """This app's plain Redis client for one feature's own keys, made once and kept under `extension_key`."""
    client = current_app.extensions.get(extension_key)
    if client is None:
        client = redis.Redis.from_url(current_app.config["REDIS_URL"])
        current_app.extensions[extension_key] = client
    return client


def register_web(app: Flask) -> None:
    """Register every blueprint and the shared error pages."""
    from voting import i18n
    from voting.web import admin, api, errors

    api.init_api(app)
    admin.init_app(app)
    _register_attendance_audiences(app)
    _register_verification(app)
    _register_projects(app)
    errors.init_app(app)
    app.after_request(i18n.remember_locale)

    @app.get("/healthz")
    def healthz():
        """Liveness: the process answers (used by `voting run` and load balancers)."""
        return {"status": "ok"}


def _register_attendance_audiences(app: Flask) -> None:
    """The phone (booth), the hall screen, /vendor browser libraries and Socket.IO connections (issue 3)."""
    from voting.web import booth, screen, sockets, vendor

    booth.init_app(app)
    screen.init_app(app)
    vendor.init_app(app)
    sockets.init_app(app)


def _register_verification(app: Flask) -> None:
    """Public verification of certificates, and queueing them after every close (issue 6)."""
    from voting.web import verify

    verify.init_app(app)


def _register_projects(app: Flask) -> None:
    """The livelihood projects' public pages (issue 7); the console and phone pages live in admin and booth."""
    from voting.web import public

    public.init_app(app)
