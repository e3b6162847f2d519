"""A real Redis for the platform tests: REDIS_URL, else a private redis-server, else skip."""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.conftest import require_or_skip


def _own_db(app_db: str) -> int:
    # On a shared REDIS_URL, keep out of the application's database (.ci/run uses 15).
    return 14 if app_db.strip("/") != "14" else 13


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(url: str) -> bool:
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


@pytest.fixture(scope="session")
def redis_url():
    url = os.environ.get("REDIS_URL")
    if url:
        parts = urlsplit(url)
        own = urlunsplit((parts.scheme, parts.netloc, f"/{_own_db(parts.path)}", "", ""))
        require_or_skip("REQUIRE_REDIS", _answers(own), f"REDIS_URL is set but Redis does not answer at {url}")
        yield own
        return
    binary = shutil.which("redis-server")
    require_or_skip("REQUIRE_REDIS", bool(binary), "no REDIS_URL and no redis-server binary")
    port = _free_port()
    workdir = tempfile.mkdtemp(prefix="jxc-redis-")
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", workdir],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    own = f"redis://127.0.0.1:{port}/0"
    try:
        deadline = time.monotonic() + 10
        while not _answers(own):
            if server.poll() is not None or time.monotonic() > deadline:
                require_or_skip("REQUIRE_REDIS", False, "redis-server did not start")
            time.sleep(0.05)
        yield own
    finally:
        server.terminate()
        try:
            server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(workdir, ignore_errors=True)
