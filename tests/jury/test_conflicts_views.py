"""Conflict pages: the organisers' list and decisions, the juror's declarations, and what a juror
in conflict can no longer download."""

import pytest
from django.urls import reverse

from applications import attachments
from contests.models import ActivityEntry
from jury.enums import ConflictReason, ConflictSource, ConflictStatus
from jury.models import Assignment, Conflict, Evaluation, Juror, RoundEntry
from territories.models import Organisation

from ..applications.samples import media_root, pdf_bytes, upload
from ..factories import ApplicationFactory, UserFactory
from .factories import (
    AssignmentFactory,
    ConflictFactory,
    EvaluationFactory,
    JurorFactory,
    RoundFactory,
)

__all__ = ["media_root"]  # a fixture: uploaded files in the test's own directory

WEBM = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm" + b"\x00" * 64


@pytest.fixture
def round_(db):
    return RoundFactory(name="Sélection Bretagne", slug="bretagne")


@pytest.fixture
def dossier(round_, rennes):
    application = ApplicationFactory(
        edition=round_.edition, lead_organisation=rennes, title="Conseillers numériques"
    )
    RoundEntry.objects.create(round=round_, application=application)
    return application


@pytest.fixture
def member(round_):
    return JurorFactory(round=round_, full_name="Claire Dubois")


def url(name: str, round_, *extra) -> str:
    edition = round_.edition
    return reverse(f"jury:{name}", args=[edition.contest.slug, edition.year, round_.slug, *extra])


def juror_of(conflict: Conflict) -> Juror:
    """The person's seat in the round (one round per edition in these tests)."""
    return conflict.member.jurors.get()


def decide_url(conflict: Conflict) -> str:
    juror = juror_of(conflict)
    return url(
        "conflict_decide",
        juror.round,
        juror.reference,
        conflict.application.reference,
        conflict.reason_code,
    )


def metropole_conflict(round_, application) -> Conflict:
    juror = JurorFactory(
        round=round_,
        institution=Organisation.objects.get(siren="243500139"),
        institution_name="",
    )
    return ConflictFactory(
        juror=juror,
        application=application,
        source=ConflictSource.DETECTED,
        reason_code=ConflictReason.COMMUNE_EPCI,
        reason="Rennes Métropole (EPCI) regroupe la commune de Rennes, porteuse du dossier.",
    )


@pytest.mark.parametrize("size", [1, 3])
def test_conflict_list_in_constant_queries(
    size, round_, organiser_client, django_assert_num_queries
):
    for _ in range(size):
        application = ApplicationFactory(edition=round_.edition)
        RoundEntry.objects.create(round=round_, application=application)
        metropole_conflict(round_, application)

    # Session, user, round, its jurors, totals by status, the page's count, then its conflicts
    # with dossier, lead, decider and round.
    # +1: the contests the organiser is kept to (contests.rules, once a request).
    with django_assert_num_queries(8):
        response = organiser_client.get(url("conflicts", round_))

    assert len(response.context["conflicts"]) == size
    page = response.content.decode()
    assert page.count("Rennes Métropole (EPCI) regroupe la commune de Rennes") == size
    assert "Détecté d&#x27;après le référentiel" in page


@pytest.mark.parametrize(("client_name", "status"), [("applicant_client", 403), ("visitor", 302)])
def test_only_organisers_see_the_conflicts(client_name, status, round_, dossier, request):
    conflict = metropole_conflict(round_, dossier)
    client = request.getfixturevalue(client_name)

    assert client.get(url("conflicts", round_)).status_code == status
    assert client.get(decide_url(conflict)).status_code == status


def test_a_juror_may_not_see_the_conflicts_page(round_, member, client):
    client.force_login(member.user)

    assert client.get(url("conflicts", round_)).status_code == 403


def test_organiser_runs_the_detection(round_, dossier, organiser_client):
    JurorFactory(
        round=round_,
        institution=Organisation.objects.get(siren="243500139"),
        institution_name="",
    )

    response = organiser_client.post(url("conflicts", round_), follow=True)

    assert "1 nouveau conflit détecté." in response.content.decode()
    assert Conflict.objects.get().reason_code == ConflictReason.COMMUNE_EPCI


def test_dismissing_needs_a_reason(round_, dossier, organiser_client):
    conflict = metropole_conflict(round_, dossier)

    response = organiser_client.post(decide_url(conflict), {"status": "dismissed", "reason": " "})

    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == ["Ce champ est obligatoire."]
    conflict.refresh_from_db()
    assert conflict.status == ConflictStatus.IN_FORCE


def test_organiser_dismisses_a_detected_conflict_with_a_reason(
    round_, dossier, organiser_client, organiser
):
    conflict = metropole_conflict(round_, dossier)

    response = organiser_client.post(
        decide_url(conflict),
        {"status": "dismissed", "reason": "Le juré a quitté la métropole en 2020."},
        follow=True,
    )

    conflict.refresh_from_db()
    assert (conflict.status, conflict.decided_by) == (ConflictStatus.DISMISSED, organiser)
    assert conflict.decision_reason == "Le juré a quitté la métropole en 2020."
    assert "Le conflit est écarté" in response.content.decode()
    entry = ActivityEntry.objects.get(action="conflict_dismissed")
    assert entry.subject == dossier.reference
    assert entry.details["reason"] == "Le juré a quitté la métropole en 2020."


def test_confirming_a_dismissed_conflict_removes_the_assignment_and_evaluation(
    round_, dossier, organiser_client
):
    conflict = metropole_conflict(round_, dossier)
    conflict.status = ConflictStatus.DISMISSED
    conflict.save()
    EvaluationFactory(assignment=AssignmentFactory(juror=juror_of(conflict), application=dossier))

    response = organiser_client.post(
        decide_url(conflict), {"status": "confirmed", "reason": "Après vérification."}, follow=True
    )

    assert (
        "Le conflit est confirmé. L&#x27;affectation de ce juré au dossier a été supprimée, "
        "ainsi que son évaluation."
    ) in response.content.decode()
    assert Assignment.objects.count() == Evaluation.objects.count() == 0


def test_declare_page_lists_dossiers_not_in_conflict(round_, member, dossier, client):
    other = ApplicationFactory(edition=round_.edition, title="Open data")
    RoundEntry.objects.create(round=round_, application=other)
    ConflictFactory(
        juror=member,
        application=other,
        source=ConflictSource.DETECTED,
        reason_code=ConflictReason.LEAD,
    )
    client.force_login(member.user)

    response = client.get(url("declare_conflicts", round_))

    rows = response.context["rows"]
    assert [application for application, _form in rows] == [dossier]
    page = response.content.decode()
    assert f"<strong>{dossier.reference}</strong> – Conseillers numériques" in page
    assert "Rennes" in page
    assert other.reference not in page


@pytest.mark.parametrize("size", [1, 3])
def test_declare_page_in_constant_queries(size, round_, member, client, django_assert_num_queries):
    for _ in range(size):
        RoundEntry.objects.create(
            round=round_, application=ApplicationFactory(edition=round_.edition)
        )
        ConflictFactory(juror=member, application=ApplicationFactory(edition=round_.edition))
    client.force_login(member.user)

    # Session, user, round, is-juror check, juror, conflicts, entries (their count for the
    # pages, then the page), declared conflicts.
    with django_assert_num_queries(9):
        response = client.get(url("declare_conflicts", round_))

    assert len(response.context["rows"]) == size


def test_non_jurors_may_not_declare(round_, applicant_client, client):
    declined = JurorFactory(round=round_, state="declined")
    client.force_login(declined.user)

    assert applicant_client.get(url("declare_conflicts", round_)).status_code == 403
    assert client.get(url("declare_conflicts", round_)).status_code == 403


def test_declaring_needs_a_reason_and_keeps_the_page(round_, member, dossier, client):
    client.force_login(member.user)

    response = client.post(
        url("declare_conflicts", round_),
        {"reference": dossier.reference, f"{dossier.reference}-reason": ""},
    )

    assert response.status_code == 200
    [(_application, form)] = response.context["rows"]
    assert form.errors["reason"] == ["Ce champ est obligatoire."]
    assert "<details open>" in response.content.decode()
    assert Conflict.objects.count() == 0


def test_declaring_removes_the_assignment_and_hides_the_dossier(
    round_, member, dossier, client, media_root
):
    assignment = AssignmentFactory(juror=member, application=dossier)
    EvaluationFactory(assignment=assignment)
    client.force_login(member.user)

    response = client.post(
        url("declare_conflicts", round_),
        {"reference": dossier.reference, f"{dossier.reference}-reason": "Ancienne collègue."},
        follow=True,
    )

    conflict = Conflict.objects.get()
    assert (conflict.source, conflict.reason_code, conflict.status) == (
        ConflictSource.DECLARED,
        ConflictReason.DECLARED,
        ConflictStatus.IN_FORCE,
    )
    assert conflict.reason == "Ancienne collègue."
    assert Assignment.objects.count() == Evaluation.objects.count() == 0
    assert response.context["rows"] == []
    assert [c.application for c in response.context["declared"]] == [dossier]
    entry = ActivityEntry.objects.get(action="conflict_declared")
    assert (entry.subject, entry.by) == (dossier.reference, member.user)


def test_a_declared_conflict_cannot_be_dismissed_without_a_reason(
    round_, member, dossier, organiser_client
):
    conflict = ConflictFactory(juror=member, application=dossier)

    response = organiser_client.post(decide_url(conflict), {"status": "dismissed"})

    assert response.context["form"].errors["reason"] == ["Ce champ est obligatoire."]
    conflict.refresh_from_db()
    assert conflict.status == ConflictStatus.IN_FORCE


@pytest.fixture
def files(dossier, applicant, media_root) -> list[str]:
    attachment = attachments.add_attachment(
        dossier,
        upload("Budget.pdf", pdf_bytes("Budget")),
        content_type="application/pdf",
        by=applicant,
    )
    attachments.set_video_upload(dossier, upload("pitch.webm", WEBM), duration_seconds=120.0)
    return [
        reverse("applications:attachment_download", args=[dossier.reference, attachment.token]),
        reverse("applications:video_download", args=[dossier.reference]),
    ]


def test_an_assigned_juror_downloads_the_files(round_, member, dossier, files, client):
    AssignmentFactory(juror=member, application=dossier)
    client.force_login(member.user)

    responses = [client.get(file_url) for file_url in files]

    assert [response.status_code for response in responses] == [200, 200]
    assert b"".join(responses[0].streaming_content) == pdf_bytes("Budget")
    assert responses[1]["Content-Type"] == "video/webm"


def test_a_juror_in_conflict_may_not_download_the_files(round_, dossier, files, client):
    juror = JurorFactory(round=round_, user=UserFactory())
    AssignmentFactory(juror=juror, application=dossier)
    client.force_login(juror.user)
    client.post(
        url("declare_conflicts", round_),
        {"reference": dossier.reference, f"{dossier.reference}-reason": "Mon ancien employeur."},
    )

    assert [client.get(file_url).status_code for file_url in files] == [404, 404]


def test_a_detected_conflict_closes_the_files_even_with_an_assignment(
    round_, dossier, files, client
):
    conflict = metropole_conflict(round_, dossier)
    # An assignment made before the conflict existed (the rules ignore it while in conflict).
    Assignment.objects.create(juror=juror_of(conflict), application=dossier, source="manual")
    client.force_login(juror_of(conflict).user)

    assert [client.get(file_url).status_code for file_url in files] == [404, 404]


def test_organiser_sees_the_decision_page(round_, dossier, organiser_client):
    conflict = metropole_conflict(round_, dossier)

    response = organiser_client.get(decide_url(conflict))

    page = response.content.decode()
    assert response.status_code == 200
    assert f"Conflit d'intérêts : {juror_of(conflict).full_name} et {dossier.reference}" in page
    assert "Rennes Métropole (EPCI) regroupe la commune de Rennes" in page
