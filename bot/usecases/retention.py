"""Deleting records once they have been kept for the retention period: in the background and on command."""

from __future__ import annotations

import logging
from datetime import datetime

from bot.domain.retention import Purged, purge_before
from bot.usecases.ports import RecordsRetention

logger = logging.getLogger(__name__)


class RetentionPurge:
    def __init__(self, store: RecordsRetention, retention_days: int) -> None:
        self._store = store
        self._retention_days = retention_days

    async def run_once(self, now: datetime, *, dry_run: bool = False) -> Purged:
        before = purge_before(now, self._retention_days)
        purged = await self._store.purge(before, dry_run=dry_run)
        if purged.total and not dry_run:
            logger.info(
                "purged records older than %d days sessions=%d attendance=%d disconnections=%d audit=%d "
                "conferences=%d reminders=%d",
                self._retention_days,
                purged.sessions,
                purged.attendance,
                purged.disconnections,
                purged.audit,
                purged.conferences,
                purged.reminders,
            )
        return purged
