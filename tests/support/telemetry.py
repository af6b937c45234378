"""What the bot records, caught in memory: OpenTelemetry's own in-memory span exporter and metric reader, installed
as the bot's telemetry for one test."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader, NumberDataPoint
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from bot.telemetry.recording import Telemetry, install, uninstall


@dataclass
class Recorded:
    exporter: InMemorySpanExporter
    reader: InMemoryMetricReader

    def spans(self, name: str | None = None) -> list[ReadableSpan]:
        """Finished spans, all or by name."""
        return [span for span in self.exporter.get_finished_spans() if name is None or span.name == name]

    def calls_to(self, service: str) -> list[ReadableSpan]:
        """The HTTP calls to `teams` or `graph` (named by method and route, so found by their service)."""
        return [span for span in self.spans() if (span.attributes or {}).get("cpbot.service") == service]

    def points(self, metric: str) -> list[tuple[dict[str, object], float]]:
        """(attributes, value) of each data point of `metric` as read now."""
        data = self.reader.get_metrics_data()
        found: list[tuple[dict[str, object], float]] = []
        for resource in data.resource_metrics if data else ():
            for scope in resource.scope_metrics:
                for each in scope.metrics:
                    if each.name != metric:
                        continue
                    for point in each.data.data_points:
                        value = point.value if isinstance(point, NumberDataPoint) else point.sum
                        found.append((dict(point.attributes or {}), value))
        return found

    def total(self, metric: str, **attributes: object) -> float:
        return sum(
            value for point, value in self.points(metric) if all(point.get(k) == v for k, v in attributes.items())
        )


def recording() -> Iterator[Recorded]:
    exporter, reader = InMemorySpanExporter(), InMemoryMetricReader()
    tracer_provider = TracerProvider(resource=Resource.create({"service.name": "cp-conference-bot-tests"}))
    tracer_provider.add_span_processor(SimpleSpanProcessor(exporter))
    meter_provider = MeterProvider(metric_readers=[reader])
    install(Telemetry(tracer_provider, meter_provider))
    try:
        yield Recorded(exporter, reader)
    finally:
        uninstall()
        tracer_provider.shutdown()
        meter_provider.shutdown()
