from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import cast

import pytest
from PIL import Image

from bot.cli.main import main
from bot.teams_app.package import MANIFEST_DIRECTORY, PackageError, write_package
from cards import load_card_content

BOT_ID = "6f1c2a3e-0000-4000-8000-000000000001"


def test_package_holds_the_manifest_and_icons_at_its_root(tmp_path: Path) -> None:
    output = tmp_path / "app.zip"
    write_package(output, bot_id=BOT_ID, teams_app_id=None, help_content=load_card_content().help)
    with zipfile.ZipFile(output) as package:
        assert sorted(package.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(package.read("manifest.json"))
    assert manifest["id"] == BOT_ID
    assert manifest["bots"][0]["botId"] == BOT_ID
    assert manifest["version"] == "0.1.0"


def test_every_scope_has_a_command_list_from_the_help_content(tmp_path: Path) -> None:
    manifest = write_package(
        tmp_path / "app.zip", bot_id=BOT_ID, teams_app_id=None, help_content=load_card_content().help
    )
    lists = {entry["scopes"][0]: entry["commands"] for entry in manifest["bots"][0]["commandLists"]}
    assert set(lists) == {"personal", "groupChat", "team"}
    titles = {scope: {command["title"] for command in commands} for scope, commands in lists.items()}
    everything = {
        "expectations",
        "help",
        "quorum",
        "summary",
        "reports",
        "log-disconnect",
        "disconnects",
        "report-deadline",
    }
    assert titles["personal"] == everything, "chair commands work in the chair's own chat"
    assert titles["groupChat"] == everything, "…and in meeting chats (answered privately)"
    assert titles["team"] == everything, "…and in channel meetings"
    assert all(len(commands) <= 10 for commands in lists.values()), "Teams shows at most 10 commands a scope"


def test_a_separate_teams_app_id_is_used_when_given(tmp_path: Path) -> None:
    other = "0d9e8f7a-0000-4000-8000-000000000002"
    manifest = write_package(
        tmp_path / "app.zip", bot_id=BOT_ID, teams_app_id=other, help_content=load_card_content().help
    )
    assert (manifest["id"], manifest["bots"][0]["botId"]) == (other, BOT_ID)


def test_a_bot_id_that_is_not_a_guid_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PackageError, match="bot id must be a GUID"):
        write_package(tmp_path / "app.zip", bot_id="bot", teams_app_id=None, help_content=load_card_content().help)


def test_icons_are_the_sizes_teams_requires() -> None:
    with Image.open(MANIFEST_DIRECTORY / "color.png") as colour:
        assert colour.size == (192, 192)
    with Image.open(MANIFEST_DIRECTORY / "outline.png") as outline:
        assert outline.size == (32, 32)
        assert outline.mode == "RGBA"
        pixels = [cast(tuple[int, int, int, int], outline.getpixel((x, y))) for x in range(32) for y in range(32)]
        visible = [pixel for pixel in pixels if pixel[3] > 0]
        assert visible, "the outline icon is empty"
        assert all(pixel[:3] == (255, 255, 255) for pixel in visible), "the outline icon must be white"
        assert any(pixel[3] == 0 for pixel in pixels), "the outline icon must have a transparent background"


def test_without_a_public_address_the_package_is_bot_only(tmp_path: Path) -> None:
    manifest = write_package(
        tmp_path / "app.zip", bot_id=BOT_ID, teams_app_id=None, help_content=load_card_content().help
    )
    assert "configurableTabs" not in manifest
    assert manifest["validDomains"] == []


def test_the_package_command_needs_the_public_address_in_azure_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}")
    monkeypatch.setenv("MicrosoftAppId", BOT_ID)
    monkeypatch.setenv("MicrosoftAppPassword", "secret")
    monkeypatch.chdir(tmp_path)
    output = tmp_path / "app.zip"
    assert main(["package", "--output", str(output)]) != 0
    said = capsys.readouterr().err
    assert "no PUBLIC_BASE_URL: set it to the bot's public https address" in said
    assert "\n" not in said.strip()
    assert not output.exists()
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://cp-bot.example-council.gov.uk/")
    assert main(["package", "--output", str(output)]) == 0
    with zipfile.ZipFile(output) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["configurableTabs"][0]["configurationUrl"] == "https://cp-bot.example-council.gov.uk/tab/config"


def test_meeting_events_permissions_are_requested_for_this_bot(tmp_path: Path) -> None:
    manifest = write_package(
        tmp_path / "app.zip", bot_id=BOT_ID, teams_app_id=None, help_content=load_card_content().help
    )
    assert manifest["webApplicationInfo"] == {"id": BOT_ID, "resource": "https://RscPermission"}
    permissions = {
        (permission["name"], permission["type"])
        for permission in manifest["authorization"]["permissions"]["resourceSpecific"]
    }
    assert permissions >= {
        ("OnlineMeeting.ReadBasic.Chat", "Application"),  # meeting start and end events
        ("ChannelMeeting.ReadBasic.Group", "Application"),  # the same for channel meetings
        ("OnlineMeetingParticipant.Read.Chat", "Application"),  # participant join and leave events
        ("OnlineMeetingNotification.Send.Chat", "Application"),  # the expectations on the stage for late joiners
    }
    assert not any("ChatMessage.Read" in name for name, _type in permissions), "never read every chat message"
