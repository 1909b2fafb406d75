"""Console pages for one body's roster: the list with search and filters, editing one person."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from voting.actions.bodies import get_body
from voting.actions.errors import ActionError
from voting.actions.representatives import get_representative, roster_counts, search_roster, update_representative
from voting.domain.roster import REPRESENTATIVE_STATUSES
from voting.web.admin import bp
from voting.web.admin.forms import RepresentativeForm
from voting.web.admin.helpers import db, safe_console_url

PER_PAGE = 100


def _int_arg(name: str) -> int | None:
    """A query-string integer, or None when absent or not a number (a hand-edited URL is not an error)."""
    value = request.args.get(name, "")
    return int(value) if value.isdigit() else None


@bp.get("/bodies/<int:body_id>")
def body(body_id: int):
    """A body's page is its roster."""
    return redirect(url_for("admin.roster", body_id=body_id))


@bp.get("/bodies/<int:body_id>/roster")
def roster(body_id: int):
    """The roster: search by name or number, filter by group and status, 100 to a page."""
    query = request.args.get("q", "").strip()
    group_id = _int_arg("group")
    status = request.args.get("status") if request.args.get("status") in REPRESENTATIVE_STATUSES else None
    with db().session() as s:
        body = get_body(s, body_id)
        groups = list(body.groups)
        found = search_roster(s, body, query, group_id, status, _int_arg("page") or 1, PER_PAGE)
        counts = roster_counts(s, body)
    filters = {"q": query, "group": group_id, "status": status}
    return render_template(
        "admin/roster.html", body=body, groups=groups, found=found, counts=counts, filters=filters,
        is_filtered=bool(query or group_id is not None or status),
    )


@bp.route("/bodies/<int:body_id>/roster/<int:representative_id>", methods=["GET", "POST"])
def representative_edit(body_id: int, representative_id: int):
    """Edit one representative's name, number, group and status."""
    with db().session() as s:
        body = get_body(s, body_id)
        groups = list(body.groups)
        rep = get_representative(s, body, representative_id)
    form = RepresentativeForm(
        data=None if request.method == "POST" else {
            "name": rep.name, "number": rep.number, "group_id": rep.group_id or 0, "status": rep.status,
        }
    )
    form.group_id.choices = [SelectChoice(0, _("(none)"))] + [SelectChoice(g.id, g.name) for g in groups]
    back = safe_console_url(request.args.get("back"), url_for("admin.roster", body_id=body_id))
    if form.validate_on_submit():
        try:
            with db().transaction() as s:
                update_representative(
                    s, get_body(s, body_id), representative_id,
                    name=form.name.data, number=form.number.data,
                    group_id=form.group_id.data or None, status=form.status.data,
                )
        except ActionError as error:
            target = form.number if error.code == "duplicate_number" else form.name
            target.errors.append(error.message)
        else:
            flash(_("Saved %(name)s.", name=form.name.data.strip()), "success")
            return redirect(back)
    return render_template(
        "admin/representative_form.html", form=form, body=body, rep=rep, back=back
    ), 422 if form.errors else 200
