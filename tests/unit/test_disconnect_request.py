"""The chair's fast form: `/log-disconnect <who> [time] [note]`, read against the meeting's roster."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.commands import Command, parse_command
from bot.domain.disconnect_request import (
    DisconnectRequest,
    FormReason,
    NeedsForm,
    RosterPerson,
    TimeOfDay,
    TimeRefusal,
    parse_time_of_day,
    read_request,
    when,
)
from bot.domain.mentions import Mention
from bot.domain.text import NOTE_LIMIT
from bot.usecases.command_table import vocabulary
from cards import load_card_content
from cards.disconnect_form import fast_form_problem
from cards.markup import unescaped

JO = RosterPerson("aad-jo", "29:jo", "Jo Evans")
JANE = RosterPerson("aad-jane", "29:jane", "Jane Smith")
JANE_SMITHERS = RosterPerson("aad-jane-s", "29:jane-s", "Jane Smithers")
CHRIS = RosterPerson("aad-chris", "29:chris", "Chris Lee")
CHRIS_TOO = RosterPerson("aad-chris-2", "29:chris-2", "Chris Lee")
ROSTER = [JO, JANE, JANE_SMITHERS, CHRIS]
MENTION_JO = Mention("29:jo", "Jo Evans", "<at>Jo Evans</at>")
LONDON = ZoneInfo("Europe/London")
WORDING = load_card_content().chair.fast_form


def told(problem: NeedsForm | TimeRefusal) -> str:
    """What the chair reads, in the bundled content's words (the markdown escapes of what was typed undone)."""
    return unescaped(fast_form_problem(problem, WORDING, LONDON))


def arguments(message: str) -> str:
    """What the command parser hands over, from the text as Teams sends it."""
    parsed = parse_command(message, vocabulary())
    assert isinstance(parsed, Command)
    assert parsed.name == "log-disconnect"
    return parsed.arguments


def test_the_issue_example_with_a_mention() -> None:
    text = arguments("/log-disconnect <at>Jo Evans</at> 10:42 lost connection, emailed chair")
    assert read_request(text, [MENTION_JO], ROSTER) == DisconnectRequest(
        JO, TimeOfDay(10, 42), "lost connection, emailed chair"
    )


def test_the_mention_is_found_by_its_id_not_its_name() -> None:
    renamed = Mention("29:jo", "Jo", "<at>Jo</at>")
    assert read_request("<at>Jo</at> now", [renamed], ROSTER) == DisconnectRequest(JO, None, None)


def test_a_mention_of_someone_not_in_the_meeting_asks_for_the_form() -> None:
    stranger = Mention("29:zz", "Pat Stranger", "<at>Pat Stranger</at>")
    result = read_request("<at>Pat Stranger</at> 10:42", [stranger], ROSTER)
    assert result == NeedsForm(FormReason.NOT_IN_MEETING, "Pat Stranger")
    assert told(result) == "Pat Stranger is not in this meeting's list of people."
    unnamed = read_request("<at>Pat Stranger</at> 10:42", [Mention("29:zz", None, "<at>Pat Stranger</at>")], ROSTER)
    assert isinstance(unnamed, NeedsForm)
    assert told(unnamed) == "The person you mentioned is not in this meeting's list of people."


def test_a_mention_without_an_entity_goes_by_the_name_shown() -> None:
    assert read_request("<at>Chris Lee</at> 10.05", [], ROSTER) == DisconnectRequest(CHRIS, TimeOfDay(10, 5), None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jane Smith 10.42", DisconnectRequest(JANE, TimeOfDay(10, 42), None)),
        ("jane smithers at 9:05 - dropped", DisconnectRequest(JANE_SMITHERS, TimeOfDay(9, 5), "dropped")),
        ("Jo 10:42", DisconnectRequest(JO, TimeOfDay(10, 42), None)),
        ("Chris now", DisconnectRequest(CHRIS, None, None)),
        ("Chris Lee", DisconnectRequest(CHRIS, None, None)),
        ("Chris Lee, lost the call", DisconnectRequest(CHRIS, None, "lost the call")),
        ("Chris 2.15pm", DisconnectRequest(CHRIS, TimeOfDay(14, 15), None)),
        ("Chris 12.05am", DisconnectRequest(CHRIS, TimeOfDay(0, 5), None)),
        ("Chris 10:42 am rejoined briefly", DisconnectRequest(CHRIS, TimeOfDay(10, 42), "rejoined briefly")),
        ("Chris 3pm", DisconnectRequest(CHRIS, TimeOfDay(15, 0), None)),
        ('Chris 10:42, e-mailed: "wifi down"', DisconnectRequest(CHRIS, TimeOfDay(10, 42), 'e-mailed: "wifi down"')),
    ],
)
def test_names_times_and_notes(text: str, expected: DisconnectRequest) -> None:
    assert read_request(text, [], ROSTER) == expected


def test_ambiguous_first_name_asks_for_the_form() -> None:
    result = read_request("Jane 10:42", [], ROSTER)
    assert isinstance(result, NeedsForm)
    assert "More than one person's name starts with Jane" in told(result)


def test_two_people_with_the_same_whole_name_ask_for_the_form() -> None:
    result = read_request("Chris Lee 10:42", [], [*ROSTER, CHRIS_TOO])
    assert result == NeedsForm(FormReason.SAME_NAME, "Chris Lee")
    assert told(result) == "More than one person here is called Chris Lee: please choose in the form."


def test_nothing_after_the_command_asks_for_the_form_without_a_problem() -> None:
    assert read_request(arguments("/log-disconnect"), [], ROSTER) == NeedsForm()


def test_an_unknown_name_asks_for_the_form_saying_why() -> None:
    result = read_request("Nobody Here 10:42", [], ROSTER)
    assert isinstance(result, NeedsForm)
    assert told(result) == "I could not tell who you meant: mention them (@name) or choose them in the form."


@pytest.mark.parametrize("bad_time", ["25:00", "10:61", "13.00pm", "0:30am"])
def test_a_clock_that_is_no_time_of_day_is_explained(bad_time: str) -> None:
    result = read_request(f"Chris {bad_time} note", [], ROSTER)
    assert isinstance(result, NeedsForm)
    assert told(result).startswith(f"{bad_time} is not a time of day. Please give it like 10:42 or ")


def test_html_in_a_note_arrives_as_text_and_other_mentions_as_names() -> None:
    message = (
        "<p><at>CP Conference Bot</at> /log-disconnect <at>Jo Evans</at> 10:42 told <at>Chris Lee</at> "
        "&lt;b&gt;by phone&lt;/b&gt; &amp; e-mail<br></p>"
    )
    text = arguments(message.replace("<at>CP Conference Bot</at>", ""))
    assert read_request(text, [MENTION_JO], ROSTER) == DisconnectRequest(
        JO, TimeOfDay(10, 42), "told Chris Lee <b>by phone</b> & e-mail"
    )


def test_a_note_too_long_asks_for_the_form() -> None:
    result = read_request("Chris 10:42 " + "x" * (NOTE_LIMIT + 1), [], ROSTER)
    assert isinstance(result, NeedsForm)
    assert told(result) == "The note is longer than 1,000 characters. Please shorten it in the form."


@given(st.text(max_size=300))
def test_no_arguments_make_the_reader_raise(text: str) -> None:
    result = read_request(text, [MENTION_JO], ROSTER)
    assert isinstance(result, DisconnectRequest | NeedsForm)


@given(
    st.lists(
        st.sampled_from(
            [
                "<at>Jo Evans</at>",
                "<at>",
                "</at>",
                "Jane",
                "Smith",
                "10:42",
                "at",
                "now",
                "25.99",
                "pm",
                ",",
                "-",
                "Chris",
                "Lee",
                "<at>x</at>",
                "\u200b",
                "&amp;",
                "3pm",
            ]
        ),
        max_size=12,
    ),
    st.lists(st.builds(Mention, st.text(max_size=8), st.none() | st.text(max_size=8), st.text(max_size=20))),
)
def test_no_mix_of_names_times_and_mentions_makes_the_reader_raise(words: list[str], mentions: list[Mention]) -> None:
    result = read_request(" ".join(words), mentions, ROSTER)
    assert isinstance(result, DisconnectRequest | NeedsForm)


@given(st.text(max_size=20))
def test_no_token_makes_the_time_reader_raise(token: str) -> None:
    parse_time_of_day(token)


NOW = datetime(2026, 11, 24, 10, 50, 20, tzinfo=UTC)
STARTED = datetime(2026, 11, 24, 10, 0, 30, tzinfo=UTC)


def _when(requested: TimeOfDay | None, now: datetime = NOW, started: datetime = STARTED) -> datetime | str:
    """The moment, or what the chair is told instead."""
    moment = when(requested, now=now, timezone=LONDON, earliest=started)
    return told(moment) if isinstance(moment, TimeRefusal) else moment


def test_now_is_now() -> None:
    assert _when(None) == NOW


def test_a_time_today_in_the_configured_zone() -> None:
    assert _when(TimeOfDay(10, 42)) == datetime(2026, 11, 24, 10, 42, tzinfo=UTC)
    summer_now = datetime(2026, 7, 1, 9, 50, tzinfo=UTC)  # 10:50 in London (BST)
    summer_start = datetime(2026, 7, 1, 9, 0, tzinfo=UTC)
    assert _when(TimeOfDay(10, 42), summer_now, summer_start) == datetime(2026, 7, 1, 9, 42, tzinfo=UTC)


def test_the_minute_the_conference_started_is_allowed() -> None:
    assert _when(TimeOfDay(10, 0)) == datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


def test_a_time_in_the_future_is_refused() -> None:
    assert _when(TimeOfDay(10, 55)) == "10:55 is later than now (10:50): please give the time they dropped out."


def test_the_current_minute_is_not_the_future_and_is_never_after_now() -> None:
    assert _when(TimeOfDay(10, 51)) == NOW, "a chair's clock a little ahead of the server's"


def test_a_time_before_the_start_is_refused() -> None:
    assert _when(TimeOfDay(9, 59)) == "09:59 is before the conference started (10:00)."


def test_a_conference_past_midnight_reads_late_times_as_yesterday() -> None:
    now = datetime(2026, 11, 25, 0, 20, tzinfo=UTC)
    started = datetime(2026, 11, 24, 23, 30, tzinfo=UTC)
    assert _when(TimeOfDay(23, 50), now, started) == datetime(2026, 11, 24, 23, 50, tzinfo=UTC)
    assert _when(TimeOfDay(0, 10), now, started) == datetime(2026, 11, 25, 0, 10, tzinfo=UTC)


@given(
    st.integers(0, 23),
    st.integers(0, 59),
    st.datetimes(datetime(2000, 1, 1), datetime(2100, 1, 1), timezones=st.just(UTC)),
    st.integers(0, 600),
)
def test_an_accepted_time_is_never_in_the_future_nor_before_the_start(
    hour: int, minute: int, now: datetime, minutes_running: int
) -> None:
    started = now - timedelta(minutes=minutes_running)
    result = _when(TimeOfDay(hour, minute), now, started)
    if isinstance(result, datetime):
        assert started.replace(second=0, microsecond=0) <= result <= now
