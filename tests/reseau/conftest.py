"""Fixtures of the network's space: a small catalogue (thématiques, fiches) and members."""

import pytest

from tests.catalogue.conftest import catalogue, make_fiche, thematiques  # noqa: F401


@pytest.fixture
def fiche_hgi(catalogue):  # noqa: F811
    return make_fiche(
        catalogue["hgi_page"], "Conseil juridique aux communes", catalogue["hgi_juridique"], catalogue["juridique"]
    )
