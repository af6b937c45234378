"""How the ports (`bot.usecases.ports`) fail: the errors their adapters in `bot/teams/` and `bot/graph/` raise and the
use cases handle. Each message says why in statuses and codes, never in content."""

from __future__ import annotations

from enum import StrEnum


class TeamsFailure(StrEnum):
    NOT_IN_MEETING = "not-in-meeting"
    """403 from the meeting APIs: the app is not installed in this meeting."""
    MEETING_EXPIRED = "meeting-expired"
    """404 from the meeting APIs: the meeting (or the person in it) is not known, or no longer."""
    NOT_REACHABLE = "not-reachable"
    """Teams will not let the bot start a private chat with this person (they do not have the app)."""
    UNAVAILABLE = "unavailable"
    """Teams did not answer in time, or answered with an error: worth trying again later."""


class TeamsCallError(Exception):
    def __init__(self, failure: TeamsFailure, status: int | None = None, *, retry_after: float | None = None) -> None:
        super().__init__(f"{failure.value}" + (f" (HTTP {status})" if status is not None else ""))
        self.failure = failure
        self.status = status
        self.retry_after = retry_after
        """Seconds Teams asked the bot to wait before trying again, when it said."""


class CalendarUnavailableError(Exception):
    """The calendar could not be read this round; the message says why (status and code, never content)."""


class SyncRestartNeededError(CalendarUnavailableError):
    """The delta link is no longer accepted (Graph answers 410 Gone): read the window afresh."""


class InstallationError(Exception):
    """Graph did not install the app; the message says why, for an administrator, and `retry` whether trying again
    later may help (a refusal will not change by itself)."""

    def __init__(self, reason: str, *, retry: bool) -> None:
        super().__init__(reason)
        self.retry = retry


class MailError(Exception):
    """Graph did not send an e-mail; `retry` says whether trying again later may help."""

    def __init__(self, reason: str, *, retry: bool) -> None:
        super().__init__(reason)
        self.retry = retry


class DirectoryUnavailableError(Exception):
    """The directory (Microsoft Graph) could not say whether someone is in the chairs' group."""


class AttendanceReportError(Exception):
    """Graph did not give the meeting's attendance report; `retry` says whether trying again later may help (a
    refusal, such as a missing permission or application access policy, will not change by itself)."""

    def __init__(self, reason: str, *, retry: bool) -> None:
        super().__init__(reason)
        self.retry = retry
