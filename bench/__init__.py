"""`make bench`: how fast the bot is against the peers a user would compare it with. Not part of `make test`."""
