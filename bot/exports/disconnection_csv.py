"""`python -m bot export-disconnects`: the disconnection log as CSV or JSON, for business support to attach to the
conference record.

Notes are the chair's own words and reach a spreadsheet: a cell that starts like a formula is made plain text
(OWASP's advice on CSV injection), so opening the file cannot run anything.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.disconnections import DisconnectionSource
from bot.store.disconnections import ExportedEntry

COLUMNS = (
    "meeting_id",
    "conference_started_at",
    "person_aad_object_id",
    "person_name",
    "disconnected_at",
    "source",
    "emailed_chair",
    "note",
    "logged_by",
    "recorded_at",
    "undone_at",
    "undone_by",
    "private_reminder",
)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def local_time(moment: datetime | None, timezone: ZoneInfo) -> str | None:
    """A time in the configured time zone, with its offset, to the second."""
    return moment.astimezone(timezone).isoformat(timespec="seconds") if moment else None


def export_rows(entries: Sequence[ExportedEntry], timezone: ZoneInfo) -> list[dict[str, Any]]:
    """One row per entry, times in the configured time zone with their offset."""
    rows: list[dict[str, Any]] = []
    for exported in entries:
        entry = exported.entry
        rows.append(
            {
                "meeting_id": exported.meeting_id,
                "conference_started_at": local_time(exported.session_started_at, timezone),
                "person_aad_object_id": entry.aad_object_id,
                "person_name": entry.display_name,
                "disconnected_at": local_time(entry.disconnected_at, timezone),
                "source": entry.source.value,
                "emailed_chair": entry.emailed_chair,
                "note": entry.note,
                "logged_by": entry.logged_by,
                "recorded_at": local_time(entry.recorded_at, timezone),
                "undone_at": local_time(entry.undone_at, timezone),
                "undone_by": entry.undone_by,
                "private_reminder": entry.notice.value if entry.source is DisconnectionSource.AUTOMATIC else None,
            }
        )
    return rows


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_text(columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> str:
    """The rows as CSV with a heading, every cell made safe to open in a spreadsheet (`_cell`)."""
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row[column]) for column in columns])
    return output.getvalue()


def as_csv(rows: Sequence[dict[str, Any]]) -> str:
    return csv_text(COLUMNS, rows)


def as_json(rows: Sequence[dict[str, Any]]) -> str:
    return json.dumps({"disconnections": list(rows)}, indent=2, ensure_ascii=False) + "\n"
