"""Alembic environment: one engine per run, models' metadata as the target."""
from __future__ import annotations

from alembic import context

from voting.storage.database import make_engine
from voting.storage.models import Base
import voting.storage.ballots  # noqa: F401  (registers the ballot tables)
import voting.storage.certificates  # noqa: F401  (registers the certificate tables)
import voting.storage.projects  # noqa: F401  (registers the livelihood-project tables)

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine = make_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations_online()
