"""Alembic environment. The bot runs migrations itself, handing over a live connection (see database.py)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from bot.store.models import Base

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `python -m bot migrate`, which supplies the database connection")
_run(connection)
