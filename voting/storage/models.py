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


# --- Attendance, leave and check-in (issue 3) -------------------------------
from sqlalchemy import text as _sql_text  # noqa: E402  (kept beside the tables that use it)

from voting.domain.attendance import (  # noqa: E402
    ATTENDANCE_STATUSES,
    CHECKIN_METHODS,
    LEAVE_STATUSES,
)


class Attendance(Base):
    """A representative's recorded attendance at a meeting: one row at most per pair.

    The unique pair is what makes concurrent check-ins safe: a second insert
    becomes an update. No row means no check-in and no leave: 缺席.
    """

    __tablename__ = "attendance"
    __table_args__ = (
        UniqueConstraint("meeting_id", "representative_id", name="uq_attendance_meeting_representative"),
        CheckConstraint(_one_of("status", ATTENDANCE_STATUSES), name="status"),
        CheckConstraint("method IS NULL OR " + _one_of("method", CHECKIN_METHODS), name="method"),
        Index("ix_attendance_representative", "representative_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"))
    representative_id: Mapped[int] = mapped_column(ForeignKey("representative.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(500))
    method: Mapped[str | None] = mapped_column(String(16))
    checked_in_at: Mapped[datetime | None] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # The clerk who set it at the desk; None when the representative checked in.
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    meeting: Mapped[Meeting] = relationship()
    representative: Mapped[Representative] = relationship()


class LeaveRequest(Base):
    """请假: a representative asks to miss a meeting; the clerk approves or declines; 销假 cancels."""

    __tablename__ = "leave_request"
    __table_args__ = (
        CheckConstraint(_one_of("status", LEAVE_STATUSES), name="status"),
        Index("ix_leave_request_meeting", "meeting_id", "representative_id"),
        # At most one open (requested or approved) request per person and meeting.
        Index(
            "uq_leave_request_open",
            "meeting_id",
            "representative_id",
            unique=True,
            postgresql_where=_sql_text("status IN ('requested', 'approved')"),
            sqlite_where=_sql_text("status IN ('requested', 'approved')"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"))
    representative_id: Mapped[int] = mapped_column(ForeignKey("representative.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16), default="requested")
    reason: Mapped[str] = mapped_column(String(500))
    requested_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    decision_note: Mapped[str | None] = mapped_column(String(500))
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime)

    meeting: Mapped[Meeting] = relationship()
    representative: Mapped[Representative] = relationship()
    decided_by: Mapped[User | None] = relationship()


class MeetingCheckin(Base):
    """Whether the room check-in of a meeting is open, and which hall-screen link is valid.

    One row per meeting, created when the clerk first opens check-in or makes a
    screen link. The screen token is derived from the secret key and
    `screen_generation` (0: no link yet), so it is never stored and the console
    can show it again; a new link bumps the generation and kills the old one.
    """

    __tablename__ = "meeting_checkin"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), primary_key=True)
    is_open: Mapped[bool] = mapped_column(Boolean, default=False)
    opened_at: Mapped[datetime | None] = mapped_column(DateTime)  # the latest opening
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    screen_generation: Mapped[int] = mapped_column(Integer, default=0)

    meeting: Mapped[Meeting] = relationship()
