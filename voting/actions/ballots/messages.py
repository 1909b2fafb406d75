"""The one place that turns the domain's rule and vote error codes into the user's language."""
from __future__ import annotations

from flask_babel import gettext as _, lazy_gettext

from voting.actions.errors import ActionError
from voting.domain.ballots import DomainError, RuleError

# Codes of voting.domain.ballots; params are filled in with %(name)s.
_MESSAGES = {
    "unknown_kind": lazy_gettext("Unknown kind of ballot: %(kind)s."),
    "rules_not_object": lazy_gettext("The rules must be a JSON object."),
    "unknown_rule": lazy_gettext("Unknown rule: %(rule)s."),
    "invalid_rule": lazy_gettext("Invalid value for the rule %(rule)s."),
    "rule_out_of_range": lazy_gettext("The rule %(rule)s must be between %(min)s and %(max)s."),
    "rule_not_applicable": lazy_gettext("The rule %(rule)s does not apply to this kind of ballot."),
    "no_items": lazy_gettext("A ballot needs at least one item."),
    "too_many_items": lazy_gettext("A ballot can have at most %(max)s items."),
    "blank_item_title": lazy_gettext("Item %(index)s has no title."),
    "item_title_too_long": lazy_gettext("The title of item %(index)s is longer than %(max)s characters."),
    "seats_required": lazy_gettext("A project selection needs the number of seats (K)."),
    "not_enough_candidates": lazy_gettext(
        "A project selection needs more candidates than seats: %(candidates)s candidates for %(seats)s seats."
    ),
    "choices_not_object": lazy_gettext("The choices must be an object of item id to choice."),
    "empty_vote": lazy_gettext("Choose on at least one item before submitting."),
    "unknown_item": lazy_gettext("Item %(item)s is not on this ballot."),
    "duplicate_item": lazy_gettext("Item %(item)s was chosen twice."),
    "unknown_choice": lazy_gettext("%(choice)s is not a valid choice for item %(item)s."),
    "too_many_approvals": lazy_gettext("You may approve at most %(seats)s projects; you chose %(chosen)s."),
}


def domain_error(error: DomainError) -> ActionError:
    """The ActionError (422) for a domain error, with its message translated."""
    template = _MESSAGES.get(error.code)
    params = {k: v for k, v in (error.params or {}).items()}
    if template is None:
        message = _("The input is invalid.")
    else:
        try:
            message = str(template) % params
        except (KeyError, TypeError, ValueError):
            message = str(template)
    code = error.code if isinstance(error, RuleError) else f"vote_{error.code}"
    return ActionError(code, message, 422, details=params or None)
