"""`reminders.yaml`: the reminders the bot sends, privately or (the pre-meeting card) in the meeting chat."""

from __future__ import annotations

from bot.domain.conferences import ConferenceKind
from cards.wording.base import Sentences, Strict, uses


class DropOutWording(Sentences):
    """`drop_out`: the private reminder to someone who left a conference and has not rejoined."""

    PLACEHOLDERS = uses(
        left_at="time", email_the_chair="chair", the_chair_named="name email", the_chair_partly_named="name"
    )
    heading: str
    left_at: str
    rejoin: str
    email_the_chair: str
    the_chair: str
    the_chair_named: str
    the_chair_partly_named: str
    not_in_the_chat: str
    spoken: str


class KindWording(Sentences):
    name: str
    """`{kind}`: "Initial"."""
    with_article: str
    """`{a_kind}`: "an Initial"."""


class ConferenceKinds(Strict):
    initial: KindWording
    review: KindWording

    def of(self, kind: ConferenceKind) -> KindWording:
        match kind:
            case ConferenceKind.INITIAL:
                return self.initial
            case ConferenceKind.REVIEW:
                return self.review


class JoiningWording(Sentences):
    PLACEHOLDERS = uses(window="earliest latest")
    window: str
    at_the_door: str
    """The heading over the expectations' points the warning repeats."""
    button: str


class PreMeetingWording(Sentences):
    PLACEHOLDERS = uses(heading="time", invited="people", spoken="time")
    heading: str
    invited: str
    spoken: str
    summary: str


class JoinEarlyWording(Sentences):
    PLACEHOLDERS = uses(heading="time", when="day time", spoken="time")
    heading: str
    when: str
    spoken: str
    summary: str


class ReportDueWording(Sentences):
    PLACEHOLDERS = uses(heading="due", conference="kind day time", share="days a_kind", spoken="due")
    heading: str
    conference: str
    share: str
    spoken: str
    summary: str


class ConferenceDeadlineWording(Sentences):
    PLACEHOLDERS = uses(heading="due", conference="a_kind day time days", spoken="due")
    heading: str
    conference: str
    spoken: str
    summary: str


class MyDeadlinesWording(Sentences):
    PLACEHOLDERS = uses(deadline="due kind day time", spoken="count")
    none_heading: str
    none: str
    heading: str
    deadline: str
    rule: str
    spoken: str
    summary: str


class JoinEarlyEmailWording(Sentences):
    PLACEHOLDERS = uses(subject="when", when="day time", starts="when", window="earliest latest")
    subject: str
    when: str
    starts: str
    window: str


class ReportDueEmailWording(Sentences):
    PLACEHOLDERS = uses(subject="due", due="kind day time due", share="days a_kind")
    subject: str
    due: str
    share: str


class ReminderContent(Strict):
    drop_out: DropOutWording
    conference_kinds: ConferenceKinds
    joining: JoiningWording
    pre_meeting: PreMeetingWording
    join_early: JoinEarlyWording
    report_due: ReportDueWording
    conference_deadline: ConferenceDeadlineWording
    my_deadlines: MyDeadlinesWording
    join_early_email: JoinEarlyEmailWording
    report_due_email: ReportDueEmailWording
