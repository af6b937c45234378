"""The walls of docs/architecture: which package may import what. Checked by reading every module's imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# (the packages under bot/ that are checked, the import prefixes they must not use)
WALLS: list[tuple[str, tuple[str, ...]]] = [
    (
        "bot/domain",
        ("botbuilder", "botframework", "msgraph", "azure", "aiohttp", "sqlalchemy", "opentelemetry", "bot.", "cards"),
    ),
    (
        "bot/usecases",
        ("botbuilder", "botframework", "msgraph", "azure", "aiohttp", "sqlalchemy", "bot.teams", "bot.graph"),
    ),
    ("bot/store", ("botbuilder", "botframework", "msgraph", "azure", "bot.teams", "bot.graph", "bot.usecases")),
    ("bot/telemetry", ("botbuilder", "botframework", "msgraph", "aiohttp", "sqlalchemy", "bot.teams", "bot.graph")),
    ("cards", ("botbuilder", "botframework", "msgraph", "azure", "aiohttp", "sqlalchemy", "bot.", "tests", "harness")),
    ("bot", ("tests", "bench", "harness")),
    ("bench", ("tests",)),
    ("harness", ("tests", "bench")),
]
"""The product never leans on its tests or benchmarks; the benchmarks measure the product with their own load and
the shared harness, never with the test suite's fakes; the harness serves both and depends on neither."""
ONLY_IN = {
    "botbuilder": "bot/teams",
    "botframework": "bot/teams",
    "msgraph": "bot/graph",
    "msgraph_core": "bot/graph",
    "kiota_abstractions": "bot/graph",
    "kiota_authentication_azure": "bot/graph",
    "azure.identity": "bot/graph",
    "azure.core": "bot/graph",
    "azure.monitor": "bot/telemetry",
    "opentelemetry.sdk": "bot/telemetry",
    "opentelemetry.exporter": "bot/telemetry",
}
MAY_IMPORT = {"bot/domain": ("bot.domain",), "cards": ("bot.domain",)}
"""Exceptions to the walls above: the domain builds on itself, and cards show domain values."""


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _modules(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def _matches(name: str, prefix: str) -> bool:
    return name == prefix.rstrip(".") or name.startswith(prefix if prefix.endswith(".") else prefix + ".")


@pytest.mark.parametrize(("folder", "forbidden"), WALLS)
def test_package_keeps_its_wall(folder: str, forbidden: tuple[str, ...]) -> None:
    breaches = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in _modules(folder)
        for name in _imports(path)
        if any(_matches(name, prefix) for prefix in forbidden)
        and not any(_matches(name, allowed) for allowed in MAY_IMPORT.get(folder, ()))
    ]
    assert breaches == []


def test_sdk_imports_stay_in_their_package() -> None:
    breaches = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in [*_modules("bot"), *_modules("cards"), ROOT / "app.py"]
        for name in _imports(path)
        for sdk, home in ONLY_IN.items()
        if _matches(name, sdk) and not path.is_relative_to(ROOT / home)
    ]
    assert breaches == []


def test_every_azure_package_has_a_home() -> None:
    """`azure` is many SDKs, each with its own home: one the code imports must be named in ONLY_IN."""
    homed = [sdk for sdk in ONLY_IN if sdk.startswith("azure.")]
    unhomed = sorted(
        f"{path.relative_to(ROOT)} imports {name}"
        for path in [*_modules("bot"), *_modules("cards"), ROOT / "app.py"]
        for name in _imports(path)
        if _matches(name, "azure") and not any(_matches(name, sdk) for sdk in homed)
    )
    assert unhomed == []
