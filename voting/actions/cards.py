"""Printing representative cards: new login codes, rendered into a PDF, then committed.

Only hashes of login codes are stored, so a card can only be printed together
with a fresh code: printing IS reissuing. The old card, the phone sessions and
the API tokens it opened stop working the moment the new codes are committed.

Order of work, so a failure never leaves people without a working card: make
the codes in memory, render the PDF, and only then commit the new hashes in
one transaction. If rendering fails nothing changed; if the commit fails the
PDF is thrown away.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

from flask_babel import gettext as _
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from voting.actions.accounts import hash_secret
from voting.actions.bodies import get_body
from voting.actions.errors import ActionError
from voting.actions.login_codes import new_login_code
from voting.domain.roster import LEFT
from voting.render.cards import CardData, CardTexts, render_card_sheet
from voting.storage.database import Database
from voting.storage.models import ApiToken, Group, Representative, utcnow


def card_texts() -> CardTexts:
    """The fixed words of a card, in the current locale (zh_CN by default, also in the worker)."""
    return CardTexts(
        title=_("Representative card"),
        number_label=_("Card no."),
        group_label=_("Delegation"),
        scan_hint=_("Scan with the phone camera or WeChat to log in"),
        keep_safe=_("Keep it safe and do not lend it. A reissued card voids this one."),
    )


@dataclass(frozen=True)
class CardHolder:
    """Who gets a card: read before rendering, so the PDF shows committed names."""

    id: int
    name: str
    number: str
    group: str | None


def card_holders(session: Session, body_id: int, group_id: int | None = None,
                 representative_ids: Sequence[int] | None = None) -> list[CardHolder]:
    """The body's representatives in office (all, one delegation, or the given ids), in roster order."""
    get_body(session, body_id)
    query = (
        select(Representative.id, Representative.name, Representative.number, Group.name, Group.position)
        .outerjoin(Group, Group.id == Representative.group_id)
        .where(Representative.body_id == body_id, Representative.status != LEFT)
    )
    if group_id is not None:
        query = query.where(Representative.group_id == group_id)
    if representative_ids is not None:
        query = query.where(Representative.id.in_(list(representative_ids)))
    rows = session.execute(query).all()
    rows.sort(key=lambda r: (r[4] is None, r[4] or 0, r[2]))
    return [CardHolder(id=r[0], name=r[1], number=r[2], group=r[3]) for r in rows]


def print_cards(
    db: Database,
    body_id: int,
    base_url: str,
    group_id: int | None = None,
    representative_ids: Sequence[int] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[bytes, int]:
    """Reissue the chosen representatives' cards and return (the PDF, how many cards).

    Raises ActionError(no_card_holders) when nobody matches, NotFound for an unknown body.
    """
    with db.session() as session:
        body_name = get_body(session, body_id).name
        holders = card_holders(session, body_id, group_id, representative_ids)
    if not holders:
        raise ActionError("no_card_holders", _("Nobody to print a card for."), 422)
    codes = {h.id: new_login_code() for h in holders}
    base = base_url.rstrip("/")
    cards = [CardData(h.name, h.number, h.group, f"{base}/r/{codes[h.id]}") for h in holders]
    pdf = render_card_sheet(body_name, cards, card_texts(), title=_("Representative cards"), progress=progress)
    with db.transaction() as session:
        session.connection().execute(
            update(Representative)
            .where(Representative.id == bindparam("rid"))
            .values(login_code_hash=bindparam("code_hash"), login_generation=Representative.login_generation + 1),
            [{"rid": rid, "code_hash": hash_secret(code)} for rid, code in codes.items()],
        )
        session.execute(
            update(ApiToken)
            .where(ApiToken.representative_id.in_(list(codes)), ApiToken.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )
    return pdf, len(cards)
