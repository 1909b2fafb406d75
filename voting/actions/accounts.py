"""Staff accounts and API bearer tokens."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import gettext as _
from sqlalchemy import bindparam, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from voting.actions.errors import ActionError
from voting.storage.prepared import Prepared, as_datetime
from voting.storage.models import USER_ROLES, ApiToken, Representative, User, utcnow

_hasher = PasswordHasher()
# Verifying against this when the user does not exist keeps the timing the same.
_DUMMY_HASH = _hasher.hash("not a password")
MIN_PASSWORD_LENGTH = 8


def hash_secret(secret: str) -> str:
    """SHA-256 hex of a high-entropy random secret (tokens, login codes): fast lookups, nothing to steal."""
    return hashlib.sha256(secret.encode()).hexdigest()


def create_user(session: Session, username: str, password: str, role: str, display_name: str | None = None) -> User:
    """Create a clerk or chair. Raises ActionError for a taken name, a weak password or an unknown role."""
    username = (username or "").strip()
    if not username or len(username) > 64:
        raise ActionError("invalid_username", _("A username of 1 to 64 characters is required."))
    if role not in USER_ROLES:
        raise ActionError("invalid_role", _("The role must be clerk or chair."))
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise ActionError(
            "weak_password", _("The password must have at least %(n)d characters.", n=MIN_PASSWORD_LENGTH)
        )
    if session.scalar(select(User.id).where(User.username == username)):
        raise ActionError("username_taken", _("The username %(name)s is already taken.", name=username), 409)
    user = User(username=username, password_hash=_hasher.hash(password), role=role, display_name=display_name)
    session.add(user)
    session.flush()
    return user


def set_password(session: Session, user: User, password: str) -> None:
    """Replace a user's password (same strength rule as create_user)."""
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise ActionError(
            "weak_password", _("The password must have at least %(n)d characters.", n=MIN_PASSWORD_LENGTH)
        )
    user.password_hash = _hasher.hash(password)


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active user with this name and password, or None. Same cost whether or not the name exists."""
    user = session.scalar(select(User).where(User.username == (username or "").strip()))
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password or "")
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.is_active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


def issue_token(
    session: Session,
    *,
    user: User | None = None,
    representative: Representative | None = None,
    hours: int = 24 * 14,
) -> str:
    """A new bearer token for a user or a representative; only its hash is stored."""
    token = secrets.token_urlsafe(32)
    session.add(
        ApiToken(
            token_hash=hash_secret(token),
            user_id=user.id if user else None,
            representative_id=representative.id if representative else None,
            login_generation=representative.login_generation if representative else None,
            expires_at=utcnow() + timedelta(hours=hours),
        )
    )
    session.flush()
    return token


def resolve_token(session: Session, token: str, now: datetime | None = None) -> ApiToken | None:
    """The live token row for a bearer token, or None if unknown, expired, revoked or its card reissued."""
    if not token:
        return None
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_secret(token)))
    now = now or utcnow()
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        return None
    if row.user is not None and not row.user.is_active:
        return None
    if row.representative is not None and row.representative.login_generation != row.login_generation:
        return None
    return row


# The caller of an API request in one prepared statement: every vote of a congress
# is authenticated here, so it reads only the columns resolve_token's rules need.
_PRINCIPAL = Prepared(
    select(ApiToken.user_id, ApiToken.representative_id, ApiToken.login_generation, ApiToken.expires_at,
           ApiToken.revoked_at, User.role, User.is_active, Representative.login_generation.label("current_generation"))
    .outerjoin(User, User.id == ApiToken.user_id)
    .outerjoin(Representative, Representative.id == ApiToken.representative_id)
    .where(ApiToken.token_hash == bindparam("token_hash"))
)


def principal_of_token(connection: Connection, token: str, now: datetime | None = None) -> tuple[str, int | None, int | None] | None:
    """(role, user_id, representative_id) of a live bearer token, or None; the same rules as resolve_token.

    role is the staff user's role, or "representative". `connection` may be
    outside a transaction (Database.single_read): this is one statement.
    """
    if not token:
        return None
    row = _PRINCIPAL.one_or_none(connection, {"token_hash": hash_secret(token)})
    now = now or utcnow()
    if row is None or row.revoked_at is not None or as_datetime(row.expires_at) <= now:
        return None
    if row.user_id is not None:
        return (row.role, row.user_id, None) if row.is_active else None
    if row.representative_id is None or row.current_generation != row.login_generation:
        return None
    return "representative", None, row.representative_id
