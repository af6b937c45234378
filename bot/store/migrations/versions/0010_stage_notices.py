"""The expectations on the stage for people who join a conference after its start: one row per person per session.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "stage_notices",
        sa.Column(
            "session_id", sa.Integer(), sa.ForeignKey("meeting_sessions.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("aad_object_id", sa.String(64), primary_key=True),
        sa.Column("teams_user_id", sa.String(256), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("settled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(16), nullable=True),
        sa.Column("failure", sa.String(64), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("stage_notices")
