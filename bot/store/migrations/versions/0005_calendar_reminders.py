"""Conferences read from calendars, the sync position of each mailbox, and the reminder outbox.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, nullable: bool = False) -> sa.Column[datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "mailbox_sync",
        sa.Column("mailbox", sa.String(length=320), nullable=False),
        sa.Column("delta_link", sa.Text(), nullable=True),
        _when("window_start"),
        _when("window_end"),
        _when("synced_at"),
        sa.PrimaryKeyConstraint("mailbox", name=op.f("pk_mailbox_sync")),
    )
    op.create_table(
        "conferences",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("ical_uid", sa.String(length=1024), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        _when("start_at"),
        _when("end_at"),
        sa.Column("join_url", sa.Text(), nullable=True),
        sa.Column("chat_id", sa.String(length=512), nullable=True),
        sa.Column("organiser_email", sa.String(length=320), nullable=True),
        sa.Column("organiser_name", sa.String(length=256), nullable=True),
        sa.Column("cancelled", sa.Boolean(), nullable=False),
        _when("updated_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conferences")),
        sa.UniqueConstraint("ical_uid", name=op.f("uq_conferences_ical_uid")),
    )
    for column in ("start_at", "end_at", "chat_id"):
        op.create_index(op.f(f"ix_conferences_{column}"), "conferences", [column])
    op.create_table(
        "conference_invitees",
        sa.Column("conference_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("name", sa.String(length=256), nullable=False),
        sa.Column("attendance", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["conference_id"],
            ["conferences.id"],
            name=op.f("fk_conference_invitees_conference_id_conferences"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("conference_id", "email", name=op.f("pk_conference_invitees")),
    )
    op.create_table(
        "calendar_entries",
        sa.Column("mailbox", sa.String(length=320), nullable=False),
        sa.Column("event_id", sa.String(length=512), nullable=False),
        sa.Column("conference_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["conference_id"],
            ["conferences.id"],
            name=op.f("fk_calendar_entries_conference_id_conferences"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("mailbox", "event_id", name=op.f("pk_calendar_entries")),
    )
    op.create_index(op.f("ix_calendar_entries_conference_id"), "calendar_entries", ["conference_id"])
    op.create_table(
        "reminders",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("conference_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("recipient", sa.String(length=320), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        _when("due_at"),
        _when("expires_at"),
        _when("next_attempt_at"),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _when("claimed_at", nullable=True),
        _when("settled_at", nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=True),
        sa.Column("reason", sa.String(length=256), nullable=True),
        sa.ForeignKeyConstraint(
            ["conference_id"],
            ["conferences.id"],
            name=op.f("fk_reminders_conference_id_conferences"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminders")),
        sa.UniqueConstraint("conference_id", "kind", "recipient", name=op.f("uq_reminders_conference_id")),
    )
    op.create_index("ix_reminders_due", "reminders", ["status", "due_at"])


def downgrade() -> None:
    op.drop_index("ix_reminders_due", table_name="reminders")
    op.drop_table("reminders")
    op.drop_index(op.f("ix_calendar_entries_conference_id"), table_name="calendar_entries")
    op.drop_table("calendar_entries")
    op.drop_table("conference_invitees")
    for column in ("chat_id", "end_at", "start_at"):
        op.drop_index(op.f(f"ix_conferences_{column}"), table_name="conferences")
    op.drop_table("conferences")
    op.drop_table("mailbox_sync")
