"""Build cast ballots that add up to given counts, as phones would have sent them."""
from __future__ import annotations

from typing import Hashable, Mapping


def per_item_ballots(rows: Mapping[Hashable, Mapping[str, int]]) -> list[dict[Hashable, str]]:
    """Ballots whose per-item counts are exactly `rows` ({item: {choice: n}}).

    Voter i takes the i-th choice of each item's list; an item whose list is shorter
    is left out of that voter's ballot (未按). Voters who chose nothing send nothing.
    """
    columns = {item: [c for c, n in choices.items() for _ in range(n)] for item, choices in rows.items()}
    voters = max((len(column) for column in columns.values()), default=0)
    ballots = []
    for i in range(voters):
        ballot = {item: column[i] for item, column in columns.items() if i < len(column)}
        if ballot:
            ballots.append(ballot)
    return ballots


def approval_ballots(support: Mapping[Hashable, int], voters: int) -> list[dict[Hashable, str]]:
    """`voters` up_to_k ballots in which each item gets exactly `support[item]` approvals.

    Approvals are dealt round-robin, so no ballot carries more than
    ceil(sum(support) / voters) of them.
    """
    ballots: list[dict[Hashable, str]] = [{} for _ in range(voters)]
    position = 0
    for item, n in support.items():
        for j in range(n):
            ballots[(position + j) % voters][item] = "approve"
        position = (position + n) % voters
    return ballots
