"""The only package that imports botbuilder: adapter and authentication, the activity handler, Teams payloads."""
