"""The worker web app in Debian's headless Chromium (Playwright drives it; no browser is downloaded).

The test process's one local runtime (tests/conftest.py) and one browser for the whole session; a fresh
browser context (cookies) per worker. Requests to anywhere but the local runtime are answered by the tests' own routes or refused, so nothing
leaves the machine.
"""

from pathlib import Path
from urllib.parse import urlsplit

import pytest

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
def endpoint(runtime) -> str:
    return runtime.info["Endpoint"]


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
