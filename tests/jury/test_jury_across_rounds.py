"""One jury for the edition (issue 15): conflicts the person's in every round, the solver and the
pages reading the same ones, a jury taken from an earlier round without new invitations, and
jurors told by email when their dossiers change."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from contests.models import ActivityEntry
from jury.domain.assign import assign_round, remove_assignment
from jury.domain.conflicts import decide_conflict, declare_conflict, detect_conflicts_for_round
from jury.domain.invitations import accept_invitation
from jury.domain.jurors import take_jury_from
from jury.enums import ConflictReason, ConflictStatus, EvaluationState, JurorState
from jury.models import Assignment, Conflict, Juror, RoundEntry
from territories.models import Organisation
from tests.factories import ApplicationFactory, EditionFactory, UserFactory

from .factories import EvaluationFactory, JurorFactory, RoundFactory

pytestmark = pytest.mark.django_db

NAMES = ("Claire Dubois", "Bruno Petit", "Chloé Roux", "David Simon")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(name: str, round_) -> str:
    edition = round_.edition
    return reverse(name, args=[edition.contest.slug, edition.year, round_.slug])


@pytest.fixture
def edition():
    """A regional round and the national one, the same four dossiers in both, four jurors of
    four institutions in the regional round, all accepted."""
    edition = EditionFactory(year=2027)
    regional = RoundFactory(edition=edition, name="Sélection Grand Ouest", slug="grand-ouest")
    national = RoundFactory(edition=edition, name="Jury national", slug="national", position=2)
    for number in range(1, 5):
        application = ApplicationFactory(
            edition=edition, state="submitted", reference=f"LTI-2027-{number:04d}"
        )
        RoundEntry.objects.create(round=regional, application=application)
        RoundEntry.objects.create(round=national, application=application)
    for name in NAMES:
        JurorFactory(round=regional, full_name=name, institution_name=f"Institution {name}")
    return regional, national


def seat(round_, name: str) -> Juror:
    return Juror.objects.get(round=round_, full_name=name)


def dossier(round_, reference: str):
    return round_.entries.get(application__reference=reference).application


def organiser_table(round_, juror: Juror, organiser) -> list[str]:
    """The dossiers the organisers' assignment table gives the juror."""
    response = _client(organiser).get(_url("jury:assignment", round_))
    return sorted(
        entry.application.reference
        for entry, items, _conflicts, _shared in response.context["rows"]
        if any(item.juror_id == juror.pk for item in items)
    )


def juror_page(round_, juror: Juror) -> list[str]:
    """The dossiers the juror's own page of the round lists."""
    response = _client(juror.user).get(_url("jury:juror_round", round_))
    return sorted(
        assignment.application.reference for assignment, _state in response.context["rows"]
    )


def test_a_conflict_declared_in_round_one_keeps_the_juror_off_the_dossier_in_round_two(
    edition, organiser
):
    regional, national = edition
    claire = seat(regional, "Claire Dubois")
    declare_conflict(
        claire, dossier(regional, "LTI-2027-0001"), "Je conseille ce porteur.", by=claire.user
    )

    take_jury_from(regional, national, by=organiser)
    outcome = assign_round(national, per_dossier=3, by=organiser)

    in_national = seat(national, "Claire Dubois")
    assert in_national.member == claire.member
    # 4 dossiers x 3 jurors over 4 jurors: 3 each, so Claire has the three others.
    assert organiser_table(national, in_national, organiser) == [
        "LTI-2027-0002",
        "LTI-2027-0003",
        "LTI-2027-0004",
    ]
    assert juror_page(national, in_national) == organiser_table(national, in_national, organiser)
    assert outcome.departures == []
    # The round's conflicts page shows it, with the round it was declared in.
    page = _client(organiser).get(_url("jury:conflicts", national)).content.decode()
    assert "Je conseille ce porteur." in page
    assert "au tour « Sélection Grand Ouest »" in page


def test_a_conflict_declared_later_takes_the_dossier_away_in_every_round(edition, organiser):
    regional, national = edition
    take_jury_from(regional, national, by=organiser)
    assign_round(national, per_dossier=4, by=organiser)  # everyone on every dossier
    claire = seat(regional, "Claire Dubois")
    in_national = seat(national, "Claire Dubois")
    assert organiser_table(national, in_national, organiser) == [
        "LTI-2027-0001",
        "LTI-2027-0002",
        "LTI-2027-0003",
        "LTI-2027-0004",
    ]

    removed = declare_conflict(
        claire, dossier(regional, "LTI-2027-0002"), "Ancienne collègue.", by=claire.user
    )

    assert removed == 1
    expected = ["LTI-2027-0001", "LTI-2027-0003", "LTI-2027-0004"]
    assert organiser_table(national, in_national, organiser) == expected
    assert juror_page(national, in_national) == expected


def test_a_dismissed_conflict_is_not_detected_again_in_round_two(organiser, rennes):
    edition = EditionFactory(year=2027)
    regional = RoundFactory(edition=edition, slug="bretagne")
    national = RoundFactory(edition=edition, slug="national", position=2)
    application = ApplicationFactory(edition=edition, lead_organisation=rennes, state="submitted")
    for round_ in (regional, national):
        RoundEntry.objects.create(round=round_, application=application)
    JurorFactory(
        round=regional,
        full_name="Claire Dubois",
        institution=Organisation.objects.get(siren="243500139"),  # Rennes Métropole
        institution_name="",
    )
    assert len(detect_conflicts_for_round(regional, by=organiser)) == 1
    found = Conflict.objects.get()
    assert found.reason_code == ConflictReason.COMMUNE_EPCI
    decide_conflict(found, ConflictStatus.DISMISSED, "Elle a quitté la métropole.", by=organiser)

    take_jury_from(regional, national, by=organiser)
    again = detect_conflicts_for_round(national, by=organiser)

    assert again == []
    conflict = Conflict.objects.get()
    assert (conflict.status, conflict.decision_reason) == (
        ConflictStatus.DISMISSED,
        "Elle a quitté la métropole.",
    )
    # Nothing keeps her off the dossier in the national round.
    outcome = assign_round(national, per_dossier=1, by=organiser)
    assert outcome.created == 1
    assert Assignment.objects.get().juror == seat(national, "Claire Dubois")


def test_a_jury_taken_from_round_one_needs_no_new_acceptance(
    edition, organiser, django_capture_on_commit_callbacks
):
    regional, national = edition
    pending = JurorFactory(
        round=regional, full_name="Émile Zola", user=None, state=JurorState.INVITED
    )
    JurorFactory(round=regional, full_name="Fanny Ardant", state=JurorState.DECLINED)
    bruno = seat(regional, "Bruno Petit")
    JurorFactory(round=national, full_name=bruno.full_name, email=bruno.email, user=bruno.user)

    with django_capture_on_commit_callbacks(execute=True):
        response = _client(organiser).post(
            _url("jury:juror_take", national), {"source": "grand-ouest"}, follow=True
        )

    assert "4 jurés du tour « Sélection Grand Ouest » rejoignent ce tour, sans nouvelle " in (
        response.content.decode()
    )
    states = dict(national.jurors.values_list("full_name", "state"))
    assert states == {
        **dict.fromkeys(NAMES, JurorState.ACCEPTED),
        "Émile Zola": JurorState.INVITED,
    }
    assert mail.outbox == []  # no invitation: the edition's jury was already answered
    # The pending invitation answered once seats the person in both rounds.
    user = UserFactory(email=pending.email)
    accept_invitation(pending.member, user)
    assert set(Juror.objects.filter(member=pending.member).values_list("state", "user")) == {
        (JurorState.ACCEPTED, user.pk)
    }
    entry = ActivityEntry.objects.get(action="jury_taken_from_round")
    assert entry.details == {"source": "grand-ouest", "count": 4}


def test_taking_a_jury_needs_a_round_of_the_edition(edition, organiser):
    _regional, national = edition
    other = RoundFactory(slug="ailleurs")
    JurorFactory(round=other)

    response = _client(organiser).post(_url("jury:juror_take", national), {"source": "ailleurs"})

    assert response.status_code == 200
    assert response.context["take_form"].errors["source"] == [
        "Sélectionnez un choix valide. ailleurs n’en fait pas partie."
    ]
    assert national.jurors.count() == 0
    page = _client(organiser).get(_url("jury:jurors", national)).content.decode()
    assert '<option value="grand-ouest">Sélection Grand Ouest</option>' in page


def test_inviting_a_member_who_accepted_seats_them_without_an_email(
    edition, organiser, django_capture_on_commit_callbacks
):
    regional, national = edition
    claire = seat(regional, "Claire Dubois")

    with django_capture_on_commit_callbacks(execute=True):
        response = _client(organiser).post(
            _url("jury:juror_invite", national),
            {
                "email": claire.email.upper(),
                "full_name": "Claire Dubois",
                "institution_code": "",
                "institution_name": "Institution Claire Dubois",
            },
            follow=True,
        )

    assert (
        "Claire Dubois fait déjà partie du jury de l&#x27;édition : ajouté(e) à ce tour sans "
        "nouvelle invitation."
    ) in response.content.decode()
    assert seat(national, "Claire Dubois").state == JurorState.ACCEPTED
    assert mail.outbox == []


def test_jurors_are_told_when_dossiers_are_given_and_taken(
    edition, organiser, django_capture_on_commit_callbacks
):
    regional, _national = edition
    with django_capture_on_commit_callbacks(execute=True):
        assign_round(regional, per_dossier=1, by=organiser)

    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        seat(regional, name).email for name in NAMES
    )
    claire = seat(regional, "Claire Dubois")
    [message] = [m for m in mail.outbox if m.to == [claire.email]]
    [given] = Assignment.objects.filter(juror=claire)
    assert message.subject == "Vos dossiers à évaluer : Sélection Grand Ouest"
    assert message.body.splitlines()[:6] == [
        "Bonjour Claire Dubois,",
        "",
        "Les dossiers que vous évaluez pour « Sélection Grand Ouest » "
        f"({regional.edition.contest.name} 2027) ont changé.",
        "",
        "Ce dossier vous est confié :",
        f"- {given.application.reference} – {given.application.title}",
    ]
    assert f"/jury/{regional.edition.contest.slug}/2027/grand-ouest/" in message.body

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        remove_assignment(given, by=organiser)
    [removal] = mail.outbox
    assert "Ce dossier ne vous est plus confié :\n- " + given.application.reference in removal.body

    for started in Assignment.objects.all():  # the others' work is kept as it is
        EvaluationFactory(assignment=started)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assign_round(regional, per_dossier=1, by=organiser)  # only Claire's dossier is free
    assert [message.to for message in mail.outbox] == [[claire.email]]


def test_the_table_shows_loads_and_the_evaluations_kept(edition, organiser):
    regional, _national = edition
    assign_round(regional, per_dossier=1, by=organiser)
    sent = Assignment.objects.filter(juror=seat(regional, "Claire Dubois")).get()
    EvaluationFactory(assignment=sent, state=EvaluationState.SUBMITTED)

    response = _client(organiser).get(_url("jury:assignment", regional))

    page = response.content.decode()
    assert page.count("évaluation envoyée, conservée") == 1
    assert "Part équitable : 1 à 1 dossiers par juré (4 dossiers × 1 jurés" in page
    assert [
        (row.juror.full_name, row.load, row.low, row.high) for row in response.context["load_rows"]
    ] == [(name, 1, 1, 1) for name in sorted(NAMES)]
