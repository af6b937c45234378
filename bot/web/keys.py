"""Typed keys for what the application holds."""

from __future__ import annotations

import aiohttp
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.domain.quorum import AgencyDirectory
from bot.settings import Settings
from bot.teams.endpoint import MessagesEndpoint
from bot.usecases.follow_up import FollowUp
from bot.usecases.ports import ChairGroup
from bot.usecases.retention import RetentionPurge
from cards import CardContent

SETTINGS = web.AppKey("settings", Settings)
CARD_CONTENT = web.AppKey("card_content", CardContent)
AGENCIES = web.AppKey("agencies", AgencyDirectory)
DATABASE = web.AppKey("database", AsyncEngine)
TEAMS_HTTP = web.AppKey("teams_http", aiohttp.ClientSession)
MESSAGES = web.AppKey("messages_endpoint", MessagesEndpoint)
FOLLOW_UP = web.AppKey("follow_up", FollowUp)
CHAIR_GROUP = web.AppKey("chair_group", ChairGroup)
"""Set only when CHAIR_GROUP_ID is configured."""
RETENTION = web.AppKey("retention", RetentionPurge)
