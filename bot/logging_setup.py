"""Log configuration. Log lines carry ids, never names, subjects, message text or card contents."""

from __future__ import annotations

import logging
import sys

LOG_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"

LIBRARIES_THAT_LOG_DATA = (
    # Request and response bodies (message text, names) at DEBUG:
    "msrest",
    "botbuilder",
    "botframework",
    "urllib3",
    "azure",
    "msal",
    "httpx",
    "httpcore",
    "kiota_http",
    # SQL statements with their parameters (names, e-mail addresses) at DEBUG:
    "aiosqlite",
    "sqlalchemy",
    "asyncpg",
)
"""Kept at WARNING or above whatever LOG_LEVEL says: at DEBUG they write the data the bot must never log."""


def quieten_libraries(level: int) -> None:
    for library in LIBRARIES_THAT_LOG_DATA:
        logging.getLogger(library).setLevel(max(level, logging.WARNING))


def configure_logging(level: int) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    quieten_libraries(level)
