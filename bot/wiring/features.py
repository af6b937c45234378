"""Which of the bot's optional features the settings switch on, decided once, in one place."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from bot.config.settings import LOOPBACK_HOSTS, Settings


@dataclass(frozen=True, slots=True)
class Features:
    reminders_off_because: str | None
    """Why calendar reminders cannot run with these settings; None when they run."""
    chair_group: bool
    """CHAIR_GROUP_ID names an Entra group whose members chair."""
    install_in_meeting_chats: bool
    install_for_invitees: bool
    email_reminders: bool
    """REMINDER_EMAIL_FROM names the mailbox e-mail reminders come from."""
    attendance_reports: bool = False
    """ATTENDANCE_REPORTS: after each conference, Teams' attendance report is fetched from Graph."""

    @property
    def reminders(self) -> bool:
        return self.reminders_off_because is None

    @property
    def needs_graph(self) -> bool:
        return self.chair_group or self.reminders or self.attendance_reports

    @classmethod
    def from_settings(cls, settings: Settings) -> Features:
        reminders = _reminders_off_because(settings)
        return cls(
            reminders_off_because=reminders,
            chair_group=bool(settings.chair_group_id),
            install_in_meeting_chats=reminders is None and settings.install_app_in_meeting_chats,
            install_for_invitees=reminders is None and settings.install_app_for_invitees,
            email_reminders=reminders is None and bool(settings.reminder_email_from),
            attendance_reports=settings.attendance_reports and _graph_reachable(settings),
        )


def _reminders_off_because(settings: Settings) -> str | None:
    if not settings.calendar_mailboxes:
        return "CALENDAR_MAILBOXES is not set"
    if not _graph_reachable(settings):
        return "local mode has no Graph credentials (GRAPH_BASE_URL may point at a Graph test double on this machine)"
    return None


def _graph_reachable(settings: Settings) -> bool:
    """Graph can be asked: with credentials, or in local mode at a Graph test double on this machine."""
    return not settings.local_mode or urlsplit(settings.graph_base_url).hostname in LOOPBACK_HOSTS
