"""A contest is its organisers' own: they create it, say who awards it, set its default levels
(all on one page, each box titled by its name) and criteria; a new edition takes them."""

from decimal import Decimal

from django.urls import reverse

from contests import domain
from contests.models import Contest, ContestCriterion, ContestLevel

CREATE = reverse("contests:contest_create")


def contest_post(**overrides) -> dict:
    data = {
        "name": "Label Numérique Inclusif",
        "short_name": "Numérique Inclusif",
        "slug": "label-numerique-inclusif",
        "description": "Un label en cinq niveaux.",
        "applicant_kinds": "Communes et intercommunalités.",
        "lead_kinds": ["commune", "communaute_communes"],
        "awarder_name": "Association Ville Numérique",
        "awarder_website": "https://ville-numerique.exemple.fr",
        "awarder_contact": "label@ville-numerique.exemple.fr",
        "uses_regional_rounds": "",
        "ceremony_name": "Rencontres nationales",
        "regional_stage_name": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value != ""}


def levels_post(rows: list[tuple[str, str, int, str]], *, initial: int = 0) -> dict:
    data = {
        "levels-TOTAL_FORMS": str(len(rows)),
        "levels-INITIAL_FORMS": str(initial),
        "levels-MIN_NUM_FORMS": "0",
        "levels-MAX_NUM_FORMS": "1000",
    }
    for index, (code, name, rank, min_score) in enumerate(rows):
        data.update(
            {
                f"levels-{index}-code": code,
                f"levels-{index}-name": name,
                f"levels-{index}-rank": str(rank),
                f"levels-{index}-min_score": min_score,
                f"levels-{index}-max_per_theme": "",
            }
        )
    return data


FIVE_LEVELS = [
    ("niveau-5", "Cinq arobases", 1, "4,5"),
    ("niveau-4", "Quatre arobases", 2, "4"),
    ("niveau-3", "Trois arobases", 3, "3,5"),
    ("niveau-2", "Deux arobases", 4, "3"),
    ("niveau-1", "Une arobase", 5, ""),
]


def test_organiser_creates_a_contest_with_who_awards_it(organiser_client):
    response = organiser_client.post(CREATE, contest_post())

    contest = Contest.objects.get(slug="label-numerique-inclusif")
    assert response.status_code == 302
    assert response["Location"] == reverse("contests:contest_levels", args=[contest.slug])
    assert (
        contest.name,
        contest.short_name,
        contest.awarder_name,
        contest.awarder_website,
        contest.awarder_contact,
        contest.lead_kinds,
        contest.uses_themes,
        contest.uses_regional_rounds,
        contest.uses_auditions,
        contest.ceremony_name,
        contest.regional_stage_name,
    ) == (
        "Label Numérique Inclusif",
        "Numérique Inclusif",
        "Association Ville Numérique",
        "https://ville-numerique.exemple.fr",
        "label@ville-numerique.exemple.fr",
        ["commune", "communaute_communes"],
        False,
        False,
        False,
        "Rencontres nationales",
        "",
    )


def test_contest_creation_refuses_a_taken_slug_and_keeps_the_input(organiser_client):
    response = organiser_client.post(CREATE, contest_post(slug="label-territoire-innovant"))

    assert response.status_code == 200
    assert Contest.objects.filter(name="Label Numérique Inclusif").count() == 0
    assert list(response.context["form"].errors) == ["name", "slug"] or list(
        response.context["form"].errors
    ) == ["slug"]
    assert 'value="Association Ville Numérique"' in response.content.decode()


def test_contest_creation_refuses_a_reserved_slug(organiser_client):
    response = organiser_client.post(CREATE, contest_post(slug="nouveau"))

    assert response.context["form"].errors["slug"] == [
        "« nouveau » est réservé : choisissez un autre identifiant."
    ]


def test_creation_page_explains_no_particular_contest(organiser_client):
    content = organiser_client.get(CREATE).content.decode()

    for word in ("argent", "bronze", "Territoire Innovant", "Interconnect", "L'innovation"):
        assert word not in content
    assert "Créer un concours" in content


def test_all_levels_are_set_in_one_save_and_titled_by_their_names(organiser_client):
    contest = Contest.objects.create(name="Label Numérique Inclusif", slug="lni")
    url = reverse("contests:contest_levels", args=[contest.slug])
    empty_page = organiser_client.get(url).content.decode()

    response = organiser_client.post(url, levels_post(FIVE_LEVELS))

    assert empty_page.count("<legend>Nouveau niveau (") == 5
    assert response.status_code == 302
    assert list(contest.default_levels.values_list("code", "name", "rank", "min_score")) == [
        ("niveau-5", "Cinq arobases", 1, Decimal("4.50")),
        ("niveau-4", "Quatre arobases", 2, Decimal("4.00")),
        ("niveau-3", "Trois arobases", 3, Decimal("3.50")),
        ("niveau-2", "Deux arobases", 4, Decimal("3.00")),
        ("niveau-1", "Une arobase", 5, None),
    ]
    page = organiser_client.get(url).content.decode()
    for name in ("Cinq arobases", "Quatre arobases", "Trois arobases", "Une arobase"):
        assert f"<legend>{name}</legend>" in page
    assert "<legend>Niveau 1</legend>" not in page


def test_levels_whose_minimums_contradict_their_ranks_are_refused(organiser_client):
    contest = Contest.objects.create(name="Label Numérique Inclusif", slug="lni")
    url = reverse("contests:contest_levels", args=[contest.slug])

    response = organiser_client.post(
        url, levels_post([("haut", "Haut", 1, "3"), ("bas", "Bas", 2, "4")])
    )

    assert response.status_code == 200
    assert ContestLevel.objects.filter(contest=contest).count() == 0
    assert response.context["formset"].forms[0].errors["min_score"] == [
        "Un niveau mieux classé ne peut pas demander une note plus basse : "
        "« Bas » (rang 2) demande au moins 4."
    ]


def test_a_new_edition_takes_the_contest_defaults(organiser):
    contest = Contest.objects.create(name="Label Numérique Inclusif", slug="lni")
    ContestLevel.objects.create(
        contest=contest, code="niveau-2", name="Deux", rank=1, min_score=4, max_per_theme=2
    )
    ContestLevel.objects.create(contest=contest, code="niveau-1", name="Un", rank=2)
    ContestCriterion.objects.create(
        contest=contest, name="Accessibilité", weight=2, eliminatory=False, position=1
    )

    edition = domain.create_edition(contest, 2027, by=organiser)

    assert list(
        edition.levels.values_list("code", "name", "rank", "min_score", "max_per_theme")
    ) == [("niveau-2", "Deux", 1, Decimal("4.00"), 2), ("niveau-1", "Un", 2, None, None)]
    assert list(edition.criteria.values_list("name", "weight", "eliminatory")) == [
        ("Accessibilité", Decimal("2.00"), False)
    ]


def test_a_contest_without_defaults_gives_its_editions_none(organiser):
    contest = Contest.objects.create(name="Prix sans niveaux", slug="prix")

    edition = domain.create_edition(contest, 2027, by=organiser)

    assert (edition.levels.count(), edition.criteria.count(), edition.phases.count()) == (0, 0, 10)


def test_edition_creation_page_lists_the_contest_defaults(organiser_client):
    contest = Contest.objects.create(name="Label Numérique Inclusif", slug="lni")
    ContestLevel.objects.create(contest=contest, code="niveau-1", name="Une arobase", rank=1)

    content = organiser_client.get(
        reverse("contests:edition_create", args=[contest.slug])
    ).content.decode()

    assert "niveaux : Une arobase ;" in content
    assert "0 critères ;" in content
    assert "argent" not in content and "six critères" not in content


def test_seeded_contests_say_who_awards_them_and_what_they_call_their_events(db):
    label = Contest.objects.get(slug="label-territoire-innovant")
    startup = Contest.objects.get(slug="start-up-interconnectee")

    assert (
        label.awarder_name,
        label.awarder_website,
        label.ceremony_name,
        label.regional_stage_name,
    ) == ("Les Interconnectés", "https://www.interconnectes.com", "Forum", "IntercoTOUR")
    assert list(label.default_levels.values_list("code", flat=True)) == ["or", "argent", "bronze"]
    assert label.default_criteria.count() == 6
    assert (startup.awarder_name, startup.ceremony_name, startup.default_criteria.count()) == (
        "Les Interconnectés",
        "",
        0,
    )


def test_contest_page_shows_its_awarder_and_defaults(organiser_client):
    content = organiser_client.get(
        reverse("contests:contest_detail", args=["label-territoire-innovant"])
    ).content.decode()

    assert "Les Interconnectés" in content
    assert "Or : aucune note minimale, sans limite par thème" in content
    assert "La reproductibilité" in content


def test_contest_update_keeps_the_slug(organiser_client):
    url = reverse("contests:contest_update", args=["start-up-interconnectee"])

    response = organiser_client.post(
        url, contest_post(name="Start-up Interconnectée", slug="autre-chose")
    )

    contest = Contest.objects.get(slug="start-up-interconnectee")
    assert response.status_code == 302
    assert (contest.name, contest.awarder_name) == (
        "Start-up Interconnectée",
        "Association Ville Numérique",
    )
    assert not Contest.objects.filter(slug="autre-chose").exists()


def test_organiser_sets_the_article_the_contest_name_takes(organiser_client):
    organiser_client.post(
        CREATE,
        contest_post(name="Trophées du numérique", slug="trophees", article="les"),
    )
    unset = organiser_client.post(CREATE, contest_post())

    trophies = Contest.objects.get(slug="trophees")
    assert (trophies.article, trophies.with_article("de")) == ("les", "des Trophées du numérique")
    assert trophies.signature == "L'équipe des Trophées du numérique\nAssociation Ville Numérique"
    # Left out of the form: the model's default, « le ».
    assert unset.status_code == 302
    assert Contest.objects.get(slug="label-numerique-inclusif").article == "le"
