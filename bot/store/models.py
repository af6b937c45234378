"""Tables. Store ids, times and URLs only (and a chair's note on a disconnection): never message text, meeting
subjects or card contents."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
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
    card_claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    """When a delivery claimed the start card; a claim older than the longest a post can take was abandoned."""
    card_posted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    """When the start card was posted: settled, never posted again."""
    summary_status: Mapped[str | None] = mapped_column(String(16))
    """None until the chair's summary is settled: `sent` privately, or `kept` for the chair to ask for."""
    summary_claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    chair_card_claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    chair_card_settled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    """When the chairs' cards were sent (or found no chair to go to): settled, never sent again."""
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


class StageNoticeRecord(Base):
    """The expectations shown on one person's meeting stage when they joined a session after its start: claimed by
    one delivery, then settled with what Teams said (ids and an outcome only)."""

    __tablename__ = "stage_notices"

    session_id: Mapped[int] = mapped_column(ForeignKey("meeting_sessions.id", ondelete="CASCADE"), primary_key=True)
    aad_object_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    teams_user_id: Mapped[str | None] = mapped_column(String(256))
    claimed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    settled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    outcome: Mapped[str | None] = mapped_column(String(16))
    """`StageOutcome`; with `failure`, the error code Teams gave for this person (a 207's `errorCode`)."""
    failure: Mapped[str | None] = mapped_column(String(64))


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


class MailboxSyncRecord(Base):
    """Where the calendar sync of one mailbox stands: Graph's delta link and the window it covers."""

    __tablename__ = "mailbox_sync"

    mailbox: Mapped[str] = mapped_column(String(320), primary_key=True)
    delta_link: Mapped[str | None] = mapped_column(Text)
    window_start: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    window_end: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    synced_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ConferenceRecord(Base):
    """A conference found in a calendar. Deliberately no subject: it carries the family's name."""

    __tablename__ = "conferences"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ical_uid: Mapped[str] = mapped_column(String(1024), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    start_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    end_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    join_url: Mapped[str | None] = mapped_column(Text)
    chat_id: Mapped[str | None] = mapped_column(String(512), index=True)
    organiser_email: Mapped[str | None] = mapped_column(String(320))
    organiser_name: Mapped[str | None] = mapped_column(String(256))
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ConferenceInviteeRecord(Base):
    __tablename__ = "conference_invitees"

    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id", ondelete="CASCADE"), primary_key=True)
    email: Mapped[str] = mapped_column(String(320), primary_key=True)
    name: Mapped[str] = mapped_column(String(256))
    attendance: Mapped[str] = mapped_column(String(16))


class CalendarEntryRecord(Base):
    """One mailbox's copy of a conference: Graph reports removals by this event id only."""

    __tablename__ = "calendar_entries"

    mailbox: Mapped[str] = mapped_column(String(320), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(512), primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id", ondelete="CASCADE"), index=True)


class ReminderRecord(Base):
    """The outbox: one row per reminder the bot owes, unique per (conference, kind, recipient), so each is sent once."""

    __tablename__ = "reminders"
    __table_args__ = (
        UniqueConstraint("conference_id", "kind", "recipient"),
        Index("ix_reminders_due", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    recipient: Mapped[str] = mapped_column(String(320))
    """An invitee's e-mail address, or '' for the meeting chat."""
    status: Mapped[str] = mapped_column(String(16))
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    settled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    channel: Mapped[str | None] = mapped_column(String(16))
    """How it went out: the meeting chat, Teams privately, or e-mail."""
    reason: Mapped[str | None] = mapped_column(String(256))
    """Why it failed or was not sent; never a name or message text."""


class LeaseRecord(Base):
    """Work only one instance should do at a time (the calendar sync): who holds it, and until when."""

    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(128))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RefusedTenantRecord(Base):
    """Activities refused because their tenant is not in ALLOWED_TENANT_IDS: counted per tenant per day (ids only;
    a count rather than a row each, so a tenant sending many cannot fill the table)."""

    __tablename__ = "refused_tenants"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    tenant_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    activities: Mapped[int] = mapped_column(Integer)
    first_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ReportConfirmationRecord(Base):
    """A professional's word that they shared their report for a conference (or a chair's, for them): once per
    conference and person, withdrawn in place. Ids, an address and times only."""

    __tablename__ = "report_confirmations"

    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id", ondelete="CASCADE"), primary_key=True)
    email: Mapped[str] = mapped_column(String(320), primary_key=True)
    confirmed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    source: Mapped[str] = mapped_column(String(16))
    marked_by: Mapped[str | None] = mapped_column(String(64))
    """The chair's Entra object id, when a chair marked it."""
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ReportLinkRecord(Base):
    """A link e-mailed to one professional to confirm (or withdraw) their report: only the token's SHA-256 is kept."""

    __tablename__ = "report_links"

    token_digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(320))
    purpose: Mapped[str] = mapped_column(String(16))
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ProceedDecisionRecord(Base):
    """A chair's decision to proceed while inquorate, with their reason: one per conference."""

    __tablename__ = "proceed_decisions"

    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id", ondelete="CASCADE"), primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(512), index=True)
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    chair_aad_object_id: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    missing: Mapped[str] = mapped_column(Text)
    """The agencies missing then, by name, one per line."""


class AttendanceReportRecord(Base):
    """Where fetching a session's attendance report from Graph stands: claimed, tried again later, or settled."""

    __tablename__ = "attendance_reports"

    session_id: Mapped[int] = mapped_column(ForeignKey("meeting_sessions.id", ondelete="CASCADE"), primary_key=True)
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    settled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    outcome: Mapped[str | None] = mapped_column(String(16))
    """`ReportOutcome`: stored, or why there is none."""
    reason: Mapped[str | None] = mapped_column(String(256))
    report_id: Mapped[str | None] = mapped_column(String(256))


class ReportedAttendanceRecord(Base):
    """One person in a session's attendance report, as Teams recorded them: ids, name, address, intervals."""

    __tablename__ = "reported_attendance"

    session_id: Mapped[int] = mapped_column(ForeignKey("meeting_sessions.id", ondelete="CASCADE"), primary_key=True)
    person_key: Mapped[str] = mapped_column(String(128), primary_key=True)
    display_name: Mapped[str | None] = mapped_column(String(256))
    email: Mapped[str | None] = mapped_column(String(320))
    tenant_id: Mapped[str | None] = mapped_column(String(64))
    role: Mapped[str | None] = mapped_column(String(32))
    intervals: Mapped[list[list[str]]] = mapped_column(JSON)
    """[[joined, left], …] as ISO 8601 UTC times."""
