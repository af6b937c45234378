"""`chair.yaml`: what the CP Chair's own cards say (quorum, summary, the disconnection form and log), and why a fast
form or a button could not be accepted."""

from __future__ import annotations

from cards.wording.base import ContentError, Sentences, uses


class FastFormWording(Sentences):
    """`chair.yaml`'s `fast_form`: why the fast form of /log-disconnect could not be used, or its time accepted."""

    PLACEHOLDERS = uses(
        note_too_long="limit",
        not_in_meeting="name",
        same_name="name",
        name_starts="word",
        not_a_12_hour_time="time",
        not_a_24_hour_time="time",
        too_long_to_read="limit",
        later_than_now="time now",
        before_start="time earliest",
        before_twelve_hours="time earliest",
        after_end="time end",
    )
    note_too_long: str
    not_in_meeting: str
    someone_mentioned: str
    same_name: str
    name_starts: str
    who_unclear: str
    not_a_12_hour_time: str
    not_a_24_hour_time: str
    too_long_to_read: str
    later_than_now: str
    before_start: str
    before_twelve_hours: str
    after_end: str


class CardActionWording(Sentences):
    """`chair.yaml`'s `card_actions`: why a button pressed on the chair's form or log cannot be accepted."""

    PLACEHOLDERS = uses(note_too_long="limit", reason_too_long="limit")
    note_too_long: str
    not_my_form: str
    choose_person: str
    give_time: str
    which_entry: str
    which_conference: str
    whose_report: str
    reason_needed: str
    reason_too_long: str


class QuorumWording(Sentences):
    PLACEHOLDERS = uses(
        heading="time", not_quorate="reasons", missing="agencies", more_agencies="count", unrecognised_people="count"
    )
    heading: str
    quorate: str
    not_quorate: str
    missing: str
    one_more_agency: str
    more_agencies: str
    agencies_present: str
    none_recognised: str
    unrecognised_people: str
    agency_not_recognised: str
    who_is_here: str
    not_counted: str
    chair: str
    nobody_yet: str
    private: str
    summary: str


class SummaryWording(Sentences):
    PLACEHOLDERS = uses(
        when="start until length",
        lowest="time",
        organiser="name",
        joined="time",
        joined_late_mark="joined",
        did_not_return="time",
        away="left returned",
        present="length",
        with_note="said note",
        spoken="count",
        reports_shared="shared expected",
        reports_outstanding="agencies",
        from_report="reported external anonymous only_in_report live",
    )
    heading_running: str
    heading_ended: str
    when: str
    until_now: str
    people_joined: str
    joined_late: str
    left_early: str
    drop_outs: str
    from_report: str
    from_live: str
    reports: str
    reports_shared: str
    reports_outstanding: str
    quoracy: str
    quoracy_unknown: str
    quorate_throughout: str
    lowest: str
    attendance: str
    no_attendance: str
    organiser: str
    joined: str
    joined_late_mark: str
    did_not_return: str
    away: str
    present: str
    disconnections: str
    noticed_by_the_bot: str
    logged_by_the_chair: str
    none: str
    reminded: str
    not_reachable: str
    not_needed: str
    reminder_failed: str
    reminder_unconfirmed: str
    chair_emailed: str
    chair_logged: str
    with_note: str
    spoken: str
    reply: str


class FormWording(Sentences):
    PLACEHOLDERS = uses(when="zone", logged="name time")
    title: str
    who: str
    choose: str
    choose_error: str
    when: str
    when_error: str
    emailed: str
    note: str
    note_example: str
    footer: str
    submit: str
    logged: str
    undo_hint: str
    a_participant: str


class LogWording(Sentences):
    PLACEHOLDERS = uses(
        started="when",
        entry="time name",
        undone_entry="entry",
        note="note",
        undone_at="time",
        meeting_reference="meeting",
        spoken="title count",
    )
    title: str
    started: str
    nothing_yet: str
    entry: str
    undone_entry: str
    noticed: str
    logged: str
    logged_emailed: str
    logged_not_emailed: str
    note: str
    undone_at: str
    undo: str
    private: str
    meeting_reference: str
    spoken: str


class ChoiceWording(Sentences):
    PLACEHOLDERS = uses(button="time agencies", agencies="count")
    heading: str
    intro: str
    button: str
    one_agency: str
    agencies: str
    summary: str


class ChairCardWording(Sentences):
    PLACEHOLDERS = uses(heading="time", spoken="time")
    heading: str
    intro: str
    quorum: str
    log_disconnect: str
    disconnects: str
    summary: str
    reports: str
    spoken: str
    reply: str

    def title_of(self, command: str) -> str:
        """The button's title for a chair command, by the command's name (`log-disconnect`: `log_disconnect`)."""
        title = getattr(self, command.replace("-", "_"), None)
        if not isinstance(title, str):
            raise ContentError(f"chair.yaml: chair_card: no button title for /{command} ({command.replace('-', '_')})")
        return title


class DoorWording(Sentences):
    """`door`: quoracy at the scheduled start (and a few minutes later while not quorate), privately to the chairs,
    and the decision to proceed while inquorate."""

    PLACEHOLDERS = uses(
        heading="time",
        recheck_heading="time",
        expected="people",
        expected_person="name agency",
        recorded="time reason",
        already="time reason",
        in_summary="time reason",
        spoken="time",
    )
    heading: str
    recheck_heading: str
    expected: str
    expected_person: str
    everyone_here: str
    proceed_intro: str
    reason_label: str
    reason_placeholder: str
    proceed_button: str
    recorded_heading: str
    recorded: str
    already: str
    only_chairs: str
    unknown_conference: str
    in_summary: str
    spoken: str
    summary: str


class ChairContent(Sentences):
    fast_form: FastFormWording
    card_actions: CardActionWording
    unnamed: str
    quorum: QuorumWording
    summary: SummaryWording
    form: FormWording
    log: LogWording
    choice: ChoiceWording
    chair_card: ChairCardWording
    door: DoorWording
