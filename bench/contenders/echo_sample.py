"""The echo baseline: a Teams bot written the way Microsoft's Python samples write one (botbuilder-samples,
`app.py` + a `TeamsActivityHandler`), replying to every message with a card of the same size as the bot's.

Run: `python -m bench.contenders.echo_sample PORT`. No app id: the samples' local, unauthenticated mode.
"""

from __future__ import annotations

import sys
from http import HTTPStatus

from aiohttp import web
from aiohttp.web import Request, Response
from botbuilder.core import CardFactory, MessageFactory, TurnContext
from botbuilder.core.teams import TeamsActivityHandler
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication

from bench.contenders.card import expectations_card


class DefaultConfig:
    PORT = 3978
    APP_ID = ""
    APP_PASSWORD = ""
    APP_TYPE = "MultiTenant"
    APP_TENANTID = ""


class EchoCardBot(TeamsActivityHandler):  # type: ignore[misc]
    def __init__(self) -> None:
        self._card = expectations_card()

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        await turn_context.send_activity(MessageFactory.attachment(CardFactory.adaptive_card(self._card)))


ADAPTER = CloudAdapter(ConfigurationBotFrameworkAuthentication(DefaultConfig()))


async def on_error(context: TurnContext, error: Exception) -> None:
    print(f"\n [on_turn_error] unhandled error: {error}", file=sys.stderr)
    await context.send_activity("The bot encountered an error or bug.")


ADAPTER.on_turn_error = on_error
BOT = EchoCardBot()


async def messages(req: Request) -> Response:
    response: Response = await ADAPTER.process(req, BOT)
    return response


async def healthz(_request: Request) -> Response:
    return Response(status=HTTPStatus.OK)


def main() -> None:
    app = web.Application()
    app.router.add_post("/api/messages", messages)
    app.router.add_get("/healthz", healthz)
    web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None)


if __name__ == "__main__":
    main()
