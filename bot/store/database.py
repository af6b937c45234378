"""The database engine: creation, a health check and schema migrations."""

from __future__ import annotations

from pathlib import Path

import asyncpg
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.script.revision import ResolutionError
from alembic.util import CommandError
from sqlalchemy import Connection, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.ext.asyncio import AsyncSession as AsyncSession

MIGRATIONS_DIRECTORY = Path(__file__).parent / "migrations"


def create_engine(database_url: str) -> AsyncEngine:
    """An async engine; for SQLite, the file's folder is created and the file tuned for one writer, many readers.

    Every engine the bot makes (the app's, the command line's, migrations', forget's, exports') comes from here, and
    hides statement parameters: SQLAlchemy otherwise puts them (names, notes, addresses) into the message of every
    error a statement raises, and so into any log line that writes it."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, connect_args={"timeout": 30}, hide_parameters=True)
        event.listen(engine.sync_engine, "connect", _tune_sqlite)
        event.listen(engine.sync_engine, "begin", _begin_immediately)
        return engine
    # asyncpg waits 60 s for a connection by default; a database that has not answered in 10 s is not there.
    return create_async_engine(url, pool_pre_ping=True, connect_args={"timeout": 10}, hide_parameters=True)


def _tune_sqlite(dbapi_connection: object, _record: object) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself (SQLAlchemy's documented recipe for pysqlite/aiosqlite).
    dbapi_connection.isolation_level = None  # type: ignore[attr-defined]
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _begin_immediately(connection: Connection) -> None:
    """Take SQLite's write lock at the start of a transaction: a transaction that reads and then writes would otherwise
    fail with "database is locked" when another writer got in between, instead of waiting its turn."""
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def describe_database(database_url: str) -> str:
    """The database as logs may name it: the SQLite file, or the URL without its password."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        return f"SQLite file {url.database}"
    return url.render_as_string(hide_password=True)


_UNREACHABLE = (
    OSError,
    TimeoutError,
    asyncpg.exceptions.CannotConnectNowError,  # "the database system is starting up"
    asyncpg.exceptions.TooManyConnectionsError,
    asyncpg.exceptions.ConnectionDoesNotExistError,
)


def is_unreachable(error: BaseException) -> bool:
    """Whether `error` says the database could not be reached (worth waiting for), rather than that it refused what
    was asked of it. SQLAlchemy and asyncpg wrap network errors differently, so the whole chain is read."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, _UNREACHABLE):
            return True
        pending.extend([getattr(current, "orig", None), current.__cause__, current.__context__])
    return False


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


async def database_answers(engine: AsyncEngine) -> bool:
    """True when a trivial query succeeds."""
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception:
        return False
    return True


def latest_revision() -> str:
    """The newest migration the code carries (Alembic's head)."""
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError("the migrations have no head")
    return head


async def schema_revision(engine: AsyncEngine) -> str | None:
    """The migration the database is at; None when it has none (never migrated). Raises when it cannot be asked."""
    async with engine.connect() as connection:
        return await connection.run_sync(lambda sync: MigrationContext.configure(sync).get_current_revision())


def _alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIRECTORY))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


MIGRATION_LOCK = 0x43504362  # "CPCb": any fixed number, the same in every instance
"""PostgreSQL advisory lock held while migrating, so instances starting together migrate one after another (the
others then find the schema up to date). SQLite's BEGIN IMMEDIATE already serialises them."""


async def migrate_to_latest(engine: AsyncEngine) -> None:
    """Bring the schema up to date (Alembic, sharing the engine's connection so it works inside the event loop)."""
    await migrate(engine, "head")


async def migrate(engine: AsyncEngine, revision: str, *, down: bool = False) -> None:
    """Upgrade to `revision` (`head`, `0011`, `+1`) or, with `down`, downgrade to it (`0010`, `-1`, `base`), under the
    migration lock. Raises `MigrationError` for a revision the migrations do not have."""

    def run(connection: Connection) -> None:
        config = _alembic_config(connection)
        try:
            (command.downgrade if down else command.upgrade)(config, revision)
        except (CommandError, ResolutionError) as problem:
            raise MigrationError(str(problem)) from None

    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            await connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        await connection.run_sync(run)


class MigrationError(ValueError):
    """A migration that cannot be made as asked (a revision the migrations do not have, a step past the base)."""


def revisions() -> list[tuple[str, str | None, str]]:
    """Every migration, newest first: (revision, the one before it, its first line)."""
    script = ScriptDirectory.from_config(_alembic_config())
    found = []
    for revision in script.walk_revisions():
        down = revision.down_revision if isinstance(revision.down_revision, str) else None
        found.append((revision.revision, down, (revision.doc or "").strip().splitlines()[0] if revision.doc else ""))
    return found
