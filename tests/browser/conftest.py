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
        # The live server reads committed data; serialized rollback restores what the
        # migrations created (root page, groups) after each test's flush.
        item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))
        if not os.path.exists(CHROMIUM):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def _browser():
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Under Playwright's event loop Django may hand out another connection object, which lacks
    # the data serialized at set-up: carry it over, or serialized rollback restores nothing.
    serialized = getattr(connections["default"], "_test_serialized_contents", None)
    with sync_playwright() as playwright:
        if serialized is not None:
            connections["default"]._test_serialized_contents = serialized
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


def screenshot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def assert_accessible(page, context=None):
    """Fail on serious or critical axe-core violations of the current page."""
    if not AXE_JS.exists():
        pytest.skip("axe-core absent (npm indisponible) : contrôle d'accessibilité ignoré")
    page.add_script_tag(path=str(AXE_JS))
    results = page.evaluate(
        "async (context) => await axe.run(context || document, {resultTypes: ['violations']})", context
    )
    blocking = [v for v in results["violations"] if v["impact"] in ("serious", "critical")]
    details = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}" for v in blocking
    )
    assert not blocking, f"Violations d'accessibilité sur {page.url} :\n{details}"
