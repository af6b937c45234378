"""The chair's card, sent privately to each chair when a conference starts: claimed, then settled, like the summary.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("meeting_sessions") as table:
        table.add_column(sa.Column("chair_card_claimed_at", sa.DateTime(timezone=True), nullable=True))
        table.add_column(sa.Column("chair_card_settled_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("meeting_sessions") as table:
        table.drop_column("chair_card_settled_at")
        table.drop_column("chair_card_claimed_at")
