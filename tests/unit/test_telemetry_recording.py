"""What the bot's recording does with spans and metrics: the vocabulary's keys only, failures by their kind and never
their message, routes without ids, and nothing at all where no telemetry is installed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from opentelemetry import trace

from bot.domain.outbox import OutboxBacklog
from bot.graph.permissions import GRAPH_CALLS
from bot.graph.tracing import UNLISTED_ROUTE, TracedTransport, graph_route
from bot.teams.connector_http import route_template
from bot.telemetry import recording
from bot.telemetry.recording import annotate, count, outbox_backlog, span
from bot.telemetry.vocabulary import METRIC_DESCRIPTIONS, Attribute, MetricName, SpanName
from tests.support.telemetry import Recorded


def test_a_span_carries_its_attributes_and_ends_ok(recorded: Recorded) -> None:
    with span(SpanName.REMINDER_SEND, {Attribute.REMINDER_ID: 7}) as sending:
        sending.set({Attribute.REMINDER_STATUS: "sent"})
        annotate({Attribute.CONFERENCE_ID: 3})
    [sent] = recorded.spans(SpanName.REMINDER_SEND)
    assert dict(sent.attributes or {}) == {
        "cpbot.reminder.id": 7,
        "cpbot.reminder.status": "sent",
        "cpbot.conference.id": 3,
    }
    assert sent.status.status_code is trace.StatusCode.UNSET
    assert sent.kind is trace.SpanKind.CONSUMER


def test_an_escaping_exception_marks_the_span_failed_by_its_class_alone(recorded: Recorded) -> None:
    family = "".join(["Smi", "th"])
    with pytest.raises(KeyError), span(SpanName.TURN):
        raise KeyError(f"{family}@example.com")
    [turn] = recorded.spans(SpanName.TURN)
    assert turn.status.status_code is trace.StatusCode.ERROR
    assert (turn.attributes or {})["error.type"] == "KeyError"
    assert turn.events == (), "no exception event: its message would carry the data"
    assert "Smith" not in f"{turn.status.description} {dict(turn.attributes or {})}"


def test_a_titled_span_is_named_by_its_title(recorded: Recorded) -> None:
    with span(SpanName.GRAPH_CALL, title="GET /users"):
        pass
    assert [s.name for s in recorded.spans()] == ["GET /users"]


def test_spans_nest_under_the_current_one(recorded: Recorded) -> None:
    with span(SpanName.CALENDAR_SYNC), span(SpanName.GRAPH_CALL):
        pass
    inner, outer = recorded.spans()
    assert inner.parent is not None
    assert inner.parent.span_id == outer.context.span_id


def test_nothing_is_recorded_where_no_telemetry_is_installed() -> None:
    assert recording.installed() is recording._NOWHERE
    assert not recording.recording_anything()
    with span(SpanName.TURN) as turn:
        turn.set({Attribute.OUTCOME: "ok"})
        assert not trace.get_current_span().is_recording()
    count(MetricName.TURNS)


def test_the_bot_leaves_the_global_providers_alone(recorded: Recorded) -> None:
    """Libraries trace by the global provider (kiota with full URLs): it must stay the no-op proxy."""
    assert recording.recording_anything()
    assert not trace.get_tracer("kiota-like").start_span("GET /users?$filter=mail eq 'x'").is_recording()


def test_counters_and_the_backlog_are_exported(recorded: Recorded) -> None:
    count(MetricName.THROTTLED, {Attribute.SERVICE: "graph"})
    count(MetricName.THROTTLED, {Attribute.SERVICE: "graph"})
    count(MetricName.THROTTLED, {Attribute.SERVICE: "teams"})
    now = datetime(2026, 12, 7, 9, tzinfo=UTC)
    outbox_backlog(OutboxBacklog(4, now - timedelta(minutes=2)), now)
    assert recorded.total(MetricName.THROTTLED.value, **{"cpbot.service": "graph"}) == 2
    assert recorded.total(MetricName.THROTTLED.value, **{"cpbot.service": "teams"}) == 1
    assert recorded.points(MetricName.REMINDERS_PENDING.value) == [({}, 4)]
    assert recorded.points(MetricName.OUTBOX_LAG.value) == [({}, 120.0)]


def test_an_empty_backlog_has_no_lag() -> None:
    now = datetime(2026, 12, 7, 9, tzinfo=UTC)
    assert OutboxBacklog(0, None).lag(now) == timedelta(0)
    assert OutboxBacklog(1, now + timedelta(seconds=5)).lag(now) == timedelta(0)


def test_every_metric_is_described() -> None:
    assert set(METRIC_DESCRIPTIONS) == set(MetricName)


@pytest.mark.parametrize(
    ("path", "template"),
    [
        ("/v3/conversations/19:abc@thread.v2/activities", "/v3/conversations/{conversationId}/activities"),
        (
            "/amer/v3/conversations/a:1x/activities/17",
            "/amer/v3/conversations/{conversationId}/activities/{activityId}",
        ),
        ("/v3/conversations", "/v3/conversations"),
        ("/v1/meetings/MCMx/participants/4f-aad", "/v1/meetings/{meetingId}/participants/{participantId}"),
        ("/v1/meetings/MCMx/notification", "/v1/meetings/{meetingId}/notification"),
        ("/v3/conversations/a:1x/members/29:u", "/v3/conversations/{conversationId}/members/{memberId}"),
    ],
)
def test_a_connector_route_keeps_no_id(path: str, template: str) -> None:
    assert route_template(path) == template


@pytest.mark.parametrize("call", GRAPH_CALLS, ids=lambda call: f"{call.method} {call.path}")
def test_every_listed_graph_call_is_named_by_its_route(call: object) -> None:
    from bot.graph.permissions import GraphCall

    assert isinstance(call, GraphCall)
    template = call.path.partition("?")[0]
    concrete = template.replace("{", "x").replace("}", "x").replace(" ", "")
    assert graph_route(f"/v1.0{concrete}") == template
    assert graph_route(f"/v1.0{concrete}()") == template


def test_an_unlisted_graph_route_says_so_without_its_path() -> None:
    assert graph_route("/v1.0/users/someone@example.com/messages") == UNLISTED_ROUTE


async def test_graph_requests_are_traced_and_429s_counted(recorded: Recorded) -> None:
    answers = iter([429, 200])

    def graph(request: httpx.Request) -> httpx.Response:
        return httpx.Response(next(answers), json={})

    transport = TracedTransport(httpx.MockTransport(graph), "https://graph.microsoft.com/v1.0")
    async with httpx.AsyncClient(transport=transport) as client:
        for _ in range(2):
            await client.get("https://graph.microsoft.com/v1.0/users", params={"$filter": "mail eq 'jo@example.com'"})
    throttled, answered = recorded.calls_to("graph")
    assert throttled.name == answered.name == "GET /users"
    assert (throttled.attributes or {})["http.response.status_code"] == 429
    assert throttled.status.status_code is trace.StatusCode.ERROR
    assert answered.status.status_code is trace.StatusCode.UNSET
    assert recorded.total(MetricName.THROTTLED.value, **{"cpbot.service": "graph"}) == 1
    assert "jo@example.com" not in str([dict(s.attributes or {}) for s in recorded.spans()])
