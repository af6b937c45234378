"""What every command's use case is handed: who asked, where and when, and the command."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.domain.commands import Command
from bot.domain.conversations import ConversationAddress, ConversationKind
from bot.domain.mentions import Mention
from bot.usecases.chair_check import Asker


@dataclass(frozen=True, slots=True)
class Asking:
    """Who sent a message, where and when: everything about it but what they asked."""

    asker: Asker
    chat: ConversationAddress | None
    kind: ConversationKind
    mentions: Sequence[Mention]
    """Everyone @mentioned in the message other than the bot."""
    message_id: str
    """Teams' id for the message: a redelivery of it carries the same one."""
    now: datetime

    def for_command(self, command: Command, conference: ConversationAddress | None = None) -> CommandRequest:
        return CommandRequest(
            self.asker, self.chat, self.kind, self.mentions, self.message_id, self.now, command, conference
        )


@dataclass(frozen=True, slots=True)
class CommandRequest(Asking):
    """A command someone typed (or a card button asked for), with who asked, where and when."""

    command: Command
    conference: ConversationAddress | None = None
    """For a chair command: the conference's own conversation, once the router has found which conference it is
    about and that the asker chairs it (the chat it was asked in may be the chair's 1:1 chat)."""

    @property
    def conference_chat(self) -> ConversationAddress:
        """The conversation of the conference a chair command is about (the router lets no chair command reach its
        use case without one)."""
        if self.conference is None:
            raise ValueError("a chair command reached its use case without its conference")
        return self.conference
