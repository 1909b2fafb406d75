"""The translation layer. Message ids are English; zh_CN is the default locale.

Catalogs (.po) live in voting/translations and are compiled to .mo in the
instance folder when they change, so no generated file is committed.
"""
from __future__ import annotations

from pathlib import Path
from typing import Mapping

from flask import has_request_context, request
from flask_babel import gettext, lazy_gettext
from flask_babel.speaklater import LazyString

TRANSLATIONS_SOURCE = Path(__file__).parent / "translations"
LOCALES = ("zh_CN", "en")
LOCALE_COOKIE = "lang"


# po path → (its mtime, the compiled .mo bytes): each process compiles a catalog once.
_compiled: dict[Path, tuple[float, bytes]] = {}


def _mo_bytes(po_path: Path, locale: str) -> bytes:
    """The compiled catalog, cached per process until the .po changes."""
    from io import BytesIO

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    mtime = po_path.stat().st_mtime
    cached = _compiled.get(po_path)
    if cached is None or cached[0] != mtime:
        with po_path.open("rb") as f:
            catalog = read_po(f, locale=locale)
        buffer = BytesIO()
        write_mo(buffer, catalog)
        cached = _compiled[po_path] = (mtime, buffer.getvalue())
    return cached[1]


def compiled_translations(instance_path: Path) -> Path:
    """Compile every stale .po under voting/translations into instance/translations; return that folder."""
    from babel import Locale

    target_root = Path(instance_path) / "translations"
    for po_path in TRANSLATIONS_SOURCE.glob("*/LC_MESSAGES/*.po"):
        locale = po_path.parts[-3]
        # Babel parses "zh_CN" as zh_Hans_CN, and Flask-Babel looks for the .mo
        # under that name (gettext cannot reduce it to zh_CN): write both.
        for folder in dict.fromkeys((locale, str(Locale.parse(locale)))):
            mo_path = target_root / folder / "LC_MESSAGES" / po_path.with_suffix(".mo").name
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            mo_path.parent.mkdir(parents=True, exist_ok=True)
            tmp = mo_path.with_suffix(f".mo.{id(mo_path)}")
            tmp.write_bytes(_mo_bytes(po_path, locale))
            tmp.replace(mo_path)  # atomic: another process may be reading it
    return target_root


def lazy_labels(message_ids: Mapping[str, str]) -> dict[str, LazyString]:
    """A table of voting.labels whose words are translated each time they are shown (pages, forms, exports)."""
    return {code: lazy_gettext(message_id) for code, message_id in message_ids.items()}


def translated(message_ids: Mapping[str, str]) -> dict[str, str]:
    """A table of voting.labels in the current request's language, as plain strings (for JSON)."""
    return {code: gettext(message_id) for code, message_id in message_ids.items()}


def select_locale() -> str:
    """?lang= (remembered in a cookie by the after-request hook), else the cookie, else zh_CN."""
    if has_request_context():
        for candidate in (request.args.get(LOCALE_COOKIE), request.cookies.get(LOCALE_COOKIE)):
            if candidate in LOCALES:
                return candidate
    return LOCALES[0]


def current_locale_name() -> str:
    """The locale of this request, for templates (lang attribute, the language switch)."""
    return select_locale()


def remember_locale(response):
    """After a request with ?lang=, keep the choice in a cookie for a year."""
    if has_request_context():
        chosen = request.args.get(LOCALE_COOKIE)
        if chosen in LOCALES:
            response.set_cookie(LOCALE_COOKIE, chosen, max_age=365 * 24 * 3600, samesite="Lax")
    return response
