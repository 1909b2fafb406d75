"""voting: real-time voting for people's congresses and their standing committees.

create_app is the one place that wires settings, storage, extensions and blueprints.
"""
from __future__ import annotations

import hashlib
from typing import Any, Mapping

from flask import Flask

from voting.config import REPO_ROOT, Settings

__version__ = "0.1.0"


def _blocking_pool(redis_url: str):
    """A Redis connection pool that makes callers wait (up to 20 s) rather than fail when all 50 are busy."""
    import redis

    return redis.BlockingConnectionPool.from_url(redis_url, max_connections=50, timeout=20)


def create_app(config: Mapping[str, Any] | Settings | None = None, role: str = "web") -> Flask:
    """Build the app for `role` ("web" serves pages, the API and websockets; "worker" runs jobs).

    `config` is a plain mapping of setting names (see voting.config.Settings), a
    Settings, or None to read the environment.
    """
    from voting import extensions, i18n
    from voting.embedded_redis import start_embedded_redis
    from voting.storage.database import Database

    if isinstance(config, Settings):
        settings = config
    elif config is not None:
        settings = Settings.from_mapping(config)
    else:
        settings = Settings.from_env()
    settings.ensure_instance()

    app = Flask(
        "voting",
        instance_path=str(settings.instance_path),
        template_folder=str(REPO_ROOT / "templates"),
        static_folder=str(REPO_ROOT / "static"),
    )
    redis_url = settings.redis_url or start_embedded_redis(settings.instance_path / "redis")
    app.config.update(
        SECRET_KEY=settings.load_secret_key(),
        TESTING=settings.testing,
        MAX_CONTENT_LENGTH=settings.max_upload_bytes,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=60 * 60 * 24 * 180,  # a phone stays logged in for a term's sessions
        WTF_CSRF_TIME_LIMIT=None,  # a console left open all morning must still submit
        BABEL_DEFAULT_LOCALE=settings.default_locale,
        BABEL_TRANSLATION_DIRECTORIES=str(i18n.compiled_translations(settings.instance_path)),
        RATELIMIT_STORAGE_URI=redis_url,
        # A blocking pool: hundreds of phones logging in at once (gevent) wait a moment for a
        # connection instead of failing with 500 (redis-py's default pool raises past 100).
        RATELIMIT_STORAGE_OPTIONS={"connection_pool": _blocking_pool(redis_url)},
        RATELIMIT_HEADERS_ENABLED=True,
        REDIS_URL=redis_url,
        DATABASE_URL=settings.resolved_database_url,
        VOTING_ROLE=role,
        VOTING_PUBLIC_URL=settings.public_url,
        VOTING_API_TOKEN_HOURS=settings.api_token_hours,
    )
    app.config.update(settings.extra)
    # Redis pub/sub channels ignore the database number: name the Socket.IO channel
    # after the deployment (its database), so every process of one deployment
    # shares it and two deployments on one Redis never hear each other.
    app.config.setdefault(
        "SOCKETIO_CHANNEL", "voting-" + hashlib.sha256(app.config["DATABASE_URL"].encode()).hexdigest()[:16]
    )
    app.extensions["voting.settings"] = settings
    app.extensions["voting.db"] = Database(app.config["DATABASE_URL"])
    from voting.actions.certificates import init_certificates

    # The archive and the signing key live in the instance folder (issue 6).
    init_certificates(app, settings.instance_path, settings.public_url, settings.default_locale)

    extensions.babel.init_app(app, locale_selector=i18n.select_locale)
    app.jinja_env.globals["current_locale"] = i18n.current_locale_name
    if role == "web":
        extensions.csrf.init_app(app)
        extensions.limiter.init_app(app)
        from voting.realtime.queue import message_queue

        extensions.socketio.init_app(
            app,
            message_queue=redis_url,
            channel=app.config["SOCKETIO_CHANNEL"],
            # A blocking pool that lasts: a hall's burst waits instead of failing (voting.realtime.queue).
            client_manager=message_queue(redis_url, app.config["SOCKETIO_CHANNEL"]),
            async_mode=app.config.get("SOCKETIO_ASYNC_MODE"),
        )
        from voting.web import register_web

        register_web(app)
    from voting.cli import register_commands

    register_commands(app)
    if settings.trusted_proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Outermost, so Socket.IO's requests see the phone's address too.
        n = settings.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)
    return app
