"""The console's form for putting a ballot on the agenda, and its translation into `rules`.

Every rule of issue 4 has a field with the default of voting.domain.ballots.Rules;
only the rules of the chosen kind are sent (the domain refuses, say, `seats` on a motion).
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, Length, NumberRange, Optional

from voting.domain.ballots import (
    FORMS,
    GRADINGS,
    KINDS,
    MAX_DURATION_S,
    MAX_ITEMS,
    PASS_BASES,
    SATISFACTION,
    SELECTION,
    THRESHOLDS,
    Rules,
)
from voting.web.admin.forms import lines
from voting.web.ballot_labels import FORM_LABELS, GRADING_LABELS, PASS_BASE_LABELS, THRESHOLD_LABELS

DEFAULTS = Rules()


class BallotForm(FlaskForm):
    kind = HiddenField(validators=[AnyOf(KINDS)])
    title = StringField(
        _l("Title of the vote"),
        validators=[DataRequired(_l("Enter the title of the vote.")), Length(max=300)],
    )
    items = TextAreaField(
        _l("Items"),
        description=_l("One per line, in agenda order. You can paste a list from a document or a spreadsheet column."),
        validators=[DataRequired(_l("Enter at least one item."))],
    )
    pass_base = RadioField(
        _l("Base for passing"),
        choices=[SelectChoice(value, PASS_BASE_LABELS[value]) for value in PASS_BASES],
        default=DEFAULTS.pass_base,
    )
    threshold = RadioField(
        _l("Threshold"),
        choices=[SelectChoice(value, THRESHOLD_LABELS[value]) for value in THRESHOLDS],
        default=DEFAULTS.threshold,
    )
    secret = BooleanField(_l("Secret ballot (no record of who chose what)"), default=DEFAULTS.secret)
    allow_change = BooleanField(_l("Members may change their vote until voting ends"), default=DEFAULTS.allow_change)
    live_results = BooleanField(_l("Show the counts live while voting"), default=DEFAULTS.live_results)
    require_checkin = BooleanField(_l("Only members who checked in may vote"), default=DEFAULTS.require_checkin)
    duration_s = IntegerField(
        _l("Countdown in seconds"),
        description=_l("Leave empty for no countdown: the vote stays open until you close it."),
        validators=[Optional(), NumberRange(min=1, max=MAX_DURATION_S, message=_l("Enter 1 to 86400 seconds."))],
    )
    seats = IntegerField(
        _l("Projects to select (K)"),
        description=_l("There must be more candidate projects than K."),
        validators=[Optional(), NumberRange(min=1, max=MAX_ITEMS - 1, message=_l("Enter a number from 1 to 199."))],
    )
    selection_form = RadioField(
        _l("How members vote"),
        choices=[SelectChoice(value, FORM_LABELS[value]) for value in FORMS],
        default=DEFAULTS.form,
    )
    grading = RadioField(
        _l("Grading rule"),
        choices=[SelectChoice(value, GRADING_LABELS[value]) for value in GRADINGS],
        default=DEFAULTS.grading,
    )
    abstain_option = BooleanField(_l("Offer an Abstain choice"), default=DEFAULTS.abstain_option)

    def item_titles(self) -> list[dict]:
        """The items typed or pasted, one per non-empty line."""
        return [{"title": line} for line in lines(self.items.data)]

    def rules(self) -> dict:
        """The `rules` object for create_ballot: the common rules plus those of this kind only."""
        rules = {
            "pass_base": self.pass_base.data,
            "threshold": self.threshold.data,
            "secret": bool(self.secret.data),
            "allow_change": bool(self.allow_change.data),
            "live_results": bool(self.live_results.data),
            "require_checkin": bool(self.require_checkin.data),
            "duration_s": self.duration_s.data or None,
        }
        if self.kind.data == SELECTION:
            rules["seats"] = self.seats.data
            rules["form"] = self.selection_form.data
        elif self.kind.data == SATISFACTION:
            rules["grading"] = self.grading.data
            rules["abstain_option"] = bool(self.abstain_option.data)
        return rules


# Where a refusal of create_ballot is shown on the form.
ERROR_FIELDS = {
    "invalid_title": "title",
    "no_items": "items",
    "too_many_items": "items",
    "blank_item_title": "items",
    "item_title_too_long": "items",
    "invalid_description": "items",
    "seats_required": "seats",
    "not_enough_candidates": "seats",
}
