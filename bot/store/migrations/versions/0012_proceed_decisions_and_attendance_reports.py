"""A chair's decision to proceed while inquorate, with their reason; and the attendance reports Teams makes, fetched
from Graph after each session.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "proceed_decisions",
        sa.Column("conference_id", sa.Integer(), sa.ForeignKey("conferences.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("conversation_id", sa.String(512), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("chair_aad_object_id", sa.String(64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("missing", sa.Text(), nullable=False),
    )
    op.create_index(op.f("ix_proceed_decisions_conversation_id"), "proceed_decisions", ["conversation_id"])
    op.create_table(
        "attendance_reports",
        sa.Column(
            "session_id", sa.Integer(), sa.ForeignKey("meeting_sessions.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("settled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(16), nullable=True),
        sa.Column("reason", sa.String(256), nullable=True),
        sa.Column("report_id", sa.String(256), nullable=True),
    )
    op.create_table(
        "reported_attendance",
        sa.Column(
            "session_id", sa.Integer(), sa.ForeignKey("meeting_sessions.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("person_key", sa.String(128), primary_key=True),
        sa.Column("display_name", sa.String(256), nullable=True),
        sa.Column("email", sa.String(320), nullable=True),
        sa.Column("tenant_id", sa.String(64), nullable=True),
        sa.Column("role", sa.String(32), nullable=True),
        sa.Column("intervals", sa.JSON(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("reported_attendance")
    op.drop_table("attendance_reports")
    op.drop_table("proceed_decisions")
