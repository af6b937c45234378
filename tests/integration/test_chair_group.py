"""The chairs' Entra group, asked of Microsoft Graph (a fake on 127.0.0.1 speaking Graph's documented wire format)
through the real msgraph-sdk client."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from bot.domain.chairs import AuditOutcome, ChairBasis
from bot.graph.chair_group import GraphChairGroup
from bot.graph.client import graph_client
from bot.store.audit import SqlChairAudit
from bot.store.database import session_factory
from bot.store.disconnections import SqlDisconnectionLog
from bot.usecases.port_errors import DirectoryUnavailableError
from bot.web import keys
from bot.web.app_factory import create_app
from tests.conftest import ClientFactory, ServerFactory, SettingsFactory
from tests.support import activities
from tests.support.activities import CONVERSATION_IDS, MEETING_ID
from tests.support.bot_http import post_activity
from tests.support.fake_connector import FakeConnector, FakeMeeting, FakePerson
from tests.support.fake_graph import FakeGraph

GROUP = "6c1e4a52-7f3a-4c8e-9d2b-0e8f1a2b3c4d"
CHAIR = FakePerson("aad-organiser", "Alex Morgan", "alex.morgan@example-council.gov.uk", role="Organizer")
GROUP_CHAIR = FakePerson("aad-group-chair", "Dee Brown", "dee.brown@example-council.gov.uk")
NURSE = FakePerson("aad-nurse", "Chris Lee", "chris.lee@nhs.net")


@pytest.fixture
async def graph(aiohttp_server: ServerFactory) -> tuple[FakeGraph, str]:
    fake = FakeGraph(
        groups={GROUP: {GROUP_CHAIR.aad_object_id}}, users={GROUP_CHAIR.aad_object_id, NURSE.aad_object_id}
    )
    server = await aiohttp_server(fake.app())
    return fake, str(server.make_url("/v1.0"))


@pytest.fixture
async def group(graph: tuple[FakeGraph, str]) -> AsyncIterator[GraphChairGroup]:
    _, base_url = graph
    async with graph_client(base_url, None, request_timeout_seconds=1) as client:
        yield GraphChairGroup(client, GROUP)


async def test_a_member_is_in_the_group_and_others_are_not(
    group: GraphChairGroup, graph: tuple[FakeGraph, str]
) -> None:
    assert await group.includes(GROUP_CHAIR.aad_object_id) is True
    assert await group.includes(NURSE.aad_object_id) is False
    assert await group.includes("aad-guest-from-elsewhere") is False, "404: not a user here, so not a chair"
    assert graph[0].calls == [GROUP_CHAIR.aad_object_id, NURSE.aad_object_id, "aad-guest-from-elsewhere"]


@pytest.mark.parametrize(("status", "delay"), [(403, 0.0), (500, 0.0), (None, 3.0)], ids=["403", "500", "timeout"])
async def test_when_graph_cannot_say_the_check_says_so(
    group: GraphChairGroup, graph: tuple[FakeGraph, str], status: int | None, delay: float
) -> None:
    graph[0].status = status
    graph[0].delay = delay
    with pytest.raises(DirectoryUnavailableError):
        await group.includes(GROUP_CHAIR.aad_object_id)


Client = TestClient[web.Request, web.Application]


async def test_a_member_of_the_chairs_group_may_log_over_http(
    aiohttp_client: ClientFactory,
    make_settings: SettingsFactory,
    fake_connector: tuple[FakeConnector, str],
    graph: tuple[FakeGraph, str],
) -> None:
    connector, service_url = fake_connector
    chat = CONVERSATION_IDS["meetingChat"]
    connector.add_meeting(FakeMeeting(MEETING_ID, chat, [CHAIR, GROUP_CHAIR, NURSE], organizer=CHAIR))
    settings = make_settings(chair_group_id=GROUP, graph_base_url=graph[1])
    client = await aiohttp_client(create_app(settings))
    for sender in (GROUP_CHAIR, NURSE):
        await post_activity(
            client,
            activities.message(
                "/log-disconnect Chris now", service_url=service_url, scope="meetingChat", sender=sender
            ),
        )
    sessions = session_factory(client.app[keys.DATABASE])
    [row] = await SqlDisconnectionLog(sessions).for_export(meeting_id=MEETING_ID)
    assert row.entry.logged_by == GROUP_CHAIR.aad_object_id
    outcomes = [(entry.outcome, entry.basis) for entry in await SqlChairAudit(sessions).entries(MEETING_ID)]
    assert outcomes == [(AuditOutcome.ALLOWED, ChairBasis.GROUP), (AuditOutcome.REFUSED, None)]
