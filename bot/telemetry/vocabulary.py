"""Every span, attribute and metric the bot records: one list, so that recording something new is a deliberate act
and a test can hold every exported attribute to it.

Attributes carry ids, counts, kinds and outcomes only: never a name, a subject, an e-mail address or message text.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final


class SpanName(StrEnum):
    TURN = "teams.turn"
    """One activity from Teams, from authentication to the answer."""
    CONNECTOR_CALL = "teams.connector"
    """One request to the Bot Connector (retries included)."""
    GRAPH_CALL = "graph.request"
    """One HTTP request to Microsoft Graph (each retry its own)."""
    REMINDER_SEND = "outbox.send"
    """One reminder from the outbox: delivered and settled."""
    CALENDAR_SYNC = "calendar.sync"
    """One round of the calendar sync over every configured mailbox."""


class Attribute(StrEnum):
    # OpenTelemetry's semantic conventions, where one fits.
    HTTP_METHOD = "http.request.method"
    HTTP_STATUS = "http.response.status_code"
    URL_TEMPLATE = "url.template"
    """The route with its ids as placeholders (`/v3/conversations/{conversationId}/activities`)."""
    URL_FULL = "url.full"
    """The address with the route for its path and no query: redacted, as the conventions allow (Azure Monitor names a
    dependency by this address's path)."""
    SERVER_ADDRESS = "server.address"
    ERROR_TYPE = "error.type"
    """An exception's class or a failure's kind: never its message, which may quote data."""
    # The bot's own.
    ACTIVITY_TYPE = "cpbot.activity.type"
    ACTIVITY_NAME = "cpbot.activity.name"
    """An event's or invoke's name, when it is one the bot handles."""
    CONVERSATION_KIND = "cpbot.conversation.kind"
    COMMAND = "cpbot.command"
    """A command's name from the command table (never the text typed after it)."""
    OUTCOME = "cpbot.outcome"
    REMINDER_ID = "cpbot.reminder.id"
    REMINDER_KIND = "cpbot.reminder.kind"
    REMINDER_STATUS = "cpbot.reminder.status"
    REMINDER_CHANNEL = "cpbot.reminder.channel"
    REMINDER_ATTEMPT = "cpbot.reminder.attempt"
    CONFERENCE_ID = "cpbot.conference.id"
    SERVICE = "cpbot.service"
    """Which service a call or a 429 is from: `teams` (the Bot Connector) or `graph`."""
    MAILBOXES = "cpbot.sync.mailboxes"
    MAILBOXES_FAILED = "cpbot.sync.mailboxes_failed"
    CONFERENCES_CHANGED = "cpbot.sync.conferences_changed"
    SKIPPED = "cpbot.sync.skipped"
    """True when another instance holds the sync's lease this round."""


class MetricName(StrEnum):
    TURNS = "cpbot.turns"
    REMINDERS_SENT = "cpbot.reminders.sent"
    REMINDERS_FAILED = "cpbot.reminders.failed"
    REMINDERS_PENDING = "cpbot.reminders.pending"
    OUTBOX_LAG = "cpbot.outbox.lag"
    REMINDER_DELAY = "cpbot.reminders.delay"
    THROTTLED = "cpbot.throttled"


METRIC_DESCRIPTIONS: Final[dict[MetricName, tuple[str, str]]] = {
    MetricName.TURNS: ("{turn}", "activities from Teams handled, by activity type and outcome"),
    MetricName.REMINDERS_SENT: ("{reminder}", "reminders delivered, by kind and channel"),
    MetricName.REMINDERS_FAILED: (
        "{reminder}",
        "reminder attempts that failed, by kind; cpbot.outcome is 'retrying' or 'gave-up'",
    ),
    MetricName.REMINDERS_PENDING: ("{reminder}", "reminders due now and not yet sent (the outbox's backlog)"),
    MetricName.OUTBOX_LAG: ("s", "how long the oldest reminder due and not yet sent has waited"),
    MetricName.REMINDER_DELAY: ("s", "from a reminder's due time to the sender round that delivered it"),
    MetricName.THROTTLED: ("{response}", "429 answers (asked to slow down), by service"),
}
"""Each metric's unit and description, as exported (fragments for the operator, as the log's reasons are)."""

HANDLED_ACTIVITY_NAMES: Final = frozenset(
    {
        "application/vnd.microsoft.meetingStart",
        "application/vnd.microsoft.meetingEnd",
        "application/vnd.microsoft.meetingParticipantJoin",
        "application/vnd.microsoft.meetingParticipantLeave",
        "adaptiveCard/action",
    }
)
"""Activity names recorded as they are; any other is recorded as `other` (a name is the sender's to choose)."""

ACTIVITY_TYPES: Final = frozenset(
    {"message", "event", "invoke", "conversationUpdate", "installationUpdate", "messageReaction", "typing"}
)
"""Activity types recorded as they are; any other is recorded as `other`."""
