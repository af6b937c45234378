"""Typed keys for what the application holds."""

from __future__ import annotations

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.settings import Settings
from bot.teams.endpoint import MessagesEndpoint
from cards import CardContent

SETTINGS = web.AppKey("settings", Settings)
CARD_CONTENT = web.AppKey("card_content", CardContent)
DATABASE = web.AppKey("database", AsyncEngine)
MESSAGES = web.AppKey("messages_endpoint", MessagesEndpoint)
