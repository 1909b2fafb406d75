"""Ballots and the ballot box.

Secrecy is a property of the schema, not of good behaviour:
- `participation` says WHO voted (one row per representative and ballot; its
  primary key is what enforces one vote each, under any concurrency);
- `ballot_box_shard` holds WHAT was chosen, as a set of entries inside a few
  shard rows per ballot, keyed by the hash of a secret only the voter's phone
  holds. No representative id, no timestamp, no insertion order sits beside the
  choices, and because a shard row is rewritten by every vote that lands in it,
  its transaction id (PostgreSQL's xmin) names only the last of many voters.
  At close the keys are scrubbed and entries are stored sorted by content.
Named ballots (`rules.secret = false`) record choices on the participation row too.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from voting.domain.ballots import KINDS
from voting.storage.models import Base, Meeting, _one_of, utcnow

BALLOT_STATUSES = ("draft", "open", "closed", "certified")



class Ballot(Base):
    """One vote on the agenda: a motion, a project selection or a satisfaction test."""

    __tablename__ = "ballot"
    __table_args__ = (
        CheckConstraint(_one_of("status", BALLOT_STATUSES), name="status"),
        CheckConstraint(_one_of("kind", KINDS), name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    # A run-off ballot points at the selection ballot whose tie it settles.
    parent_ballot_id: Mapped[int | None] = mapped_column(ForeignKey("ballot.id", ondelete="SET NULL"))
    position: Mapped[int] = mapped_column(Integer, default=0)  # agenda order
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(300))
    rules_json: Mapped[str] = mapped_column(Text)  # canonical JSON of voting.domain Rules
    status: Mapped[str] = mapped_column(String(16), default="draft")
    shard_count: Mapped[int] = mapped_column(Integer, default=1)
    opened_at: Mapped[datetime | None] = mapped_column(DateTime)
    deadline_at: Mapped[datetime | None] = mapped_column(DateTime)  # the countdown's end
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Attendance frozen at close: the result's 应到 / 实到 / 请假 / 缺席.
    expected_at_close: Mapped[int | None] = mapped_column(Integer)
    present_at_close: Mapped[int | None] = mapped_column(Integer)
    on_leave_at_close: Mapped[int | None] = mapped_column(Integer)
    result_json: Mapped[str | None] = mapped_column(Text)  # the count announced at close
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    meeting: Mapped[Meeting] = relationship()
    items: Mapped[list["BallotItem"]] = relationship(
        back_populates="ballot", order_by="BallotItem.position", cascade="all, delete-orphan"
    )


class BallotItem(Base):
    """One line of a ballot: a motion, a person, a project, a report under test."""

    __tablename__ = "ballot_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    ballot_id: Mapped[int] = mapped_column(ForeignKey("ballot.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)

    ballot: Mapped[Ballot] = relationship(back_populates="items")


class Participation(Base):
    """That a representative voted on a ballot (for 未按, turnout and one-vote-each). Never what."""

    __tablename__ = "participation"

    ballot_id: Mapped[int] = mapped_column(ForeignKey("ballot.id", ondelete="CASCADE"), primary_key=True)
    representative_id: Mapped[int] = mapped_column(
        ForeignKey("representative.id", ondelete="CASCADE"), primary_key=True
    )
    # Only for named ballots (secret = false): the representative's choices, as JSON.
    named_choices_json: Mapped[str | None] = mapped_column(Text)


class BallotBoxShard(Base):
    """A part of a ballot's box: JSON entries {key: choices} (open) or [choices, ...] (closed, sorted)."""

    __tablename__ = "ballot_box_shard"
    __table_args__ = (UniqueConstraint("ballot_id", "shard", name="uq_ballot_box_shard"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ballot_id: Mapped[int] = mapped_column(ForeignKey("ballot.id", ondelete="CASCADE"))
    shard: Mapped[int] = mapped_column(Integer)
    entries_json: Mapped[str] = mapped_column(Text, default="{}")
