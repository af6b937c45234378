"""The side panels' directory remembers a meeting's members and details for a while, never a role, and never a
failure; it forgets the least recently used meetings first."""

from __future__ import annotations

import pytest

from bot.domain.conversations import ConversationAddress, ConversationKind
from bot.domain.meetings import MeetingRole
from bot.domain.roster import ChatMember, MeetingInfo, MeetingParticipation
from bot.usecases.caching_directory import CachingDirectory
from bot.usecases.port_errors import TeamsCallError, TeamsFailure


def _chat(n: int) -> ConversationAddress:
    return ConversationAddress(
        f"19:meeting_{n}@thread.v2", "msteams", "https://smba", ConversationKind.MEETING_CHAT, "28:bot"
    )


class CountingDirectory:
    def __init__(self) -> None:
        self.calls: list[str] = []
        self.failing = False

    async def participation(self, chat: ConversationAddress, aad_object_id: str) -> MeetingParticipation:
        self.calls.append("participation")
        return MeetingParticipation(MeetingRole.ATTENDEE, True)

    async def meeting_info(self, chat: ConversationAddress) -> MeetingInfo:
        self.calls.append("info")
        return MeetingInfo(organizer_aad_object_id="aad-chair", scheduled_start=None, scheduled_end=None)

    async def chat_members(self, chat: ConversationAddress) -> tuple[ChatMember, ...]:
        self.calls.append(f"members {chat.conversation_id}")
        if self.failing:
            raise TeamsCallError(TeamsFailure.UNAVAILABLE)
        return ()


async def test_members_and_details_are_remembered_roles_are_not() -> None:
    teams, now = CountingDirectory(), [0.0]
    directory = CachingDirectory(teams, seconds=60, monotonic=lambda: now[0])
    for _ in range(3):
        await directory.chat_members(_chat(1))
        await directory.meeting_info(_chat(1))
        await directory.participation(_chat(1), "aad-x")
    assert teams.calls.count("members 19:meeting_1@thread.v2") == 1
    assert teams.calls.count("info") == 1
    assert teams.calls.count("participation") == 3
    now[0] = 61
    await directory.chat_members(_chat(1))
    assert teams.calls.count("members 19:meeting_1@thread.v2") == 2, "asked again once a minute has passed"


async def test_a_failure_is_not_remembered() -> None:
    teams = CountingDirectory()
    directory = CachingDirectory(teams)
    teams.failing = True
    with pytest.raises(TeamsCallError):
        await directory.chat_members(_chat(1))
    teams.failing = False
    assert await directory.chat_members(_chat(1)) == ()


async def test_the_least_recently_used_meeting_is_forgotten_first() -> None:
    teams = CountingDirectory()
    directory = CachingDirectory(teams, limit=2)
    for n in (1, 2, 1, 3, 1, 2):
        await directory.chat_members(_chat(n))
    assert [call.split("_")[1][0] for call in teams.calls] == ["1", "2", "3", "2"]
