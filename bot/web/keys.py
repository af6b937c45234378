"""The typed keys of what the application holds: a handful, each set once."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import TYPE_CHECKING

import aiohttp
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config.settings import Settings
from bot.web.database_readiness import DatabaseReadiness
from bot.wiring.features import Features
from bot.wiring.services import Makings, Services

if TYPE_CHECKING:
    from bot.graph.services import GraphServices

SETTINGS = web.AppKey("settings", Settings)
FEATURES = web.AppKey("features", Features)
"""Which optional features the settings switch on."""
MAKINGS = web.AppKey("makings", Makings)
"""The content, agencies, clock (the real one, or a test's simulated one) and instance name the services are made
from."""
STOPPING = web.AppKey("stopping", asyncio.Event)
"""Set when the bot begins to stop: no new turn or background run starts."""
DATABASE = web.AppKey("database", AsyncEngine)
DATABASE_READINESS = web.AppKey("database_readiness", DatabaseReadiness)
"""Whether the database has been reached and migrated; nothing touches it before."""
TEAMS_HTTP = web.AppKey("teams_http", aiohttp.ClientSession)
GRAPH: web.AppKey[GraphServices | None] = web.AppKey("graph")
"""The Graph client's services, or None when no feature needs Graph."""
SERVICES = web.AppKey("services", Services)
HELD_POLLS = web.AppKey("held_polls", Counter[str])
"""The side panels' polls held open now, by viewer: a browser (or a script) cannot hold the bot's connections without
end."""
