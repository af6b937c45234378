"""The wording on the cards, loaded from the YAML files in `cards/content/` and checked before the bot starts."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from cards.markup import Markdown
from cards.wording.base import ContentError
from cards.wording.chair import ChairContent
from cards.wording.expectations import ExpectationsContent
from cards.wording.help import HelpContent
from cards.wording.notices import NoticeContent
from cards.wording.pages import PagesContent
from cards.wording.reminders import ReminderContent
from cards.wording.reports import ReportsContent

CONTENT_DIRECTORY = Path(__file__).parent / "content"

_Model = TypeVar("_Model", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class CardContent:
    expectations: ExpectationsContent
    help: HelpContent
    chair: ChairContent
    notices: NoticeContent
    reminders: ReminderContent
    pages: PagesContent
    reports: ReportsContent

    @property
    def reminder_wording(self) -> ReminderWording:
        return ReminderWording(self.reminders, self.expectations.at_the_door_points)


@dataclass(frozen=True, slots=True)
class ReminderWording:
    """What the calendar reminders say: `reminders.yaml`'s sentences, and the expectations' points the pre-meeting
    warning repeats (`ExpectationsContent.at_the_door_points`)."""

    sentences: ReminderContent
    at_the_door: tuple[Markdown, ...]


def read_yaml_model(path: Path, model: type[_Model]) -> _Model:
    """A YAML file checked against a pydantic model; ContentError names the file and the field that is wrong."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ContentError(f"{path}: cannot be read ({error.strerror})") from None
    except yaml.YAMLError as error:
        raise ContentError(f"{path}: is not valid YAML ({error})") from None
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "the file"
        raise ContentError(f"{path}: {where}: {first['msg']}") from None


def read_card_content(directory: Path = CONTENT_DIRECTORY) -> CardContent:
    """Read and check the content files in a directory (every call reads the files afresh)."""
    return CardContent(
        expectations=read_yaml_model(directory / "expectations.yaml", ExpectationsContent),
        help=read_yaml_model(directory / "help.yaml", HelpContent),
        chair=read_yaml_model(directory / "chair.yaml", ChairContent),
        notices=read_yaml_model(directory / "notices.yaml", NoticeContent),
        reminders=read_yaml_model(directory / "reminders.yaml", ReminderContent),
        pages=read_yaml_model(directory / "pages.yaml", PagesContent),
        reports=read_yaml_model(directory / "reports.yaml", ReportsContent),
    )


@cache
def load_card_content() -> CardContent:
    """The bundled content, read once per process."""
    return read_card_content()
