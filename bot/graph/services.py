"""Everything the bot asks of Microsoft Graph, on one client opened and closed with the application."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from bot.config.settings import Settings
from bot.graph.attendance import GraphAttendanceReports
from bot.graph.calendar import GraphCalendar
from bot.graph.chair_group import GraphChairGroup
from bot.graph.client import graph_client
from bot.graph.credentials import graph_credential
from bot.graph.mail import GraphMail
from bot.graph.people import GraphPeople
from bot.graph.teams_apps import GraphTeamsApps

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class GraphServices:
    chair_group: GraphChairGroup | None
    calendar: GraphCalendar
    people: GraphPeople
    teams_apps: GraphTeamsApps | None
    """Set when TEAMS_APP_CATALOG_ID names the app to install."""
    mail: GraphMail | None
    """Set when REMINDER_EMAIL_FROM names the mailbox e-mail reminders come from."""
    attendance: GraphAttendanceReports


@asynccontextmanager
async def graph_services(settings: Settings) -> AsyncIterator[GraphServices]:
    credential = graph_credential(settings)
    if credential is None:
        logger.warning(
            "local mode: Graph is asked at %s without credentials (a Graph test double)", settings.graph_base_url
        )
    try:
        async with graph_client(
            settings.graph_base_url, credential, request_timeout_seconds=settings.teams_timeout_seconds
        ) as client:
            chair_group = GraphChairGroup(client, settings.chair_group_id) if settings.chair_group_id else None
            teams_apps = (
                GraphTeamsApps(client, base_url=settings.graph_base_url, catalog_app_id=settings.teams_app_catalog_id)
                if settings.teams_app_catalog_id
                else None
            )
            mail = GraphMail(client, settings.reminder_email_from) if settings.reminder_email_from else None
            people = GraphPeople(client)
            yield GraphServices(
                chair_group,
                GraphCalendar(client, people),
                people,
                teams_apps,
                mail,
                GraphAttendanceReports(client),
            )
    finally:
        if credential is not None:
            await credential.close()
