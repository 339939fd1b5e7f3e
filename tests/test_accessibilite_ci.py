"""The axe-core check of the browser tests: a missing axe-core fails in CI, and is skipped with
its reason on a developer's machine."""

import pytest

from tests.browser import conftest as navigateur


@pytest.fixture
def axe_absent(monkeypatch, tmp_path):
    monkeypatch.setattr(navigateur, "AXE_JS", tmp_path / ".axe" / "node_modules" / "axe-core" / "axe.min.js")


def test_a_missing_axe_core_fails_in_ci(axe_absent, monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="intégration continue"):
        navigateur.assert_accessible(page=None)


def test_a_missing_axe_core_is_skipped_with_its_reason_outside_ci(axe_absent, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="make axe"):
        navigateur.assert_accessible(page=None)
