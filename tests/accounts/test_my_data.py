"""« Mes données »: the archive holds exactly the person's data; the account's deletion keeps
dossiers with their structure, evaluations and log entries under a pseudonym, the log intact."""

import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from accounts.models import ErasedAccount, SignInRecord, User
from applications.models import Application, Attachment
from contests import activity
from contests.models import ActivityEntry
from contests.personal_data import actor_label
from jury.models import Evaluation, Juror
from notifications.models import OutgoingEmail
from tests.factories import ApplicationFactory, CriterionFactory, EditionFactory, UserFactory
from tests.jury.factories import (
    ConflictFactory,
    CriterionScoreFactory,
    EvaluationFactory,
    JurorFactory,
)

ARCHIVE_JSON = [
    "compte.json",
    "rattachements.json",
    "connexions.json",
    "courriels.json",
    "journal.json",
    "dossiers.json",
    "pieces_jointes.json",
    "jurys.json",
    "evaluations.json",
]


@pytest.fixture
def media(settings, tmp_path) -> Path:
    root = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    return root


def attach(application: Application, user: User, token: str, content: bytes) -> Attachment:
    return Attachment.objects.create(
        application=application,
        token=token,
        file=ContentFile(content, name="piece.pdf"),
        original_name="budget.pdf",
        content_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=user,
    )


def person_traces(user: User, organiser: User, edition, *, code: str) -> dict:
    """A dossier with a file, a seat on a jury with an evaluation, a sign-in, log entries."""
    dossier = ApplicationFactory(
        edition=edition, created_by=user, contact_email=user.email, contact_name=f"Agent {code}"
    )
    attachment = attach(dossier, user, code * 32, f"%PDF-1.4 {code}".encode())
    juror = JurorFactory(
        user=user, email=user.email, full_name=f"Juré {code}", round__edition=edition
    )
    evaluation = EvaluationFactory(assignment__juror=juror, overall_comment=f"Avis {code}")
    CriterionScoreFactory(
        evaluation=evaluation,
        criterion=CriterionFactory(edition=edition),
        comment=f"Critère {code}",
    )
    ConflictFactory(juror=juror, application=dossier, reason=f"Conflit {code}")
    SignInRecord.objects.create(user=user, address="192.0.2.1")
    OutgoingEmail.objects.create(
        kind="accounts.confirmation",
        from_email="ne-pas-repondre@exemple.fr",
        to=[user.email.upper()],
        cc=["organisatrice@interconnectes.fr"],
        subject=f"Courriel {code}",
        max_attempts=3,
    )
    activity.record(edition, "dossier_submitted", by=user, subject=dossier.reference)
    activity.record(
        edition, "juror_invited", by=organiser, subject=str(juror.reference), email=user.email
    )
    return {"dossier": dossier, "attachment": attachment, "juror": juror, "evaluation": evaluation}


@pytest.fixture
def two_people(media, applicant, other_applicant, organiser):
    edition = EditionFactory()
    return (
        person_traces(applicant, organiser, edition, code="a"),
        person_traces(other_applicant, organiser, edition, code="b"),
    )


def with_password(user: User, password: str) -> Client:
    """A client signed in after the password is set (setting it ends the older sessions)."""
    user.set_password(password)
    user.save()
    client = Client()
    client.force_login(user)
    return client


def archive_of(client) -> zipfile.ZipFile:
    response = client.get(reverse("accounts:my_data_archive"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="mes-donnees.zip"'
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_the_archive_holds_exactly_the_persons_data(applicant_client, applicant, two_people):
    mine, _theirs = two_people

    archive = archive_of(applicant_client)
    token_file = f"fichiers/{mine['dossier'].reference}/{'a' * 32}-budget.pdf"

    assert archive.namelist() == [
        *ARCHIVE_JSON[:6],
        "pieces_jointes.json",
        token_file,
        *ARCHIVE_JSON[7:],
    ]
    data = {name: json.loads(archive.read(name)) for name in ARCHIVE_JSON}
    assert [row["email"] for row in data["compte.json"]] == ["agent@rennes.fr"]
    assert [row["organisation"] for row in data["rattachements.json"]] == ["Rennes"]
    # The client's own sign-in (force_login: no address), then the one of the fixture.
    assert [row["address"] for row in data["connexions.json"]] == [None, "192.0.2.1"]
    assert [row["subject"] for row in data["courriels.json"]] == ["Courriel a"]
    assert [(row["action"], row["by"]) for row in data["journal.json"]] == [
        ("dossier_submitted", "agent@rennes.fr"),
        ("juror_invited", "organisatrice@interconnectes.fr"),
    ]
    assert [row["reference"] for row in data["dossiers.json"]] == [mine["dossier"].reference]
    assert [row["name"] for row in data["pieces_jointes.json"]] == ["budget.pdf"]
    assert [row["full_name"] for row in data["jurys.json"]] == ["Juré a"]
    assert [c["reason"] for c in data["jurys.json"][0]["conflicts"]] == ["Conflit a"]
    assert [
        (row["overall_comment"], [s["comment"] for s in row["scores"]])
        for row in data["evaluations.json"]
    ] == [("Avis a", ["Critère a"])]
    assert archive.read(token_file) == b"%PDF-1.4 a"


def test_the_archive_holds_nothing_of_another_person(applicant_client, two_people):
    archive = archive_of(applicant_client)
    everything = b"".join(archive.read(name) for name in archive.namelist()).decode()

    assert "agent@brest.fr" not in everything
    assert "Juré b" not in everything
    assert "Avis b" not in everything
    assert "Critère b" not in everything
    assert "Conflit b" not in everything
    assert "Courriel b" not in everything
    assert "%PDF-1.4 b" not in everything


def test_the_organisers_archive_keeps_their_entries_without_the_jurors_addresses(
    organiser_client, two_people
):
    archive = archive_of(organiser_client)
    journal = json.loads(archive.read("journal.json"))

    assert [(row["action"], row["details"]) for row in journal] == [
        ("juror_invited", {}),
        ("juror_invited", {}),
    ]


def test_a_visitor_is_sent_to_sign_in(visitor):
    response = visitor.get(reverse("accounts:my_data_archive"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_page_counts_what_is_held(applicant_client, two_people):
    response = applicant_client.get(reverse("accounts:my_data"))

    assertContains(response, "<h1>Mes données</h1>", html=True)
    assertContains(
        response,
        '<tr><th scope="row">Les évaluations que vous avez données</th><td>1</td></tr>',
        html=True,
    )
    assertContains(response, 'action="/compte/mes-donnees/supprimer/"')


def test_a_wrong_password_deletes_nothing(applicant_client, applicant, two_people):
    response = applicant_client.post(reverse("accounts:delete_account"), {"password": "faux"})

    assert response.status_code == 400
    assertContains(
        response,
        "Ce mot de passe n&#x27;est pas le vôtre : rien n&#x27;a été supprimé.",
        status_code=400,
    )
    assert User.objects.filter(pk=applicant.pk).exists()


def test_deletion_keeps_dossiers_evaluations_and_an_intact_log(applicant, two_people):
    mine, theirs = two_people
    applicant_client = with_password(applicant, "le bon mot de passe")
    entries_before = list(ActivityEntry.objects.values_list("pk", "entry_hash"))

    response = applicant_client.post(
        reverse("accounts:delete_account"), {"password": "le bon mot de passe"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("catalogue:home")
    assert not User.objects.filter(email="agent@rennes.fr").exists()
    assert list(SignInRecord.objects.values_list("user__email", flat=True)) == ["agent@brest.fr"]
    # The log: no hash changed, one redaction entry added, and the chain verifies.
    hashes = list(ActivityEntry.objects.values_list("pk", "entry_hash"))
    assert hashes[:4] == entries_before
    assert len(hashes) == 5
    out = io.StringIO()
    call_command("verify_log", stdout=out)
    assert out.getvalue() == (
        "Journal intègre : 5 entrées vérifiées. 2 d'entre elles ont été expurgées de données "
        "personnelles et sont vérifiées d'après leur entrée « personal_data.redacted ».\n"
    )
    # The pseudonym, shown for the entries the person wrote; only a digest of the address kept.
    erased = ErasedAccount.objects.get()
    assert erased.pseudonym.startswith("Compte supprimé ")
    assert "agent@rennes.fr" not in erased.email_digest
    written = ActivityEntry.objects.get(
        action="dossier_submitted", subject=mine["dossier"].reference
    )
    assert actor_label(written) == erased.pseudonym
    other = ActivityEntry.objects.get(
        action="dossier_submitted", subject=theirs["dossier"].reference
    )
    assert actor_label(other) == "agent@brest.fr"
    # The dossier stays with Rennes, without its author's contact details.
    dossier = Application.objects.get(pk=mine["dossier"].pk)
    assert (dossier.created_by, dossier.lead_organisation.name) == (None, "Rennes")
    assert (dossier.contact_name, dossier.contact_email) == ("", "")
    assert Attachment.objects.get(pk=mine["attachment"].pk).uploaded_by is None
    # The evaluation keeps its meaning under the pseudonym.
    juror = Juror.objects.get(pk=mine["juror"].pk)
    assert (juror.user, juror.full_name) == (None, erased.pseudonym)
    assert juror.email.endswith("@supprime.invalid")
    assert juror.member.full_name == erased.pseudonym
    assert Evaluation.objects.get(pk=mine["evaluation"].pk).overall_comment == "Avis a"
    # The outbox's record of what was sent now names the pseudonymous address.
    assert sorted(OutgoingEmail.objects.values_list("subject", "to", "cc")) == [
        ("Courriel a", [juror.email], ["organisatrice@interconnectes.fr"]),
        ("Courriel b", ["AGENT@BREST.FR"], ["organisatrice@interconnectes.fr"]),
    ]
    # The other person keeps everything.
    assert Juror.objects.get(pk=theirs["juror"].pk).full_name == "Juré b"


def test_the_sole_organiser_may_not_delete_their_account(organiser):
    organiser_client = with_password(organiser, "secret organisateur")

    page = organiser_client.get(reverse("accounts:my_data"))
    response = organiser_client.post(
        reverse("accounts:delete_account"), {"password": "secret organisateur"}
    )

    message = "Vous êtes la seule personne organisatrice de la plateforme"
    assertContains(page, message)
    assertNotContains(page, 'action="/compte/mes-donnees/supprimer/"')
    assert response.status_code == 409
    assert User.objects.filter(pk=organiser.pk).exists()


def test_an_organiser_may_delete_their_account_when_another_remains(organiser):
    UserFactory(email="collegue@interconnectes.fr", is_organiser=True)
    organiser_client = with_password(organiser, "secret organisateur")

    response = organiser_client.post(
        reverse("accounts:delete_account"), {"password": "secret organisateur"}
    )

    assert response.status_code == 302
    assert not User.objects.filter(pk=organiser.pk).exists()


def test_a_jury_president_may_not_leave_before_the_results(applicant):
    edition = EditionFactory(year=2040)
    JurorFactory(user=applicant, email=applicant.email, is_president=True, round__edition=edition)
    applicant_client = with_password(applicant, "mot de passe")

    response = applicant_client.post(
        reverse("accounts:delete_account"), {"password": "mot de passe"}
    )

    assertContains(
        response,
        f"Vous présidez le jury de {edition}, dont les résultats ne sont pas encore",
        status_code=409,
    )
    assert User.objects.filter(pk=applicant.pk).exists()


def test_a_jury_president_may_leave_once_the_results_are_public(applicant):
    edition = EditionFactory(year=2040, is_historical=True)
    JurorFactory(user=applicant, email=applicant.email, is_president=True, round__edition=edition)
    applicant_client = with_password(applicant, "mot de passe")

    response = applicant_client.post(
        reverse("accounts:delete_account"), {"password": "mot de passe"}
    )

    assert response.status_code == 302
    assert not User.objects.filter(pk=applicant.pk).exists()


def test_signing_in_is_recorded_with_the_address(applicant, client):
    applicant.set_password("mot de passe")
    applicant.save()

    client.post(reverse("accounts:login"), {"email": applicant.email, "password": "mot de passe"})

    assert list(SignInRecord.objects.values_list("user__email", "address")) == [
        ("agent@rennes.fr", "127.0.0.1")
    ]


def test_an_account_without_password_is_told_how_to_confirm(applicant):
    applicant.set_unusable_password()
    applicant.save()
    client = Client()
    client.force_login(applicant)

    response = client.post(reverse("accounts:delete_account"), {"password": "nimporte"})

    assertContains(
        response,
        "Votre compte n&#x27;a pas de mot de passe (connexion par ProConnect)",
        status_code=400,
    )
    assert User.objects.filter(pk=applicant.pk).exists()
