"""The aiohttp application: routes, wiring and the lifetime of every long-lived resource."""
