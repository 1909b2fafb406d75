"""A meeting hall for tests: a body with N representatives, a meeting, some of them present,
and a bearer token for each representative. Built through the actions layer (fast), then
driven through the HTTP API like a real clerk and real phones."""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from voting.actions.accounts import issue_token
from voting.actions.bodies import create_body
from voting.actions.meetings import create_meeting
from voting.actions.roster_import import import_roster
from voting.storage.attendance import upsert_attendance
from voting.storage.models import Representative


@dataclass
class Member:
    id: int
    name: str
    number: str
    login_code: str
    token: str

    @property
    def headers(self) -> dict:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class Hall:
    body_id: int
    meeting_id: int
    members: list[Member] = field(default_factory=list)

    @property
    def present(self) -> list[Member]:
        return self.members[: self.present_count]

    present_count: int = 0


def make_hall(app, size: int, present: int | None = None, kind: str = "standing_committee") -> Hall:
    """A body of `size`, its meeting, and the first `present` members checked in (all by default)."""
    db = app.extensions["voting.db"]
    present = size if present is None else present
    with app.app_context(), db.transaction() as session:
        body = create_body(session, "测试县第十八届人大常委会", kind, 18, [])
        rows = [{"姓名": f"代表{i:04d}", "代表证号": f"{i:05d}"} for i in range(1, size + 1)]
        created = import_roster(session, body, rows).created
        meeting = create_meeting(session, body.id, "第十八届人大常委会第二十次会议")
        hall = Hall(body_id=body.id, meeting_id=meeting.id, present_count=present)
        for rep, code in sorted(created, key=lambda pair: pair[0].number):
            token = issue_token(session, representative=rep)
            hall.members.append(Member(rep.id, rep.name, rep.number, code, token))
        for member in hall.members[:present]:
            upsert_attendance(session, meeting.id, member.id, "present", method="desk")
    return hall


def nonce() -> str:
    """A fresh device secret, as a phone makes one."""
    return secrets.token_urlsafe(24)
