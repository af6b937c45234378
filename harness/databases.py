"""Databases for storage tests: a fresh SQLite file, and a fresh PostgreSQL database when a server is reachable.

PostgreSQL is found through TEST_POSTGRES_URL (default: the local server on 127.0.0.1:5432 with trust auth).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
from sqlalchemy.engine import make_url

DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def postgres_admin_url() -> str:
    return os.environ.get("TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)


async def postgres_unreachable_reason() -> str | None:
    """None when the test PostgreSQL answers, else why not (for a clear skip)."""
    url = make_url(postgres_admin_url())
    try:
        connection = await asyncpg.connect(
            host=url.host,
            port=url.port or 5432,
            user=url.username,
            password=url.password,
            database=url.database,
            timeout=3,
        )
    except (OSError, asyncpg.PostgresError, TimeoutError) as error:
        return f"no PostgreSQL reachable at {url.render_as_string(hide_password=True)} ({type(error).__name__})"
    await connection.close()
    return None


@asynccontextmanager
async def fresh_postgres_database() -> AsyncIterator[str]:
    """Create an empty database for one test and drop it afterwards; yields its SQLAlchemy async URL."""
    admin = make_url(postgres_admin_url())
    name = f"cpbot_test_{uuid.uuid4().hex[:12]}"
    connect = {"host": admin.host, "port": admin.port or 5432, "user": admin.username, "password": admin.password}
    connection = await asyncpg.connect(database=admin.database, **connect)
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    try:
        yield admin.set(drivername="postgresql+asyncpg", database=name).render_as_string(hide_password=False)
    finally:
        connection = await asyncpg.connect(database=admin.database, **connect)
        try:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await connection.close()
