"""SQLAlchemy models, sessions and migrations. Imports voting.domain only."""
