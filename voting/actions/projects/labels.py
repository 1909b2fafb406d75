"""Names of the project codes in the user's language (shared by the pages and the exports).

The message ids live in voting.labels; these tables translate them when shown.
"""
from __future__ import annotations

from voting import labels
from voting.i18n import lazy_labels

CATEGORY_LABELS = lazy_labels(labels.PROJECT_CATEGORIES)
STATUS_LABELS = lazy_labels(labels.PROJECT_STATUSES)
STAGE_LABELS = lazy_labels(labels.PROJECT_STAGES)
PROPOSAL_STATUS_LABELS = lazy_labels(labels.PROPOSAL_STATUSES)
SOURCE_LABELS = lazy_labels(labels.PROPOSAL_SOURCES)
PURPOSE_LABELS = lazy_labels(labels.BALLOT_PURPOSES)
