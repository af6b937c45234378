"""The bot's configuration: its settings, the agencies file, and the reminder rules they make."""
