"""OpenTelemetry traces and metrics of the bot's own work: what is recorded (`recording`), and where it goes
(`exporting`)."""
