"""民生实事项目 (livelihood projects): the pure rules of the yearly cycle (domain-rules §3.2).

群众提、代表定、政府办、人大评: proposals are collected (征集), screened into
candidate projects (初选), chosen by a 差额 vote (票决), implemented and supervised
(实施/监督), and rated at year end (评). Standard library only; errors carry a stable
`code` and JSON-able `params` (no message: the actions layer translates the code).

Money is integer 元 (yuan); it is entered and shown in 万元 (10 000 yuan), with at
most four decimals, so 12.5 万元 is 125 000 yuan exactly and no float ever decides.

Interface
---------
- Codes: `CATEGORIES`, `PROPOSAL_SOURCES`, `PROPOSAL_STATUSES`, `STAGES` (where a
  project stands in the vote), `STATUSES` (its implementation: 未开工/推进中/已完成/延期).
- `clean_text(value, field, max_length, required)` → stripped text or None; refuses
  blank-when-required (`required`), oversize (`too_long`) and control characters are
  dropped. Markup is NOT removed: text is stored as typed and escaped on output.
- `parse_wan(text, field)` → yuan (int) or None; `format_wan(yuan)` → "12.5".
- `check_proposal(data)` → `Checked(values, problems)`: every field checked at once.
- `check_candidate(data, year)` → `Checked` for a candidate project.
- `check_competitive(candidates, seats)`: 差额 (candidates > seats ≥ 1) or ProjectError.
- `check_progress(status, progress)`, `spending(budget, spent)`.
- `can_become_candidate(status)`, `check_merge(...)`.
- `stages_from_result(result, item_projects)`: what a certified selection (or run-off)
  result means for each project: adopted / not_selected / tied.
- `summarise(projects)`: counts and money by category and by status, for the charts.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date as date_type
from decimal import Decimal, InvalidOperation
from typing import Any, Hashable, Iterable, Mapping

from voting.domain.ballots import DomainError

CATEGORIES = (
    "education", "elderly_care", "transport", "health", "environment",
    "culture", "employment", "housing", "other",
)
PROPOSAL_SOURCES = ("public", "representative")
# new: waiting for the clerk; candidate: taken into a candidate project;
# not_taken: declined with a reason; merged: a duplicate of another proposal.
PROPOSAL_STATUSES = ("new", "candidate", "not_taken", "merged")
# Where a project stands in the vote: on the list, chosen (正式项目), not chosen,
# or tied across the K-th place and waiting for the run-off.
CANDIDATE, ADOPTED, NOT_SELECTED, TIED = "candidate", "adopted", "not_selected", "tied"
STAGES = (CANDIDATE, ADOPTED, NOT_SELECTED, TIED)
NOT_STARTED, IN_PROGRESS, COMPLETED, DELAYED = "not_started", "in_progress", "completed", "delayed"
STATUSES = (NOT_STARTED, IN_PROGRESS, COMPLETED, DELAYED)
BALLOT_PURPOSES = ("selection", "runoff", "evaluation")

YUAN_PER_WAN = 10_000
MAX_YUAN = 10**11  # 1 000 万万元: larger than any county's whole budget, so a typo, not a plan

# Field lengths, in characters (a Chinese character is one).
LIMITS = {
    "title": 100,
    "description": 3000,
    "place": 200,
    "proposer_name": 50,
    "proposer_contact": 100,
    "reply": 2000,
    "reason": 1000,
    "department": 200,
    "note": 2000,
}

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


class ProjectError(DomainError):
    """A refusal of the project rules: `code` and `params` (e.g. {"field": "title", "max": 100})."""


def clean_text(value: Any, field_name: str, max_length: int | None = None, required: bool = True,
               multiline: bool = False) -> str | None:
    """`value` trimmed, line breaks normalised, control and bidi-override characters dropped.

    Returns None for blank optional text. Raises ProjectError `required` {field}
    or `too_long` {field, max, length} (length counted after cleaning).
    """
    text = "" if value is None else str(value)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not multiline:
        text = text.replace("\n", " ").replace("\t", " ")
    text = _CONTROL.sub("", text).strip()
    if not text:
        if required:
            raise ProjectError("required", {"field": field_name})
        return None
    limit = LIMITS.get(field_name) if max_length is None else max_length
    if limit is not None and len(text) > limit:
        raise ProjectError("too_long", {"field": field_name, "max": limit, "length": len(text)})
    return text


def parse_wan(value: Any, field_name: str = "cost", required: bool = False) -> int | None:
    """An amount typed in 万元 ("12.5", "1,200", full-width digits) as whole yuan.

    Raises ProjectError `required`, `not_a_number`, `negative`, `too_precise`
    (finer than one yuan) or `too_large` {field}.
    """
    text = unicodedata.normalize("NFKC", "" if value is None else str(value)).strip()
    text = text.replace(",", "").replace("，", "").replace(" ", "")
    for unit in ("万元", "万"):
        if text.endswith(unit):
            text = text[: -len(unit)]
    if not text:
        if required:
            raise ProjectError("required", {"field": field_name})
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ProjectError("not_a_number", {"field": field_name}) from None
    if not amount.is_finite():
        raise ProjectError("not_a_number", {"field": field_name})
    if amount < 0:
        raise ProjectError("negative", {"field": field_name})
    yuan = amount * YUAN_PER_WAN
    if yuan != yuan.to_integral_value():
        raise ProjectError("too_precise", {"field": field_name})
    if yuan > MAX_YUAN:
        raise ProjectError("too_large", {"field": field_name})
    return int(yuan)


def format_wan(yuan: int | None) -> str:
    """Whole yuan shown in 万元 without trailing zeros: 125000 → "12.5", 30000 → "3", None → ""."""
    if yuan is None:
        return ""
    whole, rest = divmod(int(yuan), YUAN_PER_WAN)
    if not rest:
        return f"{whole:,}"
    return f"{whole:,}." + f"{rest:04d}".rstrip("0")


@dataclass(frozen=True)
class Checked:
    """A form checked as a whole: the clean values, and per field the first problem (code, params)."""

    values: dict[str, Any]
    problems: dict[str, tuple[str, dict]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Whether every field passed."""
        return not self.problems


# (field, required, multiline) of a proposal's text fields.
_PROPOSAL_TEXT = (
    ("title", True, False),
    ("description", True, True),
    ("place", False, False),
    ("proposer_name", True, False),
    ("proposer_contact", False, False),
)


def check_proposal(data: Mapping[str, Any], contact_required: bool = True) -> Checked:
    """Check a proposal's fields (title, description, category, place, cost, proposer name and contact).

    A public proposal needs a way to reach the proposer (`contact_required`); a
    representative's is reached through the congress. The cost is in 万元 and optional.
    """
    values: dict[str, Any] = {}
    problems: dict[str, tuple[str, dict]] = {}
    for name, required, multiline in _PROPOSAL_TEXT:
        needed = required or (name == "proposer_contact" and contact_required)
        try:
            values[name] = clean_text(data.get(name), name, required=needed, multiline=multiline)
        except ProjectError as error:
            problems[name] = (error.code, error.params)
    category = data.get("category")
    if category not in CATEGORIES:
        problems["category"] = ("choose_category", {"field": "category"})
    else:
        values["category"] = category
    try:
        values["estimated_cost"] = parse_wan(data.get("estimated_cost"), "estimated_cost")
    except ProjectError as error:
        problems["estimated_cost"] = (error.code, error.params)
    return Checked(values, problems)


def check_candidate(data: Mapping[str, Any], year: int) -> Checked:
    """Check a candidate project's fields: title, description, category, department (责任单位),
    budget (万元, required) and planned completion (a date, not before the year begins).
    """
    values: dict[str, Any] = {}
    problems: dict[str, tuple[str, dict]] = {}
    for name, multiline in (("title", False), ("description", True), ("department", False)):
        try:
            values[name] = clean_text(data.get(name), name, multiline=multiline)
        except ProjectError as error:
            problems[name] = (error.code, error.params)
    category = data.get("category")
    if category not in CATEGORIES:
        problems["category"] = ("choose_category", {"field": "category"})
    else:
        values["category"] = category
    try:
        values["budget"] = parse_wan(data.get("budget"), "budget", required=True)
    except ProjectError as error:
        problems["budget"] = (error.code, error.params)
    planned = data.get("planned_completion")
    if not isinstance(planned, date_type):
        problems["planned_completion"] = ("required", {"field": "planned_completion"})
    elif planned.year < year:
        problems["planned_completion"] = ("completion_before_year", {"year": year})
    else:
        values["planned_completion"] = planned
    return Checked(values, problems)


def check_competitive(candidates: int, seats: int | None) -> None:
    """差额: a project vote needs seats K ≥ 1 and more candidates than K (domain-rules §3.3).

    Raises ProjectError `seats_required` or `not_competitive` {candidates, seats}.
    """
    if seats is None or isinstance(seats, bool) or not isinstance(seats, int) or seats < 1:
        raise ProjectError("seats_required")
    if candidates <= seats:
        raise ProjectError("not_competitive", {"candidates": candidates, "seats": seats})


def check_progress(status: str, progress: Any) -> int:
    """The progress in whole percent (0–100), consistent with the status; returns it.

    已完成 means 100 %; 未开工 means 0 %. Raises ProjectError `unknown_status`,
    `progress_out_of_range`, `completed_not_full` or `not_started_has_progress`.
    """
    if status not in STATUSES:
        raise ProjectError("unknown_status", {"status": str(status)})
    if isinstance(progress, bool) or not isinstance(progress, int) or not 0 <= progress <= 100:
        raise ProjectError("progress_out_of_range", {"min": 0, "max": 100})
    if status == COMPLETED and progress != 100:
        raise ProjectError("completed_not_full")
    if status == NOT_STARTED and progress != 0:
        raise ProjectError("not_started_has_progress")
    return progress


@dataclass(frozen=True)
class Spending:
    """Money spent against the budget: `percent` (floor, may pass 100), `is_over`, `remaining` (yuan, ≥ 0)."""

    budget: int
    spent: int
    percent: int | None  # None without a budget
    is_over: bool
    remaining: int


def spending(budget: int | None, spent: int | None) -> Spending:
    """How much of the budget is spent, in whole percent rounded down (99.99 % is not 100 %)."""
    budget, spent = int(budget or 0), int(spent or 0)
    percent = spent * 100 // budget if budget > 0 else None
    return Spending(budget, spent, percent, spent > budget, max(0, budget - spent))


def can_become_candidate(status: str) -> bool:
    """A proposal can be taken into a candidate project while waiting or after being declined.

    A merged proposal speaks through the one it was merged into; one already
    in a candidate stays with it.
    """
    return status in ("new", "not_taken")


def check_merge(source_id: Hashable, source_status: str, target_id: Hashable, target_status: str,
                same_year: bool) -> None:
    """A duplicate is merged into another proposal of the same year that is not itself merged.

    Raises ProjectError `merge_into_itself`, `merge_other_year`, `already_merged`,
    `already_candidate` (the duplicate is in a candidate already) or `target_merged`.
    """
    if source_id == target_id:
        raise ProjectError("merge_into_itself")
    if not same_year:
        raise ProjectError("merge_other_year")
    if source_status == "merged":
        raise ProjectError("already_merged")
    if source_status == "candidate":
        raise ProjectError("already_candidate")
    if target_status == "merged":
        raise ProjectError("target_merged")


@dataclass(frozen=True)
class VoteLine:
    """What one ballot item's certified result means for its project."""

    stage: str  # adopted / not_selected / tied
    outcome: str | None
    rank: int | None
    support: int | None  # 赞成 (or ○) count


def _lookup(mapping: Mapping[Any, Hashable], key: Any) -> Hashable | None:
    """mapping[key], accepting an item id as int or as its JSON string."""
    for candidate in (key, str(key), int(key) if str(key).isdigit() else None):
        if candidate is not None and candidate in mapping:
            return mapping[candidate]
    return None


def stages_from_result(result: Mapping[str, Any], item_projects: Mapping[Any, Hashable]) -> dict[Hashable, VoteLine]:
    """Each project's stage after a certified selection or run-off result (§3.3).

    `result` is the ballot's result JSON (voting.domain.outcomes); `item_projects`
    maps a ballot item id to its project. `selected` → adopted (正式项目); `tie` →
    tied (its run-off decides); anything else → not_selected. Items of the result
    that are not in `item_projects` are ignored.
    """
    support_name = "approve" if (result.get("rules") or {}).get("form") == "up_to_k" else "yes"
    lines: dict[Hashable, VoteLine] = {}
    for item in result.get("items", []):
        project = _lookup(item_projects, item["id"])
        if project is None:
            continue
        outcome = item.get("outcome")
        stage = {"selected": ADOPTED, "tie": TIED}.get(outcome, NOT_SELECTED)
        support = (item.get("counts") or {}).get(support_name)
        lines[project] = VoteLine(stage, outcome, item.get("rank"), support)
    return lines


@dataclass(frozen=True)
class Summary:
    """A year's projects in figures (money in yuan)."""

    count: int
    budget: int
    spent: int
    by_category: dict[str, dict[str, int]]  # category → {count, budget, spent}
    by_status: dict[str, int]  # status → count (every status present)
    completed: int
    average_progress: int  # whole percent, rounded down


def summarise(projects: Iterable[Mapping[str, Any]]) -> Summary:
    """Figures for the charts from projects given as {category, status, progress, budget, spent}."""
    rows = list(projects)
    by_category: dict[str, dict[str, int]] = {}
    by_status = {status: 0 for status in STATUSES}
    for row in rows:
        slot = by_category.setdefault(row["category"], {"count": 0, "budget": 0, "spent": 0})
        slot["count"] += 1
        slot["budget"] += int(row.get("budget") or 0)
        slot["spent"] += int(row.get("spent") or 0)
        by_status[row["status"]] = by_status.get(row["status"], 0) + 1
    ordered = {c: by_category[c] for c in CATEGORIES if c in by_category}
    return Summary(
        count=len(rows),
        budget=sum(int(r.get("budget") or 0) for r in rows),
        spent=sum(int(r.get("spent") or 0) for r in rows),
        by_category=ordered,
        by_status=by_status,
        completed=by_status[COMPLETED],
        average_progress=(sum(int(r.get("progress") or 0) for r in rows) // len(rows)) if rows else 0,
    )
