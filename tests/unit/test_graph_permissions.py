"""The README's Graph permission table is the one in the code (`bot/graph/permissions.py`), and that table names
every Graph call the bot makes: the fake Graph the tests run the real msgraph-sdk client against answers exactly the
calls the code makes (a call it did not know would fail its test with a 404), so its routes and the table must be
the same list."""

from __future__ import annotations

import re
from pathlib import Path

from aiohttp import web

from bot.graph.permissions import GRAPH_CALLS, permissions_table
from tests.support.fake_graph import FakeGraph

README = Path(__file__).resolve().parents[2] / "README.md"


def _shape(method: str, path: str) -> tuple[str, str]:
    """`GET /users/{mailbox}/calendarView/delta()` and the documented `…/delta` are one call; ids are ids."""
    bare = path.split("?")[0].removeprefix("/v1.0").removesuffix("()")
    return method, re.sub(r"\{[^}]*\}", "{}", bare)


def test_the_readme_table_is_drawn_from_the_code() -> None:
    readme = README.read_text(encoding="utf-8")
    found = re.search(r"<!-- graph-permissions:[^>]*-->\n(.*?)\n\s*<!-- /graph-permissions -->", readme, re.DOTALL)
    assert found is not None, "README.md has lost its permission table's markers"
    drawn = "\n".join(line.strip() for line in found.group(1).splitlines())
    assert drawn == permissions_table(), "README.md's table is out of date: paste `python -m bot permissions`"


def test_the_table_names_every_call_the_code_makes_and_no_other() -> None:
    app: web.Application = FakeGraph().app()
    answered = {
        _shape(route.method, route.resource.canonical)
        for route in app.router.routes()
        if route.method in ("GET", "POST") and route.resource is not None
    }
    listed = {_shape(call.method, call.path) for call in GRAPH_CALLS}
    assert answered - listed == set(), "calls the code makes that the table does not name"
    assert listed - answered == set(), "the table names calls the code does not make"


def test_every_call_says_its_permission_and_where_microsoft_documents_it() -> None:
    for call in GRAPH_CALLS:
        assert call.permissions, call.path
        assert all(re.fullmatch(r"[A-Z][A-Za-z]+(\.[A-Za-z]+)+", permission) for permission in call.permissions)
        assert call.docs.startswith("https://learn.microsoft.com/graph/api/"), call.path
