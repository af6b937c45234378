"""INSERT … ON CONFLICT DO UPDATE for the two databases the bot supports."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Table, TextClause, func
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql import Executable
from sqlalchemy.sql.dml import Insert


def upsert(
    dialect_name: str,
    table: Table,
    values: dict[str, Any],
    *,
    key: list[str],
    keep_existing: tuple[str, ...] = (),
    keep_unless_given: tuple[str, ...] = (),
    increment: tuple[str, ...] = (),
    earliest: tuple[str, ...] = (),
    latest: tuple[str, ...] = (),
) -> Executable:
    """Insert a row or update it in place, atomically.

    Columns in `keep_existing` are written only on insert; columns in `keep_unless_given` keep their stored value
    when the new one is NULL; columns in `increment` add the new value to the stored one; columns in `earliest` and
    `latest` keep the lesser or the greater of the two.
    """
    lesser, greater = (func.min, func.max) if dialect_name == "sqlite" else (func.least, func.greatest)

    def updated(name: str, excluded: Any) -> ColumnElement[Any]:
        if name in keep_unless_given:
            return func.coalesce(excluded[name], table.c[name])
        column: ColumnElement[Any] = excluded[name]
        if name in earliest:
            return lesser(table.c[name], column)
        if name in latest:
            return greater(table.c[name], column)
        return table.c[name] + column if name in increment else column

    def updates(excluded: Any) -> dict[str, ColumnElement[Any]]:
        return {name: updated(name, excluded) for name in values if name not in key and name not in keep_existing}

    if dialect_name == "postgresql":
        postgresql_insert = postgresql.insert(table).values(**values)
        return postgresql_insert.on_conflict_do_update(index_elements=key, set_=updates(postgresql_insert.excluded))
    if dialect_name == "sqlite":
        sqlite_insert = sqlite.insert(table).values(**values)
        return sqlite_insert.on_conflict_do_update(index_elements=key, set_=updates(sqlite_insert.excluded))
    raise ValueError(f"unsupported database dialect {dialect_name!r}")


def insert_ignoring_duplicates(
    dialect_name: str,
    table: Table,
    rows: list[dict[str, Any]],
    *,
    key: list[str],
    where: TextClause | None = None,
) -> Insert:
    """INSERT … ON CONFLICT DO NOTHING on the unique key (a partial unique index when `where` is given)."""
    if dialect_name == "postgresql":
        return postgresql.insert(table).values(rows).on_conflict_do_nothing(index_elements=key, index_where=where)
    if dialect_name == "sqlite":
        return sqlite.insert(table).values(rows).on_conflict_do_nothing(index_elements=key, index_where=where)
    raise ValueError(f"unsupported database dialect {dialect_name!r}")
