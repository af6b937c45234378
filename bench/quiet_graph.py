"""The Microsoft Graph the fan-out's bot syncs its calendar from: one mailbox whose calendar is empty.

The fan-out seeds its conferences straight into the database (under a mailbox the bot does not sync), so all it
needs of Graph is that the sync it runs at start-up finds nothing, in Graph's own shape: a `calendarView/delta`
page with no events and an `@odata.deltaLink`. Anything else is answered as Graph answers an unknown resource.
"""

from __future__ import annotations

from aiohttp import web


def quiet_graph() -> web.Application:
    app = web.Application()
    app.router.add_get("/v1.0/users/{mailbox}/calendarView/delta", _empty_calendar)
    app.router.add_get("/v1.0/users/{mailbox}/calendarView/delta()", _empty_calendar)
    app.router.add_route("*", "/{anything:.*}", _not_found)
    return app


async def _empty_calendar(request: web.Request) -> web.Response:
    delta_link = request.url.with_query({"$deltatoken": "bench-empty"})
    return web.json_response(
        {
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#Collection(event)",
            "value": [],
            "@odata.deltaLink": str(delta_link),
        }
    )


async def _not_found(request: web.Request) -> web.Response:
    error = {"code": "Request_ResourceNotFound", "message": "not in the benchmark's Graph", "innerError": {}}
    return web.json_response({"error": error}, status=404)
