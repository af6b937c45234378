"""Tables. Store ids, times and URLs only (and a chair's note on a disconnection): never message text, meeting
subjects or card contents."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, MetaData, String, Text, UniqueConstraint, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class ConversationRecord(Base):
    """A conversation the bot has seen: enough to post into it later (a Bot Framework conversation reference)."""

    __tablename__ = "conversations"

    conversation_id: Mapped[str] = mapped_column(String(512), primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(64))
    service_url: Mapped[str] = mapped_column(String(512))
    kind: Mapped[str] = mapped_column(String(32))
    bot_id: Mapped[str] = mapped_column(String(256))
    tenant_id: Mapped[str | None] = mapped_column(String(64))
    meeting_id: Mapped[str | None] = mapped_column(String(512), index=True)
    team_id: Mapped[str | None] = mapped_column(String(512))
    user_aad_object_id: Mapped[str | None] = mapped_column(String(64), index=True)
    first_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class MeetingSessionRecord(Base):
    """One session of a Teams meeting, from its start to its end. Never the meeting's title or subject."""

    __tablename__ = "meeting_sessions"
    __table_args__ = (
        # At most one session of a meeting is open at a time, whichever instance received the event.
        Index(
            "uq_meeting_sessions_open",
            "meeting_id",
            unique=True,
            sqlite_where=text("ended_at IS NULL"),
            postgresql_where=text("ended_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    meeting_id: Mapped[str] = mapped_column(String(512), index=True)
    conversation_id: Mapped[str] = mapped_column(String(512))
    tenant_id: Mapped[str | None] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    start_source: Mapped[str] = mapped_column(String(16))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    card_posted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    summary_status: Mapped[str | None] = mapped_column(String(16))
    """None until the chair's summary is settled: `sent` privately, or `kept` for the chair to ask for."""
    summary_claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AttendanceRecord(Base):
    """A participant joining or leaving a meeting session: directory id, display name and role only."""

    __tablename__ = "attendance_events"
    __table_args__ = (
        UniqueConstraint("session_id", "delivery_id", "aad_object_id", "kind", name="uq_attendance_delivery"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("meeting_sessions.id", ondelete="CASCADE"), index=True)
    aad_object_id: Mapped[str] = mapped_column(String(64))
    teams_user_id: Mapped[str | None] = mapped_column(String(256))
    display_name: Mapped[str | None] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(8))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    delivery_id: Mapped[str] = mapped_column(String(128))


class DisconnectionRecord(Base):
    """Someone who dropped out of a conference: found automatically, or logged by a chair (with their note)."""

    __tablename__ = "disconnections"
    __table_args__ = (
        # One automatic entry per drop, whichever instance noticed it first. Chair entries are kept apart by the
        # request that logged them, so a chair can log again after undoing.
        Index(
            "uq_disconnections_automatic",
            "session_id",
            "aad_object_id",
            "disconnected_at",
            unique=True,
            sqlite_where=text("source = 'automatic'"),
            postgresql_where=text("source = 'automatic'"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("meeting_sessions.id", ondelete="CASCADE"), index=True)
    aad_object_id: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str | None] = mapped_column(String(256))
    disconnected_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    source: Mapped[str] = mapped_column(String(16))
    notice: Mapped[str] = mapped_column(String(16))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    request_key: Mapped[str | None] = mapped_column(String(128), unique=True)
    """For a chair's entry: the message or form that logged it, so a repeat of it logs nothing more."""
    logged_by: Mapped[str | None] = mapped_column(String(64))
    emailed_chair: Mapped[bool | None] = mapped_column(Boolean)
    note: Mapped[str | None] = mapped_column(Text)
    """The chair's own note on the entry, which the partnership's guidance provides for. Shown only to chairs."""
    undone_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    undone_by: Mapped[str | None] = mapped_column(String(64))


class ChairAuditRecord(Base):
    """Every attempt at a chair command: who (id), when, which command, the outcome. Never what was typed."""

    __tablename__ = "chair_audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    command: Mapped[str] = mapped_column(String(32))
    outcome: Mapped[str] = mapped_column(String(16))
    basis: Mapped[str | None] = mapped_column(String(16))
    aad_object_id: Mapped[str | None] = mapped_column(String(64))
    meeting_id: Mapped[str | None] = mapped_column(String(512))
    conversation_id: Mapped[str | None] = mapped_column(String(512))
