"""`python -m bot [run|migrate|package|check-cards]`: the bot's command line."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.agencies import load_agencies
from bot.app_package import PackageError, write_package
from bot.settings import Settings, SettingsError, load_settings
from cards import ContentError, load_card_content

DEFAULT_PACKAGE = Path("build") / "cp-conference-bot.zip"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="CP Conference Bot")
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("run", help="serve the bot (the default)")
    commands.add_parser("migrate", help="bring the database schema up to date and exit")
    commands.add_parser("check-cards", help="check the card wording in cards/content/ and exit")
    commands.add_parser("check-config", help="check the agencies file (AGENCIES_FILE) and exit")
    package = commands.add_parser("package", help="write the Teams app package (zip) to upload")
    package.add_argument("--bot-id", help="the bot's Microsoft App ID (default: MicrosoftAppId)")
    package.add_argument("--teams-app-id", help="the Teams app's own id (default: the bot id)")
    package.add_argument("--output", type=Path, default=DEFAULT_PACKAGE, help=f"default: {DEFAULT_PACKAGE}")
    return parser


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


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


def _package(settings: Settings, arguments: argparse.Namespace) -> int:
    bot_id = arguments.bot_id or settings.app_id
    if not bot_id:
        return _fail("no bot id: set MicrosoftAppId or pass --bot-id")
    try:
        write_package(
            arguments.output,
            bot_id=bot_id,
            teams_app_id=arguments.teams_app_id,
            help_content=load_card_content().help,
        )
    except PackageError as error:
        return _fail(str(error))
    print(f"Teams app package written to {arguments.output}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    try:
        settings = load_settings()
        content = load_card_content()
    except SettingsError as error:
        return _fail(f"bad setting {error}")
    except ContentError as error:
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
    if command == "package":
        return _package(settings, arguments)
    from bot.runner import StartupError, run

    try:
        run(settings, agencies)
    except StartupError as error:
        print(f"error: cannot start: {error}", file=sys.stderr)
        return 1
    return 0
