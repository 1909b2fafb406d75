"""The tables. Names follow the domain: a body has representatives and meetings.

Datetimes are stored as naive UTC (the `_at` columns); enums are short strings
checked by CHECK constraints so that PostgreSQL and SQLite behave alike.
"""
from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Boolean,
    UniqueConstraint,
    Index,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from voting.domain.bodies import BODY_KINDS
from voting.domain.roster import REPRESENTATIVE_STATUSES

# Stable constraint names, so Alembic migrations are the same on every backend.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Now, as naive UTC (what every `_at` column holds)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _one_of(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


USER_ROLES = ("clerk", "chair")
MEETING_STATUSES = ("scheduled", "in_progress", "closed")


class Body(Base):
    """A 人民代表大会 or its 常委会 (one term, 届)."""

    __tablename__ = "body"
    __table_args__ = (CheckConstraint(_one_of("kind", BODY_KINDS), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    term: Mapped[int | None] = mapped_column(Integer)  # 届, e.g. 18 for 第十八届
    # ⚠ whether members whose duties are suspended count in 应到 (domain-rules §2.3).
    is_suspended_counted: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    groups: Mapped[list["Group"]] = relationship(
        back_populates="body", order_by="Group.position", cascade="all, delete-orphan"
    )
    representatives: Mapped[list["Representative"]] = relationship(back_populates="body")
    meetings: Mapped[list["Meeting"]] = relationship(back_populates="body")


class Group(Base):
    """A delegation (代表团) or group (小组) of a body."""

    __tablename__ = "body_group"
    __table_args__ = (UniqueConstraint("body_id", "name", name="uq_body_group_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("body.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer, default=0)

    body: Mapped[Body] = relationship(back_populates="groups")


class Representative(Base):
    """A deputy (代表) or committee member, identified within the body by `number`."""

    __tablename__ = "representative"
    __table_args__ = (
        UniqueConstraint("body_id", "number", name="uq_representative_number"),
        CheckConstraint(_one_of("status", REPRESENTATIVE_STATUSES), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("body.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("body_group.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(100))
    number: Mapped[str] = mapped_column(String(50))  # 代表证号 / member number
    status: Mapped[str] = mapped_column(String(16), default="active")
    # The card's login code is a secret: only its SHA-256 is kept (issue: QR login).
    login_code_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Bumped when a card is reissued; sessions and tokens carry it and die with it.
    login_generation: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    body: Mapped[Body] = relationship(back_populates="representatives")
    group: Mapped[Group | None] = relationship()


class Meeting(Base):
    """One meeting of a body, e.g. 第十八届人大常委会第二十次会议."""

    __tablename__ = "meeting"
    __table_args__ = (CheckConstraint(_one_of("status", MEETING_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("body.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    meeting_date: Mapped[date | None] = mapped_column(Date)
    location: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default="scheduled")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    body: Mapped[Body] = relationship(back_populates="meetings")


class User(Base):
    """A staff account: a clerk (会务人员) or a chair (主持人)."""

    __tablename__ = "user_account"
    __table_args__ = (CheckConstraint(_one_of("role", USER_ROLES), name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ApiToken(Base):
    """A bearer token for the JSON API. Only the token's SHA-256 is stored."""

    __tablename__ = "api_token"
    __table_args__ = (
        CheckConstraint(
            "(user_id IS NULL) <> (representative_id IS NULL)", name="one_subject"
        ),
        Index("ix_api_token_representative", "representative_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    representative_id: Mapped[int | None] = mapped_column(
        ForeignKey("representative.id", ondelete="CASCADE")
    )
    # For representatives: the login generation the token was issued under.
    login_generation: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)

    user: Mapped[User | None] = relationship()
    representative: Mapped[Representative | None] = relationship()
