"""`reports.yaml`: what the bot says about reports being shared: the reminder's button and link, the answers to a
confirmation, the chairs' status card, and the confirmation page an e-mailed link opens."""

from __future__ import annotations

from cards.wording.base import Sentences, Strict, uses


class ConfirmingWording(Sentences):
    """The reminder's button, and what a professional is told when they press it (or withdraw)."""

    PLACEHOLDERS = uses(
        conference="kind day time",
        recorded="at",
        already="at",
        late="due",
        email_link="link",
    )
    button: str
    email_link: str
    """A paragraph of the e-mail reminder: `{link}` is the link, titled `link_title`."""
    link_title: str
    recorded_heading: str
    already_heading: str
    conference: str
    recorded: str
    already: str
    late: str
    withdraw_button: str
    withdrawn_heading: str
    withdrawn: str
    not_confirmed: str
    summary: str


class NotConfirmedWording(Sentences):
    """Why a confirmation pressed in Teams (or a chair's mark) could not be recorded."""

    cancelled: str
    unknown_conference: str
    who_are_you: str
    not_invited: str
    directory_unavailable: str
    not_your_conference: str
    nobody_to_mark: str


class StatusWording(Sentences):
    """The chairs' card: who has shared their report."""

    PLACEHOLDERS = uses(
        heading="kind day time",
        deadline_heading="kind day time",
        counts="shared expected",
        due="due",
        outstanding="agencies",
        shared_line="name agency at",
        late_line="name agency at",
        outstanding_line="name agency",
        not_reached_line="name agency",
        not_reminded_line="name agency",
        pending_line="name agency",
        marked_line="name agency at",
        mark_button="name",
        spoken="shared expected",
        several="count",
    )
    heading: str
    deadline_heading: str
    counts: str
    due: str
    outstanding: str
    all_shared: str
    nobody_expected: str
    shared_line: str
    late_line: str
    marked_line: str
    outstanding_line: str
    pending_line: str
    not_reached_line: str
    not_reminded_line: str
    no_agency: str
    mark_button: str
    mark_hint: str
    spoken: str
    summary: str
    none_upcoming: str
    not_linked: str
    several: str


class PageWording(Sentences):
    """The page an e-mailed link opens: no sign-in, no case details."""

    PLACEHOLDERS = uses(confirm_intro="kind day time", withdraw_intro="kind day time")
    title: str
    confirm_intro: str
    confirm_button: str
    confirmed: str
    confirmed_late: str
    already: str
    withdraw_offer: str
    withdraw_intro: str
    withdraw_button: str
    withdrawn: str
    not_confirmed: str
    unknown: str
    expired: str
    used: str
    cancelled: str
    closing: str


class ReportsContent(Strict):
    confirming: ConfirmingWording
    not_confirmed: NotConfirmedWording
    status: StatusWording
    page: PageWording
