"""The wording on the cards, loaded from the YAML files in `cards/content/` and checked before the bot starts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Any, ClassVar, TypeVar

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from bot.domain.policy import POLICY_PLACEHOLDERS
from cards.markup import Markdown

CONTENT_DIRECTORY = Path(__file__).parent / "content"

_Model = TypeVar("_Model", bound=BaseModel)

_PLACEHOLDER = re.compile(r"\{(\w*)\}")
_FILLED_LATER = frozenset({"time"})
"""Placeholders a card fills in when it is built (the conference heading's start time)."""


def _quoting_policy(value: str) -> str:
    """The wording with the partnership's numbers filled in where it quotes them (`{join_early}`,
    `{initial_report_days}`, `{review_report_days}`: `bot.domain.policy`); any other placeholder is a mistake."""
    return _filled(value, _FILLED_LATER, "this wording")


Wording = Annotated[str, AfterValidator(_quoting_policy), AfterValidator(Markdown)]
"""Text from a content file: the partnership's own wording, whose markdown (bold key phrases) is meant, quoting the
partnership's numbers through placeholders."""


class ContentError(Exception):
    """A content or configuration file is missing, is not valid YAML, or lacks something it needs."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class ExpectationSection(_Strict):
    heading: Wording = Field(min_length=1)
    points: tuple[Wording, ...] = Field(min_length=1)


class ConferenceHeading(_Strict):
    started: Wording = Field(min_length=1, pattern=r"\{time\}")
    next_time: Wording = Field(min_length=1)

    @field_validator("started")
    @classmethod
    def _formats_with_time_only(cls, value: str) -> str:
        # Checked here, not when a conference starts: a stray brace would otherwise fail the start card.
        try:
            value.format(time="10:00")
        except (KeyError, IndexError, ValueError):
            raise ValueError("may use {time} and no other {…} placeholder") from None
        return value


class ExpectationsContent(_Strict):
    title: Wording = Field(min_length=1)
    intro: Wording = Field(min_length=1)
    sections: tuple[ExpectationSection, ...] = Field(min_length=1)
    closing: Wording = Field(min_length=1)
    conference: ConferenceHeading
    summary: Wording = Field(min_length=1)
    at_the_door: tuple[str, ...] = Field(min_length=1)
    """Key phrases of the points the pre-meeting warning repeats; each is in exactly one point."""

    @model_validator(mode="after")
    def _each_phrase_names_one_point(self) -> ExpectationsContent:
        for phrase in self.at_the_door:
            if len(self._points_saying(phrase)) != 1:
                raise ValueError(f"at_the_door: {phrase!r} must be found in exactly one point of the sections")
        return self

    @property
    def at_the_door_points(self) -> tuple[Markdown, ...]:
        """The points the pre-meeting warning repeats, as the sections word them, in the order of `at_the_door`."""
        return tuple(Markdown(self._points_saying(phrase)[0]) for phrase in self.at_the_door)

    def _points_saying(self, phrase: str) -> list[str]:
        return [point for section in self.sections for point in section.points if phrase.casefold() in point.casefold()]


class HowToAsk(_Strict):
    personal: Wording = Field(min_length=1)
    shared: Wording = Field(min_length=1)


class ChairOnlyWording(_Strict):
    """What a chair-only command says to someone it cannot serve."""

    action: str = Field(min_length=1)
    """What only chairs can do, after "Only a CP Chair can …": `ask for the quorum`."""
    elsewhere: str = Field(min_length=1)
    """Said when it is asked outside a meeting chat, after how to ask for it there."""


class CommandHelp(_Strict):
    name: str = Field(min_length=1)
    title: Wording = Field(min_length=1, max_length=32)
    description: Wording = Field(min_length=1, max_length=128)
    chair_only: ChairOnlyWording | None = None


class HelpContent(_Strict):
    title: Wording = Field(min_length=1)
    intro: Wording = Field(min_length=1)
    how_to_ask: HowToAsk
    not_recognised: Wording = Field(min_length=1)
    welcome: Wording = Field(min_length=1)
    commands: tuple[CommandHelp, ...] = Field(min_length=1)
    show_expectations_button: Wording = Field(min_length=1)
    summary: Wording = Field(min_length=1)


class _Sentences(_Strict):
    """Sentences the bot fills in: each may quote the partnership's numbers (`{join_early}`…) and use the
    placeholders `PLACEHOLDERS` gives it, and no other."""

    PLACEHOLDERS: ClassVar[dict[str, frozenset[str]]] = {}

    @model_validator(mode="before")
    @classmethod
    def _only_their_placeholders(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        return {
            name: _filled(value, cls.PLACEHOLDERS.get(name, frozenset()), name) if isinstance(value, str) else value
            for name, value in data.items()
        }


def _filled(value: str, allowed: frozenset[str], where: str) -> str:
    """`value` with the policy's numbers filled in and the `allowed` placeholders left for the bot; any other
    placeholder is refused, saying which ones `where` may use."""

    def fill(match: re.Match[str]) -> str:
        placeholder = match.group(1)
        if placeholder in POLICY_PLACEHOLDERS:
            return POLICY_PLACEHOLDERS[placeholder]
        if placeholder in allowed:
            return match.group(0)
        may = ", ".join("{" + known + "}" for known in [*sorted(allowed), *POLICY_PLACEHOLDERS])
        raise ValueError(f"{match.group(0)} is not a placeholder {where} can use (it may use {may})")

    return _PLACEHOLDER.sub(fill, value)


def _uses(**placeholders: str) -> dict[str, frozenset[str]]:
    """`PLACEHOLDERS` from `field="a b"`: the names each field may use."""
    return {name: frozenset(names.split()) for name, names in placeholders.items()}


class FastFormWording(_Sentences):
    """`chair.yaml`'s `fast_form`: why the fast form of /log-disconnect could not be used, or its time accepted."""

    PLACEHOLDERS = _uses(
        note_too_long="limit",
        not_in_meeting="name",
        same_name="name",
        name_starts="word",
        not_a_12_hour_time="time",
        not_a_24_hour_time="time",
        too_long_to_read="limit",
        later_than_now="time now",
        before_start="time earliest",
        before_twelve_hours="time earliest",
        after_end="time end",
    )
    note_too_long: str
    not_in_meeting: str
    someone_mentioned: str
    same_name: str
    name_starts: str
    who_unclear: str
    not_a_12_hour_time: str
    not_a_24_hour_time: str
    too_long_to_read: str
    later_than_now: str
    before_start: str
    before_twelve_hours: str
    after_end: str


class CardActionWording(_Sentences):
    """`chair.yaml`'s `card_actions`: why a button pressed on the chair's form or log cannot be accepted."""

    PLACEHOLDERS = _uses(note_too_long="limit")
    note_too_long: str
    not_my_form: str
    choose_person: str
    give_time: str
    which_entry: str


class ChairGateWording(_Sentences):
    PLACEHOLDERS = _uses(
        only_chairs="action",
        only_chairs_detail="who_chairs",
        not_checked_detail="action",
        where_it_works="command",
        where_it_works_detail="command elsewhere",
        cannot_message_yet="what",
        teams_would_not_send="what",
        sent_privately="what",
    )
    who_chairs: str
    only_chairs: str
    only_chairs_detail: str
    not_checked_detail: str
    where_it_works: str
    where_it_works_detail: str
    cannot_message_yet: str
    cannot_message_yet_detail: str
    teams_would_not_send: str
    sent_privately: str


class ChairCheckWording(_Sentences):
    teams_unavailable: str
    meeting_expired: str
    bot_not_in_meeting: str
    directory_unavailable: str


class ChairRequestsWording(_Sentences):
    the_quorum: str
    the_summary: str
    teams_did_not_say_who_is_here: str
    no_record_yet: str


class DisconnectionLogWording(_Sentences):
    PLACEHOLDERS = _uses(already_logged="line")
    the_log: str
    form_from_elsewhere: str
    person_not_in_meeting: str
    nothing_logged_yet: str
    entry_not_found: str
    not_your_entry: str
    nothing_was_logged: str
    already_logged: str
    undo_action: str


class ReportDeadlinesWording(_Sentences):
    no_calendars: str
    no_calendars_detail: str
    chat_unknown: str
    meeting_not_found: str
    meeting_not_found_detail: str
    email_unknown: str
    only_privately: str
    only_privately_detail: str
    sent_privately: str


class DropOutWording(_Sentences):
    """`reminders.yaml`'s `drop_out`: the private reminder to someone who left a conference and has not rejoined."""

    PLACEHOLDERS = _uses(
        left_at="time", email_the_chair="chair", the_chair_named="name email", the_chair_partly_named="name"
    )
    heading: str
    left_at: str
    rejoin: str
    email_the_chair: str
    the_chair: str
    the_chair_named: str
    the_chair_partly_named: str
    not_in_the_chat: str
    spoken: str


class ReminderContent(_Strict):
    """`reminders.yaml`: the reminders sent to people privately."""

    drop_out: DropOutWording


class NoticeContent(_Strict):
    """`notices.yaml`: the notices the use cases answer with."""

    chair_gate: ChairGateWording
    chair_check: ChairCheckWording
    chair_requests: ChairRequestsWording
    disconnection_log: DisconnectionLogWording
    report_deadlines: ReportDeadlinesWording


class ChairContent(_Strict):
    fast_form: FastFormWording
    card_actions: CardActionWording


@dataclass(frozen=True, slots=True)
class CardContent:
    expectations: ExpectationsContent
    help: HelpContent
    chair: ChairContent
    notices: NoticeContent
    reminders: ReminderContent


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
    )


@cache
def load_card_content() -> CardContent:
    """The bundled content, read once per process."""
    return read_card_content()
