"""Building the bot from its settings: which features are on, and every service, each built once."""
