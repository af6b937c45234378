"""The app package's manifest passes Microsoft's official Teams manifest schema, offline."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from bot.teams_app.package import write_package
from cards import load_card_content
from tests.support.node_tools import require_package, run_node_script

SCRIPT = Path(__file__).with_name("validate-manifest.cjs")
BOT_ID = "6f1c2a3e-0000-4000-8000-000000000001"


PUBLIC = "https://cp-bot.example-council.gov.uk"


def _manifest_from_package(tmp_path: Path, public_base_url: str = PUBLIC) -> Path:
    package = tmp_path / "app.zip"
    content = load_card_content()
    write_package(
        package,
        bot_id=BOT_ID,
        teams_app_id=None,
        help_content=content.help,
        public_base_url=public_base_url,
        tab_name=content.pages.tab_name,
    )
    with zipfile.ZipFile(package) as archive:
        archive.extract("manifest.json", tmp_path)
    return tmp_path / "manifest.json"


def test_packaged_manifest_passes_the_official_schema(tmp_path: Path) -> None:
    require_package("@microsoft/app-manifest")
    manifest_path = _manifest_from_package(tmp_path)
    assert run_node_script(SCRIPT, str(manifest_path)) == []
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    version = tuple(int(part) for part in manifest["manifestVersion"].split("."))
    assert version >= (1, 19)
    assert manifest["$schema"].endswith(f"/v{manifest['manifestVersion']}/MicrosoftTeams.schema.json")


def test_the_meeting_tab_passes_the_official_schema_and_a_bot_only_package_too(tmp_path: Path) -> None:
    require_package("@microsoft/app-manifest")
    manifest = json.loads(_manifest_from_package(tmp_path).read_text(encoding="utf-8"))
    [tab] = manifest["configurableTabs"]
    assert tab["configurationUrl"] == f"{PUBLIC}/tab/config"
    assert {"meetingSidePanel", "meetingChatTab", "meetingDetailsTab"} <= set(tab["context"])
    assert tab["scopes"] == ["groupChat"], "a meeting app's tab is a group chat tab"
    assert manifest["validDomains"] == ["cp-bot.example-council.gov.uk"]
    assert manifest["webApplicationInfo"] == {"id": BOT_ID, "resource": f"api://cp-bot.example-council.gov.uk/{BOT_ID}"}
    bot_only = tmp_path / "bot-only"
    bot_only.mkdir()
    assert run_node_script(SCRIPT, str(_manifest_from_package(bot_only, public_base_url=""))) == []


def test_the_schema_check_can_fail(tmp_path: Path) -> None:
    require_package("@microsoft/app-manifest")
    manifest_path = _manifest_from_package(tmp_path)
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["name"]["short"] = "x" * 31
    del manifest["accentColor"]
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    errors = run_node_script(SCRIPT, str(manifest_path))
    assert len(errors) >= 2


def test_the_manifest_is_on_the_newest_schema_the_official_validator_bundles(tmp_path: Path) -> None:
    require_package("@microsoft/app-manifest")
    schemas = Path("node_modules/@microsoft/app-manifest/build/json-schemas/teams")
    root = Path(__file__).resolve().parents[2]
    released = [
        tuple(int(part) for part in folder.name.removeprefix("v").split("."))
        for folder in (root / schemas).iterdir()
        if folder.name.startswith("v1.") and (folder / "MicrosoftTeams.schema.json").is_file()
    ]
    newest = ".".join(map(str, max(released)))
    manifest = json.loads(_manifest_from_package(tmp_path).read_text(encoding="utf-8"))
    assert manifest["manifestVersion"] == newest
    assert manifest["$schema"].endswith(f"/teams/v{newest}/MicrosoftTeams.schema.json")
