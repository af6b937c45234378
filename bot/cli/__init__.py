"""The command line: `python -m bot …` and the `cp-conference-bot` script."""
