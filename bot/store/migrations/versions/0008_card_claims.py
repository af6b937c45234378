"""The start card's claim apart from its posting, so a claim that is never settled (the process killed while posting)
lapses and the card is posted after all.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("meeting_sessions") as table:
        table.add_column(sa.Column("card_claimed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("meeting_sessions") as table:
        table.drop_column("card_claimed_at")
