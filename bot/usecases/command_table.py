"""The bot's commands, one entry each: the names people may type, where Teams offers the command, who may use it, and
the use case that answers it. Nothing else in the bot lists commands: the parser reads its words from here, the Teams
handler hands every message and card button to `CommandRouter`, and the app package's command menus are drawn from
here. A chair's card buttons (the disconnection form, undo) are routed here too, by the type the domain reads them as.

Adding a command is an entry here, its use case's method, its help content (`cards/content/help.yaml`) and its tests.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import assert_never
from zoneinfo import ZoneInfo

from bot.domain.card_actions import (
    ActionProblem,
    CardAction,
    FormSubmission,
    ProceedRequest,
    ReportAction,
    UndoRequest,
)
from bot.domain.commands import Command, ParsedText, Vocabulary, command_from_card_data, parse_command
from bot.domain.conversations import ConversationAddress, ConversationKind
from bot.telemetry.recording import annotate
from bot.telemetry.vocabulary import Attribute
from bot.usecases.answer_command import CommandResponder
from bot.usecases.chair_check import Asker
from bot.usecases.chair_conferences import Candidate, ChairConferences, Choose, InHand, NoneFound, NotHere
from bot.usecases.chair_disconnects import ChairAnswer, ChairDisconnects
from bot.usecases.chair_gate import ChairGate, notice
from bot.usecases.chair_requests import ChairRequests
from bot.usecases.command_request import Asking, CommandRequest
from bot.usecases.conference_reports import ConferenceReports
from bot.usecases.quorum_at_door import QuorumAtTheDoor
from bot.usecases.replies import CardReply
from bot.usecases.report_confirmations import ReportConfirmations
from bot.usecases.report_deadlines import ReportDeadlines
from cards.conference_choice import ConferenceOption, build_conference_choice
from cards.disconnect_form import action_problem
from cards.wording.chair import ChairContent
from cards.wording.help import ChairOnlyWording, HelpContent


class Scope(StrEnum):
    """Where Teams offers a command in its compose-box menu (the manifest's `commandLists` scopes)."""

    PERSONAL = "personal"
    """The 1:1 chat with the bot."""
    GROUP_CHAT = "groupChat"
    """Group chats and meeting chats."""
    TEAM = "team"
    """Channels."""


class Audience(StrEnum):
    ANYONE = "anyone"
    CHAIR = "chair"
    """Only the conference's CP Chair: the conference is found (from its meeting chat, or the chair's own chat) and
    the asker checked (and audited) against it before the use case runs; the answer goes to them privately."""


Answer = Callable[[CommandRequest], Awaitable[CardReply]]


@dataclass(frozen=True, slots=True)
class CommandServices:
    """The use cases commands are answered by, built once by the wiring."""

    responder: CommandResponder
    chair: ChairRequests
    disconnects: ChairDisconnects
    deadlines: ReportDeadlines
    gate: ChairGate
    conferences: ChairConferences
    reports: ConferenceReports
    confirmations: ReportConfirmations | None
    """None when calendar reminders are off (there are no report reminders to confirm)."""
    door: QuorumAtTheDoor | None
    """None when calendar reminders are off (no quorum at the start is sent)."""


@dataclass(frozen=True, slots=True)
class CommandEntry:
    name: str
    aliases: tuple[str, ...]
    scopes: frozenset[Scope]
    audience: Audience
    answer: Callable[[CommandServices], Answer]
    """The use case's method that answers the command (for a chair command, once the asker is known to chair)."""
    in_own_chat: Callable[[CommandServices], Answer] | None = None
    """For a chair command about conferences still to come: what answers it in the asker's own chat (from the
    calendar, checking each conference's chairs itself) instead of the running or most recent conference."""


EVERYWHERE = frozenset(Scope)
CHAIRS = EVERYWHERE
"""Chair commands: in the chair's own chat, and in a conference's meeting chat or channel meeting (answered
privately)."""

COMMANDS: tuple[CommandEntry, ...] = (
    CommandEntry(
        "expectations",
        ("expectation", "rules"),
        EVERYWHERE,
        Audience.ANYONE,
        lambda services: services.responder.expectations,
    ),
    CommandEntry("help", ("commands", "?"), EVERYWHERE, Audience.ANYONE, lambda services: services.responder.help),
    CommandEntry("quorum", ("quoracy",), CHAIRS, Audience.CHAIR, lambda services: services.chair.quorum),
    CommandEntry(
        "log-disconnect",
        ("log-disconnection", "logdisconnect", "disconnect"),
        CHAIRS,
        Audience.CHAIR,
        lambda services: services.disconnects.log_from_command,
    ),
    CommandEntry(
        "disconnects",
        ("disconnections",),
        CHAIRS,
        Audience.CHAIR,
        lambda services: services.disconnects.list_entries,
    ),
    CommandEntry("summary", (), CHAIRS, Audience.CHAIR, lambda services: services.chair.summary),
    CommandEntry(
        "reports",
        ("report", "report-status", "reports-status"),
        CHAIRS,
        Audience.CHAIR,
        lambda services: services.reports.for_conference,
        in_own_chat=lambda services: services.reports.upcoming_chaired,
    ),
    CommandEntry(
        "report-deadline",
        ("report-deadlines", "reportdeadline", "deadline", "deadlines"),
        EVERYWHERE,
        Audience.ANYONE,
        lambda services: services.deadlines.answer,
    ),
)


class CommandTableError(Exception):
    """The command table and the help content do not agree; the message says how."""


def vocabulary(commands: Sequence[CommandEntry] = COMMANDS) -> dict[str, str]:
    """Every word that names a command → its name; a word naming two commands is refused."""
    words: dict[str, str] = {}
    for entry in commands:
        for word in (entry.name, *entry.aliases):
            if words.setdefault(word.lower(), entry.name) != entry.name:
                raise CommandTableError(f"{word!r} names both /{words[word.lower()]} and /{entry.name}")
    return words


def check_help_content(help_content: HelpContent, commands: Sequence[CommandEntry] = COMMANDS) -> None:
    """Every command has its help, every help entry is a command, and a chair command says what it is for."""
    documented = {command.name: command for command in help_content.commands}
    named = {entry.name for entry in commands}
    if missing := sorted(named - documented.keys()):
        raise CommandTableError(f"help.yaml has no entry for {', '.join('/' + name for name in missing)}")
    if unknown := sorted(documented.keys() - named):
        raise CommandTableError(f"help.yaml describes commands the bot does not have: {', '.join(unknown)}")
    for entry in commands:
        if (entry.audience is Audience.CHAIR) != (documented[entry.name].chair_only is not None):
            raise CommandTableError(f"help.yaml: /{entry.name} has chair_only wording if, and only if, chairs use it")


def chair_only_wording(help_content: HelpContent) -> dict[str, ChairOnlyWording]:
    """What each chair-only command says to someone it cannot serve, by the command's name."""
    return {command.name: command.chair_only for command in help_content.commands if command.chair_only is not None}


class CommandRouter:
    """Reads the command in a message and has its use case answer it.

    A chair command is first pointed at its conference (`ChairConferences`) and checked against it (`ChairGate`);
    its answer, whatever it is, goes to the asker privately. Asked in a conversation others read (a meeting chat),
    that conversation hears nothing of it: `None` is returned, or where the asker cannot be reached privately, one
    neutral line.
    """

    def __init__(
        self,
        services: CommandServices,
        help_content: HelpContent,
        chair_content: ChairContent,
        timezone: ZoneInfo,
        commands: Sequence[CommandEntry] = COMMANDS,
    ) -> None:
        check_help_content(help_content, commands)
        self._services = services
        self._vocabulary: Vocabulary = vocabulary(commands)
        self._entries: Mapping[str, CommandEntry] = {entry.name: entry for entry in commands}
        self._chair_wording: Mapping[str, ChairOnlyWording] = chair_only_wording(help_content)
        self._chair_content = chair_content
        self._timezone = timezone

    def parse(self, text: str | None, card_data: object = None) -> ParsedText:
        """The command a card button asks for, or else the one in the text."""
        return command_from_card_data(card_data, self._vocabulary) or parse_command(text, self._vocabulary)

    async def answer(self, text: str | None, card_data: object, asking: Asking) -> CardReply | None:
        """The answer to a message for the chat it came from (None: nothing, the asker was answered privately): its
        command's, or the help card when it holds none."""
        parsed = self.parse(text, card_data)
        if not isinstance(parsed, Command):
            return self._services.responder.not_a_command(parsed, asking.kind)
        request = asking.for_command(parsed)
        entry = self._entries[parsed.name]
        annotate({Attribute.COMMAND: entry.name})
        if entry.audience is Audience.ANYONE:
            return await entry.answer(self._services)(request)
        return await self._privately(request.chat, request.asker, await self._answer_chair(entry, request))

    async def answer_card_action(
        self, action: CardAction, asker: Asker, chat: ConversationAddress | None, now: datetime
    ) -> ChairAnswer | None:
        """A button pressed on one of the chair's cards; None when the answer went to the asker privately."""
        match action:
            case FormSubmission():
                answer = await self._services.disconnects.submit_form(action, asker, chat, now)
            case UndoRequest():
                answer = await self._services.disconnects.undo(action, asker, now)
            case ReportAction():
                confirmations = self._services.confirmations
                if confirmations is None:
                    answer = ChairAnswer(self._services.reports.without_calendars())
                else:
                    answer = await confirmations.press(action, asker, chat, now)
            case ProceedRequest():
                door = self._services.door
                if door is None:
                    answer = ChairAnswer(self._services.reports.without_calendars())
                else:
                    answer = await door.proceed(action, asker, chat, now)
            case ActionProblem():
                answer = ChairAnswer(notice(action_problem(action, self._chair_content.card_actions)))
            case _:
                assert_never(action)
        if chat is None or chat.kind is ConversationKind.PERSONAL:
            return answer
        # A chair's card pressed where others read (one posted before chairs were answered privately).
        elsewhere = await self._privately(chat, asker, answer.reply)
        return ChairAnswer(elsewhere) if elsewhere is not None else None

    async def _answer_chair(self, entry: CommandEntry, request: CommandRequest) -> CardReply:
        wording = self._chair_wording[entry.name]
        own_chat = request.chat is not None and request.chat.kind is ConversationKind.PERSONAL
        if entry.in_own_chat is not None and own_chat and request.command.conference is None:
            return await entry.in_own_chat(self._services)(request)
        found = await self._services.conferences.find(
            request.asker, request.chat, request.command.conference, request.now
        )
        match found:
            case NotHere():
                return self._services.gate.where_it_works(entry.name, wording.elsewhere)
            case NoneFound():
                return await self._services.gate.no_conference(request.asker, entry.name, wording.action, request.now)
            case Choose(candidates):
                return self._choice(entry.name, request.command.arguments, candidates)
            case InHand(chat):
                asked_there = request.chat is not None and request.chat.conversation_id == chat.conversation_id
                refusal = await self._services.gate.refusal(
                    chat, request.asker, entry.name, wording.action, request.now, asked_there=asked_there
                )
                if refusal is not None:
                    return refusal
                return await entry.answer(self._services)(request.for_command(request.command, chat))
            case _:
                assert_never(found)

    def _choice(self, command: str, arguments: str, candidates: Sequence[Candidate]) -> CardReply:
        options = [ConferenceOption(c.chat.conversation_id, c.started_at, c.agencies) for c in candidates]
        wording = self._chair_content.choice
        card = build_conference_choice(
            options, command=command, arguments=arguments, timezone=self._timezone, wording=wording
        )
        return CardReply(card, wording.summary)

    async def _privately(self, chat: ConversationAddress | None, asker: Asker, answer: CardReply) -> CardReply | None:
        """`answer` for the chat it was asked in if that is the asker's own; else sent to them privately."""
        if chat is None or chat.kind is ConversationKind.PERSONAL:
            return answer
        return await self._services.gate.answer_privately(chat, asker, answer)
