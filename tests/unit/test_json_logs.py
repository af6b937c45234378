"""LOG_FORMAT=json: one JSON object per line, its ids as fields, and the same guards as the text format (no forged
lines, no data in tracebacks)."""

from __future__ import annotations

import json
import logging

from bot.logs.setup import JsonLines, install_safe_records
from bot.telemetry.recording import span
from bot.telemetry.vocabulary import SpanName
from tests.support.telemetry import Recorded


def _record(message: str, *args: object, exc: BaseException | None = None) -> logging.LogRecord:
    install_safe_records()
    exc_info = (type(exc), exc, exc.__traceback__) if exc is not None else None
    return logging.getLogRecordFactory()("bot.test", logging.WARNING, __file__, 1, message, args, exc_info)


def test_a_record_is_one_line_of_json_with_its_ids_as_fields() -> None:
    written = JsonLines().format(_record("reminder settled reminder=%d conference=%d kind=%s", 4, 12, "report-due"))
    assert "\n" not in written
    line = json.loads(written)
    assert line["level"] == "WARNING"
    assert line["logger"] == "bot.test"
    assert line["message"] == "reminder settled reminder=4 conference=12 kind=report-due"
    assert (line["reminder"], line["conference"], line["kind"]) == ("4", "12", "report-due")
    assert line["time"].endswith("+00:00")


def test_a_forged_line_and_a_traceback_stay_harmless() -> None:
    family = "".join(["Smi", "th"])
    try:
        raise ValueError(f"secret value {family}")
    except ValueError as problem:
        record = _record("activity=%s failed", "x\nINFO forged", exc=problem)
    line = json.loads(JsonLines().format(record))
    assert line["message"] == "activity=x\\nINFO forged failed"
    assert "Smith" not in line["exception"]
    assert "ValueError" in line["exception"]
    assert line["activity"] == "x\\nINFO"


def test_a_line_written_in_a_traced_span_names_its_trace(recorded: Recorded) -> None:
    with span(SpanName.CALENDAR_SYNC):
        line = json.loads(JsonLines().format(_record("calendar synced mailbox=#%d", 1)))
    [synced] = recorded.spans(SpanName.CALENDAR_SYNC)
    assert line["trace_id"] == format(synced.context.trace_id, "032x")
    assert line["span_id"] == format(synced.context.span_id, "016x")
    assert "trace_id" not in json.loads(JsonLines().format(_record("outside any span")))
