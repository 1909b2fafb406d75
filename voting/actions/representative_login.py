"""A representative's phone: log in with the card's code, reissue a card, check a session.

A card carries a login code; only its hash is stored (Representative.login_code_hash).
Every phone session and API token remembers the representative's
`login_generation` at log-in; reissuing a card bumps it, so the old code, every
session it opened and every token it got stop working at once.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from voting.actions.accounts import hash_secret, issue_token
from voting.actions.errors import ActionError, NotFound
from voting.actions.login_codes import new_login_code
from voting.domain.roster import LEFT
from voting.storage.models import ApiToken, Representative, utcnow


@dataclass(frozen=True)
class PhoneIdentity:
    """What a phone session keeps: who, and under which card generation."""

    representative_id: int
    login_generation: int


def get_representative(session: Session, representative_id: int) -> Representative:
    """The representative, or NotFound."""
    rep = session.get(Representative, representative_id)
    if rep is None:
        raise NotFound(_("No representative with id %(id)s.", id=representative_id))
    return rep


def reissue_login_code(session: Session, representative_id: int) -> str:
    """Give the representative a new card code and return it (the only time it is seen).

    The old code, every phone session and every API token opened with it are
    revoked. Raises NotFound for an unknown representative.
    """
    # Lock the row: two clerks reissuing at once must not both bump from the same generation.
    rep = session.scalar(
        select(Representative).where(Representative.id == representative_id).with_for_update()
    )
    if rep is None:
        raise NotFound(_("No representative with id %(id)s.", id=representative_id))
    code = new_login_code()
    rep.login_code_hash = hash_secret(code)
    rep.login_generation = (rep.login_generation or 0) + 1
    # Tokens already die with the generation; marking them revoked keeps the table honest.
    session.execute(
        update(ApiToken)
        .where(ApiToken.representative_id == rep.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    session.flush()
    return code


def representative_for_code(session: Session, login_code: str) -> Representative | None:
    """The representative whose card carries `login_code`, or None (unknown, or no longer in office)."""
    code = (login_code or "").strip()
    if not code or len(code) > 200:
        return None
    rep = session.scalar(select(Representative).where(Representative.login_code_hash == hash_secret(code)))
    if rep is None or rep.status == LEFT:
        return None
    return rep


def log_in_phone(session: Session, login_code: str) -> tuple[Representative, PhoneIdentity]:
    """Check a card code for a phone log-in. Raises ActionError(invalid_login_code, 404) if it is not valid."""
    rep = representative_for_code(session, login_code)
    if rep is None:
        raise ActionError(
            "invalid_login_code",
            _("This card code is not valid. It may have been replaced by a new card; ask the meeting staff."),
            404,
        )
    return rep, PhoneIdentity(rep.id, rep.login_generation)


def log_in_api(session: Session, login_code: str, hours: int) -> tuple[Representative, str]:
    """Trade a card code for an API bearer token. Raises ActionError(invalid_login_code, 401)."""
    rep = representative_for_code(session, login_code)
    if rep is None:
        raise ActionError("invalid_login_code", _("This card code is not valid."), 401)
    return rep, issue_token(session, representative=rep, hours=hours)


def phone_representative(session: Session, identity: PhoneIdentity) -> Representative | None:
    """The representative a phone session speaks for, or None if the card was reissued or they left office."""
    rep = session.get(Representative, identity.representative_id)
    if rep is None or rep.status == LEFT or rep.login_generation != identity.login_generation:
        return None
    return rep
