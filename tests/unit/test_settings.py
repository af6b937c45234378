from __future__ import annotations

from pathlib import Path

import pytest

from bot.config.settings import AppType, SettingsError, load_settings

APP_ID = "6f1c2a3e-0000-4000-8000-000000000001"
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"


def test_defaults_are_local_mode_on_sqlite_under_data() -> None:
    settings = load_settings(_env_file=None)
    assert settings.host == "127.0.0.1"
    assert settings.port == 3978
    assert settings.database_url == "sqlite+aiosqlite:///data/cp-conference-bot.sqlite3"
    assert settings.timezone == "Europe/London"
    assert settings.log_level == "INFO"
    assert settings.local_mode


def test_environment_names_are_the_documented_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MicrosoftAppId", APP_ID.upper())
    monkeypatch.setenv("MicrosoftAppPassword", "secret")
    monkeypatch.setenv("MicrosoftAppType", "singletenant")
    monkeypatch.setenv("MicrosoftAppTenantId", TENANT)
    monkeypatch.setenv("PORT", "8080")
    monkeypatch.setenv("LOG_LEVEL", "debug")
    settings = load_settings(_env_file=None)
    assert settings.app_id == APP_ID
    assert settings.app_type is AppType.SINGLE_TENANT
    assert settings.port == 8080
    assert settings.log_level == "DEBUG"
    assert not settings.local_mode


def test_dot_env_file_is_read(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("PORT=4000\nTIMEZONE=Europe/Dublin\n", encoding="utf-8")
    settings = load_settings(_env_file=env_file)
    assert (settings.port, settings.timezone) == (4000, "Europe/Dublin")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"port": "abc"}, "PORT: "),
        ({"port": "70000"}, "PORT: "),
        ({"timezone": "Mars/Olympus"}, "TIMEZONE: must be an IANA time zone name"),
        ({"log_level": "chatty"}, "LOG_LEVEL: must be one of"),
        ({"app_id": "not-a-guid"}, "MicrosoftAppId: must be a GUID"),
        (
            {"app_type": "Everyone"},
            "MicrosoftAppType: must be one of SingleTenant, MultiTenant, UserAssignedMSI",
        ),
        ({"database_url": "mysql://db/bot"}, "DATABASE_URL: must use SQLite"),
        ({"app_id": APP_ID}, "MicrosoftAppPassword: is required"),
        (
            {"app_id": APP_ID, "app_password": "x", "app_type": "SingleTenant"},
            "MicrosoftAppTenantId: is required",
        ),
        ({"app_id": APP_ID, "app_type": "UserAssignedMSI"}, "MicrosoftAppTenantId: is required"),
        ({"host": " "}, "HOST: must not be empty"),
        ({"chair_users": "alex.morgan, 0b1c"}, "CHAIR_USERS: 'alex.morgan' is neither an Entra object id"),
        ({"chair_group_id": "chairs"}, "CHAIR_GROUP_ID: must be a GUID"),
        ({"public_base_url": "cp-bot.example.org"}, "PUBLIC_BASE_URL: must be the bot's public address"),
        ({"public_base_url": "http://cp-bot.example.org"}, "PUBLIC_BASE_URL: must use https"),
        ({"public_base_url": "https://cp-bot.example.org/?x=1"}, "PUBLIC_BASE_URL: must be the bot's public address"),
        (
            {"app_id": APP_ID, "app_password": "x", "public_base_url": "http://127.0.0.1:3978"},
            "PUBLIC_BASE_URL: must use https with MicrosoftAppId set",
        ),
        (
            {"organiser_is_chair": "sometimes"},
            "ORGANISER_IS_CHAIR: must be one of when-no-named-chair, always, never",
        ),
        (
            {"app_id": APP_ID, "app_password": "x", "chair_group_id": APP_ID},
            "MicrosoftAppTenantId: is required when CHAIR_GROUP_ID is set",
        ),
        ({"graph_base_url": "graph.microsoft.com"}, "GRAPH_BASE_URL: must be an http(s) URL"),
        ({"retention_days": "0"}, "RETENTION_DAYS: "),
        ({"calendar_mailboxes": "cp-team"}, "CALENDAR_MAILBOXES: 'cp-team' is not an e-mail address"),
        (
            {"app_id": APP_ID, "app_password": "x", "calendar_mailboxes": "cp@council.gov.uk"},
            "MicrosoftAppTenantId: is required when CALENDAR_MAILBOXES is set",
        ),
        ({"conference_subject_pattern": "(ICPC"}, "CONFERENCE_SUBJECT_PATTERN: is not a regular expression"),
        ({"holiday_region": "GB"}, "HOLIDAY_REGION: must be one of ENG, WLS, SCT, NIR"),
        ({"reminder_lead_minutes": "2"}, "REMINDER_LEAD_MINUTES: "),
        ({"report_reminder_working_days": "11"}, "REPORT_REMINDER_WORKING_DAYS: "),
        ({"install_app_in_meeting_chats": "true"}, "TEAMS_APP_CATALOG_ID: is required to install the app"),
        ({"teams_app_catalog_id": "cp-bot"}, "TEAMS_APP_CATALOG_ID: must be a GUID"),
        ({"reminder_email_from": "reminders"}, "REMINDER_EMAIL_FROM: must be the e-mail address"),
        ({"graph_certificate_path": "/nonexistent/bot.pem"}, "GRAPH_CERTIFICATE_PATH: must be the path"),
        (
            {
                "applicationinsights_connection_string": "IngestionEndpoint=https://uksouth-1.in.applicationinsights.azure.com/"
            },
            "APPLICATIONINSIGHTS_CONNECTION_STRING: must be Application Insights' connection string",
        ),
        (
            {"otel_exporter_otlp_endpoint": "otel-collector:4318"},
            "OTEL_EXPORTER_OTLP_ENDPOINT: must be the collector's",
        ),
        ({"otel_exporter_otlp_endpoint": "grpc://otel:4317"}, "OTEL_EXPORTER_OTLP_ENDPOINT: must be the collector's"),
        ({"otel_service_name": " "}, "OTEL_SERVICE_NAME: must not be empty"),
    ],
)
def test_a_bad_setting_is_one_line_naming_it(overrides: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError) as raised:
        load_settings(_env_file=None, **overrides)
    text = str(raised.value)
    assert text.startswith(message)
    assert "\n" not in text


def test_secrets_are_not_echoed_in_errors() -> None:
    with pytest.raises(SettingsError) as raised:
        load_settings(_env_file=None, database_url="mysql://user:hunter2@db/bot")
    assert "hunter2" not in str(raised.value)
    with pytest.raises(SettingsError) as raised:
        load_settings(_env_file=None, applicationinsights_connection_string="InstrumentationKey=;hunter2")
    assert "hunter2" not in str(raised.value)


def test_the_telemetry_settings_are_read_as_opentelemetry_names_them() -> None:
    settings = load_settings(
        _env_file=None,
        OTEL_EXPORTER_OTLP_ENDPOINT="http://otel-collector:4318/",
        APPLICATIONINSIGHTS_CONNECTION_STRING="InstrumentationKey=00000000-0000-4000-8000-000000000000",
    )
    assert settings.otel_exporter_otlp_endpoint == "http://otel-collector:4318"
    assert settings.applicationinsights_connection_string.startswith("InstrumentationKey=")
    assert "InstrumentationKey" not in repr(settings)
    assert settings.otel_service_name == "cp-conference-bot"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("sqlite:///data/x.db", "sqlite+aiosqlite:///data/x.db"),
        ("postgresql://bot@127.0.0.1/test", "postgresql+asyncpg://bot@127.0.0.1/test"),
        ("postgres://bot@127.0.0.1/test", "postgresql+asyncpg://bot@127.0.0.1/test"),
        ("postgresql+asyncpg://bot@h/db", "postgresql+asyncpg://bot@h/db"),
    ],
)
def test_database_urls_get_the_async_driver(given: str, expected: str) -> None:
    assert load_settings(_env_file=None, database_url=given).database_url == expected


def test_named_chairs_are_read_from_a_list_in_any_case() -> None:
    settings = load_settings(
        _env_file=None, chair_users=f"Alex.Morgan@Example-Council.gov.uk; {APP_ID.upper()}\n pat@example.org"
    )
    chairs = settings.chair_users
    assert chairs.has_object_id(APP_ID)
    assert chairs.has_principal_name("alex.morgan@example-council.gov.uk")
    assert chairs.has_principal_name(None, "PAT@example.org")
    assert not chairs.has_principal_name("someone@example.org")


def test_user_assigned_managed_identity_needs_no_password() -> None:
    settings = load_settings(_env_file=None, app_id=APP_ID, app_type="UserAssignedMSI", app_tenant_id=TENANT)
    assert settings.app_type is AppType.USER_ASSIGNED_MSI


def test_every_setting_is_documented_and_isolated_in_tests() -> None:
    """README's table, .env.example and the tests' clean environment name every setting the bot reads."""
    from pydantic import AliasChoices

    from bot.config.settings import Settings
    from harness.processes import PROJECT_ROOT
    from tests.conftest import SETTING_NAMES

    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    example = (PROJECT_ROOT / ".env.example").read_text(encoding="utf-8")
    for field in Settings.model_fields.values():
        assert isinstance(field.validation_alias, AliasChoices)
        name = str(field.validation_alias.choices[0])
        assert f"| `{name}` |" in readme, f"README's settings table lists {name}"
        assert f"\n{name}=" in example, f".env.example sets {name}"
        assert name in SETTING_NAMES, f"tests clear {name} from the environment"


def test_calendar_lists_are_read_as_administrators_write_them() -> None:
    settings = load_settings(
        _env_file=None,
        calendar_mailboxes="CP-Conferences@Council.gov.uk; alex@council.gov.uk , cp-conferences@council.gov.uk",
        conference_categories="CP Conference, Child Protection ;",
        holiday_region="wls",
    )
    assert settings.calendar_mailboxes == ("cp-conferences@council.gov.uk", "alex@council.gov.uk")
    assert settings.conference_categories == frozenset({"CP Conference", "Child Protection"})
    assert settings.holiday_region == "WLS"
