"""Certificates: the signed, hash-chained records of closed ballots, and the state of their making.

- `certificate` is append-only. Its id IS the sequence number of the one chain
  of this instance (across all bodies): certificate n stores the SHA-256 of
  certificate n-1's record. The primary key and the unique `previous_sha256`
  make a fork impossible even if two workers raced past the lock.
- `certificate_chain` is the chain's head: one row, locked while a certificate
  is added (so concurrent workers queue up instead of failing), remembering the
  last sequence and hash (so deleting the newest certificate is detected too).
- `certification` is one row per ballot whose certification ran: its status and,
  when it failed, the reason the clerk sees.

A certificate is written in two steps: sealed (record signed and chained, no PDF
yet) and stored (`pdf_sha256` set once the PDF is in the archive). A crash in
between leaves a sealed certificate that the retried job finishes.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from voting.storage.ballots import Ballot
from voting.storage.models import Base, _one_of, utcnow

CERTIFICATION_STATUSES = ("running", "failed", "certified")
CHAIN_ID = 1


class Certificate(Base):
    """One signed record in the chain. Never updated after it is stored, never deleted."""

    __tablename__ = "certificate"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)  # the sequence number
    # RESTRICT: a certified ballot (and its meeting) cannot be deleted from under its certificate.
    ballot_id: Mapped[int] = mapped_column(ForeignKey("ballot.id", ondelete="RESTRICT"), unique=True)
    record_json: Mapped[str] = mapped_column(Text)  # the canonical record, exactly the bytes hashed (UTF-8)
    record_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    previous_sha256: Mapped[str | None] = mapped_column(String(64), unique=True)
    signature: Mapped[str] = mapped_column(String(128))  # Ed25519 over the record's bytes, base64
    key_fingerprint: Mapped[str] = mapped_column(String(64))
    verify_url: Mapped[str] = mapped_column(String(500))  # printed as the QR code
    pdf_sha256: Mapped[str | None] = mapped_column(String(64), unique=True)  # None while only sealed
    certified_at: Mapped[datetime] = mapped_column(DateTime)
    stored_at: Mapped[datetime | None] = mapped_column(DateTime)

    ballot: Mapped[Ballot] = relationship()

    @property
    def is_stored(self) -> bool:
        """Whether the PDF is in the archive (the certificate is complete)."""
        return self.pdf_sha256 is not None


class CertificateChain(Base):
    """The head of the chain: locked while a certificate is added."""

    __tablename__ = "certificate_chain"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    last_sha256: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Certification(Base):
    """How the certification of one ballot went: running, failed (with the reason) or certified."""

    __tablename__ = "certification"
    __table_args__ = (CheckConstraint(_one_of("status", CERTIFICATION_STATUSES), name="status"),)

    ballot_id: Mapped[int] = mapped_column(ForeignKey("ballot.id", ondelete="CASCADE"), primary_key=True)
    status: Mapped[str] = mapped_column(String(16))
    error_code: Mapped[str | None] = mapped_column(String(40))  # why it failed (CertificationFailed.code)
    reason: Mapped[str | None] = mapped_column(Text)  # the details, one per line
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    ballot: Mapped[Ballot] = relationship()
