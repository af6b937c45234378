"""Teams-shaped activities posted to /api/messages; replies captured by the fake Bot Connector."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from bot.usecases.answer_command import CommandResponder
from bot.web import keys
from bot.web.app_factory import create_app
from tests.conftest import ClientFactory, SettingsFactory
from tests.support import activities
from tests.support.activities import CONVERSATION_IDS
from tests.support.fake_connector import FakeConnector

Client = TestClient[web.Request, web.Application]
EXPECTATIONS_TITLE = "Joining a child protection conference online"
SCOPES: list[activities.Scope] = ["personal", "groupChat", "meetingChat", "channel"]


def _first_text(card: dict[str, Any]) -> str:
    return str(card["body"][0]["text"])


async def _post(client: Client, payload: Any) -> int:
    response = await client.post("/api/messages", json=payload)
    return response.status


@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize("text", ["/expectations", "expectations", "EXPECTATIONS", "  /Expectations  "])
async def test_expectations_card_in_every_scope(
    bot_client: Client, fake_connector: tuple[FakeConnector, str], scope: activities.Scope, text: str
) -> None:
    connector, service_url = fake_connector
    inbound = activities.message(text, service_url=service_url, scope=scope)
    assert await _post(bot_client, inbound) == 200
    [sent] = await connector.wait_for(1)
    assert sent.conversation_id == CONVERSATION_IDS[scope]
    assert sent.reply_to_id == inbound["id"]
    [card] = sent.cards
    assert _first_text(card) == EXPECTATIONS_TITLE
    assert sent.body["summary"]
    assert sent.authorization is None  # local mode: nothing to sign with


async def test_meeting_chat_message_without_the_mention_entity_still_works(
    bot_client: Client, fake_connector: tuple[FakeConnector, str]
) -> None:
    connector, service_url = fake_connector
    inbound = activities.message(
        "<at>CP Conference Bot</at> /expectations", service_url=service_url, scope="meetingChat", mention_bot=False
    )
    assert await _post(bot_client, inbound) == 200
    [sent] = await connector.wait_for(1)
    assert _first_text(sent.cards[0]) == EXPECTATIONS_TITLE


@pytest.mark.parametrize(("text", "lead"), [("/help", None), ("what now?", "Sorry, I did not recognise that.")])
async def test_help_card_for_help_and_for_unknown_text(
    bot_client: Client, fake_connector: tuple[FakeConnector, str], text: str, lead: str | None
) -> None:
    connector, service_url = fake_connector
    assert await _post(bot_client, activities.message(text, service_url=service_url, scope="groupChat")) == 200
    [sent] = await connector.wait_for(1)
    card = sent.cards[0]
    texts = [element.get("text", "") for element in card["body"]]
    assert any("@CP Conference Bot" in text for text in texts), "shared scopes explain the @mention"
    assert (texts[0].startswith(lead)) if lead else texts[0] == "CP Conference Bot"
    assert "what now" not in json.dumps(card), "the bot never repeats what was typed"
    assert card["actions"][0]["data"] == {"command": "expectations"}


@pytest.mark.parametrize(
    ("data", "first_text"),
    [({"command": "expectations"}, EXPECTATIONS_TITLE), ({"command": "drop table"}, "CP Conference Bot")],
)
async def test_card_buttons_are_answered_and_unknown_button_data_gets_help(
    bot_client: Client, fake_connector: tuple[FakeConnector, str], data: dict[str, str], first_text: str
) -> None:
    connector, service_url = fake_connector
    submit = activities.message("", service_url=service_url, mention_bot=False, value=data)
    assert await _post(bot_client, submit) == 200
    [sent] = await connector.wait_for(1)
    assert _first_text(sent.cards[0]) == first_text


async def test_installation_says_hello_with_help(bot_client: Client, fake_connector: tuple[FakeConnector, str]) -> None:
    connector, service_url = fake_connector
    install = activities.activity("installationUpdate", service_url=service_url, action="add")
    assert await _post(bot_client, install) == 200
    [sent] = await connector.wait_for(1)
    assert _first_text(sent.cards[0]).startswith("Hello!")


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"not json", "application/json"),
        (b"[1, 2, 3]", "application/json"),
        (b'"a string"', "application/json"),
        (b"{}", "application/json"),
        (b'{"type": ""}', "application/json"),
        (b'{"type": "message"}', "application/json"),
        (b'{"type": "message", "serviceUrl": "ftp://x", "conversation": {"id": "c"}}', "application/json"),
        (b'{"type": "message", "serviceUrl": "https://x/", "conversation": "c"}', "application/json"),
        (b"\xff\xfe\x00", "application/json"),
        (b"type=message", "application/x-www-form-urlencoded"),
        (b"", "text/plain"),
    ],
)
async def test_a_body_that_is_not_an_activity_is_a_400(bot_client: Client, body: bytes, content_type: str) -> None:
    response = await bot_client.post("/api/messages", data=body, headers={"Content-Type": content_type})
    assert response.status == 400
    assert "error" in await response.json()


async def test_no_content_type_is_a_400_not_a_500(bot_client: Client) -> None:
    response = await bot_client.post("/api/messages", data=b"x", skip_auto_headers=["Content-Type"])
    assert response.status == 400


async def test_an_oversized_body_is_a_413(bot_client: Client) -> None:
    response = await bot_client.post(
        "/api/messages", data=b"{" + b" " * (512 * 1024) + b"}", headers={"Content-Type": "application/json"}
    )
    assert response.status == 413


@pytest.mark.parametrize(
    "activity_type", ["typing", "messageReaction", "conversationUpdate", "endOfConversation", "somethingNew"]
)
async def test_other_activity_types_are_accepted_quietly(
    bot_client: Client, fake_connector: tuple[FakeConnector, str], activity_type: str
) -> None:
    connector, service_url = fake_connector
    assert await _post(bot_client, activities.activity(activity_type, service_url=service_url)) == 200
    assert connector.sent == []


async def test_get_is_not_allowed(bot_client: Client) -> None:
    assert (await bot_client.get("/api/messages")).status == 405


async def test_a_failing_turn_apologises_in_one_neutral_line_and_logs_a_reference(
    aiohttp_client: ClientFactory,
    make_settings: SettingsFactory,
    fake_connector: tuple[FakeConnector, str],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    connector, service_url = fake_connector
    client = await aiohttp_client(create_app(make_settings()))

    async def broken(*_args: Any) -> None:
        raise RuntimeError("simulated failure inside the turn")

    monkeypatch.setattr(CommandResponder, "expectations", broken)
    with caplog.at_level(logging.ERROR):
        assert await _post(client, activities.message("/expectations", service_url=service_url)) == 200
    [sent] = await connector.wait_for(1)
    apology = sent.body["text"]
    assert apology.startswith("Sorry, something went wrong")
    assert "\n" not in apology
    for leak in ("Traceback", "RuntimeError", "simulated failure", "source code"):
        assert leak not in apology
    reference = apology.rsplit("Reference: ", 1)[1].rstrip(")")
    assert any(reference in record.getMessage() for record in caplog.records)


async def test_a_turn_still_answers_when_the_database_write_fails(
    aiohttp_client: ClientFactory,
    make_settings: SettingsFactory,
    fake_connector: tuple[FakeConnector, str],
) -> None:
    connector, service_url = fake_connector
    app = create_app(make_settings())
    client = await aiohttp_client(app)
    await app[keys.DATABASE].dispose()
    async with app[keys.DATABASE].begin() as connection:
        await connection.exec_driver_sql("DROP TABLE conversations")
    assert await _post(client, activities.message("/expectations", service_url=service_url)) == 200
    [sent] = await connector.wait_for(1)
    assert _first_text(sent.cards[0]) == EXPECTATIONS_TITLE


async def test_an_invoke_gets_a_json_invoke_response(
    bot_client: Client, fake_connector: tuple[FakeConnector, str]
) -> None:
    """Invokes the bot does not handle yet (such as a card's Action.Execute) are answered, not left hanging."""
    _connector, service_url = fake_connector
    invoke = activities.activity(
        "invoke",
        service_url=service_url,
        name="adaptiveCard/action",
        value={"action": {"type": "Action.Execute", "verb": "unknown", "data": {}}, "trigger": "manual"},
    )
    response = await bot_client.post("/api/messages", json=invoke)
    assert response.status == 501  # botbuilder's answer to an Action.Execute nobody handles
    assert response.content_type == "application/json"
