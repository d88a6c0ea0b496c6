"""A third contest of another shape on the same engine, from its creation to its public pages.

An organiser creates « Trophées Numérique Responsable » on the organisers' pages (five numbered
levels, no themes, no auditions, a « mention Numérique responsable », awarded by an organisation
of its own), imports its past palmarès from a CSV on the import page, opens an edition; a commune
applies, a jury scores, the deliberation gives a level and the mention, the president validates,
the results are published. Then every public surface of that contest names the contest, its
awarder, its level and its mention, and none names the Label's words.

Steps with no page of their own in this test are taken through the domain functions the pages
call (the dossier, the round, the evaluations, the deliberation, the publication): see
_run_edition.
"""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.enums import MembershipState
from accounts.models import User
from applications.enums import ApplicationState
from applications.models import Application
from awards.models import Award
from contests.models import Contest, Edition
from jury.enums import EvaluationState
from jury.models import Evaluation, Round
from territories.models import Organisation
from tests.awards.test_palmares_import_page import carried, statuses
from tests.conftest import PASSWORD
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

SLUG = "trophees-numerique-responsable"
NAME = "Trophées Numérique Responsable"
AWARDER = "Collectif Sobriété Numérique"
WEBSITE = "https://sobriete-numerique.exemple.fr"
MENTION = "mention Numérique responsable"
YEAR = 2027
LEVELS = [
    (f"niveau-{n}", f"Niveau {n}", 6 - n, str(n - 1) if n > 1 else "") for n in (5, 4, 3, 2, 1)
]
PAST = (
    "year,level,theme,organisations,project_title,notes,source\n"
    "2024,niveau-3,,Brest,Ateliers de réparation numérique,,\n"
    "2025,niveau-2,,Rennes,Parc informatique reconditionné,,\n"
)
WINNER = "Cantines sans papier"
# Whatever a contest other than the Label prints, none of these words belongs to it.
FOREIGN = ("Territoire Innovant", "Interconnectés", "IntercoTOUR", "Forum", "label or", "Label or")


def _post_rows(prefix: str, rows: list[dict[str, str]]) -> dict[str, str]:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    return data


def _ok(response, expected=302):
    if response.status_code != expected and response.context and "form" in response.context:
        print("FORM ERRORS", response.context["form"].errors)
    assert response.status_code == expected, (
        response.status_code,
        response.content.decode()[-6000:],
    )
    return response


def _create_contest(client: Client) -> Contest:
    """The contest, its five levels, one criterion and its mention: all on the organisers' pages."""
    _ok(
        client.post(
            reverse("contests:contest_create"),
            {
                "name": NAME,
                # Its name takes « les »: « le jury des Trophées », never « du Trophées ».
                "article": "les",
                "short_name": "Numérique Responsable",
                "slug": SLUG,
                "description": "Des trophées en cinq niveaux pour les communes.",
                "applicant_kinds": "Communes.",
                "lead_kinds": ["commune"],
                "awarder_name": AWARDER,
                "awarder_website": WEBSITE,
                "awarder_contact": "contact@sobriete-numerique.exemple.fr",
                "ceremony_name": "Journée des trophées",
            },
        )
    )
    rows = [
        {"code": code, "name": name, "rank": str(rank), "min_score": score, "max_per_theme": ""}
        for code, name, rank, score in LEVELS
    ]
    _ok(client.post(reverse("contests:contest_levels", args=[SLUG]), _post_rows("levels", rows)))
    criterion = {
        "name": "Sobriété",
        "description": "Le projet réduit l'empreinte du numérique.",
        "weight": "1",
        "position": "1",
    }
    _ok(
        client.post(
            reverse("contests:contest_criteria", args=[SLUG]), _post_rows("criteria", [criterion])
        )
    )
    mention = {"code": "numerique-responsable", "name": MENTION, "description": "", "position": "1"}
    _ok(
        client.post(
            reverse("contests:contest_distinctions", args=[SLUG]),
            _post_rows("distinctions", [mention]),
        )
    )
    return Contest.objects.get(slug=SLUG)


def _import_past(client: Client) -> None:
    """Upload, preview (both communes of the referential matched), import: the import page."""
    base = reverse("contests:contest_detail", args=[SLUG]) + "palmares/importer/"
    preview = _ok(
        client.post(base, {"file": SimpleUploadedFile("palmares.csv", PAST.encode())}), 200
    )
    assert statuses(preview) == [("Brest", "matched"), ("Rennes", "matched")]
    done = _ok(client.post(f"{base}importer/", carried(preview)))
    assert done["Location"] == reverse("contests:contest_detail", args=[SLUG])


def _form_data(form) -> dict[str, str]:
    """A rendered form's values, posted as they are (as a person who changes nothing)."""
    data = {}
    for field in form:
        value = field.value()
        if value is None or value is False:
            continue
        data[field.html_name] = "on" if value is True else value
    return data


# Days from now at which each phase starts: while the jury scores, once the results are out.
SCORING = {
    "applications_open": -90,
    "applications_closed": -60,
    "jury_scoring": -1,
    "deliberation": 10,
    "embargo": 20,
    "published": 30,
}
RESULTS_OUT = {
    "applications_open": -90,
    "applications_closed": -60,
    "jury_scoring": -30,
    "deliberation": -5,
    "embargo": -2,
    "published": -1,
}


def _shift_phases(edition: Edition, starts: dict[str, int]) -> None:
    """The calendar moved on (the phases' page would do it; the test moves the dates)."""
    now = timezone.now()
    for phase in edition.phases.all():
        phase.starts_at = now + timedelta(days=starts.get(phase.kind, -100), minutes=phase.pk)
        phase.save(update_fields=["starts_at"])


def _open_edition(client: Client) -> Edition:
    _ok(
        client.post(
            reverse("contests:edition_create", args=[SLUG]),
            {"year": str(YEAR), "with_defaults": "on"},
        )
    )
    edition = Edition.objects.get(contest__slug=SLUG, year=YEAR)
    if not edition.distinctions.exists():
        _ok(client.post(reverse("contests:edition_take_distinctions", args=[SLUG, YEAR])))
    # The call: its rules on their page, then opened from the call's page.
    _ok(
        client.post(
            reverse("contests:edition_rules", args=[SLUG, YEAR]),
            {
                "rules_text": "Les communes déposent un dossier par projet.",
                "contact_email": "contact@sobriete-numerique.exemple.fr",
            },
        )
    )
    opened = _ok(
        client.post(reverse("contests:edition_call_open", args=[SLUG, YEAR]), follow=True), 200
    )
    assert "L'appel à candidatures est ouvert jusqu'au" in _text(opened), _text(opened)[-5000:]
    return edition


def _run_edition(edition: Edition, organiser, client: Client, capture) -> Award:
    """The dossier, the jury and the publication, through the domain functions their pages call."""
    brest = Organisation.objects.get(kind="commune", insee_code="29019")
    agent = MembershipFactory(
        user=UserFactory(email="agente@brest.example"),
        organisation=brest,
        state=MembershipState.CONFIRMED,
    ).user
    applicant = Client()
    applicant.force_login(agent)
    created = _ok(
        applicant.post(
            reverse("applications:create", args=[SLUG, YEAR]), {"organisation": brest.slug}
        )
    )
    reference = f"TNR-{YEAR}-0001"
    assert created["Location"] == reverse("applications:edit", args=[reference])
    form = _ok(applicant.get(created["Location"]), 200).context["form"]
    answers = {f"criterion_{c.pk}": "Moins d'impressions." for c in edition.criteria.all()}
    with capture(execute=True):
        _ok(
            applicant.post(
                reverse("applications:submit", args=[reference]),
                {
                    **_form_data(form),
                    "version": str(Application.objects.get(reference=reference).version),
                    "title": WINNER,
                    "summary": "Les menus et les inscriptions sans papier.",
                    "description": "Brest présente ses cantines sans papier.",
                    "project_stage": "deployed",
                    "started_on": "2025-03-01",
                    "deployed_on": "2025-09-01",
                    "audience": "Familles",
                    "contact_name": "Camille Martin",
                    "contact_email": agent.email,
                    **answers,
                },
            )
        )
    assert Application.objects.get(reference=reference).state == ApplicationState.SUBMITTED
    # Eligibility on its page; the round, its jurors and their assignment by the domain
    # functions (see the module's docstring); each juror scores on the evaluation page.
    _shift_phases(edition, SCORING)
    eligibility = reverse("jury:eligibility", args=[SLUG, YEAR])
    with capture(execute=True):
        decided = {"reference": reference, f"{reference}-decision": "eligible"}
        _ok(client.post(eligibility, decided))
    # The round, its jurors (invited, they accept), its assignment: their pages.
    round_url = f"/organisation/concours/{SLUG}/{YEAR}/jury/tours/jury/"
    created = _ok(
        client.post(
            reverse("jury:round_create", args=[SLUG, YEAR]),
            {
                "name": "Jury",
                "slug": "jury",
                "kind": "national",
                "promotion_rule": "manual",
                "position": "1",
            },
        )
    )
    round_url = created["Location"]
    round_ = Round.objects.get(edition=edition, slug="jury")
    _ok(client.post(reverse("jury:round_fill", args=[SLUG, YEAR, "jury"])))
    jurors = []
    with capture(execute=True):
        for n in (1, 2, 3):
            invited = {
                "email": f"jure{n}@exemple.org",
                "full_name": f"Juré {n}",
                "institution_name": f"Institution {n}",
                **({"is_president": "on"} if n == 1 else {}),
            }
            _ok(client.post(reverse("jury:juror_invite", args=[SLUG, YEAR, "jury"]), invited))
    for juror in round_.jurors.order_by("email"):
        accepting = Client()
        _ok(
            accepting.post(
                reverse("jury:invitation_accept", args=[juror.member.token]),
                {"full_name": juror.full_name, "password1": PASSWORD, "password2": PASSWORD},
            )
        )
        # Signed in again as the tests sign in (force_login: no second factor to enrol).
        signed_in = Client()
        signed_in.force_login(User.objects.get(email=juror.email))
        jurors.append(signed_in)
    with capture(execute=True):
        run = reverse("jury:assignment_run", args=[SLUG, YEAR, "jury"])
        _ok(client.post(run, {"run-per_dossier": "3"}))
    assert round_.jurors.filter(assignments__application__reference=reference).count() == 3
    assert round_url.endswith("/jury/")
    for scoring in jurors:
        url = reverse("jury:evaluation", args=[SLUG, YEAR, "jury", reference])
        form = _ok(scoring.get(url), 200).context["form"]
        scores = {f"score_{c.pk}": "5" for c in edition.criteria.all()}
        data = {**_form_data(form), **scores, "overall_comment": "Exemplaire.", "confirm": "on"}
        _ok(
            scoring.post(
                reverse("jury:evaluation_submit", args=[SLUG, YEAR, "jury", reference]), data
            )
        )
    assert Evaluation.objects.filter(state=EvaluationState.SUBMITTED).count() == 3
    _shift_phases(edition, RESULTS_OUT)
    # The deliberation, the president's validation and the publication: their pages.
    board = reverse("awards:deliberation", args=[SLUG, YEAR])
    opening = _ok(client.get(board), 200)
    with capture(execute=True):
        _ok(client.post(board, _form_data(opening.context["form"])))
        decision = reverse("awards:decision", args=[SLUG, YEAR, f"TNR-{YEAR}-0001"])
        _ok(
            client.post(
                decision,
                {"level": "niveau-5", "reason": "", "distinctions": ["numerique-responsable"]},
            )
        )
        president = jurors[0]
        _ok(president.post(reverse("awards:validate", args=[SLUG, YEAR])))
        publication = reverse("awards:publication", args=[SLUG, YEAR])
        _ok(client.post(publication, {"when": "now", "confirm": "on"}))
    return Award.objects.get(edition=edition)


@pytest.fixture(autouse=True)
def fresh(settings, tmp_path):
    cache.clear()
    settings.OPEN_DATA_ROOT = str(tmp_path / "opendata")
    yield
    cache.clear()


def _text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode().replace("&#x27;", "'").replace("&amp;", "&")


def _pdf_text(pdf: bytes) -> str:
    return " ".join(
        " ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )


def test_a_third_contest_from_its_creation_to_its_public_pages(
    organiser, organiser_client, visitor, mailoutbox, django_capture_on_commit_callbacks
):
    contest = _create_contest(organiser_client)
    _import_past(organiser_client)
    edition = _open_edition(organiser_client)
    award = _run_edition(edition, organiser, organiser_client, django_capture_on_commit_callbacks)

    # The contest as configured on the pages.
    assert (contest.uses_themes, contest.uses_auditions, contest.awarder_name) == (
        False,
        False,
        AWARDER,
    )
    assert list(edition.levels.values_list("code", flat=True)) == [c for c, *_ in LEVELS]
    past = Award.objects.filter(edition__contest=contest, edition__is_historical=True)
    assert sorted(past.values_list("edition__year", "level__name", "organisations__name")) == [
        (2024, "Niveau 3", "Brest"),
        (2025, "Niveau 2", "Rennes"),
    ]
    assert (award.title, award.level.name, [d.name for d in award.distinctions.all()]) == (
        WINNER,
        "Niveau 5",
        [MENTION],
    )

    query = {"concours": SLUG}
    pages = {
        "year": visitor.get(f"/palmares/{YEAR}/", query),
        "palmares": visitor.get("/palmares/", query),
        "map": visitor.get("/carte/", query),
        "statistics": visitor.get("/statistiques/", query),
        "press release": visitor.get(f"/palmares/{YEAR}/communique/", query),
        "press release text": visitor.get(f"/palmares/{YEAR}/communique.md", query),
        "transparency": visitor.get(f"/palmares/{YEAR}/transparence/", query),
        "project": visitor.get(f"/projets/{award.slug}/"),
        "badge": visitor.get(f"/projets/{award.slug}/badge.svg"),
        "verification": visitor.get(f"/projets/{award.slug}/verification/"),
    }
    assert {name: page.status_code for name, page in pages.items()} == dict.fromkeys(pages, 200)
    texts = {name: _text(page) for name, page in pages.items()}
    certificate = visitor.get(f"/projets/{award.slug}/certificat.pdf")
    assert certificate.status_code == 200
    texts["certificate"] = _pdf_text(certificate.content)

    # Each names the contest (or its short name), the level and the mention; none the Label.
    for name, text in texts.items():
        assert NAME in text or "Numérique Responsable" in text, name
        for word in FOREIGN:
            assert word not in text, (name, word)
    leveled = ("year", "palmares", "press release", "press release text", "project", "badge")
    for name in (*leveled, "verification", "certificate"):
        assert "Niveau 5" in texts[name], name
        assert MENTION in texts[name] or "Numérique responsable" in texts[name], name
    awarder = ("year", "map", "statistics", "press release", "project", "verification")
    for name in (*awarder, "certificate"):
        assert AWARDER in texts[name], name
    assert f'<a href="{WEBSITE}">{AWARDER}</a>' in texts["project"]
    # A contest without themes: its laureate's page has no « Thème : non publié ».
    assert "Thème" not in texts["project"]
    assert WINNER in texts["year"] and WINNER in texts["palmares"]
    # Map and statistics count by the contest's own levels (past palmarès included).
    for name in ("map", "statistics"):
        assert "Niveau 5" in texts[name] and "Niveau 3" in texts[name], name
    # The past palmarès is on the contest's search page too.
    assert "Ateliers de réparation numérique" in texts["palmares"]

    # The public list of contests shows every contest, this one with who awards it.
    listing = _text(visitor.get("/concours/"))
    assert NAME in listing and f"Décerné par {AWARDER}." in listing

    api = json.loads(visitor.get("/api/v1/laureates", {"contest": SLUG}).content)
    assert sorted((r["title"], r["level"]) for r in api["results"]) == [
        ("Ateliers de réparation numérique", "niveau-3"),
        (WINNER, "niveau-5"),
        ("Parc informatique reconditionné", "niveau-2"),
    ]
    contests = json.loads(visitor.get("/api/v1/contests").content)
    listed = next(c for c in contests["results"] if c["id"] == SLUG)
    assert (listed["name"], listed["awarded_by"], listed["years"], listed["awards_recorded"]) == (
        NAME,
        AWARDER,
        [2024, 2025, YEAR],
        3,
    )
    assert listed["url"].endswith(f"/palmares/?concours={SLUG}")

    rows = list(csv.DictReader(io.StringIO(_text(visitor.get("/donnees/palmares.csv")))))
    ours = sorted(
        (row["year"], row["title"], row["level"], row["organisation_name"], row["distinctions"])
        for row in rows
        if row["contest"] == SLUG
    )
    assert ours == [
        ("2024", "Ateliers de réparation numérique", "niveau-3", "Brest", ""),
        ("2025", "Parc informatique reconditionné", "niveau-2", "Rennes", ""),
        (str(YEAR), WINNER, "niveau-5", "Brest", "numerique-responsable"),
    ]
    catalogue = _text(visitor.get("/donnees/catalogue.jsonld"))
    assert NAME in catalogue and AWARDER in catalogue

    # The emails as they were delivered (the outbox keeps no body once sent).
    emails = [message for message in mailoutbox if "agente@brest.example" in message.to]
    for email in mailoutbox:
        text = f"{email.subject}\n{email.body}"
        assert NAME in text, email.subject
        for word in FOREIGN:
            assert word not in text, (email.subject, word)
        assert "du Trophées" not in text and "au Trophées" not in text, email.subject
    assert [email.subject for email in emails] == [
        f"Dossier TNR-{YEAR}-0001 déposé – {NAME} {YEAR}",
        f"{NAME} {YEAR} : votre dossier TNR-{YEAR}-0001 est recevable",
        f"{NAME} {YEAR} : le projet « {WINNER} » est labellisé",
    ]
    # The receipt promises no audition to a contest that has none; its PDF names the contest.
    receipt = emails[0]
    assert "audition" not in receipt.body.lower()
    ((name, pdf, _type),) = receipt.attachments
    receipt_pdf = _pdf_text(pdf)
    assert name == f"recepisse-TNR-{YEAR}-0001.pdf"
    assert NAME in receipt_pdf and WINNER in receipt_pdf
    for word in FOREIGN:
        assert word not in receipt_pdf, word
    assert emails[-1].body.startswith(
        f"Bonjour,\n\nLe jury des {NAME} {YEAR} a distingué le projet « {WINNER} » "
        f"(dossier TNR-{YEAR}-0001) : Niveau 5. Il lui a aussi décerné : "
        "Mention Numérique responsable."
    )
    assert emails[-1].body.endswith(f"L'équipe des {NAME}\n{AWARDER}")
