"""The worker web app in Debian's headless Chromium (Playwright drives it; no browser is downloaded).

One local runtime and one browser for the whole session; a fresh browser context (cookies) per worker.
Requests to anywhere but the local runtime are answered by the tests' own routes or refused, so nothing
leaves the machine.
"""

import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from openturk.local.engines import free_port
from tests.support import funded_requester

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).with_name("screenshots")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def endpoint():
    """`openturk serve` in its own process, as a worker's browser meets it (and so that it never shares this
    test process's environment with the integration tests' in-process runtime)."""
    port, aws_port = free_port(), free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("OPENTURK_")}
    command = [
        sys.executable,
        "-m",
        "openturk.cli",
        "serve",
        "--port",
        str(port),
        "--aws-port",
        str(aws_port),
    ]
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            command, env=environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        endpoint = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        try:
            while not _healthy(endpoint):
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    pytest.fail(
                        f"openturk serve did not start:\n{log.read().decode(errors='replace')[-3000:]}"
                    )
                time.sleep(0.2)
            yield endpoint
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def _healthy(endpoint: str) -> bool:
    try:
        with urllib.request.urlopen(endpoint + "/health", timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.fixture
def requester(endpoint) -> dict[str, str]:
    return funded_requester(endpoint)


@pytest.fixture
def mturk(endpoint, requester):
    from tests.integration.conftest import mturk_client

    return mturk_client(endpoint, requester)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} is missing: `make test` installs Debian's chromium (apt-get install chromium)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_context(browser, endpoint):
    """new() -> a browser context whose requests stay on this machine: the runtime itself, or the test's
    own `remote` pages ({url prefix: html}); anything else is refused, as when offline."""
    contexts = []
    local = urlsplit(endpoint).netloc

    def new(remote: dict[str, str] | None = None, **options):
        context = browser.new_context(**options)
        pages = dict(remote or {})

        def route(route):
            url = route.request.url
            if urlsplit(url).netloc == local:
                return route.continue_()
            for prefix, body in pages.items():
                if url.startswith(prefix):
                    content_type = "text/javascript" if prefix.endswith(".js") else "text/html; charset=utf-8"
                    return route.fulfill(status=200, body=body, content_type=content_type)
            return route.abort("internetdisconnected")

        context.route("**/*", route)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context

    yield new
    for context in contexts:
        context.close()


def shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def sign_in(context, endpoint: str, name: str):
    """Opens a page, is sent to the sign-in, signs in as `name`; returns the page on the marketplace."""
    page = context.new_page()
    page.goto(endpoint + "/worker/")
    assert "/worker/sign-in" in page.url
    page.fill("#name", name)
    page.click("button[type=submit]")
    page.wait_for_url(endpoint + "/worker/")
    return page
