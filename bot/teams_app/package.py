"""The Teams app package: the manifest template filled in for one deployment, zipped with its icons."""

from __future__ import annotations

import json
import uuid
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bot import __version__
from bot.usecases.command_table import COMMANDS, Scope, check_help_content
from cards.wording.help import HelpContent

MANIFEST_DIRECTORY = Path(__file__).resolve().parents[2] / "manifest"
TEMPLATE_NAME = "manifest.template.json"
ICON_NAMES = ("color.png", "outline.png")


class PackageError(Exception):
    """The package cannot be built; the message says what to fix."""


def command_lists(help_content: HelpContent) -> list[dict[str, Any]]:
    """The compose-box command menu for each scope: the command table says which commands each scope offers, the help
    content (in its order) what they are called and do."""
    check_help_content(help_content)
    offered = {entry.name: entry.scopes for entry in COMMANDS}
    lists = []
    for scope in Scope:
        commands = [
            {"title": command.title, "description": command.description}
            for command in help_content.commands
            if scope in offered[command.name]
        ]
        if commands:
            lists.append({"scopes": [scope.value], "commands": commands[:10]})
    return lists


def meeting_tab(public_base_url: str, tab_name: str) -> dict[str, Any]:
    """The configurable tab that makes the app a meeting app: added through + in a meeting, opened in its side panel,
    shown in its chat and details, and shareable to the stage (where it shows the expectations only)."""
    return {
        "id": "cp-conference",
        "configurationUrl": f"{public_base_url}/tab/config",
        "canUpdateConfiguration": False,
        "scopes": ["groupChat"],
        "context": ["meetingChatTab", "meetingDetailsTab", "meetingSidePanel", "meetingStage"],
        "meetingSurfaces": ["sidePanel", "stage"],
    }


def build_manifest(
    template: dict[str, Any],
    *,
    bot_id: str,
    teams_app_id: str,
    help_content: HelpContent,
    public_base_url: str = "",
    tab_name: str = "",
) -> dict[str, Any]:
    """The template filled in. With `public_base_url`, the meeting tab, its domain and the single sign-on resource
    (`api://<host>/<bot id>`) too; without it, a bot-only app."""
    for label, value in (("bot id", bot_id), ("Teams app id", teams_app_id)):
        try:
            uuid.UUID(value)
        except ValueError:
            raise PackageError(f"the {label} must be a GUID (got {value!r})") from None
    manifest: dict[str, Any] = json.loads(json.dumps(template))
    manifest["id"] = teams_app_id
    manifest["version"] = __version__
    bot = manifest["bots"][0]
    bot["botId"] = bot_id
    bot["commandLists"] = command_lists(help_content)
    if "webApplicationInfo" in manifest:
        manifest["webApplicationInfo"]["id"] = bot_id
    if public_base_url:
        host = urlsplit(public_base_url).netloc
        manifest["configurableTabs"] = [meeting_tab(public_base_url, tab_name)]
        manifest["validDomains"] = [host]
        manifest["webApplicationInfo"] = {"id": bot_id, "resource": f"api://{host}/{bot_id}"}
    return manifest


def write_package(
    output: Path,
    *,
    bot_id: str,
    teams_app_id: str | None,
    help_content: HelpContent,
    public_base_url: str = "",
    tab_name: str = "",
    manifest_directory: Path = MANIFEST_DIRECTORY,
) -> dict[str, Any]:
    """Write the uploadable zip (manifest.json and both icons at its root) and return the manifest."""
    template_path = manifest_directory / TEMPLATE_NAME
    try:
        template = json.loads(template_path.read_text(encoding="utf-8"))
    except OSError as error:
        raise PackageError(f"{template_path}: cannot be read ({error.strerror})") from None
    except json.JSONDecodeError as error:
        raise PackageError(f"{template_path}: is not valid JSON ({error})") from None
    manifest = build_manifest(
        template,
        bot_id=bot_id,
        teams_app_id=teams_app_id or bot_id,
        help_content=help_content,
        public_base_url=public_base_url,
        tab_name=tab_name,
    )
    missing = [name for name in ICON_NAMES if not (manifest_directory / name).is_file()]
    if missing:
        raise PackageError(f"{manifest_directory}: missing icon(s) {', '.join(missing)}")
    output.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as package:
        package.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        for name in ICON_NAMES:
            package.write(manifest_directory / name, arcname=name)
    return manifest
