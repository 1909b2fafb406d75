"""What a tally decides: passed or failed, selected, tied or short, and the satisfaction grade.

Integer arithmetic only; a rate never takes part in a decision (domain-rules §2.3, §3.3,
§4.5, §5.5).

Interface
---------
- `needed(rules, expected, present, cast_on_item) -> int`: the count a `yes` (or
  `approve`, or 满意) must reach. Base N by `rules.pass_base`: `roster` → expected (应到),
  `present` → present (实到 at close), `cast` → ballots that voted on the item (弃权
  included, 未按 not). Threshold: `more_than_half` → N // 2 + 1; `two_thirds` →
  ceil(2N/3). Never below 1: nothing passes on zero votes.
- `decide(kind, rules, items, tally, expected, present, body_kind=None) -> BallotResult`:
  `items` is the ballot's (id, title) pairs in agenda order, `tally` comes from
  `voting.domain.tally.count` (or is built from counters). `present` must include
  everyone who cast a ballot (a voter who left before the close still counts as
  present for it); ValueError otherwise. With `body_kind`, the result carries the
  quorum (法定人数) check of `voting.domain.bodies.quorum`.
- Per item: `not_voted` (未按) = present − ballots that voted on the item, never
  folded into 弃权. Motion: `passed` / `failed`. Selection: eligible when support
  ≥ needed; eligible items ranked by support (competition ranking 1, 2, 2, 4); the
  top K `selected`; a group tied across the K-th place is `tie` (and listed in
  `runoff` with the seats left); the rest, and every ineligible item, `not_selected`
  (rank None when ineligible). Fewer eligible than K → `shortfall` = seats left empty.
  Satisfaction: `grade` by `rules.grading` (tiered / binary / None for rates) and the
  four rates over V = S + B + U (弃权 excluded, shown in counts).
- `BallotResult.to_dict()` (plain JSON, served by GET /api/v1/ballots/{id}/result and
  printed on the certificate; the API adds "status"):

    {"kind", "rules": {...}, "expected", "present", "cast",
     "needed": int | None (None when pass_base is "cast": it differs per item),
     "quorum": {"required", "met"} | None, "digest": "sha256:..." | None,
     "shortfall": int | None (selection only), "runoff": {"seats", "items": [id]} | None,
     "items": [{"id", "title", "counts": {choice: n}, "voted", "not_voted", "needed",
                "outcome": "passed"|"failed"|"selected"|"not_selected"|"tie"|None,
                "rank": int | None, "grade": "satisfied"|"basically_satisfied"|"dissatisfied"|None,
                "rates": {name: {"numerator", "denominator", "percent"} | None}}]}

  `rates` names: motion and selection → the support choice ("yes", or "approve"),
  as a share of the ballots that voted on the item (四屏 42/45, §3.4 example 3-C);
  satisfaction → "satisfied" S/V, "basically_satisfied" B/V, "combined" (S+B)/V
  (综合满意率), "dissatisfied" U/V. A rate is None when its denominator is 0.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Hashable, Mapping, Sequence

from voting.domain.ballots import (
    BASICALLY_SATISFIED,
    DISSATISFIED,
    MOTION,
    SATISFACTION,
    SATISFIED,
    SELECTION,
    Rules,
    support_choice,
)
from voting.domain.bodies import Quorum, more_than_half, quorum, two_thirds_or_more
from voting.domain.rates import Rate
from voting.domain.tally import Tally

PASSED, FAILED = "passed", "failed"
SELECTED, NOT_SELECTED, TIE = "selected", "not_selected", "tie"


def needed(rules: Rules, expected: int, present: int, cast_on_item: int) -> int:
    """The smallest support count that passes, from `rules.pass_base` and `rules.threshold` (≥ 1)."""
    base = {"roster": expected, "present": present, "cast": cast_on_item}[rules.pass_base]
    count = more_than_half(base) if rules.threshold == "more_than_half" else two_thirds_or_more(base)
    return max(1, count)


def competition_ranks(scores: Mapping[Hashable, int]) -> dict[Hashable, int]:
    """Rank by score, highest first, ties sharing the best rank: 9, 7, 7, 5 → 1, 2, 2, 4."""
    return {key: 1 + sum(1 for other in scores.values() if other > score) for key, score in scores.items()}


@dataclass(frozen=True)
class Runoff:
    """A one-step run-off among the projects tied across the K-th place, for the seats left."""

    seats: int
    item_ids: tuple[Hashable, ...]


@dataclass(frozen=True)
class ItemResult:
    """The decided result of one item."""

    id: Hashable
    title: str
    counts: Mapping[str, int]
    voted: int
    not_voted: int
    needed: int
    outcome: str | None
    rank: int | None
    grade: str | None
    rates: Mapping[str, Rate | None]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON form of this item (see the module docstring)."""
        return {
            "id": self.id,
            "title": self.title,
            "counts": dict(self.counts),
            "voted": self.voted,
            "not_voted": self.not_voted,
            "needed": self.needed,
            "outcome": self.outcome,
            "rank": self.rank,
            "grade": self.grade,
            "rates": {name: (rate.to_dict() if rate else None) for name, rate in self.rates.items()},
        }


@dataclass(frozen=True)
class BallotResult:
    """The decided result of a whole ballot."""

    kind: str
    rules: Rules
    expected: int
    present: int
    cast: int
    needed: int | None
    items: tuple[ItemResult, ...]
    quorum: Quorum | None = None
    shortfall: int | None = None
    runoff: Runoff | None = None
    digest: str | None = None

    def item(self, item_id: Hashable) -> ItemResult:
        """The result of one item by id (KeyError if absent)."""
        for result in self.items:
            if result.id == item_id:
                return result
        raise KeyError(item_id)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON form of the whole result (shape in the module docstring)."""
        return {
            "kind": self.kind,
            "rules": self.rules.to_mapping(),
            "expected": self.expected,
            "present": self.present,
            "cast": self.cast,
            "needed": self.needed,
            "quorum": {"required": self.quorum.required, "met": self.quorum.met} if self.quorum else None,
            "digest": self.digest,
            "shortfall": self.shortfall,
            "runoff": {"seats": self.runoff.seats, "items": list(self.runoff.item_ids)} if self.runoff else None,
            "items": [item.to_dict() for item in self.items],
        }


def _grade(rules: Rules, satisfied: int, basically: int, need: int) -> str | None:
    """满意度 grade: tiered (镇海), binary (石泉) or none (rates only), domain-rules §4.5."""
    if rules.grading == "rates":
        return None
    if satisfied >= need:
        return SATISFIED
    if rules.grading == "tiered" and satisfied + basically >= need:
        return BASICALLY_SATISFIED
    return DISSATISFIED


def _satisfaction_rates(counts: Mapping[str, int]) -> dict[str, Rate | None]:
    """The four rates over V = S + B + U; 弃权 is not in V."""
    s, b, u = counts[SATISFIED], counts[BASICALLY_SATISFIED], counts[DISSATISFIED]
    valid = s + b + u
    return {
        SATISFIED: Rate.of(s, valid),
        BASICALLY_SATISFIED: Rate.of(b, valid),
        "combined": Rate.of(s + b, valid),
        DISSATISFIED: Rate.of(u, valid),
    }


def _select(
    seats: int, support: Mapping[Hashable, int], need: Mapping[Hashable, int]
) -> tuple[dict[Hashable, str], dict[Hashable, int], int, Runoff | None]:
    """Outcomes and ranks of a selection: top `seats` among the eligible, ties across the cut."""
    eligible = {key: support[key] for key in support if support[key] >= need[key]}
    ranks = competition_ranks(eligible)
    outcomes = dict.fromkeys(support, NOT_SELECTED)
    for key, rank in ranks.items():
        group = sum(1 for other in eligible.values() if other == eligible[key])
        if rank + group - 1 <= seats:
            outcomes[key] = SELECTED
        elif rank <= seats:
            outcomes[key] = TIE
    tied = tuple(key for key in support if outcomes[key] == TIE)
    seats_left = seats - sum(1 for outcome in outcomes.values() if outcome == SELECTED)
    runoff = Runoff(seats=seats_left, item_ids=tied) if tied else None
    return outcomes, ranks, max(0, seats - len(eligible)), runoff


def decide(
    kind: str,
    rules: Rules,
    items: Sequence[tuple[Hashable, str]],
    tally: Tally,
    expected: int,
    present: int,
    body_kind: str | None = None,
) -> BallotResult:
    """Decide every item of a closed (or live) ballot. Raises ValueError on inconsistent input."""
    if tally.kind != kind:
        raise ValueError("the tally belongs to another kind of ballot")
    if [item_id for item_id, _ in items] != list(tally.items):
        raise ValueError("the tally's items are not the ballot's items")
    if expected < 0 or present < 0:
        raise ValueError("attendance cannot be negative")
    if tally.cast > present:
        raise ValueError("present (实到) must include everyone who cast a ballot")

    support_name = support_choice(kind, rules)
    need = {item_id: needed(rules, expected, present, tally.items[item_id].voted) for item_id, _ in items}
    outcomes: dict[Hashable, str | None] = dict.fromkeys(need, None)
    ranks: dict[Hashable, int] = {}
    shortfall: int | None = None
    runoff: Runoff | None = None
    if kind == MOTION:
        for item_id in need:
            outcomes[item_id] = PASSED if tally.items[item_id].counts[support_name] >= need[item_id] else FAILED
    elif kind == SELECTION:
        if rules.seats is None:
            raise ValueError("a selection needs seats (validate_definition refuses it without)")
        support = {item_id: tally.items[item_id].counts[support_name] for item_id in need}
        outcomes, ranks, shortfall, runoff = _select(rules.seats, support, need)

    results = []
    for item_id, title in items:
        counted = tally.items[item_id]
        if kind == SATISFACTION:
            grade = _grade(rules, counted.counts[SATISFIED], counted.counts[BASICALLY_SATISFIED], need[item_id])
            rates = _satisfaction_rates(counted.counts)
        else:
            grade = None
            rates = {support_name: Rate.of(counted.counts[support_name], counted.voted)}
        results.append(
            ItemResult(
                id=item_id,
                title=title,
                counts=dict(counted.counts),
                voted=counted.voted,
                not_voted=present - counted.voted,
                needed=need[item_id],
                outcome=outcomes[item_id],
                rank=ranks.get(item_id),
                grade=grade,
                rates=rates,
            )
        )
    return BallotResult(
        kind=kind,
        rules=rules,
        expected=expected,
        present=present,
        cast=tally.cast,
        needed=None if rules.pass_base == "cast" else needed(rules, expected, present, 0),
        items=tuple(results),
        quorum=quorum(body_kind, expected, present) if body_kind else None,
        shortfall=shortfall,
        runoff=runoff,
        digest=tally.digest,
    )

