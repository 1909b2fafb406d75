"""What the pages show of a year: each project with its vote, progress, money and grade; the figures for charts.

Plain dicts built in one session, so templates never touch a closed session.
Money stays in yuan; templates format it (万元).
"""
from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from voting.actions.projects.candidates import candidates_of
from voting.actions.projects.vote import year_ballots
from voting.domain.projects import ADOPTED, spending, summarise
from voting.storage.ballots import Ballot
from voting.storage.projects import Project, ProjectBallot, ProjectVote, ProjectYear, Proposal


def _votes_by_project(session: Session, year_id: int) -> dict[int, dict[str, Any]]:
    """Per project: its selection line, its run-off line, its evaluation line (certified figures only)."""
    rows = session.execute(
        select(ProjectVote, ProjectBallot.purpose)
        .join(ProjectBallot, ProjectBallot.ballot_id == ProjectVote.ballot_id)
        .where(ProjectBallot.year_id == year_id, ProjectBallot.applied_at.is_not(None))
        .order_by(ProjectBallot.created_at, ProjectBallot.ballot_id)
    )
    found: dict[int, dict[str, Any]] = {}
    for vote, purpose in rows:
        line = {
            "outcome": vote.outcome,
            "rank": vote.rank,
            "support": vote.support,
            "grade": vote.grade,
            "counts": json.loads(vote.counts_json or "{}"),
            "rates": json.loads(vote.rates_json or "{}"),
            "ballot_id": vote.ballot_id,
        }
        found.setdefault(vote.project_id, {})[purpose] = line  # a later run-off replaces an earlier one
    return found


def project_card(project: Project, votes: dict[str, Any] | None = None) -> dict[str, Any]:
    """One project as the pages show it."""
    money = spending(project.budget, project.spent)
    return {
        "id": project.id,
        "position": project.position,
        "title": project.title,
        "description": project.description,
        "category": project.category,
        "department": project.department,
        "budget": project.budget,
        "spent": project.spent,
        "spent_percent": money.percent,
        "is_over_budget": money.is_over,
        "planned_completion": project.planned_completion,
        "stage": project.stage,
        "status": project.status,
        "progress": project.progress,
        "adopted_at": project.adopted_at,
        "grade": project.evaluation_grade,
        "votes": votes or {},
        "proposal_ids": [p.id for p in project.proposals],
    }


def ballot_lines(session: Session, year_id: int) -> list[dict[str, Any]]:
    """The year's ballots: purpose, status, seats and shortfall once closed, whether the result has landed."""
    lines = []
    for link in year_ballots(session, year_id):
        ballot = session.get(Ballot, link.ballot_id)
        result = json.loads(ballot.result_json) if ballot.result_json else None
        lines.append({
            "ballot_id": ballot.id,
            "purpose": link.purpose,
            "title": ballot.title,
            "status": ballot.status,
            "meeting": ballot.meeting.title,
            "meeting_id": ballot.meeting_id,
            "applied": link.applied_at is not None,
            "seats": json.loads(ballot.rules_json).get("seats"),
            "shortfall": (result or {}).get("shortfall"),
            "runoff": (result or {}).get("runoff"),
            "expected": (result or {}).get("expected"),
            "present": (result or {}).get("present"),
            "cast": (result or {}).get("cast"),
            "needed": (result or {}).get("needed"),
        })
    return lines


def year_view(session: Session, year: ProjectYear) -> dict[str, Any]:
    """Everything the year's public page shows."""
    votes = _votes_by_project(session, year.id)
    cards = [project_card(p, votes.get(p.id)) for p in candidates_of(session, year.id)]
    adopted = [c for c in cards if c["stage"] == ADOPTED]
    # Ranked by the vote once it is decided, list order before.
    adopted.sort(key=lambda c: ((c["votes"].get("selection") or {}).get("rank") or 999, c["position"]))
    counts = dict(session.execute(
        select(Proposal.status, func.count()).where(Proposal.year_id == year.id).group_by(Proposal.status)
    ).all())
    ballots = ballot_lines(session, year.id)
    return {
        "year": {"id": year.id, "year": year.year, "title": year.title, "is_collecting": year.is_collecting,
                 "approved_at": year.approved_at},
        "phase": phase_of(year, ballots, bool(adopted)),
        "projects": cards,
        "adopted": adopted,
        "others": [c for c in cards if c["stage"] != ADOPTED],
        "ballots": ballots,
        "proposal_counts": counts,
        "proposals_total": sum(counts.values()),
        "summary": summarise(adopted) if adopted else None,
    }


PHASES = ("collect", "screen", "vote", "implement", "evaluate")


def phase_of(year: ProjectYear, ballots: list[dict[str, Any]], has_adopted: bool) -> str:
    """Where the year's cycle stands: collect → screen → vote → implement → evaluate (done when evaluated)."""
    if any(b["purpose"] == "evaluation" and b["applied"] for b in ballots):
        return "done"
    if any(b["purpose"] == "evaluation" for b in ballots):
        return "evaluate"
    pending_vote = any(b["purpose"] in ("selection", "runoff") and not b["applied"] for b in ballots)
    if has_adopted and not pending_vote:
        return "implement"
    if year.approved_at is not None:
        return "vote"
    return "collect" if year.is_collecting else "screen"


def project_view(session: Session, project: Project) -> dict[str, Any]:
    """One project's page: its card, progress reports, inspections and the proposals it answers."""
    votes = _votes_by_project(session, project.year_id).get(project.id)
    card = project_card(project, votes)
    card["updates"] = [
        {"date": u.update_date, "note": u.note, "status": u.status, "progress": u.progress, "spent": u.spent}
        for u in project.updates
    ]
    card["inspections"] = [
        {"date": i.inspected_on, "note": i.note, "name": i.representative.name if i.representative else None,
         "body": i.representative.body.name if i.representative else None}
        for i in project.inspections
    ]
    card["proposals"] = [{"id": p.id, "title": p.title, "source": p.source} for p in project.proposals]
    return card


def public_proposals(session: Session, year_id: int, proposal_id: int | None = None) -> list[dict[str, Any]]:
    """The year's proposals (or just one) as the public sees them: never the contact; a member of the public
    by surname only."""
    query = select(Proposal).where(Proposal.year_id == year_id)
    if proposal_id is not None:
        query = query.where(Proposal.id == proposal_id)
    rows = session.scalars(query.order_by(Proposal.id.desc()))
    return [
        {
            "id": p.id,
            "title": p.title,
            "description": p.description,
            "category": p.category,
            "place": p.place,
            "estimated_cost": p.estimated_cost,
            "source": p.source,
            "proposer": p.proposer_name if p.source == "representative" else masked_name(p.proposer_name),
            "status": p.status,
            "merged_into_id": p.merged_into_id,
            "project_id": p.project_id,
            "project_title": p.project.title if p.project else None,
            "decline_reason": p.decline_reason,
            "reply": p.reply,
            "replied_at": p.replied_at,
            "created_at": p.created_at,
        }
        for p in rows
    ]


def masked_name(name: str | None) -> str:
    """A member of the public shown by the first character only: 王小明 → 王**."""
    name = (name or "").strip()
    return (name[0] + "*" * min(max(len(name) - 1, 1), 2)) if name else ""
