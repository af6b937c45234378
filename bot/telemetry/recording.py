"""Recording spans and metrics of the bot's own work, on whatever `Telemetry` the app installed.

Until one is installed (local runs without an exporter, most tests) everything here goes nowhere, at almost no cost.
The OpenTelemetry *global* providers are left unset on purpose: libraries under the bot trace on their own when they
find one (kiota, under msgraph, records each Graph request's full URL, whose `$filter` carries e-mail addresses), and
with none their spans are no-ops. Only what this module records leaves the process, and only under the keys of
`vocabulary.Attribute`.

Like logging, recording is open to every layer but the domain; it reaches no service itself.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Final

from opentelemetry import metrics, trace
from opentelemetry.metrics import CallbackOptions, Observation
from opentelemetry.trace import SpanKind, Status, StatusCode

from bot import __version__
from bot.domain.outbox import OutboxBacklog
from bot.telemetry.vocabulary import METRIC_DESCRIPTIONS, Attribute, MetricName, SpanName

AttributeValue = str | int | float | bool
Attributes = Mapping[Attribute, AttributeValue]

INSTRUMENTATION_NAME: Final = "cp_conference_bot"
_SPAN_KINDS: Final = {
    SpanName.TURN: SpanKind.SERVER,
    SpanName.CONNECTOR_CALL: SpanKind.CLIENT,
    SpanName.GRAPH_CALL: SpanKind.CLIENT,
    SpanName.REMINDER_SEND: SpanKind.CONSUMER,
    SpanName.CALENDAR_SYNC: SpanKind.INTERNAL,
}


class Telemetry:
    """A tracer and the bot's metric instruments, from a pair of providers."""

    def __init__(self, tracer_provider: trace.TracerProvider, meter_provider: metrics.MeterProvider) -> None:
        self.tracer = tracer_provider.get_tracer(INSTRUMENTATION_NAME, __version__)
        meter = meter_provider.get_meter(INSTRUMENTATION_NAME, __version__)

        def described(name: MetricName) -> dict[str, str]:
            unit, description = METRIC_DESCRIPTIONS[name]
            return {"name": name.value, "unit": unit, "description": description}

        self.counters = {
            name: meter.create_counter(**described(name))
            for name in (MetricName.TURNS, MetricName.REMINDERS_SENT, MetricName.REMINDERS_FAILED, MetricName.THROTTLED)
        }
        delay_unit, delay_description = METRIC_DESCRIPTIONS[MetricName.REMINDER_DELAY]
        self.reminder_delay = meter.create_histogram(
            MetricName.REMINDER_DELAY.value, unit=delay_unit, description=delay_description
        )
        self._backlog: tuple[int, float] | None = None
        """How many reminders were waiting, and for how many seconds the oldest, as the last sender round found."""
        self._backlog_lock = threading.Lock()  # the metric reader calls back from its own thread
        meter.create_observable_gauge(callbacks=[self._pending], **described(MetricName.REMINDERS_PENDING))
        meter.create_observable_gauge(callbacks=[self._lag], **described(MetricName.OUTBOX_LAG))

    def saw_backlog(self, backlog: OutboxBacklog, now: datetime) -> None:
        with self._backlog_lock:
            self._backlog = (backlog.waiting, backlog.lag(now).total_seconds())

    def _reading(self) -> tuple[int, float] | None:
        with self._backlog_lock:
            return self._backlog

    def _pending(self, options: CallbackOptions) -> Iterator[Observation]:
        if (reading := self._reading()) is not None:
            yield Observation(reading[0])

    def _lag(self, options: CallbackOptions) -> Iterator[Observation]:
        if (reading := self._reading()) is not None:
            yield Observation(reading[1])


_NOWHERE: Final = Telemetry(trace.NoOpTracerProvider(), metrics.NoOpMeterProvider())
_installed: Telemetry = _NOWHERE


def install(telemetry: Telemetry) -> None:
    """Record on `telemetry` from now on (the app's start-up does this once)."""
    global _installed
    _installed = telemetry


def uninstall() -> None:
    """Record nowhere again (the app's shutdown, after its providers are flushed)."""
    install(_NOWHERE)


def installed() -> Telemetry:
    return _installed


def recording_anything() -> bool:
    """Whether anything is recorded: work done only to be recorded (a database count) can be skipped otherwise."""
    return _installed is not _NOWHERE


def _plain(attributes: Attributes) -> dict[str, AttributeValue]:
    return {key.value: value for key, value in attributes.items()}


class RecordingSpan:
    """The span in progress, taking attributes from the vocabulary only."""

    def __init__(self, span: trace.Span) -> None:
        self._span = span

    def set(self, attributes: Attributes) -> None:
        self._span.set_attributes(_plain(attributes))

    def failed(self, error_type: str) -> None:
        """The work failed without an exception escaping (an answer that means failure): its kind, never its text."""
        self._span.set_attribute(Attribute.ERROR_TYPE.value, error_type)
        self._span.set_status(Status(StatusCode.ERROR, error_type))


@contextmanager
def span(name: SpanName, attributes: Attributes | None = None, *, title: str | None = None) -> Iterator[RecordingSpan]:
    """A span around the block, the current one inside it. `title` (low in variety: a method and a route template,
    never an id) names it instead of `name` where OpenTelemetry's conventions ask for one. An exception escaping the
    block marks the span failed with the exception's class only: its message may quote data."""
    with _installed.tracer.start_as_current_span(
        title or name.value,
        kind=_SPAN_KINDS[name],
        attributes=_plain(attributes or {}),
        record_exception=False,
        set_status_on_exception=False,
    ) as current:
        recording = RecordingSpan(current)
        try:
            yield recording
        except BaseException as problem:
            recording.failed(type(problem).__qualname__)
            raise


def annotate(attributes: Attributes) -> None:
    """Add attributes to the current span (the turn's, say), wherever the code that knows them runs."""
    trace.get_current_span().set_attributes(_plain(attributes))


def count(metric: MetricName, attributes: Attributes | None = None, amount: int = 1) -> None:
    _installed.counters[metric].add(amount, _plain(attributes or {}))


def reminder_delay(delay: timedelta, attributes: Attributes) -> None:
    _installed.reminder_delay.record(max(delay.total_seconds(), 0.0), _plain(attributes))


def outbox_backlog(backlog: OutboxBacklog, now: datetime) -> None:
    _installed.saw_backlog(backlog, now)
