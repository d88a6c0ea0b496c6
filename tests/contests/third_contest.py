"""The steps of tests/contests/test_third_contest.py: a third contest created, its past
palmarès imported and one edition run to publication, each step a POST on its page."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

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
from tests.contests.formsets import formset_data
from tests.factories import MembershipFactory, UserFactory

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
    """The response, once its status is the expected one (else the form's errors, or the page)."""
    context = response.context or {}
    errors = context["form"].errors if "form" in context else response.content.decode()[-3000:]
    assert response.status_code == expected, (response.status_code, errors)
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
    "draft": -120,
    "applications_open": -90,
    "applications_closed": -60,
    "regional_selection": -45,
    "jury_scoring": -1,
    "auditions": 5,
    "deliberation": 10,
    "embargo": 20,
    "published": 30,
    "archived": 300,
}
RESULTS_OUT = {
    **SCORING,
    "jury_scoring": -30,
    "auditions": -20,
    "deliberation": -5,
    "embargo": -2,
    "published": -1,
}


def _shift_phases(client: Client, edition: Edition, starts: dict[str, int]) -> None:
    """The calendar moved on: the phases' page, its rows posted back with new start dates (the
    phases in the past keep their order; minutes apart so that no two start together)."""
    url = reverse("contests:edition_phases", args=[SLUG, YEAR])
    formset = _ok(client.get(url), 200).context["formset"]
    data = formset_data(formset)
    now = timezone.localtime()
    for index, form in enumerate(formset.forms):
        if not form["kind"].value():  # the empty row for a phase to add
            continue
        days = starts[form["kind"].value()]
        moment = now + timedelta(days=days, minutes=index)
        data[f"phases-{index}-starts_at"] = moment.strftime("%Y-%m-%dT%H:%M")
    _ok(client.post(url, data))


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
    page = opened.content.decode().replace("&#x27;", "'")
    assert "L'appel à candidatures est ouvert jusqu'au" in page, page[-3000:]
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
    _shift_phases(client, edition, SCORING)
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
    _shift_phases(client, edition, RESULTS_OUT)
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
        published = _ok(client.post(publication, {"when": "now", "confirm": "on"}))
        # The organisers' message counts laureates, not « labels » (issue 16).
        page = client.get(published["Location"]).content.decode()
        assert "Le palmarès est publié : 1 lauréat." in page
    return Award.objects.get(edition=edition)
