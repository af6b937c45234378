"""Traces and metrics leave the bot for where the settings say: an OpenTelemetry collector over OTLP/HTTP, and Azure
Monitor's ingestion endpoint, each played by a receiver on 127.0.0.1 that keeps what it is sent. What is still
buffered when the bot stops is sent as it stops."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import ExportMetricsServiceRequest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

from bot.telemetry import recording
from bot.web.app_factory import create_app
from harness.processes import free_port
from tests.conftest import ClientFactory, ServerFactory, SettingsFactory
from tests.support import activities
from tests.support.bot_http import post_activity
from tests.support.fake_connector import FakeConnector
from tests.support.telemetry_receiver import Receiver, envelopes_in

INSTRUMENTATION_KEY = "00000000-0000-4000-8000-000000000000"
FAMILY = "ICPC Smith"


async def _a_few_turns(aiohttp_client: ClientFactory, settings: Any, service_url: str) -> None:
    client = await aiohttp_client(create_app(settings))
    for text in ("/expectations", f"{FAMILY}: is this the right meeting?"):
        await post_activity(client, activities.message(text, service_url=service_url, scope="personal"))
    await client.close()  # the bot stops: what is buffered is sent now


async def test_traces_and_metrics_reach_an_otlp_collector(
    aiohttp_client: ClientFactory,
    aiohttp_server: ServerFactory,
    make_settings: SettingsFactory,
    fake_connector: tuple[FakeConnector, str],
) -> None:
    _, service_url = fake_connector
    collector = Receiver()
    endpoint = str((await aiohttp_server(collector.app())).make_url("/"))
    settings = make_settings(otel_exporter_otlp_endpoint=endpoint, otel_service_name="cp-bot-test")
    await _a_few_turns(aiohttp_client, settings, service_url)

    assert {content_type for _, content_type, _ in collector.received} == {"application/x-protobuf"}
    spans, resources = [], []
    for body in collector.bodies("/v1/traces"):
        request = ExportTraceServiceRequest.FromString(body)
        for resource_spans in request.resource_spans:
            resources.append({kv.key: kv.value.string_value for kv in resource_spans.resource.attributes})
            spans += [span for scope in resource_spans.scope_spans for span in scope.spans]
    turns = [span for span in spans if span.name == "teams.turn"]
    assert len(turns) == 2
    assert any(span.name.startswith("POST /v3/conversations/{conversationId}/activities") for span in spans)
    assert resources[0]["service.name"] == "cp-bot-test"
    assert resources[0]["service.instance.id"]
    metrics = [
        metric.name
        for body in collector.bodies("/v1/metrics")
        for resource_metrics in ExportMetricsServiceRequest.FromString(body).resource_metrics
        for scope in resource_metrics.scope_metrics
        for metric in scope.metrics
    ]
    assert "cpbot.turns" in metrics
    assert all(FAMILY.encode() not in body for _, _, body in collector.received)
    assert recording.installed() is recording._NOWHERE, "stopping the bot stops recording"


async def test_traces_and_metrics_reach_azure_monitor(
    aiohttp_client: ClientFactory,
    aiohttp_server: ServerFactory,
    make_settings: SettingsFactory,
    fake_connector: tuple[FakeConnector, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The exporter's own figures (to Microsoft, and to the resource), which would outlive the test.
    monkeypatch.setenv("APPLICATIONINSIGHTS_STATSBEAT_DISABLED_ALL", "true")
    monkeypatch.setenv("APPLICATIONINSIGHTS_SDKSTATS_DISABLED", "true")
    _, service_url = fake_connector
    ingestion = Receiver()
    endpoint = str((await aiohttp_server(ingestion.app())).make_url("/"))
    connection_string = f"InstrumentationKey={INSTRUMENTATION_KEY};IngestionEndpoint={endpoint}"
    settings = make_settings(applicationinsights_connection_string=connection_string)
    await _a_few_turns(aiohttp_client, settings, service_url)

    envelopes = [envelope for body in ingestion.bodies("/v2.1/track") for envelope in envelopes_in(body)]
    assert envelopes, "Azure Monitor was sent the telemetry"
    assert {envelope["iKey"] for envelope in envelopes} == {INSTRUMENTATION_KEY}
    requests = [e for e in envelopes if e["data"]["baseType"] == "RequestData"]
    assert [r["data"]["baseData"]["name"] for r in requests] == ["teams.turn", "teams.turn"], "turns are requests"
    dependencies = [e for e in envelopes if e["data"]["baseType"] == "RemoteDependencyData"]
    assert any("/v3/conversations/{conversationId}/activities" in d["data"]["baseData"]["name"] for d in dependencies)
    assert {e["tags"].get("ai.cloud.role") for e in envelopes} == {"cp-conference-bot"}
    metrics = {
        m["name"] for e in envelopes if e["data"]["baseType"] == "MetricData" for m in e["data"]["baseData"]["metrics"]
    }
    assert "cpbot.turns" in metrics
    assert FAMILY not in json.dumps(envelopes)


async def test_a_collector_that_is_down_does_not_hold_up_the_bot_or_its_stop(
    aiohttp_client: ClientFactory,
    make_settings: SettingsFactory,
    fake_connector: tuple[FakeConnector, str],
) -> None:
    """Exports to a port nobody listens on fail in the background: every turn is answered, and the bot still stops
    well within a platform's grace period (Container Apps gives 30 s)."""
    _, service_url = fake_connector
    settings = make_settings(otel_exporter_otlp_endpoint=f"http://127.0.0.1:{free_port()}")
    async with asyncio.timeout(12):  # the turns and the stop, not held up by the exports (each within 5 s)
        await _a_few_turns(aiohttp_client, settings, service_url)
