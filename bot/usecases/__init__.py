"""What happens when: the bot's use cases. They talk to the outside world only through the ports they define."""
