"""The one place that turns the project rules' error codes into the user's language."""
from __future__ import annotations

from flask_babel import gettext as _, lazy_gettext

from voting.actions.errors import ActionError
from voting.domain.projects import ProjectError

# What each field is called in a sentence ("请填写<标题>").
FIELD_NAMES = {
    "title": lazy_gettext("the title"),
    "description": lazy_gettext("the description"),
    "category": lazy_gettext("the category"),
    "place": lazy_gettext("the place"),
    "estimated_cost": lazy_gettext("the estimated cost"),
    "proposer_name": lazy_gettext("your name"),
    "proposer_contact": lazy_gettext("a phone number or other contact"),
    "reply": lazy_gettext("the reply"),
    "reason": lazy_gettext("the reason"),
    "department": lazy_gettext("the responsible department"),
    "budget": lazy_gettext("the budget"),
    "spent": lazy_gettext("the money spent"),
    "note": lazy_gettext("the note"),
    "planned_completion": lazy_gettext("the planned completion date"),
    "update_date": lazy_gettext("the date"),
    "inspected_on": lazy_gettext("the date"),
}

_MESSAGES = {
    "required": lazy_gettext("Please fill in %(field)s."),
    "too_long": lazy_gettext("%(field)s is too long: at most %(max)s characters (now %(length)s)."),
    "choose_category": lazy_gettext("Please choose a category."),
    "not_a_number": lazy_gettext("%(field)s must be a number of 10,000 yuan, e.g. 12.5."),
    "negative": lazy_gettext("%(field)s cannot be negative."),
    "too_precise": lazy_gettext("%(field)s can have at most four decimals (one yuan)."),
    "too_large": lazy_gettext("%(field)s is too large."),
    "completion_before_year": lazy_gettext("The planned completion cannot be before %(year)s."),
    "date_in_future": lazy_gettext("The date cannot be in the future."),
    "seats_required": lazy_gettext("Enter how many projects are to be chosen (at least 1)."),
    "not_competitive": lazy_gettext(
        "The vote must be competitive: %(candidates)s candidates for %(seats)s projects. "
        "There must be more candidates than projects to choose."
    ),
    "unknown_status": lazy_gettext("Unknown status."),
    "progress_out_of_range": lazy_gettext("The progress must be a whole number from 0 to 100."),
    "completed_not_full": lazy_gettext("A completed project is at 100 %%."),
    "not_started_has_progress": lazy_gettext("A project not started yet is at 0 %%."),
    "merge_into_itself": lazy_gettext("A proposal cannot be merged into itself."),
    "merge_other_year": lazy_gettext("Only proposals of the same year can be merged."),
    "already_merged": lazy_gettext("This proposal is merged already."),
    "already_candidate": lazy_gettext("This proposal is part of a candidate project; take it out of the project first."),
    "target_merged": lazy_gettext("That proposal is itself merged into another; merge into that one."),
}


def field_name(name: str) -> str:
    """The field as named in a sentence."""
    label = FIELD_NAMES.get(name)
    return str(label) if label is not None else name


def problem_message(code: str, params: dict | None = None) -> str:
    """The translated sentence for one problem code, with the field's name filled in."""
    params = dict(params or {})
    if "field" in params:
        params["field"] = field_name(params["field"])
    template = _MESSAGES.get(code)
    if template is None:
        return _("The input is invalid.")
    # Every message goes through % (so a literal percent sign is written %%).
    text = str(template) % params
    # "%(field)s is too long" starts a sentence with the field's name: capitalise in English.
    return text[:1].upper() + text[1:]


def project_error(error: ProjectError) -> ActionError:
    """The ActionError (422) for a ProjectError, translated; details name the field when there is one."""
    message = problem_message(error.code, error.params)
    field = error.params.get("field")
    return ActionError(error.code, message, 422, details={field: message} if field else None)


def invalid_fields(problems: dict[str, tuple[str, dict]]) -> ActionError:
    """One 422 for a whole form: details map each field to its message."""
    details = {name: problem_message(code, params) for name, (code, params) in problems.items()}
    return ActionError("invalid_input", _("Please correct the marked fields."), 422, details=details)
