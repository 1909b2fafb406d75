"""Template helpers of the livelihood-project pages (console, public, phone): labels and money in 万元."""
from __future__ import annotations

from flask import Flask

from voting.actions.projects.labels import (
    CATEGORY_LABELS,
    PROPOSAL_STATUS_LABELS,
    PURPOSE_LABELS,
    SOURCE_LABELS,
    STAGE_LABELS,
    STATUS_LABELS,
)
from voting.domain.projects import CATEGORIES, STATUSES, format_wan


def percent_width(value: int | None, whole: int | None = 100) -> int:
    """A bar's width in percent of `whole`, clamped to 0–100 (an overspent budget fills the bar, no more)."""
    if not whole or value is None:
        return 0
    return max(0, min(100, int(value) * 100 // int(whole)))


def register(app: Flask) -> None:
    """Make the tables and filters available to every template (once per app)."""
    if app.jinja_env.globals.get("PROJECT_CATEGORY_LABELS") is not None:
        return
    from voting.web import ballot_labels

    ballot_labels.register(app)  # GRADE_LABELS, BALLOT_STATUS_LABELS: the same words as the ballots' pages
    app.jinja_env.globals.update(
        PROJECT_CATEGORIES=CATEGORIES,
        PROJECT_STATUSES=STATUSES,
        PROJECT_CATEGORY_LABELS=CATEGORY_LABELS,
        PROJECT_STATUS_LABELS=STATUS_LABELS,
        PROJECT_STAGE_LABELS=STAGE_LABELS,
        PROPOSAL_STATUS_LABELS=PROPOSAL_STATUS_LABELS,
        PROPOSAL_SOURCE_LABELS=SOURCE_LABELS,
        BALLOT_PURPOSE_LABELS=PURPOSE_LABELS,
        percent_width=percent_width,
    )
    app.jinja_env.filters["wan"] = format_wan
