"""A chair's decision to proceed while inquorate, with their reason.

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


def downgrade() -> None:
    op.drop_table("proceed_decisions")
