"""Settings: read from the environment once, in create_app, with embedded defaults.

With nothing configured the service keeps everything in one instance folder:
a SQLite database, the secret key, the signing key, the archive and the files
of the embedded Redis server.
"""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Mapping

REPO_ROOT = Path(__file__).resolve().parent.parent


def default_instance_path() -> Path:
    """The instance folder: $VOTING_INSTANCE, else ./instance in the working directory."""
    return Path(os.environ.get("VOTING_INSTANCE") or Path.cwd() / "instance").resolve()


@dataclass(frozen=True)
class Settings:
    """Everything the app reads from outside. Tests build one from a plain mapping."""

    instance_path: Path = field(default_factory=default_instance_path)
    database_url: str | None = None  # None: SQLite in the instance folder
    redis_url: str | None = None  # None: an embedded Redis server started on demand
    secret_key: str | None = None  # None: generated once, kept in the instance folder
    public_url: str | None = None  # how phones reach us, for QR codes; None: the request's host
    # Reverse proxies in front (nginx: 1) whose X-Forwarded-For/-Proto/-Host to believe;
    # without it every phone behind nginx looks like 127.0.0.1 to the rate limits.
    trusted_proxies: int = 0
    default_locale: str = "zh_CN"
    max_upload_bytes: int = 8 * 1024 * 1024
    api_token_hours: int = 24 * 14
    testing: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "Settings":
        """Read VOTING_INSTANCE, DATABASE_URL, REDIS_URL, SECRET_KEY, PUBLIC_URL and TRUSTED_PROXIES."""
        env = os.environ if env is None else env
        instance = env.get("VOTING_INSTANCE")
        return cls(
            instance_path=Path(instance).resolve() if instance else default_instance_path(),
            database_url=env.get("DATABASE_URL") or None,
            redis_url=env.get("REDIS_URL") or None,
            secret_key=env.get("SECRET_KEY") or None,
            public_url=(env.get("PUBLIC_URL") or "").rstrip("/") or None,
            trusted_proxies=int(env.get("TRUSTED_PROXIES") or 0),
        )

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, Any]) -> "Settings":
        """Environment settings overridden by a mapping with the same (lower-case) names."""
        base = cls.from_env()
        names = {f.name for f in fields(cls)}
        known = {k.lower(): v for k, v in mapping.items() if k.lower() in names}
        extra = {k: v for k, v in mapping.items() if k.lower() not in names}
        if "instance_path" in known:
            known["instance_path"] = Path(known["instance_path"]).resolve()
        return replace(base, **known, extra={**base.extra, **extra})

    @property
    def resolved_database_url(self) -> str:
        """The database URL, defaulting to SQLite in the instance folder."""
        if self.database_url:
            url = self.database_url
            # psycopg 3 is the PostgreSQL driver; accept the plain URL forms too.
            for prefix in ("postgresql://", "postgres://"):
                if url.startswith(prefix):
                    return "postgresql+psycopg://" + url[len(prefix):]
            return url
        return f"sqlite:///{self.instance_path / 'voting.db'}"

    def ensure_instance(self) -> Path:
        """Create the instance folder (private to this user) if it does not exist."""
        self.instance_path.mkdir(parents=True, exist_ok=True, mode=0o700)
        return self.instance_path

    def load_secret_key(self) -> str:
        """SECRET_KEY if set, else the key kept in the instance folder, made on first run."""
        if self.secret_key:
            return self.secret_key
        path = self.ensure_instance() / "secret_key"
        if not path.exists():
            # O_EXCL: two processes starting at once must not write two keys.
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass
            else:
                with os.fdopen(fd, "w") as f:
                    f.write(secrets.token_urlsafe(48))
        return path.read_text().strip()
