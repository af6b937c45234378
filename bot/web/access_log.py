"""The access log: method, path, status and time of each request, and nothing a log reader could use or that names
anyone. The e-mailed report link's token is a single-use credential, so its path is logged without it; query strings
and client addresses are left out altogether (aiohttp's default format writes both)."""

from __future__ import annotations

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger

from bot.usecases.report_confirmations import CONFIRM_PATH


def logged_path(path: str) -> str:
    if path.startswith(CONFIRM_PATH):
        return f"{CONFIRM_PATH}(token)"
    return path


class AccessLog(AbstractAccessLogger):
    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        self.logger.info("%s %s %d %.3fs", request.method, logged_path(request.path), response.status, time)
