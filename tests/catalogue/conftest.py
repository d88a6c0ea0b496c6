"""Fixtures of the catalogue tests: the label's contest, the real imported palmarès."""

import pytest
from django.core.management import call_command

from awards.models import Award
from contests.models import Contest
from tests.factories import AwardOrganisationFactory

from .builders import make_award, make_edition, set_current_phase


@pytest.fixture
def label(db) -> Contest:
    # Seeded by a contests migration; get_or_create keeps the test independent of it.
    return Contest.objects.get_or_create(
        slug="label-territoire-innovant", defaults={"name": "Label Territoire Innovant"}
    )[0]


@pytest.fixture
def imported_palmares(db) -> None:
    """The real palmarès (data/palmares.csv and editions.csv), imported as in production."""
    call_command("import_palmares", "data/palmares.csv", verbosity=0)


@pytest.fixture
def embargoed_award(label, rennes):
    """An award to the Ville de Rennes in a 2025 edition whose results are still under embargo."""
    edition, levels = make_edition(label, 2025)
    set_current_phase(edition, "embargo", results_public=False)
    award: Award = make_award(edition, "Projet sous embargo", level=levels["or"])
    AwardOrganisationFactory(award=award, organisation=rennes, published_name="Ville de Rennes")
    return award
