"""Follow-ups: Teams user ids on attendance, disconnection entries, the chair's summary state.

Teams user ids let the bot reach people privately; automatic disconnection entries record drop-outs; the summary
state says whether the chair's summary was sent or kept.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("attendance_events") as table:
        table.add_column(sa.Column("teams_user_id", sa.String(length=256), nullable=True))
    with op.batch_alter_table("meeting_sessions") as table:
        table.add_column(sa.Column("summary_status", sa.String(length=16), nullable=True))
        table.add_column(sa.Column("summary_claimed_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "disconnections",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("aad_object_id", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=256), nullable=True),
        sa.Column("disconnected_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("notice", sa.String(length=16), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["meeting_sessions.id"],
            name=op.f("fk_disconnections_session_id_meeting_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disconnections")),
        sa.UniqueConstraint("session_id", "aad_object_id", "disconnected_at", "source", name="uq_disconnections_entry"),
    )
    op.create_index(op.f("ix_disconnections_session_id"), "disconnections", ["session_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_disconnections_session_id"), table_name="disconnections")
    op.drop_table("disconnections")
    with op.batch_alter_table("meeting_sessions") as table:
        table.drop_column("summary_claimed_at")
        table.drop_column("summary_status")
    with op.batch_alter_table("attendance_events") as table:
        table.drop_column("teams_user_id")
