"""Template helpers of the console: labels, the language switch, dates."""
from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

from flask import Flask, current_app, request, url_for
from flask_babel import gettext as _

from voting.web.admin.labels import BODY_KIND_LABELS, MEETING_STATUS_LABELS, ROLE_LABELS, STATUS_LABELS


def db():
    """The app's Database (db().session() to read, db().transaction() to write)."""
    return current_app.extensions["voting.db"]


def safe_console_url(target: str | None, default: str) -> str:
    """`target` if it is a path inside the console (never another site: no open redirect), else `default`."""
    if target and target.startswith("/admin") and not target.startswith("//") and "\\" not in target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return default


def lang_url(code: str) -> str:
    """This page again, in language `code` (the query string kept, ?lang= replaced)."""
    args = {k: v for k, v in request.args.items(multi=False) if k != "lang"}
    rule = request.url_rule
    if rule is not None and "GET" in (rule.methods or ()):
        return url_for(request.endpoint, **(request.view_args or {}), **args, lang=code)
    # A page only reached by POST (an import result) cannot be repeated: switch on the start page.
    return url_for("admin.home", lang=code)


def term_label(term: int | None) -> str:
    """届 in words: 第18届 / 18th term; empty when the term is not known."""
    return _("Term %(n)d", n=term) if term else ""


def format_date(value: date | None) -> str:
    """A meeting date as 2025年3月18日 / 2025-03-18."""
    if value is None:
        return ""
    return _("%(y)d-%(m)02d-%(d)02d", y=value.year, m=value.month, d=value.day)


def register_template_helpers(app: Flask) -> None:
    """Make the helpers and label tables available to every template."""
    app.jinja_env.globals.update(
        lang_url=lang_url,
        term_label=term_label,
        BODY_KIND_LABELS=BODY_KIND_LABELS,
        STATUS_LABELS=STATUS_LABELS,
        MEETING_STATUS_LABELS=MEETING_STATUS_LABELS,
        ROLE_LABELS=ROLE_LABELS,
    )
    app.jinja_env.filters["format_date"] = format_date
