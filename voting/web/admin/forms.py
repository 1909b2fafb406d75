"""The console's forms (Flask-WTF: validation plus the CSRF token on every POST).

Labels and messages are lazy message ids, translated when the form is shown.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import DateField, IntegerField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from voting.domain.bodies import PEOPLE_CONGRESS, STANDING_COMMITTEE
from voting.domain.roster import ACTIVE, LEFT, SUSPENDED
from voting.web.admin.labels import BODY_KIND_LABELS, STATUS_LABELS

ROSTER_EXTENSIONS = ("csv", "xlsx")


def lines(text: str | None) -> list[str]:
    """The non-empty trimmed lines of a textarea (one group per line)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(_l("Enter your username.")), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password."))])


class GroupsForm(FlaskForm):
    groups = TextAreaField(
        _l("Delegations or groups"),
        description=_l("One per line, in the order they should be listed."),
        validators=[Length(max=20000)],
    )


class BodyForm(GroupsForm):
    name = StringField(
        _l("Name of the body"),
        description=_l("For example: the People's Congress of Jiangbei City, or its Standing Committee."),
        validators=[DataRequired(_l("Enter the name of the body.")), Length(max=200)],
    )
    kind = SelectField(
        _l("Kind"),
        choices=[SelectChoice(k, BODY_KIND_LABELS[k]) for k in (PEOPLE_CONGRESS, STANDING_COMMITTEE)],
        validators=[InputRequired()],
    )
    term = IntegerField(
        _l("Term"),
        description=_l("The number of the term, e.g. 18."),
        validators=[Optional(), NumberRange(min=1, max=99, message=_l("Enter a number from 1 to 99."))],
    )


class RepresentativeForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter the name.")), Length(max=100)])
    number = StringField(
        _l("Number"),
        description=_l("Deputy card number or member number; unique within the body."),
        validators=[DataRequired(_l("Enter the number.")), Length(max=50)],
    )
    group_id = SelectField(_l("Delegation or group"), coerce=int, validators=[InputRequired()])
    status = SelectField(
        _l("Status"),
        choices=[SelectChoice(s, STATUS_LABELS[s]) for s in (ACTIVE, SUSPENDED, LEFT)],
        description=_l("Only representatives in office count as expected to attend."),
        validators=[InputRequired()],
    )


class RosterUploadForm(FlaskForm):
    file = FileField(
        _l("Roster file"),
        description=_l("CSV (UTF-8 or GBK) or Excel (.xlsx)."),
        validators=[
            FileRequired(_l("Choose a file.")),
            FileAllowed(ROSTER_EXTENSIONS, _l("Only .csv and .xlsx files can be imported.")),
        ],
    )


class MeetingForm(FlaskForm):
    title = StringField(
        _l("Title"),
        description=_l("For example: the 20th meeting of the Standing Committee of the 18th term."),
        validators=[DataRequired(_l("Enter the title of the meeting.")), Length(max=300)],
    )
    meeting_date = DateField(_l("Date"), validators=[Optional()])
    location = StringField(_l("Place"), validators=[Optional(), Length(max=200)])
