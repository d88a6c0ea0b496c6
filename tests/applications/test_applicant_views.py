"""The applicants' pages: my dossiers, create, read, edit, autosave, submit, withdraw."""

import re
from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from applications import domain
from applications.enums import ApplicationState
from applications.models import Application, Question
from contests.models import Phase
from palmares.dates import long_datetime

from ..conftest import PASSWORD
from ..factories import UserFactory
from .samples import EXE, media_root, pdf_bytes  # noqa: F401 (media_root is a fixture)

pytestmark = pytest.mark.django_db


def _url(name: str, application: Application) -> str:
    return reverse(f"applications:{name}", kwargs={"reference": application.reference})


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _form_data(application: Application, **overrides) -> dict:
    """What the edit form posts for a complete dossier of `application`'s edition."""
    edition = application.edition
    innovation, reproducibility = edition.criteria.order_by("position")
    number = edition.questions.get(kind="number")
    channels = edition.questions.get(kind="multiple_choice")
    data = {
        "version": application.version,
        "partners": [p.organisation.slug for p in application.application_partners.all()],
        "theme": "inclusion",
        "title": "Des conseillers numériques dans les mairies de quartier",
        "summary": "Un accompagnement aux démarches en ligne.",
        "description": "Six conseillers accueillent les habitants.",
        f"criterion_{innovation.pk}": "Une réponse nouvelle.",
        f"criterion_{reproducibility.pk}": "Une démarche documentée.",
        "project_stage": "pilot",
        "started_on": "2025-03-01",
        "deployed_on": "",
        "budget_euros": "25000",
        "funding": "",
        "audience": "Habitants éloignés du numérique",
        "indicators": "",
        "repository_url": "",
        "licence": "",
        "contact_name": "Camille Martin",
        "contact_email": "c.martin@rennes.fr",
        "contact_phone": "",
        f"question_{number.pk}": "12",
        f"question_{channels.pk}": ["Presse", "Affichage"],
        "partner_query": "",
        "action": "save",
    }
    data.update(overrides)
    return data


# ------------------------------------------------------------------------------ my dossiers


def test_my_applications_lists_the_dossiers_and_what_to_do(applicant_client, dossier):
    response = applicant_client.get(reverse("applications:my_applications"))
    assert response.status_code == 200
    row = response.context["rows"][0]
    assert row["application"] == dossier
    deadline = domain.submission_deadline(dossier.edition)
    assert row["next_steps"] == (
        f"Complétez le dossier et déposez-le avant le {long_datetime(deadline)} (heure de Paris)."
    )
    assert [phase.kind for phase in row["upcoming"]] == ["applications_closed", "jury_scoring"]
    content = response.content.decode()
    assert dossier.reference in content
    assert "Brouillon" in content
    create_url = reverse("applications:create", args=["label-territoire-innovant", 2031])
    assert f'href="{create_url}"' in content


def test_my_applications_shows_the_partners_dossiers_too(partner_client, dossier):
    response = partner_client.get(reverse("applications:my_applications"))
    assert [row["application"] for row in response.context["rows"]] == [dossier]


def test_my_applications_hides_other_structures_dossiers(other_applicant_client, dossier):
    response = other_applicant_client.get(reverse("applications:my_applications"))
    assert response.context["rows"] == []
    assert dossier.reference not in response.content.decode()


def test_my_applications_tells_a_pending_member_to_wait(pending_client, open_edition):
    response = pending_client.get(reverse("applications:my_applications"))
    content = response.content.decode()
    assert "votre rattachement doit être confirmé" in content
    assert "Nouveau dossier" not in content


def test_my_applications_needs_a_login(visitor):
    response = visitor.get(reverse("applications:my_applications"))
    assert response.status_code == 302
    assert response["Location"] == "/compte/connexion/?next=/candidatures/"


@pytest.mark.parametrize("count", [1, 3])
def test_my_applications_query_count(
    applicant_client,
    open_edition,
    rennes,
    saint_malo,
    applicant,
    count,
    django_assert_num_queries,
):
    for _ in range(count):
        application = domain.create_application(open_edition, rennes, by=applicant)
        domain.save_draft(application, {"partners": [saint_malo]}, expected_version=1, by=applicant)
    # session, user, memberships, dossiers, their partners, their editions' phases, open
    # editions, their phases.
    with django_assert_num_queries(8):
        response = applicant_client.get(reverse("applications:my_applications"))
    assert len(response.context["rows"]) == count


# ---------------------------------------------------------------------------------- create


def test_create_shows_the_users_structures(applicant_client, open_edition):
    response = applicant_client.get(
        reverse("applications:create", args=["label-territoire-innovant", 2031])
    )
    assert response.status_code == 200
    assert [o.name for o in response.context["form"].fields["organisation"].queryset] == ["Rennes"]


def test_create_makes_a_draft_and_opens_it(applicant_client, applicant, open_edition):
    response = applicant_client.post(
        reverse("applications:create", args=["label-territoire-innovant", 2031]),
        {"organisation": "rennes-35238"},
    )
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == "/candidatures/LTI-2031-0001/modifier/"
    assert (application.lead_organisation.name, application.created_by) == ("Rennes", applicant)


def test_create_refuses_a_structure_the_user_does_not_act_for(applicant_client, open_edition):
    response = applicant_client.post(
        reverse("applications:create", args=["label-territoire-innovant", 2031]),
        {"organisation": "brest-29019"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["organisation"] == [
        "Sélectionnez un choix valide. Ce choix ne fait pas partie de ceux disponibles."
    ]
    assert not Application.objects.exists()


def test_create_refuses_a_pending_member(pending_client, open_edition):
    response = pending_client.post(
        reverse("applications:create", args=["label-territoire-innovant", 2031]),
        {"organisation": "rennes-35238"},
    )
    assert response.status_code == 403
    # It says what the request waits for, and that the person comes back here afterwards.
    assert (
        "Votre demande de rattachement à « Commune de Rennes » attend la confirmation de "
        "l&#x27;équipe organisatrice du Label Territoire Innovant ; vous recevrez un courriel. "
        "Revenez ensuite sur cette page pour créer le dossier." in response.content.decode()
    )
    assert not Application.objects.exists()


def test_create_sends_an_agent_without_structure_to_attach_and_back(db, open_edition):
    client = Client()
    client.force_login(UserFactory(email="nouvel.agent@exemple.fr"))
    url = reverse("applications:create", args=["label-territoire-innovant", 2031])

    response = client.get(url)

    content = response.content.decode()
    assert response.status_code == 403
    assert "rattachez d'abord votre compte à la structure pour laquelle vous agissez" in content
    assert (
        '<a href="/compte/structures/rattacher/?next=%2Fcandidatures%2Fnouveau%2F'
        'label-territoire-innovant%2F2031%2F">Rattacher mon compte à une structure</a>' in content
    )
    assert "attend la confirmation" not in content


def test_create_refuses_a_closed_edition(applicant_client, open_edition):
    Phase.objects.filter(edition=open_edition, kind="applications_closed").update(
        starts_at=timezone.now() - timedelta(hours=1)
    )
    response = applicant_client.get(
        reverse("applications:create", args=["label-territoire-innovant", 2031])
    )
    assert response.status_code == 403
    assert "n'est pas ouverte aux candidatures" in response.content.decode()


# ---------------------------------------------------------------------------------- detail


@pytest.mark.parametrize(
    ("client_fixture", "status"),
    [
        ("applicant_client", 200),
        ("partner_client", 200),
        ("organiser_client", 200),
        ("other_applicant_client", 404),
        ("pending_client", 404),
    ],
)
def test_detail_access(request, complete_dossier, client_fixture, status):
    client = request.getfixturevalue(client_fixture)
    response = client.get(_url("detail", complete_dossier))
    assert response.status_code == status
    if status == 200:
        content = response.content.decode()
        assert "Des conseillers numériques dans les mairies de quartier" in content
        assert "Saint-Malo" in content
        assert "Notre réponse : La reproductibilité" in content


def test_detail_shows_the_history_to_organisers_only(
    organiser_client, applicant_client, complete_dossier
):
    assert (
        "Historique du dossier"
        in organiser_client.get(_url("detail", complete_dossier)).content.decode()
    )
    assert (
        "Historique du dossier"
        not in applicant_client.get(_url("detail", complete_dossier)).content.decode()
    )


def test_detail_gives_organisers_the_list_and_the_reopening(
    organiser_client, applicant, complete_dossier
):
    submitted = domain.submit_application(complete_dossier, by=applicant)
    content = organiser_client.get(_url("detail", submitted)).content.decode()
    assert 'href="/candidatures/organisation/label-territoire-innovant/2031/"' in content
    assert f'href="/candidatures/{submitted.reference}/rouvrir/"' in content
    assert "Déposé" in content
    assert submitted.submitted_fingerprint in content


def test_detail_gives_applicants_no_reopening(applicant_client, applicant, complete_dossier):
    submitted = domain.submit_application(complete_dossier, by=applicant)
    content = applicant_client.get(_url("detail", submitted)).content.decode()
    assert "rouvrir/" not in content
    assert f'href="{_url("withdraw", submitted)}"' in content
    assert f'href="{_url("edit", submitted)}"' not in content


def test_my_applications_tells_what_to_do_with_a_reopened_dossier(
    applicant_client, applicant, organiser, complete_dossier
):
    submitted = domain.submit_application(complete_dossier, by=applicant)
    until = datetime(2100, 3, 1, 18, 0, tzinfo=domain.PARIS)
    domain.reopen_application(submitted, by=organiser, reason="Budget à préciser", until=until)
    response = applicant_client.get(reverse("applications:my_applications"))
    assert response.context["rows"][0]["next_steps"] == (
        "L'équipe organisatrice a rouvert le dossier : modifiez-le, puis déposez-le avant le "
        "1er mars 2100 à 18:00 (heure de Paris)."
    )


def test_detail_writes_the_project_dates_as_the_rest_of_the_page(
    applicant_client, complete_dossier
):
    response = applicant_client.get(_url("detail", complete_dossier))

    content = response.content.decode()
    assert "<dt>Début du projet</dt><dd>1er mars 2024</dd>" in content
    assert "<dt>Mise en service</dt><dd>1er septembre 2024</dd>" in content
    assert "01/03/2024" not in content


def test_edit_names_the_lead_by_its_full_name(applicant_client, dossier):
    response = applicant_client.get(_url("edit", dossier))

    assert "porté par Commune de Rennes" in response.content.decode()


def test_detail_of_an_unknown_reference_is_404(applicant_client):
    assert applicant_client.get("/candidatures/LTI-2031-9999/").status_code == 404


def test_detail_needs_a_login(visitor, dossier):
    response = visitor.get(_url("detail", dossier))
    assert response["Location"] == f"/compte/connexion/?next=/candidatures/{dossier.reference}/"


# ------------------------------------------------------------------------------------ edit


def test_edit_shows_one_field_per_criterion_with_its_description(applicant_client, dossier):
    response = applicant_client.get(_url("edit", dossier))
    assert response.status_code == 200
    content = response.content.decode()
    assert "La reproductibilité" in content
    assert "D&#x27;autres collectivités peuvent reprendre le projet." in content
    assert '<input type="hidden" name="version" value="2" id="id_version">' in content
    assert '<input type="hidden" name="partners" value="saint-malo-35288"' in content


def test_edit_shows_the_stored_values(applicant_client, complete_dossier):
    content = applicant_client.get(_url("edit", complete_dossier)).content.decode()
    assert '<option value="inclusion" selected>Inclusion numérique</option>' in content
    assert 'value="Des conseillers numériques dans les mairies de quartier"' in content
    assert 'name="started_on" value="2024-03-01"' in content
    assert "Notre réponse : L&#x27;innovation</textarea>" in content


@pytest.mark.parametrize("client_fixture", ["other_applicant_client", "pending_client"])
def test_edit_of_another_structures_dossier_is_404(request, dossier, client_fixture):
    client = request.getfixturevalue(client_fixture)
    assert client.get(_url("edit", dossier)).status_code == 404
    assert client.post(_url("edit", dossier), _form_data(dossier)).status_code == 404
    dossier.refresh_from_db()
    assert dossier.title == ""


def test_partner_member_may_edit(partner_client, dossier):
    response = partner_client.post(
        _url("edit", dossier), _form_data(dossier, title="Par Saint-Malo")
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.title == "Par Saint-Malo"


def test_edit_saves_the_draft(applicant_client, dossier):
    response = applicant_client.post(_url("edit", dossier), _form_data(dossier))
    assert response.status_code == 302
    assert response["Location"] == _url("edit", dossier)
    assert _messages(response) == ["Brouillon enregistré."]
    dossier.refresh_from_db()
    assert (dossier.version, dossier.title, dossier.theme.slug, str(dossier.budget_euros)) == (
        3,
        "Des conseillers numériques dans les mairies de quartier",
        "inclusion",
        "25000.00",
    )
    assert list(dossier.answers.order_by("question__position").values_list("value", flat=True)) == [
        "12",
        "Presse\nAffichage",
    ]
    assert dossier.criterion_answers.count() == 2


def test_edit_with_errors_keeps_everything_typed(applicant_client, dossier):
    data = _form_data(
        dossier, contact_email="pas-une-adresse", summary="x" * 501, title="Mon titre à garder"
    )
    response = applicant_client.post(_url("edit", dossier), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["contact_email"] == ["Saisissez une adresse de courriel valide."]
    assert form.errors["summary"] == [
        "Assurez-vous que cette valeur comporte au plus 500 caractères (actuellement 501)."
    ]
    content = response.content.decode()
    assert 'value="Mon titre à garder"' in content
    assert "Une démarche documentée." in content
    assert 'value="pas-une-adresse"' in content
    assert "<title>Erreur – " in content
    dossier.refresh_from_db()
    assert (dossier.version, dossier.title) == (2, "")


def test_edit_conflict_keeps_the_input_and_shows_what_changed(
    applicant_client, partner_applicant, dossier
):
    domain.save_draft(
        dossier, {"title": "Titre de Saint-Malo"}, expected_version=2, by=partner_applicant
    )
    response = applicant_client.post(
        _url("edit", dossier), _form_data(dossier, version=2, title="Titre de Rennes")
    )
    assert response.status_code == 409
    content = response.content.decode()
    assert "Ce dossier a été modifié par une autre personne le " in content
    assert 'value="Titre de Rennes"' in content
    assert ("Titre du projet", "Titre de Saint-Malo") in response.context["differences"]
    # The next save is based on the stored version: saving again is a deliberate overwrite.
    assert 'name="version" value="3"' in content
    dossier.refresh_from_db()
    assert dossier.title == "Titre de Saint-Malo"
    again = applicant_client.post(
        _url("edit", dossier), _form_data(dossier, version=3, title="Titre de Rennes")
    )
    assert again.status_code == 302
    dossier.refresh_from_db()
    assert (dossier.title, dossier.version) == ("Titre de Rennes", 4)


def test_edit_of_a_submitted_dossier_redirects_to_it(applicant_client, applicant, complete_dossier):
    domain.submit_application(complete_dossier, by=applicant)
    response = applicant_client.get(_url("edit", complete_dossier))
    assert response["Location"] == _url("detail", complete_dossier)


def test_post_to_a_dossier_submitted_meanwhile_keeps_the_input(
    applicant_client, partner_applicant, complete_dossier
):
    domain.submit_application(complete_dossier, by=partner_applicant)
    response = applicant_client.post(
        _url("edit", complete_dossier), _form_data(complete_dossier, title="Ma dernière idée")
    )
    assert response.status_code == 409
    assert 'value="Ma dernière idée"' in response.content.decode()
    assert "Ce dossier n&#x27;est plus modifiable" in response.content.decode()


def test_partner_search_add_and_remove(applicant_client, dossier):
    search = applicant_client.post(
        _url("edit", dossier), _form_data(dossier, partner_query="epernay", search_partner="1")
    )
    assert search["Location"] == f"{_url('edit', dossier)}?partenaire=epernay#partenaires"
    page = applicant_client.get(search["Location"])
    names = [organisation.name for organisation in page.context["partner_results"]]
    assert names[0] == "Épernay"
    assert "CA Epernay, Coteaux et Plaine de Champagne" in names
    epernay = page.context["partner_results"][0]
    dossier.refresh_from_db()
    added = applicant_client.post(
        _url("edit", dossier), _form_data(dossier, add_partner=epernay.slug)
    )
    assert added["Location"] == f"{_url('edit', dossier)}#partenaires"
    assert list(dossier.application_partners.values_list("organisation__name", flat=True)) == [
        "Saint-Malo",
        "Épernay",
    ]
    dossier.refresh_from_db()
    applicant_client.post(
        _url("edit", dossier), _form_data(dossier, remove_partner="saint-malo-35288")
    )
    assert list(dossier.application_partners.values_list("organisation__name", flat=True)) == [
        "Épernay"
    ]


# --------------------------------------------------------------------------- file questions


@pytest.fixture
def file_question(open_edition):
    return Question.objects.create(
        edition=open_edition, label="Délibération du conseil", kind="file", position=3
    )


@pytest.mark.usefixtures("media_root")
def test_file_question_refuses_a_fake_pdf_and_keeps_the_input(
    applicant_client, dossier, file_question
):
    fake = SimpleUploadedFile("deliberation.pdf", EXE, content_type="application/pdf")
    data = _form_data(dossier, title="Titre à garder", **{f"question_{file_question.pk}": fake})
    response = applicant_client.post(_url("edit", dossier), data)
    assert response.status_code == 200
    errors = response.context["form"].errors[f"question_{file_question.pk}"]
    assert errors == [
        "Le fichier « deliberation.pdf » n'est pas un PDF ni une image "
        "(contenu détecté : programme Windows)."
    ]
    assert 'value="Titre à garder"' in response.content.decode()
    assert not dossier.answers.filter(question=file_question).exists()


@pytest.mark.usefixtures("media_root")
def test_file_question_stores_a_pdf(applicant_client, dossier, file_question):
    pdf = SimpleUploadedFile("deliberation.pdf", pdf_bytes(), content_type="application/pdf")
    data = _form_data(dossier, **{f"question_{file_question.pk}": pdf})
    assert applicant_client.post(_url("edit", dossier), data).status_code == 302
    answer = dossier.answers.get(question=file_question)
    assert answer.file_original_name == "deliberation.pdf"
    assert answer.file.read() == pdf_bytes()
    # Saving again without a new file keeps the stored one.
    dossier.refresh_from_db()
    applicant_client.post(_url("edit", dossier), _form_data(dossier))
    answer.refresh_from_db()
    assert answer.file_original_name == "deliberation.pdf"


# ------------------------------------------------------------------- expired session restore


def test_expired_session_keeps_the_input_after_login(applicant, dossier):
    browser = Client()  # the session expired: the POST arrives anonymous
    response = browser.post(_url("edit", dossier), _form_data(dossier, title="Saisi hors session"))
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == "/compte/connexion/"
    next_url = parse_qs(location.query)["next"][0]
    assert re.fullmatch(rf"{_url('edit', dossier)}\?restore=[A-Za-z0-9_-]{{22}}", next_url)
    dossier.refresh_from_db()
    assert dossier.title == ""
    login = browser.post(response["Location"], {"email": applicant.email, "password": PASSWORD})
    assert login.status_code == 302
    page = browser.get(login["Location"])
    assert page.status_code == 200
    content = page.content.decode()
    assert 'value="Saisi hors session"' in content
    assert "Votre session avait expiré" in content
    # Once shown, the kept input is gone from the session.
    assert 'value="Saisi hors session"' not in browser.get(login["Location"]).content.decode()


def test_kept_input_is_not_shown_to_someone_who_may_not_edit(other_applicant, dossier):
    browser = Client()
    response = browser.post(_url("edit", dossier), _form_data(dossier, title="Saisi hors session"))
    login = browser.post(
        response["Location"], {"email": other_applicant.email, "password": PASSWORD}
    )
    assert browser.get(login["Location"]).status_code == 404


def test_kept_input_expires_after_an_hour(applicant, dossier):
    browser = Client()
    response = browser.post(_url("edit", dossier), _form_data(dossier, title="Saisi hors session"))
    login = browser.post(response["Location"], {"email": applicant.email, "password": PASSWORD})
    token = parse_qs(urlsplit(login["Location"]).query)["restore"][0]
    session = browser.session
    kept = session[f"applications:restore:{token}"]
    kept["at"] -= 3601
    session[f"applications:restore:{token}"] = kept
    session.save()
    page = browser.get(login["Location"])
    assert 'value="Saisi hors session"' not in page.content.decode()
    assert "Votre session avait expiré" not in page.content.decode()


# -------------------------------------------------------------------------------- autosave


def test_autosave_returns_the_new_version(applicant_client, dossier):
    response = applicant_client.post(_url("autosave", dossier), _form_data(dossier, title="Auto"))
    assert response.status_code == 200
    body = response.json()
    dossier.refresh_from_db()
    _day, hour = domain.format_paris(dossier.updated_at)
    assert body == {"version": 3, "saved_at": hour, "message": f"Brouillon enregistré à {hour}"}
    assert dossier.title == "Auto"


def test_autosave_conflict_is_409(applicant_client, partner_applicant, dossier):
    domain.save_draft(dossier, {"title": "Autre"}, expected_version=2, by=partner_applicant)
    response = applicant_client.post(_url("autosave", dossier), _form_data(dossier, version=2))
    assert response.status_code == 409
    assert response.json()["version"] == 3
    dossier.refresh_from_db()
    assert dossier.title == "Autre"


def test_autosave_with_an_invalid_field_is_400(applicant_client, dossier):
    response = applicant_client.post(
        _url("autosave", dossier), _form_data(dossier, contact_email="non")
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "contact_email": ["Saisissez une adresse de courriel valide."]
    }


def test_autosave_of_an_expired_session_is_401(visitor, dossier):
    response = visitor.post(_url("autosave", dossier), _form_data(dossier))
    assert response.status_code == 401


def test_autosave_of_another_structures_dossier_is_404(other_applicant_client, dossier):
    response = other_applicant_client.post(_url("autosave", dossier), _form_data(dossier))
    assert response.status_code == 404


# ---------------------------------------------------------------------------------- submit


def test_submit_lists_what_is_missing(applicant_client, dossier):
    response = applicant_client.post(
        _url("submit", dossier), _form_data(dossier, title="", contact_email="")
    )
    assert response.status_code == 200
    assert response.context["refused"].missing == ["le titre du projet", "l'adresse de contact"]
    content = response.content.decode()
    # Each missing item links its field, which is flagged (RGAA 11.10, issue 21).
    assert '<li><a href="#id_title">le titre du projet</a></li>' in content
    assert '<li><a href="#id_contact_email">l&#x27;adresse de contact</a></li>' in content
    assert "<title>Erreur – Modifier le dossier" in content
    assert 'role="alert" tabindex="-1" autofocus>' in content
    assert 'aria-invalid="true" aria-describedby="id_title_error"' in content
    assert (
        '<ul class="errorlist" id="id_title_error"><li>À remplir pour déposer le dossier.</li>'
        in content
    )
    assert content.count('aria-invalid="true"') == 2
    dossier.refresh_from_db()
    # The draft was saved on the way; it is still a draft.
    assert (dossier.state, dossier.summary) == (
        ApplicationState.DRAFT,
        "Un accompagnement aux démarches en ligne.",
    )


def links(response) -> list[tuple[str, str]]:
    return response.context["missing_items"]


def test_every_item_missing_from_an_empty_dossier_links_its_field(applicant_client, dossier):
    """The summary's links follow domain.missing_for_submission's words: none is left without
    its field (applications/views/applicant_edit.py keeps the two together)."""
    complete = _form_data(dossier)
    kept = {"version", "partners", "project_stage"}
    empty = {key: "" for key in complete if key not in kept and not key.startswith("question_")}
    data = {**complete, **empty, "project_stage": "deployed"}

    response = applicant_client.post(_url("submit", dossier), data)

    innovation, reproducibility = dossier.edition.criteria.order_by("position")
    assert response.context["refused"].missing == [item for item, _id in links(response)]
    assert links(response) == [
        ("le thème", "id_theme"),
        ("le titre du projet", "id_title"),
        ("le résumé", "id_summary"),
        ("la description", "id_description"),
        (f"la réponse au critère « {innovation.name} »", f"id_criterion_{innovation.pk}"),
        (f"la réponse au critère « {reproducibility.name} »", f"id_criterion_{reproducibility.pk}"),
        ("la date de début du projet", "id_started_on"),
        ("la date de mise en service", "id_deployed_on"),
        ("les publics ou services touchés", "id_audience"),
        ("la personne à contacter", "id_contact_name"),
        ("l'adresse de contact", "id_contact_email"),
    ]


def test_fields_that_submission_requires_say_so_before_any_attempt(applicant_client, dossier):
    response = applicant_client.get(_url("edit", dossier))

    content = response.content.decode()
    assert (
        '<label for="id_title">Titre du projet <span class="submission-note">'
        "(obligatoire pour déposer)</span>\xa0:</label>"
    ) in content
    assert '<label for="id_budget_euros">Budget (euros)\xa0:</label>' in content
    assert 'aria-invalid="true"' not in content


def test_submit_a_complete_dossier(applicant_client, dossier):
    response = applicant_client.post(_url("submit", dossier), _form_data(dossier))
    assert response["Location"] == _url("detail", dossier)
    dossier.refresh_from_db()
    assert dossier.state == ApplicationState.SUBMITTED
    assert _messages(response) == [
        f"Dossier déposé le {long_datetime(dossier.submitted_at)} (heure de Paris). "
        "Un accusé de réception en PDF est envoyé par courriel."
    ]


def test_submit_after_the_deadline_says_so_and_keeps_the_input(applicant_client, dossier):
    deadline = timezone.now() - timedelta(seconds=1)
    Phase.objects.filter(edition=dossier.edition, kind="applications_closed").update(
        starts_at=deadline
    )
    response = applicant_client.post(
        _url("submit", dossier), _form_data(dossier, title="Déposé trop tard")
    )
    assert response.status_code == 409
    day, hour = domain.format_paris(deadline)
    assert _messages(response) == [
        f"La date limite de dépôt était le {day} à {hour} (heure de Paris) ; votre dossier "
        "reste en brouillon. Vos saisies ci-dessous n'ont pas été enregistrées."
    ]
    assert 'value="Déposé trop tard"' in response.content.decode()
    dossier.refresh_from_db()
    assert (dossier.state, dossier.title) == (ApplicationState.DRAFT, "")


def test_submit_of_another_structures_dossier_is_404(other_applicant_client, complete_dossier):
    response = other_applicant_client.post(_url("submit", complete_dossier))
    assert response.status_code == 404
    complete_dossier.refresh_from_db()
    assert complete_dossier.state == ApplicationState.DRAFT


def test_submit_needs_post(applicant_client, dossier):
    assert applicant_client.get(_url("submit", dossier)).status_code == 405


# -------------------------------------------------------------------------------- withdraw


def test_withdraw_asks_for_confirmation(applicant_client, dossier):
    response = applicant_client.get(_url("withdraw", dossier))
    assert response.status_code == 200
    assert "Ce retrait est définitif." in response.content.decode()
    response = applicant_client.post(_url("withdraw", dossier), {"reason": "Projet abandonné"})
    assert response.status_code == 200
    assert response.context["form"].errors["confirm"] == ["Ce champ est obligatoire."]
    dossier.refresh_from_db()
    assert dossier.state == ApplicationState.DRAFT


def test_withdraw_logs_the_reason(applicant_client, applicant, dossier):
    response = applicant_client.post(
        _url("withdraw", dossier), {"reason": "Projet abandonné", "confirm": "on"}
    )
    assert response["Location"] == _url("detail", dossier)
    transition = dossier.transitions.last()
    assert (transition.from_state, transition.to_state, transition.by, transition.reason) == (
        "draft",
        "withdrawn",
        applicant,
        "Projet abandonné",
    )


def test_withdraw_by_another_structure_is_404(other_applicant_client, dossier):
    response = other_applicant_client.post(_url("withdraw", dossier), {"confirm": "on"})
    assert response.status_code == 404
    dossier.refresh_from_db()
    assert dossier.state == ApplicationState.DRAFT


def test_withdraw_by_the_organiser_is_forbidden(organiser_client, dossier):
    response = organiser_client.post(_url("withdraw", dossier), {"confirm": "on"})
    assert response.status_code == 403


def test_a_submitted_dossier_offers_no_change_and_says_its_state_once(applicant_client, dossier):
    applicant_client.post(_url("submit", dossier), _form_data(dossier))
    dossier.refresh_from_db()

    page = applicant_client.get(_url("detail", dossier)).content.decode()
    listing = applicant_client.get(reverse("applications:my_applications")).content.decode()

    assert "Modifier" not in page
    assert "Modifier" not in listing
    assert "Déposé déposé" not in page
    assert (
        f"<dt>Date de dépôt</dt><dd>{long_datetime(dossier.submitted_at)} (heure de Paris)</dd>"
        in page
    )


def test_a_draft_offers_its_change(applicant_client, dossier):
    page = applicant_client.get(_url("detail", dossier)).content.decode()

    assert "Modifier le dossier</a>" in page
