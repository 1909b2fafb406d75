"""Printing representative cards from the console: a whole roster (an RQ job with progress) or one card.

Printing reissues: only hashes of login codes are kept, so a card can only be
printed with a new code, and the person's previous card and phone logins stop
working. The pages say so before anything happens.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _

from voting.actions.bodies import get_body
from voting.actions.cards import card_holders, print_cards
from voting.actions.checkin import public_base_url
from voting.actions.errors import ActionError
from voting.actions.representative_login import get_representative
from voting.jobs import cards as card_jobs
from voting.web.admin import bp
from voting.web.admin.helpers import db


def _base_url_problem(base: str) -> str | None:
    """A warning when the cards' links would not reach phones (loopback address)."""
    host = urlsplit(base).hostname or ""
    if host in ("127.0.0.1", "localhost", "::1") or host.startswith("127."):
        return _(
            "The cards would point at %(base)s, which phones cannot reach. Open the console through the address "
            "phones use (for example http://192.168.1.10:5000) or set PUBLIC_URL before printing.",
            base=base,
        )
    return None


@bp.route("/bodies/<int:body_id>/cards", methods=["GET", "POST"])
def card_sheet_new(body_id: int):
    """Choose whose cards to print (everyone or one delegation) and start the sheet."""
    with db().session() as s:
        body = get_body(s, body_id)
        groups = list(body.groups)
        count = len(card_holders(s, body_id))
    base = public_base_url()
    if request.method == "POST":
        if request.form.get("confirm") != "yes":
            flash(_("Tick the box to confirm that the old cards will stop working."), "error")
        else:
            try:
                group_id = int(request.form["group"]) if request.form.get("group") else None
            except ValueError:
                group_id = None
            if group_id is not None and group_id not in {g.id for g in groups}:
                abort(404)
            sheet_id = card_jobs.request_card_sheet(current_app._get_current_object(), body_id, base, group_id)
            return redirect(url_for("admin.card_sheet", body_id=body_id, sheet_id=sheet_id))
    return render_template(
        "admin/cards_new.html", body=body, groups=groups, count=count, base=base, base_problem=_base_url_problem(base)
    )


@bp.get("/bodies/<int:body_id>/cards/<sheet_id>")
def card_sheet(body_id: int, sheet_id: str):
    """Progress of a sheet; the download link once it is ready."""
    with db().session() as s:
        body = get_body(s, body_id)
    status = card_jobs.sheet_status(current_app._get_current_object(), sheet_id)
    if status.body_id not in (None, body_id):
        abort(404)
    return render_template("admin/cards_sheet.html", body=body, sheet_id=sheet_id, status=status)


@bp.get("/bodies/<int:body_id>/cards/<sheet_id>/download")
def card_sheet_download(body_id: int, sheet_id: str):
    """The finished PDF (it holds login codes: print it, then delete it)."""
    app = current_app._get_current_object()
    status = card_jobs.sheet_status(app, sheet_id)
    if status.state != "ready" or status.body_id not in (None, body_id):
        abort(404)
    response = send_file(card_jobs.sheet_path(app, sheet_id), mimetype="application/pdf", as_attachment=True,
                         download_name=f"cards-{body_id}.pdf", max_age=0)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/bodies/<int:body_id>/cards/<sheet_id>/delete")
def card_sheet_delete(body_id: int, sheet_id: str):
    """Delete a printed sheet from the server."""
    app = current_app._get_current_object()
    status = card_jobs.sheet_status(app, sheet_id)
    if status.body_id not in (None, body_id):
        abort(404)
    try:
        card_jobs.sheet_path(app, sheet_id).unlink(missing_ok=True)
    except ValueError:
        abort(404)
    flash(_("The card sheet was deleted from the server."), "success")
    return redirect(url_for("admin.card_sheet_new", body_id=body_id))


@bp.route("/bodies/<int:body_id>/roster/<int:representative_id>/card", methods=["GET", "POST"])
def single_card(body_id: int, representative_id: int):
    """Reissue one representative's card (lost, forgotten, or a new phone) and download it at once."""
    with db().session() as s:
        body = get_body(s, body_id)
        rep = get_representative(s, representative_id)
        if rep.body_id != body_id:
            abort(404)
    base = public_base_url()
    if request.method == "POST":
        try:
            pdf, _count = print_cards(db(), body_id, base, representative_ids=[representative_id])
        except ActionError as error:
            flash(error.message, "error")
            return redirect(url_for("admin.single_card", body_id=body_id, representative_id=representative_id))
        import io

        response = send_file(io.BytesIO(pdf), mimetype="application/pdf", as_attachment=True,
                             download_name=f"card-{rep.number}.pdf", max_age=0)
        response.headers["Cache-Control"] = "no-store"
        return response
    return render_template("admin/card_single.html", body=body, rep=rep, base=base,
                           base_problem=_base_url_problem(base))
