"""The roll of voters: who has voted on a ballot (never what)."""
from __future__ import annotations

from sqlalchemy import bindparam
from sqlalchemy.orm import Session

from voting.storage.ballots import Participation
from voting.storage.prepared import Prepared


def record_participation(session: Session, ballot_id: int, representative_id: int, named_choices_json: str | None) -> bool:
    """Put the representative on the ballot's roll; False when they are on it already.

    One statement (INSERT ... ON CONFLICT DO NOTHING RETURNING, PostgreSQL and SQLite ≥ 3.35):
    the primary key decides, under any concurrency, and no savepoint is needed.
    On PostgreSQL a second insert of the same voter waits for the first
    transaction and then inserts nothing (or inserts, if the first rolled back).
    """
    connection = session.connection()
    statement = _insert_for(connection.dialect.name)
    if statement is None:  # pragma: no cover (only the two supported databases)
        from sqlalchemy.exc import IntegrityError

        try:
            with session.begin_nested():
                session.add(Participation(ballot_id=ballot_id, representative_id=representative_id,
                                          named_choices_json=named_choices_json))
        except IntegrityError:
            return False
        return True
    values = {"ballot_id": ballot_id, "representative_id": representative_id, "named": named_choices_json}
    # RETURNING, not rowcount: psycopg reports -1 for an INSERT ... ON CONFLICT through SQLAlchemy.
    return statement.first(connection, values) is not None


_INSERTS: dict = {}


def _insert_for(dialect: str):
    """The dialect's Prepared INSERT ... ON CONFLICT DO NOTHING into the roll (built once), or None."""
    if dialect not in _INSERTS:
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        elif dialect == "sqlite":
            from sqlalchemy.dialects.sqlite import insert
        else:
            return None
        _INSERTS[dialect] = Prepared(
            insert(Participation.__table__)
            .values(ballot_id=bindparam("ballot_id"), representative_id=bindparam("representative_id"),
                    named_choices_json=bindparam("named"))
            .on_conflict_do_nothing(index_elements=["ballot_id", "representative_id"])
            .returning(Participation.__table__.c.ballot_id)
        )
    return _INSERTS[dialect]
