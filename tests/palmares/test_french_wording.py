"""Dates with « 1er », sizes in ko / Mo, a contest named with its article and signed by its
organiser."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation

from contests.enums import ContestArticle
from contests.models import Contest
from palmares.dates import day_month, day_number, long_date, long_datetime, weekday_date
from palmares.sizes import format_size

PARIS = ZoneInfo("Europe/Paris")


def test_first_of_the_month_reads_premier():
    assert long_date(date(2027, 2, 1)) == "1er février 2027"


def test_other_days_read_as_numbers():
    assert long_date(date(2027, 2, 2)) == "2 février 2027"
    assert long_date(date(2027, 3, 11)) == "11 mars 2027"


def test_aware_datetime_is_written_in_paris_time():
    # 23:30 UTC on 31 January is 00:30 on 1 February in Paris.
    moment = datetime(2027, 1, 31, 23, 30, tzinfo=ZoneInfo("UTC"))
    assert long_date(moment) == "1er février 2027"
    assert long_datetime(moment) == "1er février 2027 à 00:30"


def test_weekday_day_month_and_day_number():
    assert weekday_date(date(2027, 2, 1)) == "lundi 1er février 2027"
    assert day_month(date(2027, 3, 1)) == "1er mars"
    assert day_number(date(2027, 3, 1)) == "1er"
    assert day_number(date(2027, 3, 2)) == "2"


def test_no_date_is_empty():
    assert long_date(None) == ""
    assert long_datetime(None) == ""


def test_english_has_no_premier():
    with translation.override("en"):
        # Django's English date, as the rest of the English pages write it.
        assert long_date(date(2027, 2, 1)) == "Feb. 1, 2027"


def test_filters_are_builtin_in_templates():
    template = Template("{{ day|long_date }} · {{ size|file_size }}")
    rendered = template.render(Context({"day": date(2027, 2, 1), "size": 245_300}))
    assert rendered == "1er février 2027 · 245,3 ko"


@pytest.mark.parametrize(
    ("size", "text"),
    [(820, "820 octets"), (1, "1 octet"), (245_300, "245,3 ko"), (12_400_000, "12,4 Mo")],
)
def test_sizes_in_ko_and_mo(size, text):
    assert format_size(size) == text


@pytest.mark.parametrize(
    ("article", "bare", "of", "to"),
    [
        (ContestArticle.LE, "le Label X", "du Label X", "au Label X"),
        (ContestArticle.LA, "la Label X", "de la Label X", "à la Label X"),
        (ContestArticle.ELIDED, "l'Label X", "de l'Label X", "à l'Label X"),
        (ContestArticle.LES, "les Label X", "des Label X", "aux Label X"),
        (ContestArticle.NONE, "Label X", "de Label X", "à Label X"),
    ],
)
def test_contest_name_takes_its_article(article, bare, of, to):
    contest = Contest(name="Label X", article=article)
    assert contest.with_article() == bare
    assert contest.with_article("de") == of
    assert contest.with_article("à") == to


@pytest.mark.parametrize("article", ContestArticle.values)
def test_contest_name_is_plain_in_english(article):
    contest = Contest(name="Label X", article=article, awarder_name="Les Amis")
    with translation.override("en"):
        names = [contest.with_article(), contest.with_article("de"), contest.with_article("à")]
        signature = contest.signature
    assert names == ["Label X", "Label X", "Label X"]
    assert signature == "The Label X team\nLes Amis"


def test_contest_name_keeps_its_contraction_in_french():
    contest = Contest(name="Label X", article=ContestArticle.LE)
    with translation.override("fr"):
        assert contest.with_article("à") == "au Label X"


def test_signature_names_the_contest_and_its_organiser():
    contest = Contest(name="Start-up Interconnectée", article="la", awarder_name="Les Amis")
    assert contest.signature == "L'équipe de la Start-up Interconnectée\nLes Amis"


def test_signature_without_organiser_names_the_contest_only():
    contest = Contest(name="Label X", article="le", awarder_name="")
    assert contest.signature == "L'équipe du Label X"


@pytest.mark.django_db
def test_seeded_contests_are_signed_by_their_organiser():
    label = Contest.objects.get(slug="label-territoire-innovant")
    startup = Contest.objects.get(slug="start-up-interconnectee")
    assert (label.article, label.awarder_name) == ("le", "Les Interconnectés")
    assert (startup.article, startup.awarder_name) == ("la", "Les Interconnectés")
