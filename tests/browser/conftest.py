"""Browser tests: the real WSGI app served from a background thread, driven by Playwright + Debian's chromium.

Not pytest-django's `live_server`: that fixture truncates every table at teardown (its
TransactionTestCase flush), which would delete the session's tenants. The server here
sees committed data only, so browser tests use `committed_db` and create uniquely named
data. Screenshots land in test-artifacts/ (git-ignored).
"""

import contextlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

# Playwright's sync API runs an asyncio loop in this thread; Django's ORM would refuse to run under it.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import pytest  # noqa: E402
from django.contrib.staticfiles.handlers import StaticFilesHandler  # noqa: E402
from django.test.testcases import LiveServerThread  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


@dataclass(frozen=True)
class LiveServer:
    """Addresses on the server: `url("/signup/")` on the public host, `url("/", slug="alpha")` on a shop."""

    port: int
    base_domain: str

    def url(self, path: str = "/", *, slug: str | None = None) -> str:
        host = f"{slug}.{self.base_domain}" if slug else self.base_domain
        return f"http://{host}:{self.port}{path}"


class _ServerThread(LiveServerThread):
    def _create_server(self, connections_override=None):
        server = super()._create_server(connections_override)
        # Join request threads on shutdown: each closes its database connection when its socket
        # closes, and the test database cannot be dropped while one is open.
        server.daemon_threads = False
        server.block_on_close = True
        return server


@pytest.fixture(scope="session")
def _server_thread(django_db_setup):
    # django_db_setup first: the server's connections must open the test database, with alpha and beta in it.
    # StaticFilesHandler serves /static/ from the finders, as runserver does (tests run with DEBUG off).
    from django.db import connection

    # Never serve (and let a test write to) the development database.
    assert connection.settings_dict["NAME"].startswith("test_"), connection.settings_dict["NAME"]
    thread = _ServerThread("127.0.0.1", StaticFilesHandler, port=0)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield thread
    thread.terminate()


@pytest.fixture
def server(_server_thread, committed_db, settings) -> LiveServer:
    """The running app, with absolute addresses (signup's redirect to the new shop) carrying its port.

    Data is committed (the server's threads have connections of their own): give what a test creates
    unique names (tests.conftest.unique_slug), since nothing is rolled back.
    """
    settings.PUBLIC_PORT = str(_server_thread.port)
    settings.DEBUG = False
    return LiveServer(port=_server_thread.port, base_domain=settings.BASE_DOMAIN)


@pytest.fixture(scope="session")
def _playwright():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(_server_thread, _playwright, chromium_path):
    # Depends on the server so that it closes first: its keep-alive connections then end.
    browser = _playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()


def _artifact_name(nodeid: str, suffix: str = "") -> str:
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid.split("::", 1)[-1])
    return f"{name}{'-' + suffix if suffix else ''}.png"


@pytest.fixture
def new_page(browser, request):
    """Open pages in fresh browser contexts (own cookies); each one's last state is saved as a screenshot.

    The browser asks for Chinese first, as a merchant in China would: zh-Hans is the default language.
    """
    ARTIFACTS.mkdir(exist_ok=True)
    contexts = []

    def open_page(*, viewport: dict = DESKTOP, locale: str = "zh-CN"):
        context = browser.new_context(viewport=viewport, locale=locale)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for index, context in enumerate(contexts):
        for page in context.pages:
            # A failed screenshot must not hide the test's own result.
            with contextlib.suppress(Exception):
                page.screenshot(path=ARTIFACTS / _artifact_name(request.node.nodeid, f"end{index}"), full_page=True)
        context.close()


@pytest.fixture
def snap(request):
    """Save a named screenshot of a page now: `snap(page, "dashboard-en")`."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, label: str) -> Path:
        path = ARTIFACTS / _artifact_name(request.node.nodeid, label)
        page.screenshot(path=path, full_page=True)
        return path

    return take


def log_in(page, server: LiveServer, *, slug: str, email: str, password: str) -> None:
    page.goto(server.url("/accounts/login/", slug=slug))
    # The identity engineer's form calls the field `email` (the username of a merchant user is their email).
    page.fill("input[name=email], input[name=username]", email)
    page.fill("input[name=password]", password)
    page.click("form:has(input[name=password]) button[type=submit]")
    page.wait_for_load_state()
