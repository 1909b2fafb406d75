"""Room check-in (扫码签到): opening and closing it, the screen's rotating code, checking in.

The codes and the screen token are derived from the app's secret key, so any
web process can issue and check them and nothing secret is stored.
"""
from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _

from voting.actions.attendance import publish_attendance, roster_member
from voting.actions.errors import ActionError
from voting.actions.meetings import get_meeting
from voting.actions.representative_login import representative_for_code
from voting.domain import checkin as codes
from voting.domain.attendance import (
    LEAVE_CANCELLED,
    METHOD_CARD_SCAN,
    METHOD_QR,
    PRESENT,
)
from voting.storage.attendance import open_leave, upsert_attendance
from voting.storage.database import Database
from voting.storage.models import Meeting, MeetingCheckin, utcnow


def _derived_key(purpose: bytes) -> bytes:
    """A key for one purpose, derived from SECRET_KEY (a leak of one never exposes another)."""
    return hmac.new(current_app.config["SECRET_KEY"].encode(), purpose, hashlib.sha256).digest()


def checkin_secret() -> bytes:
    """The key of the rotating check-in codes."""
    return _derived_key(b"voting.checkin-codes")


def screen_secret() -> bytes:
    """The key of the hall-screen tokens."""
    return _derived_key(b"voting.screen-tokens")


def _state(session, meeting: Meeting) -> MeetingCheckin:
    """The meeting's check-in row, created on first use (locked for the rest of the transaction)."""
    from sqlalchemy import select

    state = session.scalar(
        select(MeetingCheckin).where(MeetingCheckin.meeting_id == meeting.id).with_for_update()
    )
    if state is None:
        state = MeetingCheckin(meeting_id=meeting.id, is_open=False, screen_generation=0)
        session.add(state)
        session.flush()
    return state


def set_checkin_open(db: Database, meeting_id: int, is_open: bool) -> bool:
    """The clerk opens or closes check-in for the meeting's sitting. Returns the new state.

    Opening a scheduled meeting marks it in progress. Raises ActionError for a closed meeting.
    """
    with db.transaction() as session:
        meeting = get_meeting(session, meeting_id)
        if is_open and meeting.status == "closed":
            raise ActionError("meeting_closed", _("This meeting is closed; check-in cannot be opened."), 409)
        state = _state(session, meeting)
        if state.is_open != is_open:
            state.is_open = is_open
            if is_open:
                state.opened_at = utcnow()
                if meeting.status == "scheduled":
                    meeting.status = "in_progress"
            else:
                state.closed_at = utcnow()
    publish_attendance(db, meeting_id)
    return is_open


@dataclass(frozen=True)
class IssuedCode:
    """The screen's current check-in code and the URL the QR code encodes."""

    code: str
    url: str
    expires_in: int
    refresh_in: int


def public_base_url() -> str:
    """How phones reach this server: PUBLIC_URL if set, else the request's own host."""
    from flask import has_request_context, request

    configured = current_app.config.get("VOTING_PUBLIC_URL")
    if configured:
        return configured.rstrip("/")
    if has_request_context():
        return request.host_url.rstrip("/")
    return ""


def checkin_url(meeting_id: int, code: str) -> str:
    """The absolute URL a phone opens to check in: /c/<meeting_id>/<code>."""
    return f"{public_base_url()}/c/{int(meeting_id)}/{code}"


def current_code(db: Database, meeting_id: int, now: float | None = None) -> IssuedCode:
    """The code the hall screen shows now. Raises ActionError(checkin_closed, 409) while check-in is closed."""
    with db.session() as session:
        meeting = get_meeting(session, meeting_id)
        state = session.get(MeetingCheckin, meeting.id)
        if state is None or not state.is_open:
            raise ActionError("checkin_closed", _("Check-in for this meeting is not open."), 409)
    issued = codes.issue(checkin_secret(), meeting_id, time.time() if now is None else now)
    return IssuedCode(issued.code, checkin_url(meeting_id, issued.code), issued.expires_in, issued.refresh_in)


def _code_error(verdict: str) -> ActionError:
    """The error a phone shows for a check-in code that is not OK."""
    if verdict == codes.EXPIRED:
        return ActionError(
            "code_expired",
            _("This check-in code has expired. Scan the code on the hall screen again; it changes every 30 seconds."),
            410,
        )
    if verdict == codes.OTHER_MEETING:
        return ActionError(
            "code_for_other_meeting",
            _("This check-in code belongs to another meeting. Scan the code on the screen of the hall you are in."),
            400,
        )
    return ActionError(
        "invalid_code",
        _("This is not a valid check-in code. Scan the code on the hall screen with your camera or WeChat."),
        400,
    )


def check_in_with_code(db: Database, meeting_id: int, representative_id: int, code: str, now: float | None = None) -> bool:
    """A representative checks in by scanning the screen's code. Returns whether anything changed.

    Checking in twice is harmless. Arriving ends an open leave request (销假).
    Raises ActionError: code_expired, code_for_other_meeting, invalid_code,
    checkin_closed, not_on_roster, meeting_closed.
    """
    verdict = codes.verify(checkin_secret(), meeting_id, code, time.time() if now is None else now)
    if verdict != codes.OK:
        raise _code_error(verdict)
    return _check_in(db, meeting_id, representative_id, METHOD_QR, user_id=None, require_open=True)


def check_in_by_card(db: Database, meeting_id: int, login_code: str, user_id: int) -> tuple[bool, str]:
    """The clerk scans a representative's card at the desk. Returns (changed, the person's name).

    Works whether or not room check-in is open: the desk is the way in when a phone is not.
    Raises ActionError(invalid_login_code) for an unknown card, and as check_in_with_code otherwise.
    """
    with db.session() as session:
        rep = representative_for_code(session, login_code)
        if rep is None:
            raise ActionError(
                "invalid_login_code",
                _("This card is not valid. It may have been replaced by a newer card."),
                404,
            )
        rep_id, name = rep.id, rep.name
    return _check_in(db, meeting_id, rep_id, METHOD_CARD_SCAN, user_id=user_id, require_open=False), name


def _check_in(db: Database, meeting_id: int, representative_id: int, method: str, user_id, require_open: bool) -> bool:
    with db.transaction() as session:
        meeting = get_meeting(session, meeting_id)
        if meeting.status == "closed":
            raise ActionError("meeting_closed", _("This meeting is closed; check-in is over."), 409)
        if require_open:
            state = session.get(MeetingCheckin, meeting.id)
            if state is None or not state.is_open:
                raise ActionError(
                    "checkin_closed",
                    _("Check-in for this meeting is not open. Please check in at the registration desk."),
                    409,
                )
        roster_member(session, meeting, representative_id)
        now = utcnow()
        leave = open_leave(session, meeting_id, representative_id)
        if leave is not None:
            # Arriving is reporting back: the leave ends (销假) and the person is present.
            leave.status, leave.cancelled_at = LEAVE_CANCELLED, now
        changed = upsert_attendance(
            session, meeting_id, representative_id, PRESENT,
            method=method, updated_by_id=user_id, now=now, keep_if_present=True,
        )
        changed = changed or leave is not None
    if changed:
        publish_attendance(db, meeting_id, representative_id)
    return changed


def screen_token_for(db: Database, meeting_id: int, renew: bool = False) -> str | None:
    """The meeting's hall-screen token; renew=True makes a new one (the old link stops working).

    Returns None when no screen link was made yet and renew is False.
    """
    if renew:
        with db.transaction() as session:
            meeting = get_meeting(session, meeting_id)
            state = _state(session, meeting)
            state.screen_generation += 1
            generation = state.screen_generation
    else:
        with db.session() as session:
            get_meeting(session, meeting_id)
            state = session.get(MeetingCheckin, meeting_id)
            generation = state.screen_generation if state else 0
    if generation <= 0:
        return None
    return codes.screen_token(screen_secret(), meeting_id, generation)


def screen_token_valid(db: Database, meeting_id: int, token: str | None) -> bool:
    """Whether `token` is the meeting's current hall-screen token."""
    if not token:
        return False
    with db.session() as session:
        state = session.get(MeetingCheckin, meeting_id)
        generation = state.screen_generation if state else 0
    return codes.verify_screen_token(screen_secret(), meeting_id, generation, token)
