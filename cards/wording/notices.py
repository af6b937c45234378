"""`notices.yaml`: the short notices the use cases answer with (why the bot cannot do something, and what it did
instead)."""

from __future__ import annotations

from cards.wording.base import Sentences, uses


class ChairGateWording(Sentences):
    PLACEHOLDERS = uses(
        only_chairs="action",
        only_chairs_detail="who_chairs",
        not_checked_detail="action",
        where_it_works="command",
        where_it_works_detail="command elsewhere",
        no_conference_detail="command action",
    )
    who_chairs: str
    only_chairs: str
    only_chairs_detail: str
    not_checked_detail: str
    where_it_works: str
    where_it_works_detail: str
    no_conference: str
    no_conference_detail: str
    open_your_chat: str
    try_your_chat: str


class ChairCheckWording(Sentences):
    teams_unavailable: str
    meeting_expired: str
    bot_not_in_meeting: str
    directory_unavailable: str


class ChairRequestsWording(Sentences):
    teams_did_not_say_who_is_here: str
    no_record_yet: str


class DisconnectionLogWording(Sentences):
    PLACEHOLDERS = uses(already_logged="line")
    form_from_elsewhere: str
    person_not_in_meeting: str
    nothing_logged_yet: str
    entry_not_found: str
    not_your_entry: str
    nothing_was_logged: str
    already_logged: str
    undo_action: str


class ReportDeadlinesWording(Sentences):
    no_calendars: str
    no_calendars_detail: str
    chat_unknown: str
    meeting_not_found: str
    meeting_not_found_detail: str
    email_unknown: str
    only_privately: str
    only_privately_detail: str
    sent_privately: str


class NoticeContent(Sentences):
    """`notices.yaml`: the notices the use cases answer with."""

    PLACEHOLDERS = uses(turn_failed="reference")
    turn_failed: str
    """Said, with a reference for the log, when a message could not be handled at all."""
    chair_gate: ChairGateWording
    chair_check: ChairCheckWording
    chair_requests: ChairRequestsWording
    disconnection_log: DisconnectionLogWording
    report_deadlines: ReportDeadlinesWording
