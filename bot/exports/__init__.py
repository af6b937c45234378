"""What the bot writes out for people to keep: the disconnection log as CSV."""
