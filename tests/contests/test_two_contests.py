"""Two contests on the same engine, the same year, side by side: the Label « Territoire
Innovant » (collectivités) and « Start-up Interconnectée » (start-ups), both 2031.

The world is built once for the module through the domain functions (dossiers created, saved and
submitted by their agents, eligibility, a national round, three jurors each, the exact
assignment, evaluations, the deliberation opened and validated by the president): no code of
either contest, only each contest's configuration. Each test runs in its own savepoint, so a
test that publishes one contest leaves the other tests a world where nothing is published.
"""

import csv
import io
import json
import re
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from accounts.enums import MembershipState
from applications import domain
from applications.enums import ApplicationState
from awards.deliberation import open_deliberation, validate
from awards.enums import DeliberationState
from awards.models import Award
from awards.publication import publish
from contests.models import Contest, Criterion, Edition, Level, Phase, Theme
from jury.domain.assign import assign_round
from jury.domain.eligibility import mark_undecided_eligible
from jury.domain.evaluations import CriterionMark, save_evaluation
from jury.domain.rounds import fill_round, save_round
from jury.enums import RoundKind
from jury.models import Assignment, Round
from territories.enums import OrganisationKind
from territories.models import Organisation
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.jury.factories import JurorFactory

YEAR = 2031
LABEL, STARTUP = "label-territoire-innovant", "start-up-interconnectee"
LABEL_REFS = ["LTI-2031-0001", "LTI-2031-0002"]
STARTUP_REFS = ["SUI-2031-0001", "SUI-2031-0002"]
# The best dossier of each contest (every juror gives it 5) is proposed its contest's level.
LABEL_WINNER, LABEL_OTHER = "Capteurs de bruit partagés", "Guichet des associations"
STARTUP_WINNER, STARTUP_OTHER = "Écoute des fuites d'eau", "Agenda des crèches"
LABEL_WINNER_SLUG = "2031-capteurs-de-bruit-partages"
STARTUP_WINNER_SLUG = "2031-ecoute-des-fuites-deau"
REFERENCE = re.compile(r"\b(?:LTI|SUI)-2031-\d{4}\b")
# Days from now at which each phase starts: the results are under embargo for both.
PHASES = (
    ("applications_open", -90, {"may_apply": True}),
    ("applications_closed", -60, {}),
    ("jury_scoring", -30, {"may_score": True}),
    ("deliberation", -5, {"may_see_other_scores": True}),
    ("embargo", -1, {"may_see_other_scores": True, "may_publish": True}),
    ("published", 30, {"results_public": True}),
)


def _edition(contest: Contest, theme: str, level: tuple[str, str]) -> Edition:
    """An edition as its organisers configure it: phases, one theme, two criteria, one level."""
    edition = Edition.objects.create(contest=contest, year=YEAR)
    now = timezone.now()
    for kind, days, flags in PHASES:
        Phase.objects.create(
            edition=edition, kind=kind, starts_at=now + timedelta(days=days), **flags
        )
    Theme.objects.create(edition=edition, name=theme, slug=slugify(theme), position=1)
    for position, name in enumerate(("Innovation", "Utilité"), start=1):
        Criterion.objects.create(
            edition=edition, name=name, description=f"{name} du projet.", position=position
        )
    Level.objects.create(
        edition=edition,
        code=level[0],
        name=level[1],
        rank=1,
        min_score=Decimal("3.50"),
        max_per_theme=1,
    )
    return edition


def _agent(organisation: Organisation, email: str):
    return MembershipFactory(
        user=UserFactory(email=email), organisation=organisation, state=MembershipState.CONFIRMED
    ).user


def _dossier(edition: Edition, organisation: Organisation, agent, title: str):
    application = domain.create_application(edition, organisation, by=agent)
    started = date(2029, 3, 1)
    changes = {
        "theme": edition.themes.get(),
        "title": title,
        "summary": f"{title} : le résumé.",
        "description": f"{organisation.name} présente « {title} ».",
        "project_stage": "deployed",
        "started_on": started,
        "deployed_on": started + timedelta(days=200),
        "audience": "Habitants",
        "contact_name": "Camille Martin",
        "contact_email": agent.email,
        "criterion_answers": {c.pk: f"Réponse : {c.name}" for c in edition.criteria.all()},
    }
    application = domain.save_draft(
        application, changes, expected_version=application.version, by=agent
    )
    # Submitted while applications were open (the phase started 90 days ago).
    opened = edition.phases.get(kind="applications_open").starts_at
    return domain.submit_application(application, by=agent, now=opened + timedelta(days=1))


def _jury(edition: Edition, organiser, prefix: str, winner: str):
    """The national round, three jurors, the exact assignment, every evaluation submitted, the
    deliberation opened and validated by the president."""
    mark_undecided_eligible(edition.applications.order_by("reference"), by=organiser)
    round_ = save_round(
        Round(edition=edition, name="Jury national", slug="national", kind=RoundKind.NATIONAL),
        regions=[],
        criteria=[],
        by=organiser,
    )
    fill_round(round_, by=organiser)
    jurors = [
        JurorFactory(
            round=round_,
            user=UserFactory(email=f"jure{number}.{prefix}@exemple.org"),
            full_name=f"Juré {number} {prefix}",
            institution_name=f"Institution {number} {prefix}",
            is_president=number == 1,
        )
        for number in (1, 2, 3)
    ]
    assign_round(round_, per_dossier=3, by=organiser)
    criteria = list(edition.criteria.all())
    for assignment in Assignment.objects.filter(juror__round=round_).select_related(
        "application", "juror__user", "juror__round__edition"
    ):
        value = "5" if assignment.application.title == winner else "2"
        save_evaluation(
            assignment,
            {criterion.pk: CriterionMark(value=value) for criterion in criteria},
            "Avis du juré.",
            expected_version=0,
            by=assignment.juror.user,
            submit=True,
        )
    deliberation = open_deliberation(edition, round_, by=organiser)
    validate(deliberation, by=jurors[0].user)
    return SimpleNamespace(round=round_, jurors=jurors, deliberation=deliberation)


def _build() -> SimpleNamespace:
    organiser = UserFactory(email="organisation@interconnectes.example", is_organiser=True)
    label = _edition(Contest.objects.get(slug=LABEL), "Environnement", ("or", "Or"))
    startup = _edition(
        Contest.objects.get(slug=STARTUP), "Ville durable", ("laureat", "Lauréat national")
    )
    rennes = Organisation.objects.get(kind="commune", insee_code="35238")
    nantes = Organisation.objects.get(kind="commune", insee_code="44109")
    water = OrganisationFactory(
        kind=OrganisationKind.STARTUP, name="Écoute Réseau (démo)", siren="000000018"
    )
    nursery = OrganisationFactory(
        kind=OrganisationKind.STARTUP, name="Crèche Agenda (démo)", siren="000000026"
    )
    agents = {
        "rennes": _agent(rennes, "agente@rennes.example"),
        "nantes": _agent(nantes, "agent@nantes.example"),
        "water": _agent(water, "fondatrice@ecoute-reseau.example"),
        "nursery": _agent(nursery, "fondateur@creche-agenda.example"),
    }
    _dossier(label, rennes, agents["rennes"], LABEL_WINNER)
    _dossier(label, nantes, agents["nantes"], LABEL_OTHER)
    _dossier(startup, water, agents["water"], STARTUP_WINNER)
    _dossier(startup, nursery, agents["nursery"], STARTUP_OTHER)
    return SimpleNamespace(
        organiser=organiser,
        agents=agents,
        companies={"water": water, "nursery": nursery},
        rennes=rennes,
        label=label,
        startup=startup,
        label_jury=_jury(label, organiser, "label", LABEL_WINNER),
        startup_jury=_jury(startup, organiser, "startup", STARTUP_WINNER),
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction rolled back at its end."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield _build()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def fresh(settings, tmp_path):
    """No cached answers between tests; a private open-data folder."""
    cache.clear()
    settings.OPEN_DATA_ROOT = str(tmp_path / "opendata")
    yield
    cache.clear()


def _client(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode()


def _references(response) -> list[str]:
    return sorted(set(REFERENCE.findall(_text(response))))


def _url(name: str, contest: str, **kwargs) -> str:
    return reverse(name, kwargs={"contest_slug": contest, "year": YEAR, **kwargs})


# ------------------------------------------------------------------------------- the world


def test_both_editions_are_built_by_the_same_engine(world, db):
    assert list(world.label.applications.values_list("reference", "state")) == [
        (reference, ApplicationState.SUBMITTED) for reference in LABEL_REFS
    ]
    assert list(world.startup.applications.values_list("reference", "state")) == [
        (reference, ApplicationState.SUBMITTED) for reference in STARTUP_REFS
    ]
    for jury, winner, level in (
        (world.label_jury, LABEL_WINNER, "or"),
        (world.startup_jury, STARTUP_WINNER, "laureat"),
    ):
        assert jury.deliberation.state == DeliberationState.VALIDATED
        decisions = jury.deliberation.decisions.select_related("application", "level")
        assert sorted(
            (d.application.title, d.level.code if d.level else None) for d in decisions
        ) == sorted([(winner, level), (next(t for t in _titles(jury) if t != winner), None)])
        assert Assignment.objects.filter(juror__round=jury.round).count() == 6


def _titles(jury) -> list[str]:
    return list(jury.round.entries.values_list("application__title", flat=True))


# ---------------------------------------------------------------------------------- jurors


@pytest.mark.parametrize(
    ("jury", "own", "contest", "other_contest", "other_refs"),
    [
        ("label_jury", LABEL_REFS, LABEL, STARTUP, STARTUP_REFS),
        ("startup_jury", STARTUP_REFS, STARTUP, LABEL, LABEL_REFS),
    ],
)
def test_a_juror_sees_only_the_dossiers_of_their_contest(
    world, db, jury, own, contest, other_contest, other_refs
):
    client = _client(getattr(world, jury).jurors[1].user)

    home = client.get(reverse("jury:home"))
    summaries = [
        (s.round.edition.contest.slug, s.round.slug, s.assigned, s.submitted)
        for s in home.context["summaries"]
    ]
    own_round = client.get(_url("jury:juror_round", contest, round_slug="national"))
    other_round = client.get(_url("jury:juror_round", other_contest, round_slug="national"))

    assert summaries == [(contest, "national", 2, 2)]
    assert _references(own_round) == own
    assert other_round.status_code == 403
    for reference in own:
        page = client.get(
            _url("jury:evaluation", contest, round_slug="national", reference=reference)
        )
        assert page.status_code == 200, reference
    for reference in other_refs:
        for url in (
            _url("jury:evaluation", other_contest, round_slug="national", reference=reference),
            _url("jury:evaluation", contest, round_slug="national", reference=reference),
            _url("jury:other_scores", other_contest, round_slug="national", reference=reference),
            reverse("applications:detail", kwargs={"reference": reference}),
            reverse("applications:files", kwargs={"reference": reference}),
            reverse("opendata:dossier_zip", kwargs={"reference": reference}),
        ):
            assert client.get(url).status_code == 404, url
    for name in ("opendata:evaluations_csv", "jury:progress"):
        assert client.get(_url(name, other_contest, round_slug="national")).status_code == 403


def test_an_applicant_sees_only_the_dossiers_of_their_structure(world, db):
    founder = _client(world.agents["water"])

    mine = founder.get(reverse("applications:my_applications"))

    assert _references(mine) == ["SUI-2031-0001"]
    assert founder.get(reverse("applications:detail", args=["SUI-2031-0001"])).status_code == 200
    for reference in ("SUI-2031-0002", *LABEL_REFS):
        assert founder.get(reverse("applications:detail", args=[reference])).status_code == 404


# ------------------------------------------------------------------------------- organisers


@pytest.mark.parametrize(("contest", "refs"), [(LABEL, LABEL_REFS), (STARTUP, STARTUP_REFS)])
def test_organisers_lists_and_exports_hold_only_their_edition(world, db, contest, refs):
    client = _client(world.organiser)

    for name in (
        "applications:edition_applications",
        "opendata:applications_csv",
        "jury:eligibility",
        "awards:deliberation",
        "opendata:results_csv",
    ):
        response = client.get(_url(name, contest))
        assert response.status_code == 200, name
        assert _references(response) == refs, name
    for name in ("jury:round_detail", "opendata:evaluations_csv", "jury:progress"):
        response = client.get(_url(name, contest, round_slug="national"))
        assert response.status_code == 200, name
        assert _references(response) == refs, name
    rounds = client.get(_url("jury:rounds", contest))
    assert [r.edition.contest.slug for r in rounds.context["rounds"]] == [contest]


# ------------------------------------------------------------------------------ publication


def _api(client: Client, **params) -> list[str]:
    response = client.get("/api/v1/laureates", params)
    return [result["title"] for result in json.loads(_text(response))["results"]]


def observe(client: Client) -> dict[str, object]:
    """What a visitor can see of the 2031 results of either contest, surface by surface."""
    titles = (LABEL_WINNER, LABEL_OTHER, STARTUP_WINNER, STARTUP_OTHER)

    def shown(response) -> list[str]:
        text = _text(response).replace("&#x27;", "'")
        return [title for title in titles if title in text]

    def palmares(**query) -> list[str]:
        """The palmarès page of each contest (/palmares/ shows one, the label by default)."""
        return shown(client.get("/palmares/", query)) + shown(
            client.get("/palmares/", {**query, "concours": STARTUP})
        )

    rows = list(csv.DictReader(io.StringIO(_text(client.get("/donnees/palmares.csv")))))
    return {
        "palmarès 2031": client.get("/palmares/2031/").status_code,
        "palmarès 2031 titles": shown(client.get("/palmares/2031/")),
        "palmarès": palmares(),
        "search bruit": palmares(q="capteurs bruit"),
        "search fuites": palmares(q="fuites eau"),
        "press release": client.get("/palmares/2031/communique/").status_code,
        "api 2031": _api(client, year=YEAR),
        "api levels": sorted(
            (result["title"], result["level"])
            for result in json.loads(_text(client.get("/api/v1/laureates", {"year": YEAR})))[
                "results"
            ]
        ),
        "csv": sorted((row["contest"], row["title"]) for row in rows),
        "json": sorted(
            row["title"] for row in json.loads(_text(client.get("/donnees/palmares.json")))
        ),
        "label project": client.get(f"/projets/{LABEL_WINNER_SLUG}/").status_code,
        "startup project": client.get(f"/projets/{STARTUP_WINNER_SLUG}/").status_code,
    }


NOTHING = {
    "palmarès 2031": 404,
    "palmarès 2031 titles": [],
    "palmarès": [],
    "search bruit": [],
    "search fuites": [],
    "press release": 404,
    "api 2031": [],
    "api levels": [],
    "csv": [],
    "json": [],
    "label project": 404,
    "startup project": 404,
}
ONLY_STARTUP = {
    **NOTHING,
    "palmarès": [STARTUP_WINNER],
    "search fuites": [STARTUP_WINNER],
    "api 2031": [STARTUP_WINNER],
    "api levels": [(STARTUP_WINNER, "laureat")],
    "csv": [(STARTUP, STARTUP_WINNER)],
    "json": [STARTUP_WINNER],
    "startup project": 200,
}
# /palmares/<year>/ and its press release are the label's pages: the start-up's results are on
# the palmarès, its search, its project pages, the API and the open data files.
ONLY_LABEL = {
    **NOTHING,
    "palmarès 2031": 200,
    "palmarès 2031 titles": [LABEL_WINNER],
    "palmarès": [LABEL_WINNER],
    "search bruit": [LABEL_WINNER],
    "press release": 200,
    "api 2031": [LABEL_WINNER],
    "api levels": [(LABEL_WINNER, "or")],
    "csv": [(LABEL, LABEL_WINNER)],
    "json": [LABEL_WINNER],
    "label project": 200,
}


def test_nothing_is_public_while_both_are_under_embargo(world, db, visitor):
    assert observe(visitor) == NOTHING


@pytest.mark.parametrize(
    ("published", "other", "expected"),
    [("startup", "label", ONLY_STARTUP), ("label", "startup", ONLY_LABEL)],
)
def test_publishing_one_contest_publishes_nothing_of_the_other(
    world, db, visitor, django_capture_on_commit_callbacks, published, other, expected
):
    jury, other_jury = getattr(world, f"{published}_jury"), getattr(world, f"{other}_jury")
    other_edition = getattr(world, other)

    with django_capture_on_commit_callbacks(execute=True):
        awards = publish(jury.deliberation, by=world.organiser)

    assert [award.edition for award in awards] == [getattr(world, published)]
    assert observe(visitor) == expected
    other_jury.deliberation.refresh_from_db()
    assert other_jury.deliberation.state == DeliberationState.VALIDATED
    assert Award.objects.filter(edition=other_edition).count() == 0
    assert set(other_edition.applications.values_list("state", flat=True)) == {
        ApplicationState.SUBMITTED
    }
    assert set(other_edition.phases.filter(results_public=True).values_list("kind", flat=True)) == {
        "published"
    }


# ------------------------------------------------------------------------------ lead natures


def test_each_contest_refuses_the_other_nature_as_lead(world, db):
    water = world.companies["water"]

    with pytest.raises(domain.LeadRefused):
        domain.create_application(world.startup, world.rennes, by=world.agents["rennes"])
    with pytest.raises(domain.LeadRefused):
        domain.create_application(world.label, water, by=world.agents["water"])

    assert world.label.applications.count() == 2
    assert world.startup.applications.count() == 2


def test_each_contest_page_offers_only_its_own_natures(world, db):
    Phase.objects.filter(edition__year=YEAR, kind="embargo").update(may_apply=True)
    rennes, founder = _client(world.agents["rennes"]), _client(world.agents["water"])
    label_url = reverse("applications:create", args=[LABEL, YEAR])
    startup_url = reverse("applications:create", args=[STARTUP, YEAR])

    refused = [
        rennes.get(startup_url),
        founder.get(label_url),
        rennes.post(startup_url, {"organisation": world.rennes.slug}),
        founder.post(label_url, {"organisation": world.companies["water"].slug}),
    ]
    allowed = [rennes.get(label_url), founder.get(startup_url)]

    assert [response.status_code for response in refused] == [403, 403, 403, 403]
    assert "Start-up ou entreprise" in _text(refused[0])
    assert "Structures pouvant porter un dossier de ce concours : Région, Département" in (
        _text(refused[1])
    )
    assert [response.status_code for response in allowed] == [200, 200]
    assert [
        [o.slug for o in response.context["form"].fields["organisation"].queryset]
        for response in allowed
    ] == [[world.rennes.slug], [world.companies["water"].slug]]
    assert world.label.applications.count() == 2
    assert world.startup.applications.count() == 2
