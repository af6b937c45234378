"""Typed keys for what the application holds."""

from __future__ import annotations

import aiohttp
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.domain.quorum import AgencyDirectory
from bot.settings import Settings
from bot.teams.endpoint import MessagesEndpoint
from bot.usecases.follow_up import FollowUp
from cards import CardContent

SETTINGS = web.AppKey("settings", Settings)
CARD_CONTENT = web.AppKey("card_content", CardContent)
AGENCIES = web.AppKey("agencies", AgencyDirectory)
DATABASE = web.AppKey("database", AsyncEngine)
TEAMS_HTTP = web.AppKey("teams_http", aiohttp.ClientSession)
MESSAGES = web.AppKey("messages_endpoint", MessagesEndpoint)
FOLLOW_UP = web.AppKey("follow_up", FollowUp)
