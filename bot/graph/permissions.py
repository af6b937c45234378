"""Every Microsoft Graph call the bot makes, the application permission each needs, and when: one table, which the
README's permission table is drawn from (`python -m bot permissions` prints it) and which a test holds against the
calls the code actually makes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True, slots=True)
class GraphCall:
    method: str
    path: str
    """As Graph documents it, after `/v1.0`."""
    permissions: tuple[str, ...]
    """Application permissions it needs, all of them (least privileged)."""
    when: str
    why: str
    docs: str


GRAPH_CALLS: Final = (
    GraphCall(
        "GET",
        "/users/{mailbox}/calendarView/delta",
        ("Calendars.Read",),
        "`CALENDAR_MAILBOXES`",
        "read the conferences in those calendars",
        "https://learn.microsoft.com/graph/api/event-delta",
    ),
    GraphCall(
        "GET",
        "/users/{organiser}/onlineMeetings?$filter=JoinWebUrl eq '…'",
        ("OnlineMeetings.Read.All",),
        "`CALENDAR_MAILBOXES`, for a join link that does not carry its chat",
        "find a meeting's chat from its join link",
        "https://learn.microsoft.com/graph/api/onlinemeeting-get",
    ),
    GraphCall(
        "GET",
        "/users?$filter=mail eq '…' or userPrincipalName eq '…'",
        ("User.ReadBasic.All",),
        "`CALENDAR_MAILBOXES`, `CHAIR_GROUP_ID`",
        "a colleague's Entra object id from their address (once each): to remind them privately, check the chairs'"
        " group, read an organiser's meetings",
        "https://learn.microsoft.com/graph/api/user-list",
    ),
    GraphCall(
        "POST",
        "/users/{id}/checkMemberGroups",
        ("GroupMember.Read.All", "User.Read.All"),
        "`CHAIR_GROUP_ID`",
        "whether someone is in the chairs' group (nested groups count)",
        "https://learn.microsoft.com/graph/api/directoryobject-checkmembergroups",
    ),
    GraphCall(
        "GET",
        "/groups/{id}",
        ("GroupMember.Read.All",),
        "`CHAIR_GROUP_ID`, by `python -m bot doctor` only",
        "check the chairs' group can be read",
        "https://learn.microsoft.com/graph/api/group-get",
    ),
    GraphCall(
        "POST",
        "/chats/{chat id}/installedApps",
        ("TeamsAppInstallation.ReadWriteAndConsentSelfForChat.All",),
        "`INSTALL_APP_IN_MEETING_CHATS`",
        "add the bot to a meeting chat, consenting to its resource-specific permissions there",
        "https://learn.microsoft.com/graph/api/chat-post-installedapps",
    ),
    GraphCall(
        "POST",
        "/users/{id}/teamwork/installedApps",
        ("TeamsAppInstallation.ReadWriteSelfForUser.All",),
        "`INSTALL_APP_FOR_INVITEES`",
        "add the bot for an invitee, so Teams lets it message them",
        "https://learn.microsoft.com/graph/api/userteamwork-post-installedapps",
    ),
    GraphCall(
        "POST",
        "/users/{mailbox}/sendMail",
        ("Mail.Send",),
        "`REMINDER_EMAIL_FROM`",
        "e-mail partners Teams cannot reach, from that mailbox",
        "https://learn.microsoft.com/graph/api/user-sendmail",
    ),
    GraphCall(
        "GET",
        "/users/{organiser}/onlineMeetings/{meeting id}/attendanceReports",
        ("OnlineMeetingArtifact.Read.All",),
        "`ATTENDANCE_REPORTS`",
        "the meeting's attendance reports, to find the session's",
        "https://learn.microsoft.com/graph/api/meetingattendancereport-list",
    ),
    GraphCall(
        "GET",
        "/users/{organiser}/onlineMeetings/{meeting id}/attendanceReports/{report id}/attendanceRecords",
        ("OnlineMeetingArtifact.Read.All",),
        "`ATTENDANCE_REPORTS`",
        "who attended, with their join and leave times",
        "https://learn.microsoft.com/graph/api/attendancerecord-list",
    ),
)


def permissions_table(calls: tuple[GraphCall, ...] = GRAPH_CALLS) -> str:
    """The README's table: one row per call."""
    rows = [
        "| Graph call | application permission | when | why |",
        "|---|---|---|---|",
        *(
            f"| [`{call.method} {call.path}`]({call.docs}) | {' and '.join(f'`{p}`' for p in call.permissions)} "
            f"| {call.when} | {call.why} |"
            for call in calls
        ),
    ]
    return "\n".join(rows)
