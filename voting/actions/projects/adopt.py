"""The certified result lands on the projects: adopted (正式项目), not chosen, tied; or graded.

`apply_certified_result` runs inside the certification's last transaction (the
one that marks the ballot certified), so a result is never certified without
reaching its projects, nor the other way round. It is safe to run twice, and
the order of a selection and its run-off's certification does not matter: a
decision only moves a project forward (candidate → tied → adopted / not chosen).
"""
from __future__ import annotations

import json

from sqlalchemy.orm import Session

from voting.domain.projects import ADOPTED, CANDIDATE, TIED, stages_from_result
from voting.storage.ballots import Ballot
from voting.storage.models import utcnow
from voting.storage.projects import ProjectBallot

# Which stages a ballot of each purpose may still change.
_OPEN_STAGES = {"selection": (CANDIDATE,), "runoff": (CANDIDATE, TIED)}


def apply_certified_result(session: Session, ballot_id: int) -> bool:
    """Copy a certified project ballot's figures to its projects; returns whether anything was applied.

    A ballot that is not certified, not a project ballot, or applied already is
    left alone (False). A run-off made from the ballot's own page is linked first.
    The caller commits.
    """
    from voting.actions.projects.vote import link_runoff

    ballot = session.get(Ballot, ballot_id)
    if ballot is None or ballot.status != "certified" or not ballot.result_json:
        return False
    link = session.get(ProjectBallot, ballot.id) or link_runoff(session, ballot)
    if link is None or link.applied_at is not None:
        return False
    result = json.loads(ballot.result_json)
    items = {item["id"]: item for item in result.get("items", [])}
    now = utcnow()
    if link.purpose == "evaluation":
        for vote in link.votes:
            item = items.get(vote.ballot_item_id)
            if item is None:
                continue
            vote.grade = item.get("grade")
            vote.counts_json = json.dumps(item.get("counts") or {}, sort_keys=True)
            vote.rates_json = json.dumps(item.get("rates") or {}, sort_keys=True)
            vote.project.evaluation_grade, vote.project.evaluated_at = vote.grade, now
    else:
        lines = stages_from_result(result, {vote.ballot_item_id: vote.project_id for vote in link.votes})
        for vote in link.votes:
            line = lines.get(vote.project_id)
            item = items.get(vote.ballot_item_id)
            if line is None or item is None:
                continue
            vote.outcome, vote.rank, vote.support = line.outcome, line.rank, line.support
            vote.counts_json = json.dumps(item.get("counts") or {}, sort_keys=True)
            vote.rates_json = json.dumps(item.get("rates") or {}, sort_keys=True)
            project = vote.project
            if project.stage in _OPEN_STAGES[link.purpose]:
                project.stage = line.stage
                if line.stage == ADOPTED:
                    project.adopted_at = now
    link.applied_at = now
    session.flush()
    return True
