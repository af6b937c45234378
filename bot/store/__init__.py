"""Persistence: SQLAlchemy 2 async models and repositories; SQLite by default, PostgreSQL to scale."""
