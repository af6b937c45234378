"""Log configuration. Log lines carry ids, never names, subjects, message text or card contents."""

from __future__ import annotations

import logging
import sys

LOG_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


def configure_logging(level: int) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # botbuilder and msrest log request bodies at DEBUG, and those carry message text and names.
    for noisy in ("msrest", "botbuilder", "botframework", "urllib3", "azure", "httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))
