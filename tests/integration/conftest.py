"""Storage tests run on SQLite and on PostgreSQL (skipped, saying why, when no PostgreSQL server answers)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.store.database import create_engine, migrate_to_latest
from harness.databases import fresh_postgres_database, postgres_unreachable_reason
from tests.support.report_scene import scene


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'data' / 'bot.sqlite3'}"
        return
    reason = await postgres_unreachable_reason()
    if reason:
        pytest.skip(reason)
    async with fresh_postgres_database() as url:
        yield url


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """A migrated engine on the database under test, disposed afterwards."""
    migrated = create_engine(database_url)
    await migrate_to_latest(migrated)
    try:
        yield migrated
    finally:
        await migrated.dispose()


@pytest.fixture
async def postgres_url() -> AsyncIterator[str]:
    """A fresh PostgreSQL database, for tests about PostgreSQL alone (skipped, saying why, when none answers)."""
    reason = await postgres_unreachable_reason()
    if reason:
        pytest.skip(reason)
    async with fresh_postgres_database() as url:
        yield url


__all__ = ["scene"]
"""`scene`, the reports' conference, is shared with the browser tests (tests/support/report_scene.py)."""
