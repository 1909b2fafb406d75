"""Prepared statements (the vote's hot path) give what SQLAlchemy would, on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, select, update

from voting.storage.models import Body
from voting.storage.prepared import Prepared, as_datetime

BY_KIND_AND_ID = Prepared(
    select(Body.id, Body.name, Body.created_at, Body.is_suspended_counted)
    .where(Body.kind == "people_congress", Body.id == bindparam("body_id"))  # a literal and a named parameter
)
RENAME = Prepared(update(Body.__table__).where(Body.__table__.c.id == bindparam("body_id")).values(name=bindparam("name")))


def add_body(db, name: str, kind: str) -> int:
    with db.transaction() as s:
        body = Body(name=name, kind=kind, term=18, created_at=datetime(2026, 3, 5, 9, 0, 0, 250000))
        s.add(body)
        s.flush()
        return body.id


def test_a_prepared_select_reads_what_the_orm_wrote(db):
    congress = add_body(db, "云州市第十八届人民代表大会", "people_congress")
    committee = add_body(db, "云州市人大常委会", "standing_committee")
    with db.session() as s:
        row = BY_KIND_AND_ID.one_or_none(s.connection(), {"body_id": congress})
        assert row.id == congress and row.name == "云州市第十八届人民代表大会"
        assert as_datetime(row.created_at) == datetime(2026, 3, 5, 9, 0, 0, 250000)
        assert not row.is_suspended_counted
        # The literal kind in the statement is bound too: the committee does not match it.
        assert BY_KIND_AND_ID.one_or_none(s.connection(), {"body_id": committee}) is None


def test_a_prepared_update_runs_inside_the_transaction_and_rolls_back_with_it(db):
    congress = add_body(db, "旧名", "people_congress")
    try:
        with db.transaction() as s:
            assert RENAME.run(s.connection(), {"body_id": congress, "name": "新名"}) == 1
            assert BY_KIND_AND_ID.first(s.connection(), {"body_id": congress}).name == "新名"
            raise RuntimeError("the request failed after the update")
    except RuntimeError:
        pass
    with db.session() as s:
        assert s.get(Body, congress).name == "旧名"
    with db.transaction() as s:
        RENAME.run(s.connection(), {"body_id": congress, "name": "新名"})
    with db.session() as s:
        assert s.get(Body, congress).name == "新名"
