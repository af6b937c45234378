"""The command table is the one place commands are listed: every command (by any of its names) reaches its use case,
has help content, and is in the manifest's command menu for exactly the scopes the table gives it."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, cast
from zoneinfo import ZoneInfo

import pytest

from bot.domain.commands import Command
from bot.domain.conversations import ConversationAddress, ConversationKind, holds_meeting
from bot.teams_app.package import command_lists
from bot.usecases.chair_check import Asker
from bot.usecases.chair_conferences import Found, InHand, NotHere
from bot.usecases.chair_disconnects import LOG_COMMAND
from bot.usecases.chair_gate import ChairGate
from bot.usecases.command_request import Asking
from bot.usecases.command_table import (
    COMMANDS,
    Audience,
    CommandEntry,
    CommandRouter,
    CommandServices,
    CommandTableError,
    Scope,
    chair_only_wording,
    vocabulary,
)
from bot.usecases.replies import CardReply
from cards import load_card_content
from cards.notices import build_notice_card

HELP = load_card_content().help
MEETING_CHAT = ConversationAddress(
    conversation_id="19:meeting_x@thread.v2",
    channel_id="msteams",
    service_url="https://smba.example/",
    kind=ConversationKind.MEETING_CHAT,
    bot_id="28:bot",
    meeting_id="meeting-1",
)
ASKING = Asking(
    asker=Asker("29:chair", "aad-chair"),
    chat=MEETING_CHAT,
    kind=ConversationKind.MEETING_CHAT,
    mentions=(),
    message_id="1",
    now=datetime(2026, 12, 1, 10, tzinfo=UTC),
)


def _reply(label: str) -> CardReply:
    return CardReply(build_notice_card(label), label)


@dataclass
class Recorder:
    """Stands in for every use case: any method called on it answers with a card naming the method."""

    calls: list[str] = field(default_factory=list)
    refuse: bool = False
    private: list[CardReply] = field(default_factory=list)
    """Answers sent to the asker privately, as the gate would."""
    found_from_personal_chat: Found = field(default_factory=lambda: InHand(MEETING_CHAT))

    def __getattr__(self, method: str) -> Any:
        async def answer(*args: object, **_: object) -> CardReply:
            self.calls.append(method)
            return _reply(method)

        return answer

    def where_it_works(self, command: str, elsewhere: str) -> CardReply:
        """As the real gate words it (it checks and records nothing)."""
        return ChairGate.where_it_works(cast(Any, self), command, elsewhere)

    @property
    def _wording(self) -> object:
        return load_card_content().notices.chair_gate

    def not_a_command(self, *_: object) -> CardReply:
        self.calls.append("not_a_command")
        return _reply("not_a_command")

    async def refusal(self, *_: object, **__: object) -> CardReply | None:
        self.calls.append("refusal")
        return _reply("refused") if self.refuse else None

    async def find(self, asker: Asker, chat: ConversationAddress | None, named: str | None, now: datetime) -> Found:
        """As the real finder tells conversations apart (it looks nothing up)."""
        if chat is not None and holds_meeting(chat):
            return InHand(chat)
        if chat is not None and chat.kind is ConversationKind.PERSONAL:
            return self.found_from_personal_chat
        return NotHere()

    async def answer_privately(self, chat: ConversationAddress, asker: Asker, answer: CardReply) -> CardReply | None:
        self.private.append(answer)
        return None

    def answered(self, reply: CardReply | None) -> CardReply:
        """The answer the asker got: in the chat, or (for a chair command in a meeting chat) privately."""
        if reply is not None:
            return reply
        assert self.private, "answered neither in the chat nor privately"
        return self.private[-1]


def _router(recorder: Recorder, help_content: Any = HELP) -> CommandRouter:
    services = cast(Any, CommandServices)(
        responder=recorder,
        chair=recorder,
        disconnects=recorder,
        deadlines=recorder,
        gate=recorder,
        conferences=recorder,
        reports=recorder,
        confirmations=recorder,
        door=recorder,
    )
    return CommandRouter(services, help_content, load_card_content().chair, ZoneInfo("Europe/London"))


@pytest.mark.parametrize("entry", COMMANDS, ids=lambda entry: entry.name)
async def test_every_command_by_every_name_reaches_its_use_case(entry: CommandEntry) -> None:
    for word in (entry.name, *entry.aliases):
        for typed in (f"/{word}", word.upper(), f"/{word} and more"):
            recorder = Recorder()
            reply = await _router(recorder).answer(typed, None, ASKING)
            assert "not_a_command" not in recorder.calls, f"{typed!r} fell through to the help card"
            expected_gate = ["refusal"] if entry.audience is Audience.CHAIR else []
            assert recorder.calls[:-1] == expected_gate
            assert recorder.answered(reply).summary == recorder.calls[-1]
            if entry.audience is Audience.CHAIR:
                assert reply is None, "a chair command typed in the meeting chat is answered privately, only"
        recorder = Recorder()
        await _router(recorder).answer(None, {"command": word}, ASKING)
        assert recorder.calls[-1] not in ("not_a_command", "refusal"), f"a card button asking for {word}"


async def test_each_command_reaches_a_different_use_case_method() -> None:
    reached = []
    for entry in COMMANDS:
        recorder = Recorder()
        await _router(recorder).answer(f"/{entry.name}", None, ASKING)
        reached.append(recorder.calls[-1])
    assert len(set(reached)) == len(COMMANDS), dict(zip((e.name for e in COMMANDS), reached, strict=True))


async def test_text_that_is_no_command_gets_the_help_card() -> None:
    for text in ("hello", "", None, "/nope"):
        recorder = Recorder()
        await _router(recorder).answer(text, None, ASKING)
        assert recorder.calls == ["not_a_command"]


@pytest.mark.parametrize("entry", [e for e in COMMANDS if e.audience is Audience.CHAIR], ids=lambda e: e.name)
async def test_a_chair_command_reaches_its_use_case_only_past_the_gate_and_only_for_a_conference(
    entry: CommandEntry,
) -> None:
    refused = Recorder(refuse=True)
    reply = await _router(refused).answer(f"/{entry.name}", None, ASKING)
    assert refused.calls == ["refusal"]
    assert reply is None, "even the refusal goes to the asker privately"
    assert refused.answered(reply).summary == "refused"
    personal = replace(ASKING, chat=replace(MEETING_CHAT, kind=ConversationKind.PERSONAL, meeting_id=None))
    in_own_chat = Recorder()
    reply = await _router(in_own_chat).answer(f"/{entry.name}", None, personal)
    if entry.in_own_chat is None:
        assert in_own_chat.calls[0] == "refusal", "in the chair's own chat, checked against the conference found"
    else:
        # About conferences to come: the use case looks up those the asker chairs (and only those) itself.
        assert in_own_chat.calls == ["upcoming_chaired"]
    assert reply is not None, "answered in the chair's own chat"
    assert in_own_chat.private == []
    group = replace(ASKING, chat=replace(MEETING_CHAT, kind=ConversationKind.GROUP_CHAT, meeting_id=None))
    elsewhere = Recorder()
    reply = await _router(elsewhere).answer(f"/{entry.name}", None, group)
    assert elsewhere.calls == [], "asked in a chat that is no conference's, nothing is checked or done"
    assert elsewhere.answered(reply).summary.startswith(f"/{entry.name} works in your own chat with CP Conference Bot")


def test_every_command_has_help_and_is_in_the_manifest_menu_for_exactly_its_scopes() -> None:
    menus = {menu["scopes"][0]: {command["title"] for command in menu["commands"]} for menu in command_lists(HELP)}
    titles = {command.name: command.title for command in HELP.commands}
    for entry in COMMANDS:
        assert entry.name in titles, f"/{entry.name} has no help"
        for scope in Scope:
            assert (titles[entry.name] in menus.get(scope.value, set())) == (scope in entry.scopes), (
                f"/{entry.name} in the {scope.value} menu"
            )


def test_help_content_and_table_must_agree() -> None:
    without_quorum = HELP.model_copy(update={"commands": tuple(c for c in HELP.commands if c.name != "quorum")})
    with pytest.raises(CommandTableError, match="no entry for /quorum"):
        _router(Recorder(), without_quorum)
    extra = HELP.model_copy(update={"commands": (*HELP.commands, HELP.commands[0].model_copy(update={"name": "x"}))})
    with pytest.raises(CommandTableError, match="does not have: x"):
        _router(Recorder(), extra)
    unworded = tuple(c.model_copy(update={"chair_only": None}) if c.name == "summary" else c for c in HELP.commands)
    with pytest.raises(CommandTableError, match="/summary has chair_only wording"):
        _router(Recorder(), HELP.model_copy(update={"commands": unworded}))


def test_a_word_naming_two_commands_is_refused() -> None:
    clash = replace(COMMANDS[0], name="other", aliases=(COMMANDS[1].name,))
    with pytest.raises(CommandTableError, match="names both"):
        vocabulary((*COMMANDS, clash))


def test_a_command_request_has_no_conference_until_the_router_finds_it() -> None:
    request = ASKING.for_command(Command("quorum"))
    with pytest.raises(ValueError, match="without its conference"):
        _ = request.conference_chat
    assert replace(request, conference=MEETING_CHAT).conference_chat == MEETING_CHAT


def test_the_disconnection_form_gates_as_its_command_does() -> None:
    """The form's chair check is audited under, and worded as, the command that opens it."""
    [entry] = [entry for entry in COMMANDS if entry.name == LOG_COMMAND]
    assert entry.audience is Audience.CHAIR
    assert chair_only_wording(HELP)[LOG_COMMAND].action == "log a disconnection"
