"""Development stand-ins for services that production configures explicitly.

Settings call these before logging is set up, so notices are queued here and
written once, by the kernel app, when Django is ready.
"""

import logging
from pathlib import Path

_notices: list[str] = []
_announced = False


def announce(message: str) -> None:
    _notices.append(message)


def log_notices() -> None:
    global _announced
    if _announced:
        return
    _announced = True
    logger = logging.getLogger("jxc.fallbacks")
    for message in _notices:
        logger.warning(message)


def embedded_postgres_url(data_dir: Path, database: str = "jxc") -> str:
    """Start (or join) the embedded PostgreSQL under `data_dir` and return its URL."""
    from urllib.parse import quote

    import pgserver  # imported here: production never needs it

    data_dir.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(str(data_dir), cleanup_mode=None)
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}';")
    if "(1 row)" not in exists:
        server.psql(f'CREATE DATABASE "{database}";')
    announce(f"DATABASE_URL is not set: using the embedded PostgreSQL in {data_dir}.")
    return f"postgres://postgres@{quote(str(data_dir), safe='')}/{database}"
