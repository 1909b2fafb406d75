"""Kinds of ballot, their rules, and what one cast vote may contain.

The one home of "what is a valid ballot definition" and "what is a valid vote".
Standard library only; errors carry a stable `code` and JSON-able `params`, never
a message: the web layer translates the code (e.g. `_("vote.too_many_approvals")`).

Interface
---------
- Kinds: `MOTION` (表决), `SELECTION` (民生实事项目票决), `SATISFACTION` (满意度测评).
- `Rules` (frozen): the settings of one ballot, defaults of issue 4.
  `Rules.from_mapping(data) -> Rules` validates a JSON object (None or {} → defaults);
  `rules.to_mapping() -> dict` is its canonical JSON form (store it, reload it with
  `from_mapping`).
- `validate_definition(kind, rules, titles) -> tuple[str, ...]` checks a whole ballot
  (kind known, 1..MAX_ITEMS items with non-blank titles, 差额 for a selection, no rule
  that belongs to another kind) and returns the titles stripped.
- `choices_for(kind, rules) -> tuple[str, ...]`: the choices one item accepts.
- `support_choice(kind, rules) -> str | None`: the choice that counts towards passing
  (`yes`, or `approve` in the `up_to_k` form; None for satisfaction).
- `validate_choices(kind, rules, item_ids, choices) -> dict[item_id, choice]`: checks ONE
  cast vote and returns it normalised: keyed by the ballot's own item ids (a JSON key
  "12" matches item id 12), in item order.

What a partial vote means: an item left out of `choices` is 未按 (`not_voted`) for that
item, never 弃权. A vote must choose on at least one item (`empty_vote`), except in the
`up_to_k` form, where a ballot approving no project is a valid blank ballot and every
project on a cast ballot counts as voted on (approved or not).

Error codes
-----------
RuleError: `unknown_kind` {kind}; `rules_not_object`; `unknown_rule` {rule};
`invalid_rule` {rule, allowed?}; `rule_out_of_range` {rule, min, max};
`rule_not_applicable` {rule, kind}; `no_items`; `too_many_items` {max};
`blank_item_title` {index}; `item_title_too_long` {index, max}; `seats_required`;
`not_enough_candidates` {seats, candidates}.
VoteError: `unknown_kind` {kind}; `choices_not_object`; `empty_vote`; `unknown_item` {item};
`duplicate_item` {item}; `unknown_choice` {item, choice}; `too_many_approvals` {seats, chosen}.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any, Hashable, Mapping, Sequence

MOTION = "motion"  # 表决: 决议, 决定, reports, 人事任免
SELECTION = "selection"  # 民生实事项目票决 (差额)
SATISFACTION = "satisfaction"  # 满意度测评
KINDS = (MOTION, SELECTION, SATISFACTION)

YES, NO, ABSTAIN = "yes", "no", "abstain"  # 赞成 / 反对 / 弃权
SATISFIED, BASICALLY_SATISFIED, DISSATISFIED = "satisfied", "basically_satisfied", "dissatisfied"
APPROVE = "approve"  # a mark (○) on an up_to_k selection ballot

PASS_BASES = ("roster", "present", "cast")  # 全体 (应到) / 实到 at close / voted on the item
THRESHOLDS = ("more_than_half", "two_thirds")  # 过半数 / 三分之二以上
FORMS = ("per_item", "up_to_k")
GRADINGS = ("tiered", "binary", "rates")

MAX_ITEMS = 200
MAX_TITLE_LENGTH = 500
MAX_DURATION_S = 24 * 3600


class DomainError(Exception):
    """A refusal with a stable machine code and JSON-able params (no message: translate the code)."""

    def __init__(self, code: str, params: Mapping[str, Any] | None = None) -> None:
        super().__init__(code, dict(params or {}))
        self.code = code
        self.params = dict(params or {})


class RuleError(DomainError):
    """A ballot definition or its rules are not acceptable."""


class VoteError(DomainError):
    """One cast vote is not acceptable for its ballot."""


@dataclass(frozen=True)
class Rules:
    """The rules of one ballot (issue 4, "Rules of a ballot"); every field has the issue's default.

    `seats` and `form` matter for selection only; `grading` and `abstain_option` for
    satisfaction only. `duration_s` is the countdown in seconds (None: no countdown).
    """

    pass_base: str = "roster"
    threshold: str = "more_than_half"
    secret: bool = True
    allow_change: bool = True
    live_results: bool = False
    require_checkin: bool = True
    duration_s: int | None = None
    seats: int | None = None
    form: str = "per_item"
    grading: str = "tiered"
    abstain_option: bool = False

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None) -> "Rules":
        """Build Rules from a JSON object, defaults for missing keys; raises RuleError.

        Strict on purpose: an unknown key (a typo such as `treshold`) is refused rather
        than silently ignored, booleans must be JSON booleans, counts JSON integers.
        """
        if data is None:
            return cls()
        if not isinstance(data, Mapping):
            raise RuleError("rules_not_object")
        known = {f.name for f in fields(cls)}
        for key in data:
            if key not in known:
                raise RuleError("unknown_rule", {"rule": str(key)})
        values: dict[str, Any] = {}
        for name, allowed in (("pass_base", PASS_BASES), ("threshold", THRESHOLDS), ("form", FORMS), ("grading", GRADINGS)):
            if name in data:
                if data[name] not in allowed:
                    raise RuleError("invalid_rule", {"rule": name, "allowed": list(allowed)})
                values[name] = data[name]
        for name in ("secret", "allow_change", "live_results", "require_checkin", "abstain_option"):
            if name in data:
                if not isinstance(data[name], bool):
                    raise RuleError("invalid_rule", {"rule": name})
                values[name] = data[name]
        for name, low, high in (("duration_s", 1, MAX_DURATION_S), ("seats", 1, MAX_ITEMS - 1)):
            if name in data and data[name] is not None:
                value = data[name]
                if isinstance(value, bool) or not isinstance(value, int):
                    raise RuleError("invalid_rule", {"rule": name})
                if not low <= value <= high:
                    raise RuleError("rule_out_of_range", {"rule": name, "min": low, "max": high})
                values[name] = value
        return cls(**values)

    def to_mapping(self) -> dict[str, Any]:
        """The canonical JSON object of these rules (every key present)."""
        return asdict(self)


# Rules that belong to one kind only, with their neutral value.
_KIND_ONLY_RULES = {
    "seats": (SELECTION, None),
    "form": (SELECTION, "per_item"),
    "grading": (SATISFACTION, "tiered"),
    "abstain_option": (SATISFACTION, False),
}


def _check_kind(kind: str, error: type[DomainError]) -> None:
    """Raise `error("unknown_kind")` unless kind is one of KINDS."""
    if kind not in KINDS:
        raise error("unknown_kind", {"kind": str(kind)})


def validate_definition(kind: str, rules: Rules, titles: Sequence[str]) -> tuple[str, ...]:
    """Check a ballot before it is created; returns the item titles stripped.

    A selection needs `seats` K ≥ 1 and more than K candidate projects (差额,
    domain-rules §3.3). A rule of another kind set to a non-default value is refused
    (`rule_not_applicable`): `seats` on a motion is a mistake, not a no-op.
    Raises RuleError.
    """
    _check_kind(kind, RuleError)
    for rule, (owner, neutral) in _KIND_ONLY_RULES.items():
        if kind != owner and getattr(rules, rule) != neutral:
            raise RuleError("rule_not_applicable", {"rule": rule, "kind": kind})
    if not titles:
        raise RuleError("no_items")
    if len(titles) > MAX_ITEMS:
        raise RuleError("too_many_items", {"max": MAX_ITEMS})
    cleaned = []
    for index, title in enumerate(titles):
        if not isinstance(title, str) or not title.strip():
            raise RuleError("blank_item_title", {"index": index})
        if len(title.strip()) > MAX_TITLE_LENGTH:
            raise RuleError("item_title_too_long", {"index": index, "max": MAX_TITLE_LENGTH})
        cleaned.append(title.strip())
    if kind == SELECTION:
        if rules.seats is None:
            raise RuleError("seats_required")
        if len(cleaned) <= rules.seats:
            raise RuleError("not_enough_candidates", {"seats": rules.seats, "candidates": len(cleaned)})
    return tuple(cleaned)


def choices_for(kind: str, rules: Rules) -> tuple[str, ...]:
    """The choices one item of this ballot accepts, in display order."""
    if kind == MOTION:
        return (YES, NO, ABSTAIN)
    if kind == SELECTION:
        return (APPROVE,) if rules.form == "up_to_k" else (YES, NO, ABSTAIN)
    if kind == SATISFACTION:
        base = (SATISFIED, BASICALLY_SATISFIED, DISSATISFIED)
        return base + (ABSTAIN,) if rules.abstain_option else base
    raise ValueError(f"unknown ballot kind: {kind!r}")


def support_choice(kind: str, rules: Rules) -> str | None:
    """The choice whose count must reach the needed count (None for satisfaction, graded instead)."""
    if kind == MOTION:
        return YES
    if kind == SELECTION:
        return APPROVE if rules.form == "up_to_k" else YES
    return None


def is_whole_ballot(kind: str, rules: Rules) -> bool:
    """True when a cast ballot counts as voted on every item (the up_to_k form, like a paper 限选 ballot)."""
    return kind == SELECTION and rules.form == "up_to_k"


def validate_choices(
    kind: str, rules: Rules, item_ids: Sequence[Hashable], choices: Mapping[Any, Any]
) -> dict[Hashable, str]:
    """Check one cast vote against its ballot; returns {item_id: choice} in item order.

    Keys are matched by `str(key) == str(item_id)`, so JSON string keys find integer
    ids. Items left out are 未按 for that item. In the `up_to_k` form only `approve`
    is accepted and at most `seats` of them: more is refused here, at cast time
    (on paper such a ballot would be void, domain-rules §3.4 example 3-B).
    Raises VoteError.
    """
    _check_kind(kind, VoteError)
    if not isinstance(choices, Mapping):
        raise VoteError("choices_not_object")
    by_key = {str(item_id): item_id for item_id in item_ids}
    allowed = choices_for(kind, rules)
    picked: dict[Hashable, str] = {}
    for key, choice in choices.items():
        item_id = by_key.get(str(key))
        if item_id is None:
            raise VoteError("unknown_item", {"item": str(key)})
        if item_id in picked:
            raise VoteError("duplicate_item", {"item": str(key)})
        if not isinstance(choice, str) or choice not in allowed:
            raise VoteError("unknown_choice", {"item": str(key), "choice": str(choice)})
        picked[item_id] = choice
    if is_whole_ballot(kind, rules):
        if rules.seats is not None and len(picked) > rules.seats:
            raise VoteError("too_many_approvals", {"seats": rules.seats, "chosen": len(picked)})
    elif not picked:
        raise VoteError("empty_vote")
    return {item_id: picked[item_id] for item_id in item_ids if item_id in picked}
