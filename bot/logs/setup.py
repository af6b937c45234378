"""Log configuration. Log lines carry ids, never names, subjects, message text or card contents.

Two guards hold for every log record, whichever logger or handler writes it (the bot's, a library's, a test's):
- **No forged lines.** Control characters, line separators and invisible formatting characters in a message (an
  activity id holding a newline and a fake log line, a bidi override) are written as escapes (`\\n`, `\\u202e`).
- **No data in tracebacks.** An exception's message often quotes data: SQLAlchemy's quotes a failed statement's
  parameters, PostgreSQL's the value it refused, pydantic's the input it rejected. A traceback is written with its
  frames and each exception's class only; a database error adds its SQLSTATE and table, an OSError its errno. Only
  the bot's own exceptions, whose messages are written to carry ids and reasons only, keep their messages.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import traceback
import unicodedata
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

from opentelemetry import trace

LOG_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"

LIBRARIES_THAT_LOG_DATA = (
    # Request and response bodies (message text, names) at DEBUG:
    "msrest",
    "botbuilder",
    "botframework",
    "urllib3",
    "azure",
    "msal",
    "httpx",
    "httpcore",
    "kiota_http",
    # SQL statements with their parameters (names, e-mail addresses) at DEBUG:
    "aiosqlite",
    "sqlalchemy",
    "asyncpg",
)
"""Kept at WARNING or above whatever LOG_LEVEL says: at DEBUG they write the data the bot must never log."""

OWN_PACKAGES = ("bot.", "cards.")
"""Exceptions defined here say what went wrong in ids and reasons, never in data: their messages are kept."""

_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_STATEMENT_TABLE = re.compile(
    r"\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|FROM)\s+\"?([A-Za-z_][A-Za-z0-9_]*)", re.IGNORECASE
)

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def escape_controls(value: str) -> str:
    """The text with every control, separator, surrogate and invisible formatting character written as an escape."""
    if value.isprintable():
        return value
    return "".join(
        _ESCAPES.get(character) or _escape(character)
        if unicodedata.category(character) in _UNSAFE_CATEGORIES
        else character
        for character in value
    )


def _escape(character: str) -> str:
    code = ord(character)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def describe_exception(error: BaseException) -> str:
    """One line for an exception that cannot carry data: its class, and only what is known to be safe."""
    kind = type(error)
    name = kind.__qualname__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"
    if kind.__module__.startswith(OWN_PACKAGES) or kind.__module__ in ("bot", "cards"):
        return escape_controls(f"{name}: {error}") if str(error) else name
    if isinstance(error, OSError) and error.errno is not None:
        return f"{name}: [Errno {error.errno}] {escape_controls(error.strerror or '')}"
    details = _database_details(error)
    return f"{name} ({details}; message withheld)" if details else f"{name} (message withheld)"


def _database_details(error: BaseException) -> str:
    """For a SQLAlchemy error: the driver's exception class, the SQLSTATE and the table of the statement (whose text
    holds placeholders, never values)."""
    statement = getattr(error, "statement", None)
    original = getattr(error, "orig", None)
    parts = []
    if original is not None:
        parts.append(f"driver={type(original).__qualname__}")
    sqlstate = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
    if isinstance(sqlstate, str):
        parts.append(f"sqlstate={escape_controls(sqlstate)}")
    if isinstance(statement, str) and (table := _STATEMENT_TABLE.search(statement)):
        parts.append(f"table={table.group(1)}")
    return " ".join(parts)


def safe_traceback(exc_info: ExcInfo) -> str:
    """The traceback as Python writes it (the chain of causes included), each exception described by
    `describe_exception` instead of its message."""
    chain: list[BaseException] = []
    current: BaseException | None = exc_info[1]
    while current is not None and all(current is not seen for seen in chain):
        chain.append(current)
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    lines: list[str] = []
    for position, error in enumerate(reversed(chain)):
        if position:
            lines.append("\nWhile handling the exception above, another occurred:\n\n")
        if error.__traceback__ is not None:
            lines.append("Traceback (most recent call last):\n")
            lines.extend(traceback.StackSummary.extract(traceback.walk_tb(error.__traceback__)).format())
        lines.append(describe_exception(error) + "\n")
    return "".join(lines).rstrip("\n")


def _safe_record_factory(base: Any) -> Any:
    def make_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record: logging.LogRecord = base(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:
            return record  # a mistake in the logging call: the handler reports it as it always does
        record.msg, record.args = escape_controls(message), ()
        if record.exc_info and record.exc_info[1] is not None:
            # Formatters write `exc_text` when it is set, instead of formatting the exception themselves.
            record.exc_text = safe_traceback(record.exc_info)
        return record

    make_record.cp_conference_bot_safe = True  # type: ignore[attr-defined]
    return make_record


def install_safe_records() -> None:
    """Make every log record from now on safe as the module says (once per process; later calls do nothing)."""
    current = logging.getLogRecordFactory()
    if not getattr(current, "cp_conference_bot_safe", False):
        logging.setLogRecordFactory(_safe_record_factory(current))


def quieten_libraries(level: int) -> None:
    for library in LIBRARIES_THAT_LOG_DATA:
        logging.getLogger(library).setLevel(max(level, logging.WARNING))


_ID_FIELD = re.compile(r"(?<![^\s(])([a-z][a-z_]{0,40})=([^\s,;)]+)")
"""`conference=12`, `user=4f…`: the ids a log message carries, as the bot writes them."""
_STANDARD_FIELDS = frozenset({"time", "level", "logger", "message", "exception", "trace_id", "span_id"})


class JsonLines(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, the message's `key=value` ids as fields
    of their own, the trace and span it was written in (when traces are recorded), and the (safe) traceback. The
    message is the record's, made safe by `install_safe_records` like any other: this only changes how it is
    written."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": message,
        }
        for key, value in _ID_FIELD.findall(message):
            if key not in _STANDARD_FIELDS:
                line.setdefault(key, value)
        traced = trace.get_current_span().get_span_context()
        if traced.is_valid:  # the trace the line was written in: Application Insights' operation id
            line["trace_id"], line["span_id"] = format(traced.trace_id, "032x"), format(traced.span_id, "016x")
        if record.exc_info and record.exc_info[1] is not None:
            line["exception"] = record.exc_text or safe_traceback(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def configure_logging(level: int, log_format: str = "text") -> None:
    install_safe_records()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLines() if log_format == "json" else logging.Formatter(LOG_FORMAT))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    quieten_libraries(level)
