"""The Teams app the bot is installed as: its manifest, filled in for one deployment and zipped with its icons."""
