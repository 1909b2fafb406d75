"""The bodies of realtime events: plain JSON, the same for the console, the screen and phones."""
from __future__ import annotations

from typing import Any

from voting.domain.attendance import AttendanceSummary
from voting.domain.bodies import Quorum


def attendance_payload(
    meeting_id: int,
    version: int,
    summary: AttendanceSummary,
    quorum: Quorum,
    is_checkin_open: bool,
    pending_leave: int,
    changed_representative_id: int | None = None,
) -> dict[str, Any]:
    """`attendance.changed` / `attendance.snapshot`: the meeting's 应到/实到/请假/缺席 and quorum.

    The counts are the whole truth at `version`, not a delta, so a client that
    missed events is right again with the next one.
    """
    payload: dict[str, Any] = {
        "meeting_id": meeting_id,
        "version": version,
        "expected": summary.expected,
        "present": summary.present,
        "on_leave": summary.on_leave,
        "absent": summary.absent,
        "quorum": {"required": quorum.required, "met": quorum.met},
        "is_checkin_open": is_checkin_open,
        "pending_leave": pending_leave,
    }
    if changed_representative_id is not None:
        payload["representative_id"] = changed_representative_id
    return payload
