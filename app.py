"""Entry point: `python app.py` reads the settings and serves the bot. Nothing happens on import."""

import sys

from bot.cli.main import main

if __name__ == "__main__":
    sys.exit(main(["run"]))
