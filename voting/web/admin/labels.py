"""How the console names stored codes (body kinds, statuses, roles), in the user's language."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from voting.domain.bodies import PEOPLE_CONGRESS, STANDING_COMMITTEE
from voting.domain.roster import ACTIVE, LEFT, SUSPENDED

BODY_KIND_LABELS = {
    PEOPLE_CONGRESS: _l("People's congress"),
    STANDING_COMMITTEE: _l("Standing committee"),
}
STATUS_LABELS = {
    ACTIVE: _l("In office"),
    SUSPENDED: _l("Suspended"),
    LEFT: _l("Left office"),
}
MEETING_STATUS_LABELS = {
    "scheduled": _l("Scheduled"),
    "in_progress": _l("In progress"),
    "closed": _l("Closed"),
}
ROLE_LABELS = {
    "clerk": _l("Clerk"),
    "chair": _l("Chair"),
}
