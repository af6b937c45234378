"""How the bot logs: ids and reasons, never data."""
