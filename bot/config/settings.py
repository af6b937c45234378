"""Settings read once at start-up from the environment and an optional `.env` file.

Every setting is documented in `.env.example`. A bad value stops start-up with one line that names the setting.
"""

from __future__ import annotations

import logging
import re
import uuid
import zoneinfo
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import SplitResult, urlsplit

from pydantic import AliasChoices, Field, ValidationError, ValidationInfo, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.domain.addresses import is_address
from bot.domain.chairs import NamedChairs, NamedChairsError, OrganiserIsChair
from bot.domain.retention import DEFAULT_RETENTION_DAYS
from bot.domain.working_days import REGIONS

DEFAULT_DATABASE_PATH = Path("data") / "cp-conference-bot.sqlite3"
DEFAULT_AGENCIES_FILE = Path(__file__).resolve().parents[2] / "config" / "agencies.yaml"
DEFAULT_GRAPH_BASE_URL = "https://graph.microsoft.com/v1.0"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
"""Host names that mean this machine: where local mode may reach a test double, and may publish pages over http."""

_SECRET_SETTINGS = frozenset({"MicrosoftAppPassword", "DATABASE_URL", "APPLICATIONINSIGHTS_CONNECTION_STRING"})


class AppType(StrEnum):
    SINGLE_TENANT = "SingleTenant"
    MULTI_TENANT = "MultiTenant"
    USER_ASSIGNED_MSI = "UserAssignedMSI"


def _is_base_address(parts: SplitResult) -> bool:
    """An http(s) address with a host and no query or fragment, to which paths are added."""
    return parts.scheme in ("https", "http") and bool(parts.hostname) and not parts.query and not parts.fragment


def connection_string_fields(connection_string: str) -> dict[str, str]:
    """Application Insights' `Key=value;Key=value` connection string, keys lower-cased."""
    return {
        key.strip().lower(): value.strip()
        for key, _, value in (part.partition("=") for part in connection_string.split(";"))
    }


class SettingsError(Exception):
    """A setting is missing or invalid; the message is one line that names it."""


def _alias(name: str, *others: str) -> Any:
    return Field(validation_alias=AliasChoices(name, *others))


class Settings(BaseSettings):
    """The bot's configuration. Field aliases are the environment variable names administrators set."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        case_sensitive=False,
        extra="ignore",
        populate_by_name=True,
        frozen=True,
    )

    host: str = Field(default="127.0.0.1", validation_alias=AliasChoices("HOST"))
    port: int = Field(default=3978, ge=1, le=65535, validation_alias=AliasChoices("PORT"))
    database_url: str = Field(
        default=f"sqlite+aiosqlite:///{DEFAULT_DATABASE_PATH.as_posix()}",
        validation_alias=AliasChoices("DATABASE_URL"),
    )
    app_id: str = Field(default="", validation_alias=AliasChoices("MicrosoftAppId", "MICROSOFT_APP_ID"))
    app_password: str = Field(
        default="",
        repr=False,
        validation_alias=AliasChoices("MicrosoftAppPassword", "MICROSOFT_APP_PASSWORD"),
    )
    app_type: AppType = Field(
        default=AppType.MULTI_TENANT, validation_alias=AliasChoices("MicrosoftAppType", "MICROSOFT_APP_TYPE")
    )
    app_tenant_id: str = Field(
        default="", validation_alias=AliasChoices("MicrosoftAppTenantId", "MICROSOFT_APP_TENANT_ID")
    )
    timezone: str = Field(default="Europe/London", validation_alias=AliasChoices("TIMEZONE"))
    log_level: str = Field(default="INFO", validation_alias=AliasChoices("LOG_LEVEL"))
    log_format: Literal["text", "json"] = Field(default="text", validation_alias=AliasChoices("LOG_FORMAT"))
    """`json`: one JSON object per line (time, level, logger, message, and the ids as fields), for Azure Monitor."""
    applicationinsights_connection_string: str = Field(
        default="", repr=False, validation_alias=AliasChoices("APPLICATIONINSIGHTS_CONNECTION_STRING")
    )
    """Application Insights' connection string: traces and metrics are exported there when set."""
    otel_exporter_otlp_endpoint: str = Field(default="", validation_alias=AliasChoices("OTEL_EXPORTER_OTLP_ENDPOINT"))
    """An OpenTelemetry collector's base address (OTLP over HTTP): traces and metrics are exported there when set."""
    otel_service_name: str = Field(default="cp-conference-bot", validation_alias=AliasChoices("OTEL_SERVICE_NAME"))
    agencies_file: Path = Field(default=DEFAULT_AGENCIES_FILE, validation_alias=AliasChoices("AGENCIES_FILE"))
    dropout_grace_minutes: float = Field(default=3, ge=1, le=30, validation_alias=AliasChoices("DROPOUT_GRACE_MINUTES"))
    follow_up_interval_seconds: float = Field(
        default=30, gt=0, le=600, validation_alias=AliasChoices("FOLLOW_UP_INTERVAL_SECONDS")
    )
    teams_timeout_seconds: float = Field(
        default=10, gt=0, le=60, validation_alias=AliasChoices("TEAMS_TIMEOUT_SECONDS")
    )
    chair_users: Annotated[NamedChairs, NoDecode] = Field(
        default=NamedChairs(), validation_alias=AliasChoices("CHAIR_USERS")
    )
    chair_group_id: str = Field(default="", validation_alias=AliasChoices("CHAIR_GROUP_ID"))
    organiser_is_chair: OrganiserIsChair = Field(
        default=OrganiserIsChair.WHEN_NO_NAMED_CHAIR, validation_alias=AliasChoices("ORGANISER_IS_CHAIR")
    )
    allowed_tenants: Annotated[frozenset[str], NoDecode] = Field(
        default=frozenset(), validation_alias=AliasChoices("ALLOWED_TENANT_IDS")
    )
    """The Entra tenants whose Teams the bot serves, lower case; empty: any tenant."""
    graph_base_url: str = Field(default=DEFAULT_GRAPH_BASE_URL, validation_alias=AliasChoices("GRAPH_BASE_URL"))
    public_base_url: str = Field(default="", validation_alias=AliasChoices("PUBLIC_BASE_URL"))
    """Where Teams reaches the bot's meeting pages (https://cp-bot.example-council.gov.uk); empty: not published."""
    retention_days: int = Field(
        default=DEFAULT_RETENTION_DAYS, ge=1, le=3650, validation_alias=AliasChoices("RETENTION_DAYS")
    )
    purge_interval_seconds: float = Field(
        default=3600, gt=0, le=86400, validation_alias=AliasChoices("PURGE_INTERVAL_SECONDS")
    )
    graph_certificate_path: Path | None = Field(default=None, validation_alias=AliasChoices("GRAPH_CERTIFICATE_PATH"))
    calendar_mailboxes: Annotated[tuple[str, ...], NoDecode] = Field(
        default=(), validation_alias=AliasChoices("CALENDAR_MAILBOXES")
    )
    """The calendars to read conferences from, lower case, each once."""
    calendar_sync_interval_seconds: float = Field(
        default=300, gt=0, le=3600, validation_alias=AliasChoices("CALENDAR_SYNC_INTERVAL_SECONDS")
    )
    calendar_sync_days: int = Field(default=28, ge=7, le=90, validation_alias=AliasChoices("CALENDAR_SYNC_DAYS"))
    conference_categories: Annotated[frozenset[str], NoDecode] = Field(
        default=frozenset({"CP Conference"}), validation_alias=AliasChoices("CONFERENCE_CATEGORIES")
    )
    conference_subject_pattern: str = Field(
        default=r"\b(ICPC|RCPC)\b", validation_alias=AliasChoices("CONFERENCE_SUBJECT_PATTERN")
    )
    reminder_lead_minutes: int = Field(default=15, ge=5, le=120, validation_alias=AliasChoices("REMINDER_LEAD_MINUTES"))
    report_reminder_working_days: int = Field(
        default=1, ge=0, le=10, validation_alias=AliasChoices("REPORT_REMINDER_WORKING_DAYS")
    )
    attendance_reports: bool = Field(default=False, validation_alias=AliasChoices("ATTENDANCE_REPORTS"))
    quorum_recheck_minutes: int = Field(default=5, ge=0, le=60, validation_alias=AliasChoices("QUORUM_RECHECK_MINUTES"))
    holiday_region: str = Field(default="ENG", validation_alias=AliasChoices("HOLIDAY_REGION"))
    teams_app_catalog_id: str = Field(default="", validation_alias=AliasChoices("TEAMS_APP_CATALOG_ID"))
    install_app_in_meeting_chats: bool = Field(
        default=False, validation_alias=AliasChoices("INSTALL_APP_IN_MEETING_CHATS")
    )
    install_app_for_invitees: bool = Field(default=False, validation_alias=AliasChoices("INSTALL_APP_FOR_INVITEES"))
    reminder_email_from: str = Field(default="", validation_alias=AliasChoices("REMINDER_EMAIL_FROM"))
    reminder_send_interval_seconds: float = Field(
        default=30, gt=0, le=600, validation_alias=AliasChoices("REMINDER_SEND_INTERVAL_SECONDS")
    )

    @field_validator("host", "otel_service_name")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty")
        return value.strip()

    @field_validator("app_id", "app_tenant_id", "app_password")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()

    @field_validator("chair_users", mode="before")
    @classmethod
    def _named_chairs(cls, value: object) -> object:
        if isinstance(value, NamedChairs):
            return value
        try:
            return NamedChairs.parse(_list_entries(value))
        except NamedChairsError as problem:
            raise ValueError(str(problem)) from None

    @field_validator("allowed_tenants", mode="before")
    @classmethod
    def _tenant_ids(cls, value: object) -> frozenset[str]:
        tenants = set()
        for entry in _list_entries(value):
            try:
                tenants.add(str(uuid.UUID(entry)))
            except ValueError:
                raise ValueError(f"{entry!r} is not a tenant id (a GUID; list them separated by commas)") from None
        return frozenset(tenants)

    @field_validator("calendar_mailboxes", mode="before")
    @classmethod
    def _mailboxes(cls, value: object) -> tuple[str, ...]:
        for entry in _list_entries(value):
            if not is_address(entry):
                raise ValueError(f"{entry!r} is not an e-mail address (list mailboxes separated by commas)")
        return tuple(dict.fromkeys(entry.lower() for entry in _list_entries(value)))

    @field_validator("conference_categories", mode="before")
    @classmethod
    def _categories(cls, value: object) -> frozenset[str]:
        """Outlook category names may hold spaces: they are separated by commas or semicolons only."""
        entries = re.split(r"[,;]", value) if isinstance(value, str) else _list_entries(value)
        return frozenset(entry.strip() for entry in entries if entry.strip())

    @field_validator("conference_subject_pattern")
    @classmethod
    def _pattern(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as problem:
            raise ValueError(f"is not a regular expression: {problem}") from None
        return value

    @field_validator("holiday_region")
    @classmethod
    def _region(cls, value: str) -> str:
        region = value.strip().upper()
        if region not in REGIONS:
            raise ValueError(f"must be one of {', '.join(REGIONS)} (England, Wales, Scotland, Northern Ireland)")
        return region

    @field_validator("graph_certificate_path")
    @classmethod
    def _readable(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_file():
            raise ValueError("must be the path of a PEM or PKCS12 certificate file with its private key")
        return value

    @field_validator("graph_base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if not re.match(r"^https?://[^/\s]+(/\S*)?$", value):
            raise ValueError("must be an http(s) URL such as https://graph.microsoft.com/v1.0")
        return value

    @field_validator("applicationinsights_connection_string")
    @classmethod
    def _connection_string(cls, value: str) -> str:
        value = value.strip()
        if not value:
            return value
        if not connection_string_fields(value).get("instrumentationkey"):
            raise ValueError(
                "must be Application Insights' connection string (InstrumentationKey=…;IngestionEndpoint=…)"
            )
        return value

    @field_validator("otel_exporter_otlp_endpoint")
    @classmethod
    def _collector(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        parts = urlsplit(value)
        if value and not _is_base_address(parts):
            raise ValueError("must be the collector's base address over HTTP, such as http://otel-collector:4318")
        return value

    @field_validator("public_base_url")
    @classmethod
    def _public_origin(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if not value:
            return value
        parts = urlsplit(value)
        loopback = parts.hostname in LOOPBACK_HOSTS
        if not _is_base_address(parts):
            raise ValueError("must be the bot's public address, such as https://cp-bot.example-council.gov.uk")
        if parts.scheme == "http" and not loopback:
            raise ValueError("must use https: Teams loads meeting pages only over https (http only on this machine)")
        return value

    @field_validator("reminder_email_from")
    @classmethod
    def _email_or_empty(cls, value: str) -> str:
        value = value.strip().lower()
        if value and not is_address(value):
            raise ValueError("must be the e-mail address of the mailbox reminders are sent from")
        return value

    @field_validator("app_id", "app_tenant_id", "chair_group_id", "teams_app_catalog_id")
    @classmethod
    def _guid_or_empty(cls, value: str) -> str:
        if value:
            try:
                uuid.UUID(value)
            except ValueError:
                raise ValueError("must be a GUID such as 00000000-0000-0000-0000-000000000000") from None
        return value.lower()

    @field_validator("app_type", "organiser_is_chair", mode="before")
    @classmethod
    def _choice_any_case(cls, value: object, info: ValidationInfo) -> object:
        choices: type[StrEnum] = AppType if info.field_name == "app_type" else OrganiserIsChair
        if isinstance(value, str):
            for member in choices:
                if member.value.lower() == value.strip().lower():
                    return member
            allowed = ", ".join(member.value for member in choices)
            raise ValueError(f"must be one of {allowed}")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError("must be an IANA time zone name such as Europe/London") from None
        return value

    @field_validator("log_level")
    @classmethod
    def _known_log_level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL")
        return level

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        return normalise_database_url(value)

    @model_validator(mode="after")
    def _published_over_https(self) -> Settings:
        if self.app_id and self.public_base_url.startswith("http://"):
            raise ValueError("PUBLIC_BASE_URL: must use https with MicrosoftAppId set (Teams loads pages over https)")
        return self

    @model_validator(mode="after")
    def _installation_names_the_app(self) -> Settings:
        if (self.install_app_in_meeting_chats or self.install_app_for_invitees) and not self.teams_app_catalog_id:
            raise ValueError(
                "TEAMS_APP_CATALOG_ID: is required to install the app (INSTALL_APP_IN_MEETING_CHATS or "
                "INSTALL_APP_FOR_INVITEES): the app's id in your organisation's Teams app catalogue"
            )
        return self

    @model_validator(mode="after")
    def _credentials_complete(self) -> Settings:
        if not self.app_id:
            return self
        if self.app_type is not AppType.USER_ASSIGNED_MSI and not self.app_password:
            raise ValueError(
                "MicrosoftAppPassword: is required when MicrosoftAppId is set "
                f"and MicrosoftAppType is {self.app_type.value}"
            )
        if self.app_type in (AppType.SINGLE_TENANT, AppType.USER_ASSIGNED_MSI) and not self.app_tenant_id:
            raise ValueError(f"MicrosoftAppTenantId: is required when MicrosoftAppType is {self.app_type.value}")
        if self.chair_group_id and not self.app_tenant_id:
            raise ValueError("MicrosoftAppTenantId: is required when CHAIR_GROUP_ID is set (Graph asks that tenant)")
        if self.calendar_mailboxes and not self.app_tenant_id:
            raise ValueError(
                "MicrosoftAppTenantId: is required when CALENDAR_MAILBOXES is set (Graph asks that tenant)"
            )
        return self

    @property
    def local_mode(self) -> bool:
        """No app id: unauthenticated requests from this machine only (the Agents Playground, tests)."""
        return not self.app_id

    @property
    def log_level_number(self) -> int:
        return logging.getLevelNamesMapping()[self.log_level]


def _list_entries(value: object) -> list[str]:
    """A list setting: entries separated by commas, semicolons or spaces (or a list already, from code)."""
    if isinstance(value, str):
        return [entry for entry in re.split(r"[,;\s]+", value) if entry]
    if isinstance(value, list | tuple | set | frozenset):
        return [str(entry).strip() for entry in value if str(entry).strip()]
    raise ValueError("must be a list of entries separated by commas")


_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "sqlite+aiosqlite": "sqlite+aiosqlite",
    "postgres": "postgresql+asyncpg",
    "postgresql": "postgresql+asyncpg",
    "postgresql+asyncpg": "postgresql+asyncpg",
}


def normalise_database_url(url: str) -> str:
    """Accept the usual spellings of SQLite and PostgreSQL URLs and pick the async driver the bot uses."""
    url = url.strip()
    match = re.match(r"^([A-Za-z0-9+]+)://", url)
    if not match:
        raise ValueError("must be a URL such as sqlite+aiosqlite:///data/bot.sqlite3 or postgresql+asyncpg://…")
    scheme = match.group(1).lower()
    if scheme not in _DRIVERS:
        raise ValueError("must use SQLite (sqlite+aiosqlite://) or PostgreSQL (postgresql+asyncpg://)")
    return _DRIVERS[scheme] + url[match.end(1) :]


def _field_label(settings_cls: type[BaseSettings], location: tuple[int | str, ...]) -> str:
    if not location:
        return "settings"
    field = settings_cls.model_fields.get(str(location[0]))
    if field is not None and isinstance(field.validation_alias, AliasChoices):
        first = field.validation_alias.choices[0]
        return first if isinstance(first, str) else str(location[0])
    return str(location[0])


def describe_validation_error(error: ValidationError) -> str:
    """One line naming the first bad setting, without echoing secret values."""
    first = error.errors()[0]
    label = _field_label(Settings, tuple(first.get("loc", ())))
    message = str(first.get("msg", "is invalid")).removeprefix("Value error, ")
    if label == "settings":
        return message
    if label in _SECRET_SETTINGS or "input" not in first:
        return f"{label}: {message}"
    return f"{label}: {message} (got {first['input']!r})"


def load_settings(**overrides: Any) -> Settings:
    """Read the settings, or raise SettingsError with a single line that names the bad one."""
    try:
        return Settings(**overrides)
    except ValidationError as error:
        raise SettingsError(describe_validation_error(error)) from None
