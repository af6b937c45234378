"""The chair's disconnection log and the audit of chair commands.

Chair entries carry who logged them, whether the person e-mailed the chair, the chair's note, and an undo that is
itself recorded; the request key makes a repeated message or a second press of a form log nothing more. The one-per-
drop rule now holds for automatic entries only, so a chair can log someone again after undoing an entry.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_AUTOMATIC = sa.text("source = 'automatic'")


def upgrade() -> None:
    with op.batch_alter_table("disconnections") as table:
        table.drop_constraint("uq_disconnections_entry", type_="unique")
        table.add_column(sa.Column("request_key", sa.String(length=128), nullable=True))
        table.add_column(sa.Column("logged_by", sa.String(length=64), nullable=True))
        table.add_column(sa.Column("emailed_chair", sa.Boolean(), nullable=True))
        table.add_column(sa.Column("note", sa.Text(), nullable=True))
        table.add_column(sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True))
        table.add_column(sa.Column("undone_by", sa.String(length=64), nullable=True))
        table.create_unique_constraint(op.f("uq_disconnections_request_key"), ["request_key"])
    op.create_index(
        "uq_disconnections_automatic",
        "disconnections",
        ["session_id", "aad_object_id", "disconnected_at"],
        unique=True,
        sqlite_where=_AUTOMATIC,
        postgresql_where=_AUTOMATIC,
    )
    op.create_index(op.f("ix_disconnections_recorded_at"), "disconnections", ["recorded_at"])
    op.create_table(
        "chair_audit",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("command", sa.String(length=32), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("basis", sa.String(length=16), nullable=True),
        sa.Column("aad_object_id", sa.String(length=64), nullable=True),
        sa.Column("meeting_id", sa.String(length=512), nullable=True),
        sa.Column("conversation_id", sa.String(length=512), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chair_audit")),
    )
    op.create_index(op.f("ix_chair_audit_at"), "chair_audit", ["at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_chair_audit_at"), table_name="chair_audit")
    op.drop_table("chair_audit")
    op.drop_index(op.f("ix_disconnections_recorded_at"), table_name="disconnections")
    op.drop_index("uq_disconnections_automatic", table_name="disconnections")
    with op.batch_alter_table("disconnections") as table:
        table.drop_constraint(op.f("uq_disconnections_request_key"), type_="unique")
        for column in ("undone_by", "undone_at", "note", "emailed_chair", "logged_by", "request_key"):
            table.drop_column(column)
        table.create_unique_constraint(
            "uq_disconnections_entry", ["session_id", "aad_object_id", "disconnected_at", "source"]
        )
