"""awards announces a changed public palmarès (awards.signals.palmares_changed) after an import
and a publication; catalogue refreshes its search index, opendata its files (their receivers)."""

import pytest
from django.core.management.base import CommandError

from awards.models import Award
from awards.publication import PublicationRefused, publish
from awards.signals import palmares_changed
from catalogue.search.models import SearchDocument
from contests.models import Edition
from opendata.publishing import read_release

from .palmares import PALMARES, run_import
from .publication_setup import (
    LAUREATE_SLUG,
    fresh_cache_and_files_fixture,  # noqa: F401
    setup_fixture,  # noqa: F401
)

pytestmark = pytest.mark.django_db
AWARDS_IN_FILE = 60  # rows of data/palmares.csv


@pytest.fixture
def announced():
    """What palmares_changed announced, collected by a receiver connected for the test."""
    calls: list[dict] = []

    def receiver(sender, editions, award_ids, **kwargs):
        calls.append({"editions": sorted(e.year for e in editions), "awards": list(award_ids)})

    palmares_changed.connect(receiver, dispatch_uid="test_announced")
    yield calls
    palmares_changed.disconnect(dispatch_uid="test_announced")


def test_an_import_announces_its_editions_and_awards(announced):
    run_import(str(PALMARES))

    years = sorted(Edition.objects.filter(is_historical=True).values_list("year", flat=True))
    assert len(years) == 10
    assert announced == [
        {"editions": years, "awards": sorted(Award.objects.values_list("pk", flat=True))}
    ]


def test_an_import_indexes_its_awards_and_writes_the_files(django_capture_on_commit_callbacks):
    assert read_release() is None

    with django_capture_on_commit_callbacks(execute=True):
        run_import(str(PALMARES))

    assert SearchDocument.objects.count() == Award.objects.count() == AWARDS_IN_FILE
    assert read_release().awards == AWARDS_IN_FILE


def test_a_refused_import_announces_nothing(announced, tmp_path):
    broken = tmp_path / "palmares.csv"
    broken.write_text("année;titre\n", encoding="utf-8")

    with pytest.raises(CommandError, match="Palmarès non importé"):
        run_import(str(broken))

    assert announced == []


def test_a_publication_announces_its_edition_and_new_awards(setup, organiser, announced):
    awards = publish(setup.deliberation, by=organiser)

    assert announced == [{"editions": [setup.edition.year], "awards": [a.pk for a in awards]}]


def test_a_publication_indexes_its_awards_and_the_files_follow_its_commit(
    setup, organiser, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        awards = publish(setup.deliberation, by=organiser)

    # The index in the publication's transaction; the files only once it committed.
    assert set(SearchDocument.objects.values_list("award_id", flat=True)) == {
        award.pk for award in awards
    }
    assert read_release() is None
    for callback in callbacks:
        callback()
    assert read_release().awards == len(awards) == 2
    assert Award.objects.filter(slug=LAUREATE_SLUG).exists()


def test_a_refused_publication_announces_nothing(setup, organiser, announced):
    publish(setup.deliberation, by=organiser)

    with pytest.raises(PublicationRefused):
        publish(setup.deliberation, by=organiser)

    assert len(announced) == 1
