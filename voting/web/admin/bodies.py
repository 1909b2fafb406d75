"""Console pages for bodies (人民代表大会 / 常委会) and their delegations."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from voting.actions import bodies as body_actions
from voting.actions.errors import ActionError
from voting.actions.listings import list_bodies
from voting.web.admin import bp
from voting.web.admin.forms import BodyForm, GroupsForm, lines
from voting.web.admin.helpers import db


@bp.get("/bodies")
def bodies():
    """All bodies with 应到 and their number of meetings."""
    with db().session() as s:
        summaries = list_bodies(s)
    return render_template("admin/bodies.html", summaries=summaries)


@bp.route("/bodies/new", methods=["GET", "POST"])
def body_new():
    """Create a body with its delegations (one per line)."""
    form = BodyForm()
    if form.validate_on_submit():
        try:
            with db().transaction() as s:
                body = body_actions.create_body(
                    s, form.name.data, form.kind.data, form.term.data, lines(form.groups.data)
                )
                body_id, name = body.id, body.name
        except ActionError as error:
            form.name.errors.append(error.message)
        else:
            flash(_("Created %(name)s.", name=name), "success")
            return redirect(url_for("admin.roster", body_id=body_id))
    return render_template("admin/body_form.html", form=form), 422 if form.errors else 200


@bp.route("/bodies/<int:body_id>/groups", methods=["GET", "POST"])
def body_groups(body_id: int):
    """Edit a body's delegations: add, rename by adding and removing, reorder, remove empty ones."""
    with db().session() as s:
        body = body_actions.get_body(s, body_id)
        current = [g.name for g in body.groups]
    form = GroupsForm()
    if form.validate_on_submit():
        try:
            with db().transaction() as s:
                body_actions.set_groups(s, body_actions.get_body(s, body_id), lines(form.groups.data))
        except ActionError as error:
            form.groups.errors.append(error.message)
        else:
            flash(_("The delegations were saved."), "success")
            return redirect(url_for("admin.roster", body_id=body_id))
    elif not form.is_submitted():
        form.groups.data = "\n".join(current)
    return render_template("admin/body_groups.html", form=form, body=body), 422 if form.errors else 200
