"""The words for stored codes (ballot kinds, choices, outcomes, rules, project stages): their one home.

Each table maps a code to its English message id; nothing here translates.
`N_` marks the ids for extraction (it is one of Babel's default keywords, so
tests/test_i18n.py finds them), and the Chinese lives in messages.po. No Flask,
so voting.render prints them through the `translate` it is given; the pages,
forms and exports wrap them in lazy_gettext (voting.i18n.lazy_labels), the
screen's JSON translates them per request (voting.i18n.translated).
"""
from __future__ import annotations

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
from voting.domain.certificate import METHOD_NAMED_ELECTRONIC, METHOD_SECRET_ELECTRONIC


def N_(message_id: str) -> str:
    """Mark a message id for extraction; it is translated where it is shown."""
    return message_id


# A ballot's kind as the pages name it, and as the certificate names it, more formally.
BALLOT_KINDS = {
    MOTION: N_("Motion"),
    SELECTION: N_("Project selection"),
    SATISFACTION: N_("Satisfaction assessment"),
}
CERTIFICATE_KINDS = {
    MOTION: N_("Vote on a motion"),
    SELECTION: N_("Livelihood project selection"),
    SATISFACTION: N_("Satisfaction assessment"),
}
VOTING_METHODS = {
    METHOD_SECRET_ELECTRONIC: N_("Secret, by electronic keypad (phone)"),
    METHOD_NAMED_ELECTRONIC: N_("Named, by electronic keypad (phone)"),
}
BALLOT_STATUSES = {
    "draft": N_("Not started"),
    "open": N_("Open for voting"),
    "closed": N_("Voting ended"),
    "certified": N_("Certified"),
}
GRADES = {
    SATISFIED: N_("Satisfied"),
    BASICALLY_SATISFIED: N_("Basically satisfied"),
    DISSATISFIED: N_("Dissatisfied"),
}
# A choice as the voter makes it (phone, console), and as the certificate heads its column of counts.
CHOICES = {YES: N_("For"), NO: N_("Against"), ABSTAIN: N_("Abstain"), APPROVE: N_("Chosen"), **GRADES}
CHOICE_COUNTS = {YES: N_("Yes votes"), NO: N_("No votes"), ABSTAIN: N_("Abstentions"), APPROVE: N_("Votes"), **GRADES}
NOT_VOTED = N_("Did not vote")
OUTCOMES = {
    "passed": N_("Passed"),
    "failed": N_("Not passed"),
    "selected": N_("Selected"),
    "not_selected": N_("Not selected"),
    "tie": N_("Tied: run-off needed"),
}
PASS_BASES = {
    "roster": N_("All members (expected)"),
    "present": N_("Members present"),
    "cast": N_("Members voting on the item"),
}
THRESHOLDS = {
    "more_than_half": N_("More than half"),
    "two_thirds": N_("Two thirds or more"),
}
FORMS = {
    "per_item": N_("For / against / abstain on each project"),
    "up_to_k": N_("Choose at most K projects"),
}
GRADINGS = {
    "tiered": N_("Satisfied / basically satisfied / dissatisfied"),
    "binary": N_("Satisfied / dissatisfied"),
    "rates": N_("Rates only, no grade"),
}

# Livelihood projects, their proposals and the ballots that decide them.
PROJECT_CATEGORIES = {
    "education": N_("Education"),
    "elderly_care": N_("Elderly care"),
    "transport": N_("Transport"),
    "health": N_("Health"),
    "environment": N_("Environment"),
    "culture": N_("Culture and sport"),
    "employment": N_("Employment"),
    "housing": N_("Housing and neighbourhoods"),
    "other": N_("Other"),
}
PROJECT_STATUSES = {
    "not_started": N_("Works not started"),
    "in_progress": N_("Works in progress"),
    "completed": N_("Completed"),
    "delayed": N_("Delayed"),
}
PROJECT_STAGES = {
    "candidate": N_("Candidate"),
    "adopted": N_("Adopted"),
    "not_selected": N_("Not chosen by the vote"),
    "tied": N_("Tied, awaiting the run-off"),
}
PROPOSAL_STATUSES = {
    "new": N_("Received"),
    "candidate": N_("Taken into a candidate project"),
    "not_taken": N_("Not taken"),
    "merged": N_("Merged"),
}
PROPOSAL_SOURCES = {
    "public": N_("Member of the public"),
    "representative": N_("Representative"),
}
BALLOT_PURPOSES = {
    "selection": N_("Competitive vote"),
    "runoff": N_("Run-off"),
    "evaluation": N_("Satisfaction test"),
}
