"""How the phone and the console name a ballot's stored codes: kinds, statuses, choices, outcomes, rules.

One table for both audiences, so 赞成 on the phone and 赞成 in the result are the
same word. Registered as Jinja globals by `register(app)`.
"""
from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from voting.domain.ballots import (
    ABSTAIN,
    APPROVE,
    BASICALLY_SATISFIED,
    DISSATISFIED,
    MOTION,
    NO,
    SATISFACTION,
    SATISFIED,
    SELECTION,
    YES,
)

KIND_LABELS = {
    MOTION: _l("Motion"),
    SELECTION: _l("Project selection"),
    SATISFACTION: _l("Satisfaction assessment"),
}
BALLOT_STATUS_LABELS = {
    "draft": _l("Not started"),
    "open": _l("Open for voting"),
    "closed": _l("Voting ended"),
    "certified": _l("Certified"),
}
CHOICE_LABELS = {
    YES: _l("For"),
    NO: _l("Against"),
    ABSTAIN: _l("Abstain"),
    APPROVE: _l("Chosen"),
    SATISFIED: _l("Satisfied"),
    BASICALLY_SATISFIED: _l("Basically satisfied"),
    DISSATISFIED: _l("Dissatisfied"),
}
# The keypad colours: 赞成 green, 反对 red, 弃权 yellow; the satisfaction scale follows them.
CHOICE_TONES = {
    YES: "green",
    NO: "red",
    ABSTAIN: "yellow",
    APPROVE: "green",
    SATISFIED: "green",
    BASICALLY_SATISFIED: "blue",
    DISSATISFIED: "red",
}
OUTCOME_LABELS = {
    "passed": _l("Passed"),
    "failed": _l("Not passed"),
    "selected": _l("Selected"),
    "not_selected": _l("Not selected"),
    "tie": _l("Tied: run-off needed"),
}
GRADE_LABELS = {
    SATISFIED: _l("Satisfied"),
    BASICALLY_SATISFIED: _l("Basically satisfied"),
    DISSATISFIED: _l("Dissatisfied"),
}
PASS_BASE_LABELS = {
    "roster": _l("All members (expected)"),
    "present": _l("Members present"),
    "cast": _l("Members voting on the item"),
}
THRESHOLD_LABELS = {
    "more_than_half": _l("More than half"),
    "two_thirds": _l("Two thirds or more"),
}
FORM_LABELS = {
    "per_item": _l("For / against / abstain on each project"),
    "up_to_k": _l("Choose at most K projects"),
}
GRADING_LABELS = {
    "tiered": _l("Satisfied / basically satisfied / dissatisfied"),
    "binary": _l("Satisfied / dissatisfied"),
    "rates": _l("Rates only, no grade"),
}
NOT_VOTED_LABEL = _l("Did not vote")


def register(app: Flask) -> None:
    """Make the label tables available to every template."""
    app.jinja_env.globals.update(
        KIND_LABELS=KIND_LABELS,
        BALLOT_STATUS_LABELS=BALLOT_STATUS_LABELS,
        CHOICE_LABELS=CHOICE_LABELS,
        CHOICE_TONES=CHOICE_TONES,
        OUTCOME_LABELS=OUTCOME_LABELS,
        GRADE_LABELS=GRADE_LABELS,
        PASS_BASE_LABELS=PASS_BASE_LABELS,
        THRESHOLD_LABELS=THRESHOLD_LABELS,
        FORM_LABELS=FORM_LABELS,
        GRADING_LABELS=GRADING_LABELS,
        NOT_VOTED_LABEL=NOT_VOTED_LABEL,
    )
