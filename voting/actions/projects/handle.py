"""The clerk's handling of a proposal: merge a duplicate, reply in public, decline with a reason."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from voting.actions.errors import ActionError, NotFound
from voting.actions.projects.messages import project_error
from voting.domain.projects import ProjectError, check_merge, clean_text
from voting.storage.models import utcnow
from voting.storage.projects import Proposal


def get_proposal(session: Session, proposal_id: int, lock: bool = False) -> Proposal:
    """The proposal, or NotFound."""
    query = select(Proposal).where(Proposal.id == proposal_id)
    proposal = session.scalars(query.with_for_update() if lock else query).one_or_none()
    if proposal is None:
        raise NotFound(_("No proposal with number %(id)s.", id=proposal_id))
    return proposal


def merge_proposal(session: Session, proposal_id: int, into_id: int) -> Proposal:
    """Mark `proposal_id` a duplicate of `into_id` (合并), keeping the link both ways.

    Proposals merged into the duplicate earlier now point at `into_id` too, so a
    link never goes through two steps. Raises ActionError 422 (see check_merge) or NotFound.
    """
    source = get_proposal(session, proposal_id, lock=True)
    target = get_proposal(session, into_id, lock=True)
    try:
        check_merge(source.id, source.status, target.id, target.status, source.year_id == target.year_id)
    except ProjectError as error:
        raise project_error(error) from None
    session.execute(update(Proposal).where(Proposal.merged_into_id == source.id).values(merged_into_id=target.id))
    source.status, source.merged_into_id = "merged", target.id
    session.flush()
    return source


def unmerge_proposal(session: Session, proposal_id: int) -> Proposal:
    """Undo a merge made by mistake: the proposal is waiting again."""
    proposal = get_proposal(session, proposal_id, lock=True)
    if proposal.status != "merged":
        raise ActionError("not_merged", _("This proposal is not merged."), 409)
    proposal.status, proposal.merged_into_id = "new", None
    session.flush()
    return proposal


def reply_to_proposal(session: Session, proposal_id: int, text: str) -> Proposal:
    """Set the public reply (答复) to a proposal; a later reply replaces it. Raises ActionError 422."""
    proposal = get_proposal(session, proposal_id, lock=True)
    try:
        proposal.reply = clean_text(text, "reply", multiline=True)
    except ProjectError as error:
        raise project_error(error) from None
    proposal.replied_at = utcnow()
    session.flush()
    return proposal


def decline_proposal(session: Session, proposal_id: int, reason: str) -> Proposal:
    """初选: record why the proposal is not taken into the candidate list (shown in public).

    Raises ActionError 409 for a merged proposal or one already in a candidate project.
    """
    proposal = get_proposal(session, proposal_id, lock=True)
    if proposal.status == "merged":
        raise ActionError("merged", _("This proposal is merged into another; decide on that one."), 409)
    if proposal.status == "candidate":
        raise ActionError("is_candidate", _("This proposal is part of a candidate project."), 409)
    try:
        proposal.decline_reason = clean_text(reason, "reason", multiline=True)
    except ProjectError as error:
        raise project_error(error) from None
    proposal.status = "not_taken"
    session.flush()
    return proposal
