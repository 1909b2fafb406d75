"""Console page for certificates: what is waiting or failed (with the reason), a retry button, the latest ones."""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from voting.actions.ballots import get_ballot
from voting.actions.certificates.read import certification_overview
from voting.jobs.certify import enqueue_certification, find_job
from voting.web.admin import bp
from voting.web.admin.helpers import db

JOB_LABELS = {
    "queued": _l("Queued"),
    "started": _l("Running"),
    "scheduled": _l("Waiting to retry"),
    "deferred": _l("Queued"),
    "finished": _l("Done"),
    "failed": _l("Gave up"),
    "stopped": _l("Stopped"),
    "canceled": _l("Cancelled"),
}
RETRYABLE = {None, "failed", "stopped", "canceled", "finished"}


@bp.get("/certificates")
def certificates():
    """Closed ballots not certified yet (with their job's state and any failure), and the latest certificates."""
    app = current_app._get_current_object()
    with db().session() as s:
        unfinished, latest = certification_overview(s)
    jobs = {}
    for entry in unfinished:
        job = find_job(app, entry.ballot.id)
        found = job.get_status(refresh=False) if job is not None else None
        status = getattr(found, "value", found)
        jobs[entry.ballot.id] = {
            "label": JOB_LABELS.get(status, status) if status else _("Not queued"),
            "can_retry": entry.status == "failed" or status in RETRYABLE,
        }
    return render_template("admin/certificates.html", unfinished=unfinished, latest=latest, jobs=jobs,
                           section="certificates")


@bp.post("/certificates/<int:ballot_id>/retry")
def certificate_retry(ballot_id: int):
    """Queue the ballot's certification again (a fresh job with all its retries)."""
    with db().session() as s:
        ballot = get_ballot(s, ballot_id)
        title = ballot.title
    enqueue_certification(current_app._get_current_object(), ballot_id, request.host_url.rstrip("/"), restart=True)
    flash(_("Certification of %(title)s queued again.", title=title), "success")
    return redirect(url_for("admin.certificates"))
