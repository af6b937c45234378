"""Running the real bot and its real neighbours, for the tests and the benchmarks alike: the bot as a process on
loopback, fresh PostgreSQL databases, and bounded waits on conditions. No fakes here: the stand-ins for Microsoft's
cloud live under `tests/support/` (and the benchmarks' own load-bearing ones under `bench/`)."""
