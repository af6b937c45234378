"""The privacy audit of traces and metrics, with an in-memory exporter: the scripted conference with hostile names
and notes, the chair at work, and the reports' conference (calendar sync, reminders in Teams and by e-mail, links,
quoracy at the door). Every span the bot records is one of its own, under the vocabulary's keys only, and not one
display name, e-mail address, meeting title, note, reason, link token or message text is in any span's name,
attributes, events or status, nor in any metric's attributes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from opentelemetry import trace

from bot.telemetry.vocabulary import Attribute, MetricName, SpanName
from bot.web.app_factory import create_app
from tests.conftest import ClientFactory, SettingsFactory
from tests.integration.test_privacy_logs import HOSTILE_CAST, HOSTILE_NOTES, HOSTILE_WORDS, MEETING_TITLE, PRIVATE_TEXT
from tests.integration.test_scripted_conference import _run
from tests.support import activities
from tests.support.bot_http import post_activity
from tests.support.fake_connector import FakeConnector
from tests.support.report_scene import CHAIR, HEALTH, POLICE, SOCIAL_WORKER, TEACHER, Scene, play_every_part
from tests.support.telemetry import Recorded

VOCABULARY = {attribute.value for attribute in Attribute}


def _exported(recorded: Recorded) -> str:
    """Everything the exporters would send, as one text to search (the resource aside: it names the service)."""
    parts: list[str] = []
    for span in recorded.spans():
        parts += [span.name, span.status.description or "", str(dict(span.attributes or {}))]
        parts += [f"{event.name} {dict(event.attributes or {})}" for event in span.events]
        parts += [str(dict(link.attributes or {})) for link in span.links]
    for name in MetricName:
        parts += [str(attributes) for attributes, _ in recorded.points(name.value)]
    return "\n".join(parts)


def _keys_outside_the_vocabulary(recorded: Recorded) -> set[str]:
    keys = {key for span in recorded.spans() for key in (span.attributes or {})}
    keys |= {key for span in recorded.spans() for event in span.events for key in (event.attributes or {})}
    keys |= {key for name in MetricName for attributes, _ in recorded.points(name.value) for key in attributes}
    return keys - VOCABULARY


def _found(forbidden: list[str], exported: str) -> list[str]:
    return [word for word in forbidden if word.lower() in exported.lower()]


async def test_a_hostile_conference_and_the_chair_at_work_leave_nothing_personal_in_traces_or_metrics(
    recorded: Recorded,
    aiohttp_client: ClientFactory,
    make_settings: SettingsFactory,
    fake_connector: tuple[FakeConnector, str],
) -> None:
    connector, service_url = fake_connector
    cast = HOSTILE_CAST
    start = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=86)
    await _run(aiohttp_client, make_settings, connector, service_url, start=start, duplicated=False, cast=cast)

    client = await aiohttp_client(create_app(make_settings()))
    police_dropped = (start + timedelta(minutes=31)).astimezone(ZoneInfo("Europe/London")).strftime("%H:%M")
    fast = f"/log-disconnect <at>{cast.police.name}</at> {police_dropped} {HOSTILE_NOTES[0]}"
    for payload in (
        activities.message(
            fast, service_url=service_url, scope="meetingChat", sender=cast.chair, mentioning=(cast.police,)
        ),
        activities.message(PRIVATE_TEXT, service_url=service_url, scope="meetingChat", sender=cast.chair),
        activities.message(PRIVATE_TEXT, service_url=service_url, sender=cast.chair),
        activities.message("/disconnects", service_url=service_url, sender=cast.chair),
    ):
        await post_activity(client, payload)

    turns = recorded.spans(SpanName.TURN)
    assert len(turns) >= 15, "every activity of the script was traced"
    assert {span.kind for span in turns} == {trace.SpanKind.SERVER}
    names = {(span.attributes or {}).get(Attribute.ACTIVITY_NAME.value) for span in turns}
    assert "application/vnd.microsoft.meetingParticipantJoin" in names
    commands = {(span.attributes or {}).get(Attribute.COMMAND.value) for span in turns}
    assert {"log-disconnect", "disconnects"} <= commands, "the command's name, from the table, is recorded"
    calls = recorded.calls_to("teams")
    assert calls, "the Bot Connector calls were traced"
    turn_ids = {span.context.span_id for span in turns}
    assert any(span.parent is not None and span.parent.span_id in turn_ids for span in calls), (
        "a turn's replies are its children"
    )
    assert any("/v3/conversations/{conversationId}/activities" in span.name for span in calls)
    assert recorded.total(MetricName.TURNS.value, **{Attribute.OUTCOME.value: "ok"}) == len(turns)

    assert _keys_outside_the_vocabulary(recorded) == set()
    forbidden = [*HOSTILE_WORDS, "Tanglewood", "Larkspur", "forged", "evil.example", MEETING_TITLE, PRIVATE_TEXT]
    forbidden += [person.email for person in cast.everyone] + [police_dropped, "Smith"]
    assert _found(forbidden, _exported(recorded)) == []


async def test_the_reports_conference_traces_every_kind_of_work_and_nothing_personal(
    recorded: Recorded, scene: Scene
) -> None:
    played = await play_every_part(scene)

    syncs = recorded.spans(SpanName.CALENDAR_SYNC)
    assert syncs
    assert all((span.attributes or {})[Attribute.MAILBOXES.value] == 1 for span in syncs)
    graph_calls = recorded.calls_to("graph")
    routes = {(span.attributes or {})[Attribute.URL_TEMPLATE.value] for span in graph_calls}
    assert {"/users/{mailbox}/calendarView/delta", "/users/{mailbox}/sendMail"} <= routes
    assert "(unlisted)" not in routes, "every Graph call the code makes is in the permissions table"
    sync_ids = {span.context.span_id for span in syncs}
    assert any(span.parent is not None and span.parent.span_id in sync_ids for span in graph_calls), (
        "a sync round's Graph calls are its children"
    )
    sends = recorded.spans(SpanName.REMINDER_SEND)
    kinds = {(span.attributes or {})[Attribute.REMINDER_KIND.value] for span in sends}
    assert {"report-due", "report-status", "quorum-start"} <= kinds
    channels = {(span.attributes or {}).get(Attribute.REMINDER_CHANNEL.value) for span in sends}
    assert {"teams", "email"} <= channels
    refused = [span for span in sends if (span.attributes or {}).get(Attribute.REMINDER_STATUS.value) == "failed"]
    assert refused, "the health visitor's refused address"
    assert all(span.status.status_code is trace.StatusCode.ERROR for span in refused)
    assert recorded.total(MetricName.REMINDERS_SENT.value, **{Attribute.REMINDER_CHANNEL.value: "email"}) >= 2
    assert recorded.total(MetricName.REMINDERS_FAILED.value) >= 1
    assert recorded.points(MetricName.REMINDERS_PENDING.value), "the backlog was read"
    assert recorded.points(MetricName.OUTBOX_LAG.value)

    assert _keys_outside_the_vocabulary(recorded) == set()
    people = [CHAIR, SOCIAL_WORKER, POLICE, TEACHER, HEALTH]
    forbidden = [p.name for p in people] + [p.email for p in people] + ["ICPC Family", "Family", played.reason]
    forbidden += ["Hollyhock", played.link_token, "cp-conferences@", "parent@example.com"]
    assert _found(forbidden, _exported(recorded)) == []
