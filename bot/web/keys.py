"""Typed keys for what the application holds."""

from __future__ import annotations

import asyncio

import aiohttp
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.domain.clock import Clock
from bot.domain.quorum import AgencyDirectory
from bot.settings import Settings
from bot.teams.endpoint import MessagesEndpoint
from bot.usecases.calendar_sync import CalendarSync
from bot.usecases.follow_up import FollowUp
from bot.usecases.ports import (
    AppInstaller,
    CalendarSource,
    ChairGroup,
    MeetingChatFinder,
    PersonDirectory,
    ReminderMailer,
)
from bot.usecases.reminder_sender import ReminderSender
from bot.usecases.retention import RetentionPurge
from bot.web.database_readiness import DatabaseReadiness
from cards import CardContent

SETTINGS = web.AppKey("settings", Settings)
STOPPING = web.AppKey("stopping", asyncio.Event)
"""Set when the bot begins to stop: no new turn or background run starts."""
CLOCK: web.AppKey[Clock] = web.AppKey("clock")
"""What time it is for the background work: the real clock, or a test's simulated one."""
INSTANCE = web.AppKey("instance", str)
"""This instance's name among several sharing one database (host, process, a random tag): for leases."""
CARD_CONTENT = web.AppKey("card_content", CardContent)
AGENCIES = web.AppKey("agencies", AgencyDirectory)
DATABASE = web.AppKey("database", AsyncEngine)
DATABASE_READINESS = web.AppKey("database_readiness", DatabaseReadiness)
"""Whether the database has been reached and migrated; nothing touches it before."""
TEAMS_HTTP = web.AppKey("teams_http", aiohttp.ClientSession)
MESSAGES = web.AppKey("messages_endpoint", MessagesEndpoint)
FOLLOW_UP = web.AppKey("follow_up", FollowUp)
CHAIR_GROUP = web.AppKey("chair_group", ChairGroup)
"""Set only when CHAIR_GROUP_ID is configured."""
RETENTION = web.AppKey("retention", RetentionPurge)
CALENDAR = web.AppKey("calendar", CalendarSource)
"""Set only when CALENDAR_MAILBOXES is configured, as are the Graph services below."""
MEETING_CHATS = web.AppKey("meeting_chats", MeetingChatFinder)
PEOPLE = web.AppKey("people", PersonDirectory)
CHAT_INSTALLER = web.AppKey("chat_installer", AppInstaller)
"""Set only when INSTALL_APP_IN_MEETING_CHATS allows it; USER_INSTALLER likewise for INSTALL_APP_FOR_INVITEES."""
USER_INSTALLER = web.AppKey("user_installer", AppInstaller)
MAILER = web.AppKey("mailer", ReminderMailer)
"""Set only when REMINDER_EMAIL_FROM is configured."""
CALENDAR_SYNC = web.AppKey("calendar_sync", CalendarSync)
REMINDER_SENDER = web.AppKey("reminder_sender", ReminderSender)
