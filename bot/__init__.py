"""CP Conference Bot: online child protection conference expectations, made to happen inside Microsoft Teams."""

__version__ = "0.1.0"
