"""Counting cast ballots, item by item, and the canonical digest of what was counted.

Interface
---------
- `count(kind, rules, item_ids, ballots) -> Tally`: `ballots` is any iterable of
  {item_id: choice} mappings (one per voter, JSON string keys are fine). Every ballot
  is re-validated with `validate_choices`, so a corrupt stored ballot raises
  VoteError instead of being miscounted. The live count and the final recount both
  call this function over the same ballots, so they cannot disagree.
- `Tally(kind, items, cast, digest)`; `items` maps each item id (in item order) to
  `ItemCount(counts, voted)`: `counts` holds every choice of the ballot, zero-filled;
  `voted` is how many ballots voted on the item (in the `up_to_k` form every cast
  ballot votes on every project). Constructing them by hand (e.g. from counters) is
  allowed: they check their own consistency and raise ValueError.
- `canonical_ballots(ballots) -> bytes` and `ballots_digest(ballots) -> "sha256:<hex>"`:
  order-independent. Each normalised ballot is a JSON object with string keys,
  keys sorted, no whitespace, ASCII only; the ballot strings are sorted and joined
  into one JSON array. A verifier holding the published ballots can rebuild it.
- `tally.to_dict()`: {"kind", "cast", "digest", "items": [{"id", "counts", "voted"}]}.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Hashable, Iterable, Mapping, Sequence

from voting.domain.ballots import Rules, choices_for, is_whole_ballot, validate_choices


@dataclass(frozen=True)
class ItemCount:
    """How one item was voted: a count per choice and how many ballots voted on it."""

    counts: Mapping[str, int]
    voted: int

    def __post_init__(self) -> None:
        """Freeze `counts` and refuse impossible numbers (ValueError)."""
        object.__setattr__(self, "counts", MappingProxyType(dict(self.counts)))
        if self.voted < 0 or any(n < 0 for n in self.counts.values()):
            raise ValueError("counts cannot be negative")
        if sum(self.counts.values()) > self.voted:
            raise ValueError("more choices than ballots on an item")


@dataclass(frozen=True)
class Tally:
    """The counts of a whole ballot. `digest` is None for a tally built from live counters."""

    kind: str
    items: Mapping[Hashable, ItemCount]
    cast: int
    digest: str | None = None

    def __post_init__(self) -> None:
        """Freeze `items` and refuse an item voted by more ballots than were cast (ValueError)."""
        object.__setattr__(self, "items", MappingProxyType(dict(self.items)))
        if self.cast < 0:
            raise ValueError("cast cannot be negative")
        if any(item.voted > self.cast for item in self.items.values()):
            raise ValueError("an item has more votes than ballots were cast")

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON form, items in ballot order."""
        return {
            "kind": self.kind,
            "cast": self.cast,
            "digest": self.digest,
            "items": [
                {"id": item_id, "counts": dict(item.counts), "voted": item.voted}
                for item_id, item in self.items.items()
            ],
        }


def _canonical_ballot(ballot: Mapping[Any, str]) -> str:
    """One ballot as canonical JSON: string keys, sorted, no whitespace, ASCII only."""
    return json.dumps(
        {str(key): choice for key, choice in ballot.items()},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=True,
    )


def canonical_ballots(ballots: Iterable[Mapping[Any, str]]) -> bytes:
    """The digest input: every ballot canonicalised, sorted, in one JSON array (order-independent)."""
    return ("[" + ",".join(sorted(_canonical_ballot(b) for b in ballots)) + "]").encode("ascii")


def ballots_digest(ballots: Iterable[Mapping[Any, str]]) -> str:
    """SHA-256 of `canonical_ballots`, as "sha256:<hex>"."""
    return "sha256:" + hashlib.sha256(canonical_ballots(ballots)).hexdigest()


def count(
    kind: str, rules: Rules, item_ids: Sequence[Hashable], ballots: Iterable[Mapping[Any, Any]]
) -> Tally:
    """Count every ballot, item by item. Raises VoteError if a ballot is not valid for this ballot."""
    normalised = [validate_choices(kind, rules, item_ids, ballot) for ballot in ballots]
    choices = choices_for(kind, rules)
    counts = {item_id: dict.fromkeys(choices, 0) for item_id in item_ids}
    voted = dict.fromkeys(item_ids, 0)
    for ballot in normalised:
        for item_id, choice in ballot.items():
            counts[item_id][choice] += 1
            voted[item_id] += 1
    if is_whole_ballot(kind, rules):
        # A cast up_to_k ballot is a vote on every project: not marking one is "not approved".
        voted = dict.fromkeys(item_ids, len(normalised))
    return Tally(
        kind=kind,
        items={item_id: ItemCount(counts[item_id], voted[item_id]) for item_id in item_ids},
        cast=len(normalised),
        digest=ballots_digest(normalised),
    )
