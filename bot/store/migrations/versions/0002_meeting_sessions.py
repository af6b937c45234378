"""Meeting sessions (one open session per meeting) and attendance events.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "meeting_sessions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("meeting_id", sa.String(length=512), nullable=False),
        sa.Column("conversation_id", sa.String(length=512), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("start_source", sa.String(length=16), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("card_posted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_sessions")),
    )
    op.create_index(op.f("ix_meeting_sessions_meeting_id"), "meeting_sessions", ["meeting_id"])
    op.create_index(
        "uq_meeting_sessions_open",
        "meeting_sessions",
        ["meeting_id"],
        unique=True,
        sqlite_where=sa.text("ended_at IS NULL"),
        postgresql_where=sa.text("ended_at IS NULL"),
    )
    op.create_table(
        "attendance_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("aad_object_id", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=256), nullable=True),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivery_id", sa.String(length=128), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["meeting_sessions.id"],
            name=op.f("fk_attendance_events_session_id_meeting_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance_events")),
        sa.UniqueConstraint("session_id", "delivery_id", "aad_object_id", "kind", name="uq_attendance_delivery"),
    )
    op.create_index(op.f("ix_attendance_events_session_id"), "attendance_events", ["session_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_attendance_events_session_id"), table_name="attendance_events")
    op.drop_table("attendance_events")
    op.drop_index("uq_meeting_sessions_open", table_name="meeting_sessions")
    op.drop_index(op.f("ix_meeting_sessions_meeting_id"), table_name="meeting_sessions")
    op.drop_table("meeting_sessions")
