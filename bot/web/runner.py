"""Running the bot: logging, the start-up announcement and the HTTP server."""

from __future__ import annotations

import gc
import logging

from aiohttp import web
from sqlalchemy.exc import SQLAlchemyError

from bot import __version__
from bot.config.settings import Settings
from bot.domain.quorum import AgencyDirectory
from bot.logs.setup import configure_logging
from bot.store.database import describe_database
from bot.web.access_log import AccessLog
from bot.web.app_factory import create_app

logger = logging.getLogger("bot")

LOCAL_MODE_BANNER = """
======================================================================
  LOCAL MODE: no MicrosoftAppId is set.
  Requests to /api/messages are accepted WITHOUT authentication,
  and only from this machine (for the Microsoft 365 Agents Playground
  and tests). Set MicrosoftAppId and MicrosoftAppPassword to deploy.
======================================================================"""


def announce(settings: Settings) -> None:
    if settings.local_mode:
        logger.warning(LOCAL_MODE_BANNER)
    else:
        logger.info("Bot Framework authentication on: app=%s type=%s", settings.app_id, settings.app_type.value)
    logger.info("database: %s", describe_database(settings.database_url))


def _announce_listening(settings: Settings) -> None:
    logger.info(
        "CP Conference Bot %s listening on http://%s:%d/api/messages (health: /healthz)",
        __version__,
        settings.host,
        settings.port,
    )


class StartupError(Exception):
    """The bot could not start; the message is one line saying why."""


async def _freeze_start_up_objects(_app: web.Application) -> None:
    """Keep everything loaded at start-up out of the garbage collector's full passes. The libraries leave a few hundred
    thousand long-lived objects, and a full pass over them stalls every request in flight for tens of milliseconds."""
    gc.collect()
    gc.freeze()


def run(settings: Settings, agencies: AgencyDirectory) -> None:
    configure_logging(settings.log_level_number, settings.log_format)
    announce(settings)
    app = create_app(settings, agencies=agencies)
    app.on_startup.append(_freeze_start_up_objects)
    try:
        web.run_app(
            app,
            host=settings.host,
            port=settings.port,
            # aiohttp calls this once the socket is bound.
            print=lambda _banner: _announce_listening(settings),
            shutdown_timeout=10,
            access_log_class=AccessLog,
        )
    except SQLAlchemyError as error:
        reason = type(getattr(error, "orig", None) or error).__name__
        raise StartupError(f"the database {describe_database(settings.database_url)} failed ({reason})") from error
    except OSError as error:
        # A port already in use, or a SQLite file that cannot be made, arrives here (an unreachable database server
        # does not: the bot waits for it, answering 503).
        raise StartupError(
            f"{error.strerror or error} (database: {describe_database(settings.database_url)}, "
            f"listening on {settings.host}:{settings.port})"
        ) from error
