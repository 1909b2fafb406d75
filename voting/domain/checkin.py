"""Rotating room check-in codes (扫码签到).

The hall screen shows a code that changes every PERIOD_SECONDS. A code names
its meeting and its period and carries an HMAC over both, so the server keeps
no list of codes: it recomputes the MAC. A code is good in its own period and
the next one ("expires after two periods"), so a photo sent out of the hall
stops working within a minute, while a representative who scans just before
the screen changes still gets in.

The clock is always passed in (seconds since the epoch, an int or float), so
tests control time. Standard library only.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass

PERIOD_SECONDS = 30
VALID_PERIODS = 2  # the current period and the previous one
MAC_CHARS = 16  # base32 characters: 80 bits, far beyond guessing in a minute

OK = "ok"
EXPIRED = "expired"  # a real code of this meeting, but too old
OTHER_MEETING = "other_meeting"  # a real code, of a different meeting
FORGED = "forged"  # not a code this server issued (or malformed, or from the future)

_CODE = re.compile(r"^([1-9][0-9]{0,9})-([0-9]{1,12})-([A-Z2-7]{%d})$" % MAC_CHARS)


def period_at(now: float, period_seconds: int = PERIOD_SECONDS) -> int:
    """The index of the period containing `now` (seconds since the epoch)."""
    return int(now // period_seconds)


def _mac(secret: bytes, meeting_id: int, period: int) -> str:
    digest = hmac.new(secret, f"checkin:{meeting_id}:{period}".encode(), hashlib.sha256).digest()
    return base64.b32encode(digest).decode()[:MAC_CHARS]


@dataclass(frozen=True)
class CheckinCode:
    """A code as shown on the screen, and how long it stays good."""

    code: str
    meeting_id: int
    period: int
    expires_in: int  # whole seconds until the code stops being accepted
    refresh_in: int  # whole seconds until the screen should show the next code


def issue(secret: bytes, meeting_id: int, now: float, period_seconds: int = PERIOD_SECONDS) -> CheckinCode:
    """The code of `meeting_id` for the period containing `now`.

    Raises ValueError for a meeting id that is not a positive integer.
    """
    if not isinstance(meeting_id, int) or meeting_id <= 0:
        raise ValueError("meeting_id must be a positive integer")
    period = period_at(now, period_seconds)
    code = f"{meeting_id}-{period}-{_mac(secret, meeting_id, period)}"
    ends = (period + VALID_PERIODS) * period_seconds
    next_starts = (period + 1) * period_seconds
    return CheckinCode(
        code=code,
        meeting_id=meeting_id,
        period=period,
        expires_in=max(0, int(-(-(ends - now) // 1))),
        refresh_in=max(1, int(-(-(next_starts - now) // 1))),
    )


def verify(secret: bytes, meeting_id: int, code: str, now: float, period_seconds: int = PERIOD_SECONDS) -> str:
    """Check a scanned `code` for `meeting_id` at time `now`.

    Returns OK, EXPIRED (genuine but older than VALID_PERIODS periods),
    OTHER_MEETING (genuine, for another meeting) or FORGED (malformed, a wrong
    MAC, or a period that has not begun: nobody could have been shown it).
    """
    match = _CODE.match((code or "").strip().upper())
    if not match:
        return FORGED
    code_meeting, period, mac = int(match.group(1)), int(match.group(2)), match.group(3)
    if not hmac.compare_digest(mac, _mac(secret, code_meeting, period)):
        return FORGED
    current = period_at(now, period_seconds)
    if period > current:
        return FORGED
    if code_meeting != meeting_id:
        return OTHER_MEETING
    if period <= current - VALID_PERIODS:
        return EXPIRED
    return OK


def screen_token(secret: bytes, meeting_id: int, generation: int) -> str:
    """The hall screen's token for a meeting: derived, so the console can show the link again.

    Bumping `generation` (a new screen link) makes every older token fail.
    """
    digest = hmac.new(secret, f"screen:{meeting_id}:{generation}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode()


def verify_screen_token(secret: bytes, meeting_id: int, generation: int, token: str) -> bool:
    """Whether `token` is the current screen token of the meeting (generation 0: none issued)."""
    if generation <= 0 or not token:
        return False
    return hmac.compare_digest(str(token), screen_token(secret, meeting_id, generation))
