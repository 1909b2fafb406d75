"""Names of the project codes in the user's language (shared by the pages and the exports)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

CATEGORY_LABELS = {
    "education": _l("Education"),
    "elderly_care": _l("Elderly care"),
    "transport": _l("Transport"),
    "health": _l("Health"),
    "environment": _l("Environment"),
    "culture": _l("Culture and sport"),
    "employment": _l("Employment"),
    "housing": _l("Housing and neighbourhoods"),
    "other": _l("Other"),
}
STATUS_LABELS = {
    "not_started": _l("Works not started"),
    "in_progress": _l("Works in progress"),
    "completed": _l("Completed"),
    "delayed": _l("Delayed"),
}
STAGE_LABELS = {
    "candidate": _l("Candidate"),
    "adopted": _l("Adopted"),
    "not_selected": _l("Not chosen by the vote"),
    "tied": _l("Tied, awaiting the run-off"),
}
PROPOSAL_STATUS_LABELS = {
    "new": _l("Received"),
    "candidate": _l("Taken into a candidate project"),
    "not_taken": _l("Not taken"),
    "merged": _l("Merged"),
}
SOURCE_LABELS = {
    "public": _l("Member of the public"),
    "representative": _l("Representative"),
}
PURPOSE_LABELS = {
    "selection": _l("Competitive vote"),
    "runoff": _l("Run-off"),
    "evaluation": _l("Satisfaction test"),
}
