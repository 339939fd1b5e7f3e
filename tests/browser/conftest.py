"""Browser-test harness: the site on a free loopback port (pytest-django's live_server,
transactional database) and a Playwright page on the system Chromium, plus an axe-core
accessibility check. Skipped, with the reason, when Chromium is not installed."""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
AXE_JS = Path(__file__).resolve().parents[2] / ".axe" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-gpu",
]


def pytest_collection_modifyitems(config, items):
    skip = pytest.mark.skip(reason="Chromium du système absent (paquet Debian « chromium ») : tests navigateur ignorés")
    for item in items:
        if "browser" not in item.keywords:
            continue
        # The live server reads committed data: a transactional database, flushed after
        # each test; `_base_data` puts back what the migrations had created.
        item.add_marker(pytest.mark.django_db(transaction=True))
        if not os.path.exists(CHROMIUM):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def _browser(django_db_setup):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Starting Playwright's sync API switches the context: Django's connection wrappers
    # (context-local) are new afterwards and would lose the contents saved for serialized
    # rollback when a non-browser test set the database up first. Carry them over.
    serialized = {alias: getattr(connections[alias], "_test_serialized_contents", None) for alias in connections}
    with sync_playwright() as playwright:
        for alias, contents in serialized.items():
            if contents is not None:
                connections[alias]._test_serialized_contents = contents
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(_browser, live_server):
    """A fresh page (own cookies) with `page.base_url` pointing at the live server."""
    context = _browser.new_context(base_url=live_server.url, locale="fr-FR", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.base_url = live_server.url
    yield page
    context.close()


def login(page, username, password="demo"):
    page.goto("/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/**")


def screenshot(page, name, full_page=True):
    """Save a PNG in tests/artifacts/ (`make guides` copies the guides' ones to docs/guides/captures/)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def assert_accessible(page, context=None):
    """Fail on serious or critical axe-core violations of the current page."""
    if not AXE_JS.exists():
        message = f"axe-core absent ({AXE_JS.relative_to(AXE_JS.parents[3])}) : lancez `make axe` (npm requis)"
        if os.environ.get("CI"):
            # In CI an accessibility check that cannot run is a failure, never a silent skip.
            pytest.fail(f"{message} ; en intégration continue le contrôle d'accessibilité est obligatoire.")
        pytest.skip(f"{message} : contrôle d'accessibilité ignoré hors intégration continue.")
    # Evaluated through the DevTools protocol, so the site's CSP (no inline script) stays on.
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    results = page.evaluate(
        "async (context) => await axe.run(context || document, {resultTypes: ['violations']})", context
    )
    blocking = [v for v in results["violations"] if v["impact"] in ("serious", "critical")]
    details = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}" for v in blocking
    )
    assert not blocking, f"Violations d'accessibilité sur {page.url} :\n{details}"


@pytest.fixture(scope="session", autouse=True)
def _serialized_contents_on_every_connection(django_db_setup):
    """Once Playwright's sync API runs, Django may hand the test a new connection object
    (asgiref sees another context), which lacks the serialized data of the test database:
    the flush after a browser test would then run post_migrate and nothing would restore the
    root page, locale and default workflow. Keep the serialized data on the class instead."""
    from django.db import connections

    for connection in connections.all():
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents is not None:
            type(connection)._test_serialized_contents = contents
