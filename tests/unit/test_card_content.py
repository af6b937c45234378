from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.usecases.command_table import COMMANDS
from cards.content import CONTENT_DIRECTORY, load_card_content, read_card_content
from cards.wording.base import ContentError


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(CONTENT_DIRECTORY, target)
    return target


def test_bundled_content_is_valid() -> None:
    content = load_card_content()
    assert content.expectations.sections
    assert content.help.commands


def test_every_command_has_help_and_every_help_entry_is_a_command() -> None:
    documented = {command.name for command in load_card_content().help.commands}
    assert documented == {entry.name for entry in COMMANDS}


def test_broken_yaml_names_the_file(content_copy: Path) -> None:
    (content_copy / "expectations.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"expectations\.yaml: is not valid YAML"):
        read_card_content(content_copy)


def test_missing_part_names_the_field(content_copy: Path) -> None:
    path = content_copy / "help.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("title: CP Conference Bot\n", ""), encoding="utf-8")
    with pytest.raises(ContentError, match=r"help\.yaml: title: Field required"):
        read_card_content(content_copy)


def test_a_misspelt_field_is_refused_rather_than_ignored(content_copy: Path) -> None:
    path = content_copy / "expectations.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "closng: typo\n", encoding="utf-8")
    with pytest.raises(ContentError, match="closng"):
        read_card_content(content_copy)


def test_a_missing_file_is_reported(content_copy: Path) -> None:
    (content_copy / "help.yaml").unlink()
    with pytest.raises(ContentError, match=r"help\.yaml: cannot be read"):
        read_card_content(content_copy)


@pytest.mark.parametrize(
    "started",
    ["Started at {time} for {family}.", "Started at {time} {", "Started at {time} {0}.", "Started {}"],
)
def test_a_conference_heading_that_would_not_format_is_refused(content_copy: Path, started: str) -> None:
    path = content_copy / "expectations.yaml"
    original = "started: This conference started at {time}. Please stay until the end."
    text = path.read_text(encoding="utf-8")
    assert original in text
    path.write_text(text.replace(original, f'started: "{started}"'), encoding="utf-8")
    with pytest.raises(ContentError, match=r"conference\.started"):
        read_card_content(content_copy)


def test_the_warnings_repeat_the_expectations_points_and_a_phrase_naming_none_is_refused(content_copy: Path) -> None:
    expectations = load_card_content().expectations
    points = [point for section in expectations.sections for point in section.points]
    assert expectations.at_the_door_points
    assert all(point in points for point in expectations.at_the_door_points), "not a second copy: the same points"
    path = content_copy / "expectations.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  - camera on\n", "  - camera off\n"), encoding="utf-8")
    with pytest.raises(ContentError, match="'camera off' must be found in exactly one point"):
        read_card_content(content_copy)


def test_chair_wording_may_use_only_the_placeholders_the_bot_fills(content_copy: Path) -> None:
    path = content_copy / "chair.yaml"
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace('"{name} is not in', '"{nmae} is not in'), encoding="utf-8")
    refused = r"\{nmae\} is not a placeholder not_in_meeting can use \(it may use \{name\}"
    with pytest.raises(ContentError, match=refused):
        read_card_content(content_copy)
    path.write_text(original.replace("like 10:42.\n", "like {time}.\n"), encoding="utf-8")
    with pytest.raises(ContentError, match=r"card_actions: .*\{time\} is not a placeholder give_time can use"):
        read_card_content(content_copy)
