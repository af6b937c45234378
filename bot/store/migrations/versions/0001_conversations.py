"""Conversations the bot has seen, kept so it can post into them later.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "conversations",
        sa.Column("conversation_id", sa.String(length=512), nullable=False),
        sa.Column("channel_id", sa.String(length=64), nullable=False),
        sa.Column("service_url", sa.String(length=512), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("bot_id", sa.String(length=256), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=True),
        sa.Column("meeting_id", sa.String(length=512), nullable=True),
        sa.Column("team_id", sa.String(length=512), nullable=True),
        sa.Column("user_aad_object_id", sa.String(length=64), nullable=True),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("conversation_id", name=op.f("pk_conversations")),
    )
    op.create_index(op.f("ix_conversations_meeting_id"), "conversations", ["meeting_id"])
    op.create_index(op.f("ix_conversations_user_aad_object_id"), "conversations", ["user_aad_object_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_conversations_user_aad_object_id"), table_name="conversations")
    op.drop_index(op.f("ix_conversations_meeting_id"), table_name="conversations")
    op.drop_table("conversations")
