"""How the phone and the console name a ballot's stored codes: kinds, statuses, choices, outcomes, rules.

One table for both audiences, so 赞成 on the phone and 赞成 in the result are the
same word. The message ids live in voting.labels (the certificate prints the same
ones); here they are translated when a page shows them. Registered as Jinja
globals by `register(app)`.
"""
from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from voting import labels
from voting.domain.ballots import ABSTAIN, APPROVE, BASICALLY_SATISFIED, DISSATISFIED, NO, SATISFIED, YES
from voting.i18n import lazy_labels

# What a voter can choose, in words...
KIND_LABELS = lazy_labels(labels.BALLOT_KINDS)
BALLOT_STATUS_LABELS = lazy_labels(labels.BALLOT_STATUSES)
CHOICE_LABELS = lazy_labels(labels.CHOICES)
GRADE_LABELS = lazy_labels(labels.GRADES)
NOT_VOTED_LABEL = _l(labels.NOT_VOTED)
# ...and in the keypad's colours: 赞成 green, 反对 red, 弃权 yellow; the satisfaction scale follows them.
CHOICE_TONES = {
    YES: "green",
    NO: "red",
    ABSTAIN: "yellow",
    APPROVE: "green",
    SATISFIED: "green",
    BASICALLY_SATISFIED: "blue",
    DISSATISFIED: "red",
}
# The result, and the rules that decide it.
OUTCOME_LABELS = lazy_labels(labels.OUTCOMES)
PASS_BASE_LABELS = lazy_labels(labels.PASS_BASES)
THRESHOLD_LABELS = lazy_labels(labels.THRESHOLDS)
FORM_LABELS = lazy_labels(labels.FORMS)
GRADING_LABELS = lazy_labels(labels.GRADINGS)

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
