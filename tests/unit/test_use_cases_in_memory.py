"""The use cases on their own, over the in-memory twins of their ports (`tests/support/memory_ports.py`): no HTTP, no
database, the time given. The chair check, the disconnection log, the follow-up, the meeting tracker and the report
deadlines; the integration tests run the same use cases through the real adapters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.config.agencies import load_agencies
from bot.config.settings import DEFAULT_AGENCIES_FILE
from bot.domain.card_actions import UndoRequest
from bot.domain.chairs import AuditOutcome, ChairBasis, NamedChairs, OrganiserIsChair
from bot.domain.commands import Command
from bot.domain.conferences import AttendeeType, Conference, ConferenceKind, Invitee
from bot.domain.conversations import ConversationAddress, ConversationKind
from bot.domain.disconnections import DisconnectionSource, Notice
from bot.domain.meetings import AttendanceKind, MeetingPlace, MeetingRole, MeetingStarted, Participant
from bot.domain.mentions import Mention
from bot.domain.sessions import MeetingSession, StartSource, SummaryStatus
from bot.usecases.chair_cards import CHAIR_CARD_COMMANDS, ChairCards
from bot.usecases.chair_check import Asker, ChairCheck
from bot.usecases.chair_disconnects import LOG_COMMAND, ChairDisconnects
from bot.usecases.chair_gate import ChairGate
from bot.usecases.command_request import Asking
from bot.usecases.command_table import COMMANDS, Audience, chair_only_wording
from bot.usecases.conference_chairs import ConferenceChairs
from bot.usecases.follow_up import FollowUp
from bot.usecases.meeting_people import MeetingPeople
from bot.usecases.port_errors import TeamsFailure
from bot.usecases.replies import CardReply
from bot.usecases.report_deadlines import ReportDeadlines
from bot.usecases.summaries import SummaryMaker
from bot.usecases.track_meeting import MeetingTracker
from cards import ContentError, load_card_content
from tests.support.card_reading import card_objects
from tests.support.memory_ports import (
    MemoryChairAudit,
    MemoryChairGroup,
    MemoryConferences,
    MemoryConversations,
    MemoryDisconnectionLog,
    MemoryMeetingRecords,
    MemoryPerson,
    MemoryTeams,
)
from tests.support.reminder_policy import policy_for

LONDON = ZoneInfo("Europe/London")
CONTENT = load_card_content()
AGENCIES = load_agencies(DEFAULT_AGENCIES_FILE)
POLICY = policy_for("@example-council.gov.uk", ".police.uk")
START = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
MEETING_ID = "meeting-1"
CHAT = ConversationAddress(
    conversation_id="19:meeting_x@thread.v2",
    channel_id="msteams",
    service_url="https://smba.example/",
    kind=ConversationKind.MEETING_CHAT,
    bot_id="28:bot",
    tenant_id="tenant-1",
    meeting_id=MEETING_ID,
)
PLACE = MeetingPlace(MEETING_ID, CHAT.conversation_id, CHAT.tenant_id)
CHAIR = MemoryPerson("aad-chair", "Alex Morgan", "alex.morgan@example-council.gov.uk", role=MeetingRole.ORGANIZER)
POLICE = MemoryPerson("aad-police", "Jo Evans", "jo.evans@example.police.uk")
NURSE = MemoryPerson("aad-nurse", "Chris Lee", "chris.lee@nhs.net")
NAMED = MemoryPerson("3f2504e0-4f89-41d3-9a0c-0305e82c3301", "Sam Okafor", "sam.okafor@example-council.gov.uk")
GROUP_CHAIR = MemoryPerson("aad-group-chair", "Pat Kaur", "pat.kaur@example-council.gov.uk")


def _asker(person: MemoryPerson) -> Asker:
    return Asker(person.teams_user_id, person.aad_object_id)


def _participant(person: MemoryPerson) -> Participant:
    return Participant(person.aad_object_id, person.teams_user_id, person.name, person.role)


@dataclass
class World:
    records: MemoryMeetingRecords
    log: MemoryDisconnectionLog
    conversations: MemoryConversations
    audit: MemoryChairAudit
    teams: MemoryTeams
    check: ChairCheck
    disconnects: ChairDisconnects
    follow_up: FollowUp


@pytest.fixture
def world() -> World:
    """Everyone in the meeting, the organiser chairing alongside the named chairs (`ORGANISER_IS_CHAIR=always`)."""
    return _world()


def _world(
    rule: OrganiserIsChair = OrganiserIsChair.ALWAYS,
    in_meeting: tuple[MemoryPerson, ...] = (CHAIR, POLICE, NURSE, NAMED, GROUP_CHAIR),
) -> World:
    records, log, audit = MemoryMeetingRecords(), MemoryDisconnectionLog(), MemoryChairAudit()
    conversations = MemoryConversations({CHAT.conversation_id: CHAT})
    teams = MemoryTeams(list(in_meeting), organizer_aad_object_id=CHAIR.aad_object_id)
    people = MeetingPeople(teams)
    chairs = ConferenceChairs(
        people=people,
        records=records,
        named=NamedChairs.parse([NAMED.aad_object_id]),
        group=MemoryChairGroup({GROUP_CHAIR.aad_object_id}),
        organiser_is_chair=rule,
    )
    check = ChairCheck(people=people, records=records, audit=audit, chairs=chairs, wording=CONTENT.notices.chair_check)
    gate = ChairGate(check, teams, CONTENT.notices.chair_gate)
    disconnects = ChairDisconnects(
        gate=gate,
        records=records,
        log=log,
        people=people,
        conversations=conversations,
        timezone=LONDON,
        wording=CONTENT.chair,
        notices=CONTENT.notices.disconnection_log,
        log_action=chair_only_wording(CONTENT.help)[LOG_COMMAND].action,
    )
    follow_up = FollowUp(
        records=records,
        log=log,
        conversations=conversations,
        people=people,
        messenger=teams,
        summaries=SummaryMaker(log, AGENCIES),
        timezone=LONDON,
        drop_grace=timedelta(minutes=3),
        wording=CONTENT.reminders.drop_out,
        cards=CONTENT.chair,
        chairs=chairs,
        chair_cards=ChairCards(
            records=records,
            conversations=conversations,
            chairs=chairs,
            messenger=teams,
            timezone=LONDON,
            wording=CONTENT.chair.chair_card,
        ),
    )
    return World(records, log, conversations, audit, teams, check, disconnects, follow_up)


@pytest.mark.parametrize(
    ("person", "basis"),
    [(CHAIR, ChairBasis.ORGANISER), (NAMED, ChairBasis.NAMED), (GROUP_CHAIR, ChairBasis.GROUP), (POLICE, None)],
    ids=["organiser", "named", "group", "attendee"],
)
async def test_the_chair_check_says_who_chairs_and_audits_every_attempt(
    world: World, person: MemoryPerson, basis: ChairBasis | None
) -> None:
    verdict = await world.check.verdict(CHAT, _asker(person), "quorum", START)
    assert verdict.basis is basis
    [entry] = world.audit.entries
    assert (entry.aad_object_id, entry.command, entry.meeting_id, entry.at) == (
        person.aad_object_id,
        "quorum",
        MEETING_ID,
        START,
    )
    assert entry.outcome is (AuditOutcome.ALLOWED if basis else AuditOutcome.REFUSED)


RULE = OrganiserIsChair


@pytest.mark.parametrize(
    ("rule", "in_meeting", "chairs"),
    [
        (
            RULE.WHEN_NO_NAMED_CHAIR,
            (CHAIR, POLICE, NAMED, GROUP_CHAIR),
            {NAMED: ChairBasis.NAMED, GROUP_CHAIR: ChairBasis.GROUP},
        ),
        (RULE.WHEN_NO_NAMED_CHAIR, (CHAIR, POLICE), {CHAIR: ChairBasis.ORGANISER}),
        (RULE.ALWAYS, (CHAIR, POLICE, NAMED), {CHAIR: ChairBasis.ORGANISER, NAMED: ChairBasis.NAMED}),
        (RULE.NEVER, (CHAIR, POLICE), {}),
    ],
    ids=["named chairs in it", "no named chair in it", "always", "never"],
)
async def test_a_conferences_chairs_are_the_named_chairs_in_it_and_the_organiser_as_the_rule_says(
    rule: OrganiserIsChair, in_meeting: tuple[MemoryPerson, ...], chairs: dict[MemoryPerson, ChairBasis]
) -> None:
    world = _world(rule, in_meeting)
    await _running(world, *in_meeting)
    for person in (CHAIR, POLICE, NAMED, GROUP_CHAIR):
        verdict = await world.check.verdict(CHAT, _asker(person), "quorum", START)
        assert verdict.basis is chairs.get(person), f"{person.name} under {rule}"
    session = await world.records.latest_session(MEETING_ID)
    assert session is not None
    found = await world.follow_up._chairs.of(CHAT, session)
    assert {chair.person.aad_object_id: chair.basis for chair in found} == {
        person.aad_object_id: basis for person, basis in chairs.items()
    }, "the summary and the drop-out reminder go to, and name, the same chairs"


async def test_a_named_chair_who_is_not_in_the_conference_does_not_chair_it() -> None:
    world = _world(RULE.WHEN_NO_NAMED_CHAIR, (CHAIR, POLICE))
    await _running(world, CHAIR, POLICE)
    verdict = await world.check.verdict(CHAT, _asker(NAMED), "summary", START)
    assert verdict.basis is None
    asked_there = await world.check.verdict(CHAT, _asker(NAMED), "summary", START, asked_there=True)
    assert asked_there.basis is ChairBasis.NAMED, "asking in its meeting chat, they are in it"


async def _nurse_drops_out_and_the_conference_ends(world: World) -> tuple[MeetingSession, datetime]:
    """The nurse leaves half an hour in and never returns; the conference ends. Returns the session, and a moment
    when its follow-up is due."""
    session = await world.records.latest_session(MEETING_ID)
    assert session is not None
    left = START + timedelta(minutes=30)
    await world.records.record_attendance(session.id, AttendanceKind.LEFT, (_participant(NURSE),), left, "leave-1")
    end = START + timedelta(minutes=80)
    await world.records.end_session(PLACE, end)
    later = end + timedelta(minutes=5)
    world.log.now = later
    return session, later


async def test_the_summary_reaches_the_named_chair_and_not_the_business_support_organiser() -> None:
    world = _world(RULE.WHEN_NO_NAMED_CHAIR, (CHAIR, POLICE, NURSE, NAMED))
    await _running(world, CHAIR, POLICE, NURSE, NAMED)
    _, later = await _nurse_drops_out_and_the_conference_ends(world)
    await world.follow_up.run_once(later)
    [summary] = world.teams.private_to(NAMED)
    assert summary.summary == "Your conference summary"
    assert world.teams.private_to(CHAIR) == [], "the organiser (business support) gets no chair data"
    [reminder] = world.teams.private_to(NURSE)
    assert "Sam Okafor" in str(reminder.card), "the drop-out reminder names the chair"
    assert "Alex Morgan" not in str(reminder.card)


async def test_when_teams_cannot_say_the_check_says_so_rather_than_refusing(world: World) -> None:
    world.teams.failure = TeamsFailure.UNAVAILABLE
    verdict = await world.check.verdict(CHAT, _asker(POLICE), "summary", START)
    assert not verdict.allowed
    assert verdict.problem
    assert world.audit.entries[0].outcome is AuditOutcome.UNVERIFIED


async def _running(world: World, *people: MemoryPerson) -> None:
    session = await world.records.start_session(PLACE, START, StartSource.EVENT)
    participants = tuple(_participant(person) for person in people)
    await world.records.record_attendance(session.id, AttendanceKind.JOINED, participants, START, "join-1")


def _log_request(mentions: tuple[Mention, ...], now: datetime, message_id: str = "m-1") -> Asking:
    return Asking(_asker(CHAIR), CHAT, ConversationKind.MEETING_CHAT, mentions, message_id, now)


async def test_the_chairs_fast_form_logs_once_however_often_teams_delivers_it(world: World) -> None:
    await _running(world, CHAIR, POLICE, NURSE)
    now = START + timedelta(minutes=40)
    mention = Mention(POLICE.teams_user_id, POLICE.name, f"<at>{POLICE.name}</at>")
    asking = _log_request((mention,), now)
    command = Command("log-disconnect", f"<at>{POLICE.name}</at> 10:12 e-mailed me")
    replies = [await world.disconnects.log_from_command(asking.for_command(command, CHAT)) for _ in range(3)]
    [entry] = await world.log.for_session(1)
    assert (entry.aad_object_id, entry.source, entry.note) == (
        POLICE.aad_object_id,
        DisconnectionSource.CHAIR,
        "e-mailed me",
    )
    assert entry.disconnected_at == datetime(2026, 12, 1, 10, 12, tzinfo=UTC)
    assert {reply.summary for reply in replies} == {"Logged: Jo Evans lost connection at 10:12."}


async def test_only_the_chair_who_logged_an_entry_may_undo_it(world: World) -> None:
    await _running(world, CHAIR, POLICE, NAMED)
    now = START + timedelta(minutes=40)
    command = Command("log-disconnect", "Jo Evans 10:12")
    await world.disconnects.log_from_command(_log_request((), now).for_command(command, CHAT))
    [entry] = await world.log.for_session(1)
    undo = UndoRequest(entry_id=entry.id, conversation_id=CHAT.conversation_id)
    other = await world.disconnects.undo(undo, _asker(NAMED), now)
    assert "Only the chair who logged an entry can undo it" in other.reply.summary
    assert not (await world.log.entry(entry.id)).undone  # type: ignore[union-attr]
    mine = await world.disconnects.undo(undo, _asker(CHAIR), now)
    assert mine.replaces_card
    assert (await world.log.entry(entry.id)).undone  # type: ignore[union-attr]


async def test_the_follow_up_reminds_who_dropped_and_sends_the_chair_one_summary(world: World) -> None:
    await _running(world, CHAIR, POLICE, NURSE)
    session, later = await _nurse_drops_out_and_the_conference_ends(world)
    for _ in range(2):  # two rounds, as two instances would run them
        await world.follow_up.run_once(later)
    [reminder] = world.teams.private_to(NURSE)
    assert reminder.summary == "You left the child protection conference"
    [drop] = await world.log.for_session(session.id)
    assert (drop.aad_object_id, drop.notice) == (NURSE.aad_object_id, Notice.SENT)
    [summary] = world.teams.private_to(CHAIR)
    assert summary.summary == "Your conference summary"
    assert (await world.records.session(session.id)).summary_status is SummaryStatus.SENT  # type: ignore[union-attr]
    assert world.teams.private_to(POLICE) == [], "who stayed is not reminded"


async def test_the_meeting_tracker_posts_the_start_card_once_and_again_only_after_a_failed_post() -> None:
    records = MemoryMeetingRecords()
    tracker = MeetingTracker(records, load_card_content(), LONDON, now=lambda: START)
    posted: list[CardReply] = []
    failing = True

    async def post(reply: CardReply) -> None:
        if failing:
            raise RuntimeError("Teams said 502")
        posted.append(reply)

    with pytest.raises(RuntimeError):
        await tracker.meeting_started(MeetingStarted(PLACE, START), post)
    failing = False
    for _ in range(3):
        await tracker.meeting_started(MeetingStarted(PLACE, START), post)
    assert len(posted) == 1
    assert "10:00" in str(posted[0].card)


async def test_report_deadlines_in_a_meeting_chat_answer_for_its_conference() -> None:
    conferences = MemoryConferences()
    start = datetime(2026, 12, 10, 10, 0, tzinfo=UTC)
    conferences.add(
        Conference(
            key="uid-1",
            kind=ConferenceKind.REVIEW,
            start=start,
            end=start + timedelta(hours=2),
            join_url="https://teams.microsoft.com/l/meetup-join/x",
            organiser=Invitee(CHAIR.email, CHAIR.name, AttendeeType.REQUIRED),
            invitees=(Invitee(POLICE.email, POLICE.name, AttendeeType.REQUIRED),),
            chat_id=CHAT.conversation_id,
        )
    )
    teams = MemoryTeams([CHAIR, POLICE])
    request = Asking(_asker(POLICE), CHAT, ConversationKind.MEETING_CHAT, (), "m-1", datetime(2026, 12, 1, tzinfo=UTC))
    asked = request.for_command(Command("report-deadline"))

    def deadlines(store: MemoryConferences | None) -> ReportDeadlines:
        return ReportDeadlines(
            conferences=store,
            directory=teams,
            messenger=teams,
            policy=POLICY,
            horizon=timedelta(days=28),
            wording=CONTENT.notices.report_deadlines,
            cards=CONTENT.reminders,
        )

    reply = await deadlines(conferences).answer(asked)
    assert "Thursday 3 December" in str(reply.card), "5 working days before a Review on Thursday 10 December"
    assert teams.private == [], "in a meeting chat, the answer is the chat's, the same for everyone"
    assert "not set up to read the conference calendars" in (await deadlines(None).answer(asked)).summary


async def test_a_repeated_entry_names_the_person_as_text_not_markup(world: World) -> None:
    hostile = MemoryPerson("aad-hostile", "[Jo](https://evil.example) **Evans**", "jo@example.police.uk")
    world.teams.people.append(hostile)
    await _running(world, CHAIR, hostile)
    now = START + timedelta(minutes=40)
    mention = Mention(hostile.teams_user_id, hostile.name, f"<at>{hostile.name}</at>")
    command = Command("log-disconnect", f"<at>{hostile.name}</at> 10:12")
    await world.disconnects.log_from_command(_log_request((mention,), now, "m-1").for_command(command, CHAT))
    again = await world.disconnects.log_from_command(_log_request((mention,), now, "m-2").for_command(command, CHAT))
    [line] = [element["text"] for element in again.card["body"] if element.get("type") == "TextBlock"][:1]
    assert line.startswith("That is already in the log.")
    assert "\\[Jo\\](https://evil" in line, "the name is escaped, so no link reaches the card"
    assert "\\*\\*Evans\\*\\*" in line
    read = "Logged: [Jo](https://evil.example) **Evans** lost connection at 10:12."
    assert again.summary == f"That is already in the log. {read}", "the notification reads the words, unescaped"


async def test_when_a_conference_starts_each_chair_gets_their_card_once(world: World) -> None:
    await _running(world, CHAIR, POLICE, NAMED, GROUP_CHAIR)
    for _ in range(2):  # two rounds, as two instances would run them
        await world.follow_up.run_once(START + timedelta(minutes=1))
    for chair in (CHAIR, NAMED, GROUP_CHAIR):
        [card] = [
            reply for reply in world.teams.private_to(chair) if reply.summary == "Your chair's card for the conference"
        ]
        buttons = [node for node in card_objects(card.card) if node.get("type") == "Action.Submit"]
        assert [button["data"]["command"] for button in buttons] == list(CHAIR_CARD_COMMANDS)
        assert {button["data"]["conference"] for button in buttons} == {CHAT.conversation_id}
        assert "started at 10:00" in str(card.card)
    assert world.teams.private_to(POLICE) == []


CHAIR_CARD_SUMMARY = "Your chair's card for the conference"


def test_every_chair_command_has_a_button_on_the_chair_card_or_the_bot_does_not_start() -> None:
    chair_commands = [entry.name for entry in COMMANDS if entry.audience is Audience.CHAIR]
    assert list(CHAIR_CARD_COMMANDS) == chair_commands, "the card offers every chair command, in the table's order"
    assert [CONTENT.chair.chair_card.title_of(command) for command in chair_commands] == [
        "Quorum now",
        "Log a disconnection",
        "The disconnection log",
        "The summary so far",
        "Reports shared",
    ]
    with pytest.raises(ContentError, match=r"chair_card: no button title for /late \(late\)"):
        CONTENT.chair.chair_card.title_of("late")
