"""`python -m bot export-record`: the conference record as CSV or JSON, one row per conference session, for business
support: attendance and where it came from, drop-outs, reports shared, quoracy, and a chair's decision to proceed
while inquorate with their reason (a chair's own words: a cell that starts like a formula is made plain text)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.disconnections import DisconnectionSource
from bot.exports.disconnection_csv import csv_text, local_time
from bot.usecases.conference_record import RecordedConference

COLUMNS = (
    "meeting_id",
    "kind",
    "started_at",
    "ended_at",
    "minutes",
    "attendance_from",
    "people_joined",
    "joined_late",
    "left_early",
    "from_other_organisations",
    "joined_anonymously",
    "drop_outs_noticed",
    "disconnections_logged_by_chair",
    "quorate_throughout",
    "lowest_quorum_at",
    "agencies_at_lowest",
    "proceeded_while_inquorate_at",
    "proceed_reason",
    "reports_expected",
    "reports_shared",
    "reports_late",
    "reports_outstanding",
)


def record_rows(conferences: Sequence[RecordedConference], timezone: ZoneInfo) -> list[dict[str, Any]]:
    rows = []
    for recorded in conferences:
        summary, session = recorded.summary, recorded.session
        standing = [entry for entry in summary.disconnections if not entry.undone]
        source = summary.from_report
        lowest = summary.lowest_quorum if source is not None else None
        reports, decision = summary.reports, summary.proceeded
        rows.append(
            {
                "meeting_id": session.meeting_id,
                "kind": recorded.kind.value if recorded.kind else None,
                "started_at": local_time(session.started_at, timezone),
                "ended_at": local_time(session.ended_at, timezone),
                "minutes": round(summary.duration.total_seconds() / 60) if session.ended_at else None,
                "attendance_from": "teams-attendance-report" if source is not None else "live-join-leave-events",
                "people_joined": len(summary.people),
                "joined_late": sum(1 for person in summary.people if person.joined_late),
                "left_early": sum(1 for person in summary.people if person.left_before_end),
                "from_other_organisations": source.guests_or_external if source else None,
                "joined_anonymously": source.anonymous if source else None,
                "drop_outs_noticed": sum(1 for e in standing if e.source is DisconnectionSource.AUTOMATIC),
                "disconnections_logged_by_chair": sum(1 for e in standing if e.source is DisconnectionSource.CHAIR),
                "quorate_throughout": lowest.assessment.quorate if lowest else None,
                "lowest_quorum_at": local_time(lowest.at, timezone) if lowest else None,
                "agencies_at_lowest": "; ".join(a.name for a in lowest.assessment.represented) if lowest else None,
                "proceeded_while_inquorate_at": local_time(decision.decided_at, timezone) if decision else None,
                "proceed_reason": decision.reason if decision else None,
                "reports_expected": reports.expected if reports else None,
                "reports_shared": reports.shared if reports else None,
                "reports_late": reports.late if reports else None,
                "reports_outstanding": "; ".join(reports.outstanding_agencies) if reports else None,
            }
        )
    return rows


def as_csv(rows: Sequence[dict[str, Any]]) -> str:
    return csv_text(COLUMNS, rows)


def as_json(rows: Sequence[dict[str, Any]]) -> str:
    return json.dumps({"conferences": list(rows)}, indent=2, ensure_ascii=False) + "\n"
