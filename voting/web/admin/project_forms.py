"""The console's forms for the livelihood projects (Flask-WTF: CSRF on every POST).

Field checks that are rules (lengths, money, 差额, progress) live in
voting.domain.projects; the forms only carry the input and show the messages
the actions return (`show_errors`).
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange, Optional

from voting.actions.projects.labels import CATEGORY_LABELS, STATUS_LABELS
from voting.domain.projects import CATEGORIES, STATUSES


def category_choices() -> list[SelectChoice]:
    """The categories in their fixed order, with an empty first choice."""
    return [SelectChoice("", _l("Choose…"))] + [SelectChoice(c, CATEGORY_LABELS[c]) for c in CATEGORIES]


def show_errors(form: FlaskForm, details: dict | None, fallback: str | None = None) -> str | None:
    """Put an action's {field: message} details on the form's fields; returns what fits no field."""
    leftover = []
    for name, message in (details or {}).items():
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = list(field.errors or []) + [message]
        else:
            leftover.append(message)
    if leftover:
        return " ".join(leftover)
    return None if details else fallback


class YearForm(FlaskForm):
    year = IntegerField(
        _l("Year of the projects"),
        description=_l("The year the projects are carried out, e.g. 2026 (collected in the autumn before)."),
        validators=[InputRequired(_l("Enter the year.")), NumberRange(min=2000, max=2100)],
    )
    title = StringField(_l("Name of the year's projects"), description=_l("Optional, e.g. Yunzhou's livelihood projects of 2026."))


class ReplyForm(FlaskForm):
    reply = TextAreaField(_l("Public reply"), description=_l("Shown with the proposal on the public page."))


class MergeForm(FlaskForm):
    into_id = IntegerField(
        _l("Duplicate of proposal number"),
        validators=[InputRequired(_l("Enter the number of the proposal to keep."))],
    )


class DeclineForm(FlaskForm):
    reason = TextAreaField(
        _l("Why it is not taken"), description=_l("Shown in public, e.g. already in the provincial plan.")
    )


class CandidateForm(FlaskForm):
    title = StringField(_l("Project"))
    category = SelectField(_l("Category"), choices=category_choices)
    description = TextAreaField(_l("Description"), description=_l("What will be built or done, for whom, and where."))
    department = StringField(_l("Responsible department"), description=_l("For example: the county education bureau."))
    budget = StringField(_l("Budget (10,000 yuan)"), description=_l("For example: 1200 or 85.5."))
    planned_completion = DateField(_l("Planned completion"), validators=[Optional()])


class VoteForm(FlaskForm):
    meeting_id = SelectField(_l("Plenary meeting of the people's congress"), coerce=int, validators=[InputRequired()])
    seats = IntegerField(
        _l("Projects to choose (K)"),
        description=_l("There must be more candidates than K (a competitive vote)."),
        validators=[InputRequired(_l("Enter how many projects are to be chosen."))],
    )
    form = SelectField(
        _l("Form of the ballot"),
        choices=[
            SelectChoice("per_item", _l("For, against or abstain on each project")),
            SelectChoice("up_to_k", _l("Mark at most K projects")),
        ],
    )


class EvaluationForm(FlaskForm):
    meeting_id = SelectField(_l("Meeting"), coerce=int, validators=[InputRequired()],
                             description=_l("A meeting of the standing committee or of the people's congress."))
    abstain_option = BooleanField(_l("Offer “abstain” as a fourth choice"))


class ProgressForm(FlaskForm):
    update_date = DateField(_l("Date of the report"), validators=[Optional()])
    status = SelectField(_l("Status"), choices=[SelectChoice(s, STATUS_LABELS[s]) for s in STATUSES])
    progress = IntegerField(_l("Progress (%)"), validators=[Optional()])
    spent = StringField(_l("Spent so far (10,000 yuan)"))
    note = TextAreaField(_l("What was done"), description=_l("As reported by the responsible department."))
