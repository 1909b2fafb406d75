"""民生实事项目: a year's proposals, candidate and adopted projects, their progress, inspections and votes.

A project never copies a ballot's result by hand: `project_ballot` says which
ballots belong to a year's cycle (selection, run-off, evaluation) and
`project_vote` ties each ballot item to its project, and receives the item's
certified figures when the certificate is made (voting.actions.projects.adopt).
Money is whole yuan (BigInteger: a budget passes 2^31 yuan easily).
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from voting.domain.projects import (
    BALLOT_PURPOSES,
    CATEGORIES,
    NOT_STARTED,
    PROPOSAL_SOURCES,
    PROPOSAL_STATUSES,
    STAGES,
    STATUSES,
)
from voting.storage.ballots import Ballot
from voting.storage.models import Base, Representative, User, _one_of, utcnow


class ProjectYear(Base):
    """One year's cycle (e.g. the projects of 2026, collected in the autumn of 2025)."""

    __tablename__ = "project_year"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)
    title: Mapped[str] = mapped_column(String(200))  # 云州市2026年民生实事项目
    is_collecting: Mapped[bool] = mapped_column(Boolean, default=False)  # the public form is open
    # 初选 done: the government's list approved; candidates are frozen from here on.
    approved_at: Mapped[datetime | None] = mapped_column(DateTime)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    projects: Mapped[list["Project"]] = relationship(
        back_populates="year", order_by="Project.position", cascade="all, delete-orphan"
    )


class Project(Base):
    """A candidate project (候选项目) and, once chosen, a formal project (正式项目)."""

    __tablename__ = "project"
    __table_args__ = (
        CheckConstraint(_one_of("category", CATEGORIES), name="category"),
        CheckConstraint(_one_of("stage", STAGES), name="stage"),
        CheckConstraint(_one_of("status", STATUSES), name="status"),
        CheckConstraint("progress >= 0 AND progress <= 100", name="progress"),
        Index("ix_project_year_position", "year_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year_id: Mapped[int] = mapped_column(ForeignKey("project_year.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)  # order on the candidate list
    title: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(32))
    department: Mapped[str] = mapped_column(String(200))  # 责任单位
    budget: Mapped[int] = mapped_column(BigInteger)  # yuan
    planned_completion: Mapped[date] = mapped_column(Date)
    stage: Mapped[str] = mapped_column(String(16), default="candidate")
    adopted_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Implementation, as of the latest progress update.
    status: Mapped[str] = mapped_column(String(16), default=NOT_STARTED)
    progress: Mapped[int] = mapped_column(Integer, default=0)  # percent
    spent: Mapped[int] = mapped_column(BigInteger, default=0)  # yuan
    # The year-end test (满意度测评), copied from its certified result.
    evaluation_grade: Mapped[str | None] = mapped_column(String(32))
    evaluated_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    year: Mapped[ProjectYear] = relationship(back_populates="projects")
    proposals: Mapped[list["Proposal"]] = relationship(
        back_populates="project", order_by="Proposal.id", foreign_keys="Proposal.project_id"
    )
    updates: Mapped[list["ProjectUpdate"]] = relationship(
        back_populates="project", order_by=lambda: [ProjectUpdate.update_date.desc(), ProjectUpdate.id.desc()],
        cascade="all, delete-orphan",
    )
    inspections: Mapped[list["Inspection"]] = relationship(
        back_populates="project", order_by=lambda: [Inspection.inspected_on.desc(), Inspection.id.desc()],
        cascade="all, delete-orphan",
    )


class Proposal(Base):
    """A proposal (建议) from the public or from a representative.

    The proposer's contact is for the clerk only and never shown publicly.
    """

    __tablename__ = "proposal"
    __table_args__ = (
        CheckConstraint(_one_of("category", CATEGORIES), name="category"),
        CheckConstraint(_one_of("source", PROPOSAL_SOURCES), name="source"),
        CheckConstraint(_one_of("status", PROPOSAL_STATUSES), name="status"),
        Index("ix_proposal_year_status", "year_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year_id: Mapped[int] = mapped_column(ForeignKey("project_year.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(32))
    place: Mapped[str | None] = mapped_column(String(200))
    estimated_cost: Mapped[int | None] = mapped_column(BigInteger)  # yuan
    proposer_name: Mapped[str] = mapped_column(String(50))
    proposer_contact: Mapped[str | None] = mapped_column(String(100))
    representative_id: Mapped[int | None] = mapped_column(ForeignKey("representative.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(16), default="new")
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("proposal.id", ondelete="SET NULL"))
    project_id: Mapped[int | None] = mapped_column(ForeignKey("project.id", ondelete="SET NULL"), index=True)
    decline_reason: Mapped[str | None] = mapped_column(Text)  # why it was not taken (初选)
    reply: Mapped[str | None] = mapped_column(Text)  # the public answer
    replied_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    year: Mapped[ProjectYear] = relationship()
    representative: Mapped[Representative | None] = relationship()
    merged_into: Mapped["Proposal | None"] = relationship(remote_side="Proposal.id")
    project: Mapped[Project | None] = relationship(back_populates="proposals", foreign_keys=[project_id])


class ProjectUpdate(Base):
    """A dated progress report of the responsible department (entered by the clerk for them)."""

    __tablename__ = "project_update"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    update_date: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    progress: Mapped[int] = mapped_column(Integer)
    spent: Mapped[int] = mapped_column(BigInteger)  # yuan, cumulative
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    project: Mapped[Project] = relationship(back_populates="updates")
    entered_by: Mapped[User | None] = relationship()


class Inspection(Base):
    """A representative's inspection note (视察) on an adopted project, from the phone."""

    __tablename__ = "project_inspection"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    representative_id: Mapped[int | None] = mapped_column(ForeignKey("representative.id", ondelete="SET NULL"))
    inspected_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    project: Mapped[Project] = relationship(back_populates="inspections")
    representative: Mapped[Representative | None] = relationship()


class ProjectBallot(Base):
    """A ballot of a year's cycle: the 差额 selection, a run-off, or the year-end evaluation."""

    __tablename__ = "project_ballot"
    __table_args__ = (CheckConstraint(_one_of("purpose", BALLOT_PURPOSES), name="purpose"),)

    ballot_id: Mapped[int] = mapped_column(ForeignKey("ballot.id", ondelete="CASCADE"), primary_key=True)
    year_id: Mapped[int] = mapped_column(ForeignKey("project_year.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(16))
    applied_at: Mapped[datetime | None] = mapped_column(DateTime)  # its certified result landed on the projects
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    ballot: Mapped[Ballot] = relationship()
    year: Mapped[ProjectYear] = relationship()
    votes: Mapped[list["ProjectVote"]] = relationship(back_populates="project_ballot", cascade="all, delete-orphan")


class ProjectVote(Base):
    """One project on one ballot: which item it is, and that item's certified figures."""

    __tablename__ = "project_vote"

    ballot_item_id: Mapped[int] = mapped_column(ForeignKey("ballot_item.id", ondelete="CASCADE"), primary_key=True)
    ballot_id: Mapped[int] = mapped_column(ForeignKey("project_ballot.ballot_id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    outcome: Mapped[str | None] = mapped_column(String(16))  # selected / not_selected / tie
    rank: Mapped[int | None] = mapped_column(Integer)
    support: Mapped[int | None] = mapped_column(Integer)  # 赞成 (or ○) count
    grade: Mapped[str | None] = mapped_column(String(32))  # evaluation only
    counts_json: Mapped[str | None] = mapped_column(Text)
    rates_json: Mapped[str | None] = mapped_column(Text)

    project_ballot: Mapped[ProjectBallot] = relationship(back_populates="votes")
    project: Mapped[Project] = relationship()
