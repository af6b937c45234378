"""Where traces and metrics go: to Azure Monitor (Application Insights) when APPLICATIONINSIGHTS_CONNECTION_STRING is
set, to an OpenTelemetry collector over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is, to both when both are, and
nowhere otherwise. The only module that imports the OpenTelemetry SDK and its exporters.

Azure Monitor's exporter is used directly rather than through the `azure-monitor-opentelemetry` distro: the distro
also instruments libraries by itself (requests, urllib3) and ships log records, which would export URLs and log
lines this module cannot vouch for. Here only the spans and metrics `recording` makes leave the process.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import MetricExporter, PeriodicExportingMetricReader
from opentelemetry.sdk.resources import SERVICE_INSTANCE_ID, SERVICE_NAME, SERVICE_VERSION, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter

from bot import __version__
from bot.config.settings import connection_string_fields
from bot.telemetry.recording import Telemetry, install, installed, uninstall

logger = logging.getLogger(__name__)

EXPORT_TIMEOUT_SECONDS = 5.0
"""Each export's time limit, retries included: what is still buffered when the bot stops is sent within this, or
dropped, so a collector that is down cannot hold up a stop (platforms allow 30 s)."""


@dataclass(frozen=True, slots=True)
class Destinations:
    azure_monitor_connection_string: str = ""
    otlp_endpoint: str = ""
    """The collector's base address; `/v1/traces` and `/v1/metrics` are added, as OpenTelemetry's own variable does."""

    @property
    def any(self) -> bool:
        return bool(self.azure_monitor_connection_string or self.otlp_endpoint)

    def names(self) -> list[str]:
        return [
            name
            for name, on in (("Azure Monitor", self.azure_monitor_connection_string), ("OTLP", self.otlp_endpoint))
            if on
        ]


class CollectorRefusedError(RuntimeError):
    """The OpenTelemetry collector answered, but not with success; the message is its status."""


async def collector_accepts_traces(endpoint: str) -> None:
    """Send the collector an empty OTLP trace export (a valid request with no spans): raises unless it accepts it."""
    import httpx

    async with httpx.AsyncClient() as client:
        answer = await client.post(
            f"{endpoint.rstrip('/')}/v1/traces", content=b"", headers={"Content-Type": "application/x-protobuf"}
        )
    if not answer.is_success:
        raise CollectorRefusedError(f"HTTP {answer.status_code}")


def ingestion_host(connection_string: str) -> str:
    """The host Application Insights' connection string sends to (its key is not for printing)."""
    endpoint = connection_string_fields(connection_string).get("ingestionendpoint", "")
    return urlsplit(endpoint).hostname or "the global ingestion endpoint"


def _azure_monitor_options(connection_string: str) -> dict[str, object]:
    # Nothing kept on the bot's disk to resend later: an Application Insights outage loses some telemetry, never
    # leaves files behind in a container or on a shared temporary directory.
    return {
        "connection_string": connection_string,
        "disable_offline_storage": True,
        "timeout": EXPORT_TIMEOUT_SECONDS,
    }


def _span_exporters(destinations: Destinations, tracer_provider: TracerProvider) -> list[SpanExporter]:
    exporters: list[SpanExporter] = []
    if connection_string := destinations.azure_monitor_connection_string:
        from azure.monitor.opentelemetry.exporter import AzureMonitorTraceExporter

        # Given the provider: Azure Monitor's exporter would otherwise read the resource off the global one.
        exporters.append(
            AzureMonitorTraceExporter(tracer_provider=tracer_provider, **_azure_monitor_options(connection_string))
        )
    if endpoint := destinations.otlp_endpoint.rstrip("/"):
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        exporters.append(OTLPSpanExporter(endpoint=f"{endpoint}/v1/traces", timeout=EXPORT_TIMEOUT_SECONDS))
    return exporters


def _metric_exporters(destinations: Destinations) -> list[MetricExporter]:
    exporters: list[MetricExporter] = []
    if connection_string := destinations.azure_monitor_connection_string:
        from azure.monitor.opentelemetry.exporter import AzureMonitorMetricExporter

        exporters.append(AzureMonitorMetricExporter(**_azure_monitor_options(connection_string)))
    if endpoint := destinations.otlp_endpoint.rstrip("/"):
        from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter

        exporters.append(OTLPMetricExporter(endpoint=f"{endpoint}/v1/metrics", timeout=EXPORT_TIMEOUT_SECONDS))
    return exporters


def service_resource(service_name: str, instance: str) -> Resource:
    return Resource.create({SERVICE_NAME: service_name, SERVICE_VERSION: __version__, SERVICE_INSTANCE_ID: instance})


@asynccontextmanager
async def exporting(destinations: Destinations, *, service_name: str, instance: str) -> AsyncIterator[None]:
    """Record to `destinations` for the life of the block; what is still buffered is sent when it ends."""
    if not destinations.any:
        yield
        return
    resource = service_resource(service_name, instance)
    tracer_provider = TracerProvider(resource=resource)
    for exporter in _span_exporters(destinations, tracer_provider):
        tracer_provider.add_span_processor(BatchSpanProcessor(exporter))
    readers = [PeriodicExportingMetricReader(exporter) for exporter in _metric_exporters(destinations)]
    meter_provider = MeterProvider(resource=resource, metric_readers=readers)
    telemetry = Telemetry(tracer_provider, meter_provider)
    install(telemetry)
    logger.info("traces and metrics exported to %s", " and ".join(destinations.names()))
    try:
        yield
    finally:
        if installed() is telemetry:
            uninstall()
        # Each flushes what it holds, side by side: blocking calls, bounded by the exports' time limit.
        await asyncio.gather(asyncio.to_thread(tracer_provider.shutdown), asyncio.to_thread(meter_provider.shutdown))
