"""`python -m bot doctor`: checks a live configuration as far as it can from where it runs, one line per check (ok,
FAIL, or skip with why), never a secret: the database and its schema, a token for the Bot Connector, a token for
Graph, each configured mailbox read through the same calendar call the sync makes, the chairs' group, the e-mail
sender, the app catalogue id, the public address and where traces and metrics go. Exit status 1 when any check
fails."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import Final

from bot.config.settings import Settings
from bot.domain.clock import utc_now
from bot.wiring.features import Features

CHECK_TAKES_AT_MOST: Final = 20.0
_GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


class Verdict(StrEnum):
    OK = "ok"
    FAIL = "FAIL"
    SKIP = "skip"


@dataclass(frozen=True, slots=True)
class Finding:
    verdict: Verdict
    check: str
    detail: str

    def line(self) -> str:
        return f"{self.verdict.value:<5} {self.check}: {self.detail}"


async def _within(check: str, work: Awaitable[str]) -> Finding:
    """`work` says what it found; any exception is a failure described by its class (and, for the bot's own errors,
    their message, which carries statuses only), never by data."""
    try:
        return Finding(Verdict.OK, check, await asyncio.wait_for(work, CHECK_TAKES_AT_MOST))
    except TimeoutError:
        return Finding(Verdict.FAIL, check, f"no answer within {CHECK_TAKES_AT_MOST:.0f} s")
    except Exception as problem:
        own = type(problem).__module__.startswith("bot.")
        return Finding(Verdict.FAIL, check, f"{type(problem).__name__}" + (f": {problem}" if own else ""))


async def _database(settings: Settings) -> str:
    from bot.store.database import create_engine, describe_database, latest_revision, schema_revision

    engine = create_engine(settings.database_url)
    try:
        revision = await schema_revision(engine)
    finally:
        await engine.dispose()
    head = latest_revision()
    if revision != head:
        raise SchemaNotCurrentError(f"at {revision or 'no tables'}, this release expects {head} (python -m bot db)")
    return f"{describe_database(settings.database_url)} answers, schema at {head}"


class SchemaNotCurrentError(RuntimeError):
    """The database answers but is not at this release's revision."""


class NoTokenError(RuntimeError):
    """Entra ID gave no token."""


async def _bot_token(settings: Settings) -> str:
    from bot.teams.connector_tokens import ConnectorTokens

    if not await ConnectorTokens(settings).authorization():
        raise NoTokenError("no token")
    return "Entra ID gave the bot a token for the Bot Connector"


async def run_doctor(settings: Settings, features: Features) -> list[Finding]:
    from bot.graph.client import graph_scope
    from bot.graph.credentials import graph_credential

    findings = [await _within("database", _database(settings))]
    if settings.local_mode:
        findings.append(Finding(Verdict.SKIP, "bot token", "local mode: no MicrosoftAppId, no token needed"))
    else:
        findings.append(await _within("bot token", _bot_token(settings)))
    findings.extend(await _telemetry_findings(settings))
    if not features.needs_graph:
        findings.append(Finding(Verdict.SKIP, "graph", "no feature needs Graph (calendars, chairs' group, reports)"))
        return [*findings, *_settings_findings(settings, features)]
    credential = graph_credential(settings)
    if credential is None:
        findings.append(Finding(Verdict.SKIP, "graph token", f"local mode: Graph at {settings.graph_base_url}"))
    else:

        async def token() -> str:
            try:
                await credential.get_token(graph_scope(settings.graph_base_url))
            finally:
                await credential.close()
            return "Entra ID gave the bot a token for Microsoft Graph"

        findings.append(await _within("graph token", token()))
    findings.extend(await _graph_findings(settings, features))
    return [*findings, *_settings_findings(settings, features)]


async def _graph_findings(settings: Settings, features: Features) -> list[Finding]:
    from bot.graph.services import graph_services

    findings: list[Finding] = []
    async with graph_services(settings) as services:
        now = utc_now()
        for mailbox in settings.calendar_mailboxes:

            async def read(mailbox: str = mailbox) -> str:
                changes = await services.calendar.changes(
                    mailbox, delta_link=None, window=(now, now + timedelta(days=1))
                )
                return f"calendar readable ({len(changes.events)} events in the next day)"

            findings.append(await _within(f"mailbox {mailbox}", read()))
        if services.chair_group is not None:
            group = services.chair_group

            async def readable() -> str:
                await group.readable()
                return "the chairs' group can be read"

            findings.append(await _within(f"chairs' group {settings.chair_group_id}", readable()))
        if settings.reminder_email_from:

            async def sender() -> str:
                found = await services.people.object_id(settings.reminder_email_from)
                if found is None:
                    raise NotAUserError("not a user of this organisation")
                return "a user of this organisation (Mail.Send itself is checked only by sending)"

            findings.append(await _within(f"e-mail sender {settings.reminder_email_from}", sender()))
    return findings


class NotAUserError(RuntimeError):
    """The address is not a user of the organisation."""


async def _telemetry_findings(settings: Settings) -> list[Finding]:
    from bot.telemetry.exporting import collector_accepts_traces, ingestion_host

    findings = []
    if not (settings.applicationinsights_connection_string or settings.otel_exporter_otlp_endpoint):
        findings.append(Finding(Verdict.SKIP, "telemetry", "traces and metrics go nowhere (no exporter is set)"))
    if settings.applicationinsights_connection_string:
        host = ingestion_host(settings.applicationinsights_connection_string)
        findings.append(Finding(Verdict.OK, "application insights", f"traces and metrics to {host}"))
    if endpoint := settings.otel_exporter_otlp_endpoint:

        async def accepted() -> str:
            await collector_accepts_traces(endpoint)
            return f"the collector at {endpoint} accepts traces"

        findings.append(await _within("otlp collector", accepted()))
    return findings


def _settings_findings(settings: Settings, features: Features) -> list[Finding]:
    findings = []
    installs = features.install_in_meeting_chats or features.install_for_invitees
    catalog = settings.teams_app_catalog_id
    if not installs:
        findings.append(Finding(Verdict.SKIP, "app catalogue id", "the bot installs itself nowhere"))
    elif _GUID.fullmatch(catalog or ""):
        findings.append(Finding(Verdict.OK, "app catalogue id", f"{catalog} (its installations say if it is wrong)"))
    else:
        findings.append(Finding(Verdict.FAIL, "app catalogue id", "TEAMS_APP_CATALOG_ID is not the app's catalogue id"))
    if settings.local_mode:
        findings.append(Finding(Verdict.SKIP, "public address", "local mode"))
    elif settings.public_base_url:
        findings.append(Finding(Verdict.OK, "public address", settings.public_base_url))
    else:
        findings.append(Finding(Verdict.FAIL, "public address", "PUBLIC_BASE_URL is not set (meeting pages, links)"))
    return findings
