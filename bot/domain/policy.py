"""The partnership's numbers, in one place: how early to join a conference, and how many working days before one
the reports are due. Every sentence that states them (the content files, the cards, the e-mails) quotes them from here,
through the placeholders `POLICY_PLACEHOLDERS` names."""

from __future__ import annotations

from typing import Final

from bot.domain.conferences import ConferenceKind

JOIN_FROM_MINUTES: Final = 3
"""The guidance: join 2–3 minutes early. The earliest…"""
JOIN_BY_MINUTES: Final = 2
"""…and the latest, in minutes before the start."""
REPORT_WORKING_DAYS: Final = {ConferenceKind.INITIAL: 2, ConferenceKind.REVIEW: 5}
"""Reports reach the CP Chair and the family this many working days before the conference, at least."""

JOIN_EARLY: Final = f"{JOIN_BY_MINUTES}–{JOIN_FROM_MINUTES} minutes"
"""How the join window is written: `2–3 minutes`."""
JOIN_EARLY_SPOKEN: Final = f"{JOIN_BY_MINUTES} to {JOIN_FROM_MINUTES} minutes"
"""…and how a screen reader says it."""

POLICY_PLACEHOLDERS: Final = {
    "join_early": JOIN_EARLY,
    "join_early_spoken": JOIN_EARLY_SPOKEN,
    "initial_report_days": str(REPORT_WORKING_DAYS[ConferenceKind.INITIAL]),
    "review_report_days": str(REPORT_WORKING_DAYS[ConferenceKind.REVIEW]),
}
"""What wording in the content files may quote, as `{join_early}` (`{join_early_spoken}` for a screen reader),
`{initial_report_days}`, `{review_report_days}`."""
