"""Core statements run straight on the DBAPI cursor: for the few statements every vote runs.

SQLAlchemy's execution machinery (cache key, execution context, result objects)
costs about 65 µs a statement, four times what SQLite takes to run these; when a
whole congress votes within ten seconds that was a sixth of each vote's CPU. A
Prepared statement is compiled by SQLAlchemy once per dialect, then executed on
the connection's DBAPI cursor inside the same transaction.

Rows come back as named tuples of the driver's own values, without SQLAlchemy's
type processing: a DateTime from SQLite is a string (see `as_datetime`), a
Boolean an integer. Errors are the driver's (sqlite3 or psycopg), not wrapped.
"""
from __future__ import annotations

from collections import namedtuple
from datetime import datetime

from sqlalchemy.engine import Connection


class Prepared:
    """A SELECT, or a DML statement with or without RETURNING, ready to run on any connection."""

    def __init__(self, statement) -> None:  # noqa: ANN001 (any Core executable)
        self.statement = statement
        columns = getattr(statement, "selected_columns", None)
        if columns is None and getattr(statement, "_returning", ()):
            columns = statement.returning_column_descriptions
            keys = [c["name"] for c in columns]
        else:
            keys = list(columns.keys()) if columns is not None else []
        self.row_type = namedtuple("Row", keys, rename=True) if keys else None
        self._by_dialect: dict[str, tuple[str, list[str] | None, dict]] = {}

    def _compiled(self, connection: Connection) -> tuple[str, list[str] | None, dict]:
        dialect = connection.dialect
        found = self._by_dialect.get(dialect.name)
        if found is None:
            compiled = self.statement.compile(dialect=dialect)
            # Literal values in the statement (not bindparam names) become bound defaults.
            defaults = {name: bind.effective_value for name, bind in compiled.binds.items()
                        if not bind.required and bind.effective_value is not None}
            order = list(compiled.positiontup) if compiled.positional else None
            found = self._by_dialect[dialect.name] = (str(compiled), order, defaults)
        return found

    def _run(self, connection: Connection, params: dict):
        sql, order, defaults = self._compiled(connection)
        values = {**defaults, **params} if defaults else params
        cursor = connection.connection.dbapi_connection.cursor()
        cursor.execute(sql, [values[key] for key in order] if order is not None else values)
        return cursor

    def one_or_none(self, connection: Connection, params: dict):
        """The only row (as a named tuple) or None."""
        cursor = self._run(connection, params)
        try:
            rows = cursor.fetchmany(2)
        finally:
            cursor.close()
        if len(rows) > 1:
            raise LookupError("more than one row")
        return self.row_type(*rows[0]) if rows else None

    def first(self, connection: Connection, params: dict):
        """The first row (as a named tuple) or None."""
        cursor = self._run(connection, params)
        try:
            row = cursor.fetchone()
        finally:
            cursor.close()
        return self.row_type(*row) if row is not None else None

    def run(self, connection: Connection, params: dict) -> int:
        """Execute a statement without rows; returns the driver's row count."""
        cursor = self._run(connection, params)
        try:
            return cursor.rowcount
        finally:
            cursor.close()


def as_datetime(value) -> datetime | None:  # noqa: ANN001
    """A DateTime column's raw value as a naive datetime: SQLite stores ISO text, PostgreSQL gives datetimes."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value)
