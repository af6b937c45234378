"""`python -m bot [run|migrate|db|package|check-cards|check-config|permissions|doctor|export-disconnects|export-record|
purge|reminders|forget|refused-tenants]`: the bot's command line."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar
from zoneinfo import ZoneInfo

from bot.config.agencies import load_agencies
from bot.config.settings import Settings, SettingsError, load_settings
from bot.domain.clock import utc_now
from bot.domain.outbox import OutboxEntry, ReminderStatus
from bot.domain.reminders import ReminderKind
from bot.domain.retention import Purged
from bot.teams_app.package import PackageError, write_package
from bot.usecases.command_table import CommandTableError, check_help_content
from cards import ContentError, load_card_content

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

    from bot.usecases.conference_record import RecordedConference

DEFAULT_PACKAGE = Path("build") / "cp-conference-bot.zip"
Result = TypeVar("Result")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="CP Conference Bot")
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("run", help="serve the bot (the default)")
    commands.add_parser("migrate", help="bring the database schema up to date and exit")
    database = commands.add_parser("db", help="the database schema's migrations: where it is, what there is, move it")
    steps = database.add_subparsers(dest="db_command", required=True)
    steps.add_parser("current", help="the revision the database is at, and this release's")
    steps.add_parser("history", help="every migration, newest first")
    upgrade = steps.add_parser("upgrade", help="migrate up to REV (default: this release's, head)")
    upgrade.add_argument("revision", nargs="?", default="head", metavar="REV")
    downgrade = steps.add_parser(
        "downgrade", help="migrate down to REV (a revision, or -1 for one step): back up the database first"
    )
    downgrade.add_argument("revision", metavar="REV")
    commands.add_parser("check-cards", help="check the card wording in cards/content/ and exit")
    commands.add_parser("check-config", help="check the agencies file (AGENCIES_FILE) and exit")
    commands.add_parser(
        "permissions", help="the Microsoft Graph calls the bot makes and the application permission each needs"
    )
    commands.add_parser(
        "doctor", help="check this configuration live: database, tokens, mailboxes, chairs' group (no secrets shown)"
    )
    export = commands.add_parser(
        "export-disconnects", help="write the disconnection log of one meeting, or of conferences since a date"
    )
    which = export.add_mutually_exclusive_group(required=True)
    which.add_argument("--meeting", help="the meeting reference at the foot of the chair's /disconnects card")
    which.add_argument("--since", type=_date_or_time, help="conferences started on or after this date (YYYY-MM-DD)")
    export.add_argument("--format", choices=("csv", "json"), default="csv", help="default: csv")
    export.add_argument("--output", type=Path, help="a file to write (default: standard output)")
    record = commands.add_parser(
        "export-record",
        help="write the conference record (attendance, drop-outs, reports, quoracy) of one meeting, or since a date",
    )
    which_record = record.add_mutually_exclusive_group(required=True)
    which_record.add_argument("--meeting", help="the meeting reference at the foot of the chair's /disconnects card")
    which_record.add_argument(
        "--since", type=_date_or_time, help="conferences started on or after this date (YYYY-MM-DD)"
    )
    record.add_argument("--format", choices=("csv", "json"), default="csv", help="default: csv")
    record.add_argument("--output", type=Path, help="a file to write (default: standard output)")
    purge = commands.add_parser(
        "purge", help="delete records older than RETENTION_DAYS now (the bot also does this every hour)"
    )
    purge.add_argument("--dry-run", action="store_true", help="only count what would be deleted")
    reminders = commands.add_parser("reminders", help="list the calendar reminders: pending, sent, failed …")
    reminders.add_argument(
        "--status", choices=[status.value for status in ReminderStatus], help="only reminders in this state"
    )
    commands.add_parser(
        "refused-tenants", help="list, per day, the activities refused because of ALLOWED_TENANT_IDS, by tenant id"
    )
    forget = commands.add_parser(
        "forget",
        help="remove one person from every record: deleted, or anonymised where it is part of a conference's record",
    )
    forget.add_argument("--user", help="the person's Entra object id (attendance, disconnections, audit, chats)")
    forget.add_argument("--email", help="the person's e-mail address (calendar invitations, reminders, organiser)")
    forget.add_argument("--dry-run", action="store_true", help="only count what would change")
    package = commands.add_parser("package", help="write the Teams app package (zip) to upload")
    package.add_argument("--bot-id", help="the bot's Microsoft App ID (default: MicrosoftAppId)")
    package.add_argument("--teams-app-id", help="the Teams app's own id (default: the bot id)")
    package.add_argument("--output", type=Path, default=DEFAULT_PACKAGE, help=f"default: {DEFAULT_PACKAGE}")
    return parser


def _date_or_time(value: str) -> datetime:
    """`2026-11-24` (midnight in TIMEZONE, applied later) or a full ISO 8601 time."""
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2026-11-24") from None


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def _on_database(settings: Settings, work: Callable[[async_sessionmaker[AsyncSession]], Awaitable[Result]]) -> Result:
    """Run `work` on the migrated database, then close it."""
    from bot.store.database import create_engine, migrate_to_latest, session_factory

    async def run() -> Result:
        engine = create_engine(settings.database_url)
        try:
            await migrate_to_latest(engine)
            return await work(session_factory(engine))
        finally:
            await engine.dispose()

    return asyncio.run(run())


def _migrate(settings: Settings) -> int:
    from bot.store.database import create_engine, migrate_to_latest

    async def migrate() -> None:
        engine = create_engine(settings.database_url)
        try:
            await migrate_to_latest(engine)
        finally:
            await engine.dispose()

    asyncio.run(migrate())
    print("database schema is up to date")
    return 0


def _database(settings: Settings, arguments: argparse.Namespace) -> int:
    """`db current|history|upgrade|downgrade`: Alembic under the bot's own settings (DATABASE_URL), without an
    alembic.ini to keep in step."""
    from bot.store.database import (
        MigrationError,
        create_engine,
        describe_database,
        latest_revision,
        migrate,
        revisions,
        schema_revision,
    )

    if arguments.db_command == "history":
        head = latest_revision()
        for revision, down, doc in revisions():
            marker = " (head)" if revision == head else ""
            print(f"{down or '<base>'} -> {revision}{marker}: {doc}")
        return 0

    async def run() -> str | None:
        engine = create_engine(settings.database_url)
        try:
            if arguments.db_command in ("upgrade", "downgrade"):
                await migrate(engine, arguments.revision, down=arguments.db_command == "downgrade")
            return await schema_revision(engine)
        finally:
            await engine.dispose()

    where = describe_database(settings.database_url)
    try:
        now_at = asyncio.run(run())
    except MigrationError as problem:
        return _fail(f"cannot migrate {where}: {problem}")
    head = latest_revision()
    state = "up to date" if now_at == head else f"this release expects {head}"
    print(f"{where}: at {now_at or '<base> (no tables)'} ({state})")
    return 0


def _export_disconnects(settings: Settings, arguments: argparse.Namespace) -> int:
    from bot.exports.disconnection_csv import as_csv, as_json, export_rows
    from bot.store.disconnections import SqlDisconnectionLog

    timezone, since = ZoneInfo(settings.timezone), _since(settings, arguments)
    entries = _on_database(
        settings, lambda sessions: SqlDisconnectionLog(sessions).for_export(meeting_id=arguments.meeting, since=since)
    )
    rows = export_rows(entries, timezone)
    return _write(as_json(rows) if arguments.format == "json" else as_csv(rows), len(rows), "entries", arguments)


def _write(written: str, count: int, what: str, arguments: argparse.Namespace) -> int:
    if arguments.output is None:
        sys.stdout.write(written)
    else:
        arguments.output.parent.mkdir(parents=True, exist_ok=True)
        arguments.output.write_text(written, encoding="utf-8", newline="")
        print(f"{count} {what} written to {arguments.output}", file=sys.stderr)
    return 0


def _since(settings: Settings, arguments: argparse.Namespace) -> datetime | None:
    since: datetime | None = arguments.since
    if since is not None and since.tzinfo is None:
        since = since.replace(tzinfo=ZoneInfo(settings.timezone))
    return since


def _export_record(settings: Settings, arguments: argparse.Namespace) -> int:
    from bot.exports.conference_record import as_csv, as_json, record_rows
    from bot.store.attendance_reports import SqlAttendanceReports
    from bot.store.disconnections import SqlDisconnectionLog
    from bot.store.meetings import SqlMeetingRecords
    from bot.store.quorum_decisions import SqlQuorumDecisions
    from bot.usecases.conference_record import ConferenceRecord
    from bot.usecases.summaries import SummaryMaker
    from bot.usecases.unreachable import NoTeams
    from bot.wiring.report_status import calendar_parts, conference_reports

    agencies = load_agencies(settings.agencies_file)
    content = load_card_content()

    def record(sessions: async_sessionmaker[AsyncSession]) -> Awaitable[list[RecordedConference]]:
        reports = conference_reports(settings, calendar_parts(settings, sessions), NoTeams(), agencies, content)
        reported = SqlAttendanceReports(sessions)
        summaries = SummaryMaker(
            SqlDisconnectionLog(sessions),
            agencies,
            decisions=SqlQuorumDecisions(sessions),
            reports=reports,
            reported=reported,
        )
        return ConferenceRecord(
            records=SqlMeetingRecords(sessions),
            summaries=summaries,
            named_chairs=settings.chair_users,
            reports=reports,
            reported=reported,
        ).conferences(now=utc_now(), meeting_id=arguments.meeting, since=_since(settings, arguments))

    rows = record_rows(_on_database(settings, record), ZoneInfo(settings.timezone))
    return _write(as_json(rows) if arguments.format == "json" else as_csv(rows), len(rows), "conferences", arguments)


def _purge(settings: Settings, arguments: argparse.Namespace) -> int:
    from bot.store.retention import SqlRetention
    from bot.usecases.retention import RetentionPurge

    def purge(sessions: async_sessionmaker[AsyncSession]) -> Awaitable[Purged]:
        return RetentionPurge(SqlRetention(sessions), settings.retention_days).run_once(
            utc_now(), dry_run=arguments.dry_run
        )

    purged = _on_database(settings, purge)
    verb = "would delete" if arguments.dry_run else "deleted"
    print(
        f"records older than {settings.retention_days} days: {verb} {purged.sessions} conference sessions, "
        f"{purged.attendance} attendance events, {purged.disconnections} disconnection entries, "
        f"{purged.audit} audit entries, {purged.conferences} calendar conferences with {purged.reminders} reminders, "
        f"{purged.refused_tenant_days} daily counts of refused tenants"
    )
    return 0


def _reminders(settings: Settings, arguments: argparse.Namespace) -> int:
    from bot.store.reminders import SqlReminderOutbox

    timezone = ZoneInfo(settings.timezone)
    entries: list[OutboxEntry] = _on_database(settings, lambda sessions: SqlReminderOutbox(sessions).entries())
    wanted = [entry for entry in entries if arguments.status in (None, entry.status.value)]
    print(f"{'due':<17} {'kind':<14} {'status':<10} {'via':<13} {'tries':>5}  {'conference':>10}  recipient / reason")
    for entry in wanted:
        due = entry.due_at.astimezone(timezone).strftime("%Y-%m-%d %H:%M")
        line = (
            f"{due:<17} {entry.kind.value:<14} {entry.status.value:<10} "
            f"{entry.channel.value if entry.channel else '-':<13} {entry.attempts:>5}  {entry.conference_id:>10}  "
            f"{entry.recipient or ('(meeting chat)' if entry.kind is ReminderKind.MEETING_CHAT else '(the chairs)')}"
        )
        print(line + (f"  ({entry.reason})" if entry.reason else ""))
    counts = {status: sum(entry.status is status for entry in entries) for status in ReminderStatus}
    print(", ".join(f"{count} {status.value}" for status, count in counts.items() if count) or "no reminders")
    return 0


def _refused_tenants(settings: Settings) -> int:
    from bot.store.refused_tenants import RefusedTenantDay, SqlRefusedTenants

    def days(sessions: async_sessionmaker[AsyncSession]) -> Awaitable[list[RefusedTenantDay]]:
        return SqlRefusedTenants(sessions).days()

    found = _on_database(settings, days)
    timezone = ZoneInfo(settings.timezone)
    print(f"{'day':<10}  {'tenant id':<36}  {'activities':>10}  first – last")
    for day in found:
        first, last = (moment.astimezone(timezone).strftime("%H:%M") for moment in (day.first_at, day.last_at))
        print(f"{day.day.isoformat():<10}  {day.tenant_id:<36}  {day.activities:>10}  {first} – {last}")
    tenants = {day.tenant_id for day in found}
    print(f"{sum(day.activities for day in found)} activities from {len(tenants)} tenants" if found else "none refused")
    return 0


def _forget(settings: Settings, arguments: argparse.Namespace) -> int:
    from bot.store.forget import Forgotten, SqlForget

    if not arguments.user and not arguments.email:
        return _fail("say who: --user <Entra object id> and/or --email <address>")

    def forget(sessions: async_sessionmaker[AsyncSession]) -> Awaitable[Forgotten]:
        return SqlForget(sessions).forget(
            aad_object_id=arguments.user, email=arguments.email, dry_run=arguments.dry_run
        )

    forgotten = _on_database(settings, forget)
    would = "would be " if arguments.dry_run else ""
    for table, rows in forgotten.deleted.items():
        print(f"{table}: {rows} row(s) {would}deleted")
    for table, rows in forgotten.anonymised.items():
        print(f"{table}: {rows} row(s) {would}anonymised")
    if any(forgotten.anonymised.values()):
        print(f"anonymised rows name them as {forgotten.pseudonym}, without their name, Teams id or notes about them")
    if not forgotten.anything:
        print("nothing held about this person")
    elif arguments.dry_run:
        print("dry run: nothing was changed")
    if arguments.email:
        print(
            "note: the calendars are the source of invitations; if the person is still invited to a conference, the "
            "next calendar sync learns them again from there. Remove them from the invitation too."
        )
    return 0


def _package(settings: Settings, arguments: argparse.Namespace) -> int:
    bot_id = arguments.bot_id or settings.app_id
    if not bot_id:
        return _fail("no bot id: set MicrosoftAppId or pass --bot-id")
    if not settings.local_mode and not settings.public_base_url:
        return _fail(
            "no PUBLIC_BASE_URL: set it to the bot's public https address (the messaging endpoint's host, such as "
            "https://cp-bot.example-council.gov.uk) so the package can include the meeting tab"
        )
    content = load_card_content()
    try:
        write_package(
            arguments.output,
            bot_id=bot_id,
            teams_app_id=arguments.teams_app_id,
            help_content=content.help,
            public_base_url=settings.public_base_url,
            tab_name=content.pages.tab_name,
        )
    except PackageError as error:
        return _fail(str(error))
    print(f"Teams app package written to {arguments.output}")
    if not settings.public_base_url:
        print("note: no PUBLIC_BASE_URL (local mode), so the package has no meeting tab")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    try:
        settings = load_settings()
        content = load_card_content()
        check_help_content(content.help)
    except SettingsError as error:
        return _fail(f"bad setting {error}")
    except (ContentError, CommandTableError) as error:
        return _fail(f"card content {error}")
    try:
        agencies = load_agencies(settings.agencies_file)
    except ContentError as error:
        return _fail(f"AGENCIES_FILE {error}")
    command = arguments.command or "run"
    if command == "check-cards":
        print(
            f"card content is valid ({len(content.help.commands)} commands, "
            f"{len(content.expectations.sections)} expectation sections)"
        )
        return 0
    if command == "check-config":
        rule = agencies.rule
        print(
            f"{settings.agencies_file} is valid: {len(agencies.agencies)} agencies; quorate with "
            f"{', '.join(sorted(rule.required)) or 'no required agency'} and {rule.minimum_others} others"
        )
        return 0
    if command == "migrate":
        return _migrate(settings)
    if command == "doctor":
        from bot.cli.doctor import Verdict, run_doctor
        from bot.wiring.features import Features

        findings = asyncio.run(run_doctor(settings, Features.from_settings(settings)))
        for finding in findings:
            print(finding.line())
        return 1 if any(finding.verdict is Verdict.FAIL for finding in findings) else 0
    if command == "permissions":
        from bot.graph.permissions import permissions_table

        print(permissions_table())
        return 0
    if command == "db":
        return _database(settings, arguments)
    if command == "package":
        return _package(settings, arguments)
    if command == "export-disconnects":
        return _export_disconnects(settings, arguments)
    if command == "export-record":
        return _export_record(settings, arguments)
    if command == "purge":
        return _purge(settings, arguments)
    if command == "reminders":
        return _reminders(settings, arguments)
    if command == "forget":
        return _forget(settings, arguments)
    if command == "refused-tenants":
        return _refused_tenants(settings)
    from bot.web.runner import StartupError, run

    try:
        run(settings, agencies)
    except StartupError as error:
        print(f"error: cannot start: {error}", file=sys.stderr)
        return 1
    return 0
