"""The organisers' pages of a round's jurors: list, invite, edit, re-send, remove."""

import pytest
from django.core import mail
from django.urls import reverse

from contests.models import ActivityEntry
from jury.enums import ConflictReason, JurorState
from jury.models import Conflict, Juror, RoundEntry
from territories.models import Organisation

from ..factories import ApplicationFactory, ThemeFactory, UserFactory
from .factories import (
    AssignmentFactory,
    ConflictFactory,
    JurorFactory,
    RoundEntryFactory,
    RoundFactory,
)


@pytest.fixture
def round_(db):
    return RoundFactory(name="Sélection Bretagne", slug="bretagne")


def url(name: str, round_, *extra) -> str:
    edition = round_.edition
    return reverse(f"jury:{name}", args=[edition.contest.slug, edition.year, round_.slug, *extra])


def invite_data(**overrides) -> dict:
    data = {
        "email": "Juree@Exemple.fr",
        "full_name": "Claire Dubois",
        "institution_code": "243500139",
        "institution_name": "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("size", [1, 3])
def test_juror_list_shows_each_juror_in_constant_queries(
    size, round_, organiser_client, django_assert_num_queries
):
    theme = ThemeFactory(edition=round_.edition, name="Inclusion numérique")
    for _ in range(size):
        member = JurorFactory(round=round_, capacity_min=1, capacity_max=6)
        member.themes.add(theme)
        AssignmentFactory(juror=member)
        ConflictFactory(juror=member, application=RoundEntryFactory(round=round_).application)
        # A conflict with a dossier of another round of the edition is not this round's.
        ConflictFactory(juror=member, application=ApplicationFactory(edition=round_.edition))

    # Session, user, round, jurors with their counts, their themes, rounds to take a jury from.
    # +1: the contests the organiser is kept to (contests.rules, once a request).
    with django_assert_num_queries(7):
        response = organiser_client.get(url("jurors", round_))

    assert response.status_code == 200
    assert len(response.context["jurors"]) == size
    first = response.context["jurors"][0]
    assert (first.assigned_count, first.conflicts_count) == (1, 1)
    assert "<td>1 – 6</td><td>1</td><td>1</td>" in response.content.decode()
    assert "Inclusion numérique" in response.content.decode()


@pytest.mark.parametrize(
    ("client_name", "status"),
    [("applicant_client", 403), ("other_applicant_client", 403), ("visitor", 302)],
)
def test_only_organisers_see_the_juror_pages(client_name, status, round_, request):
    client = request.getfixturevalue(client_name)
    member = JurorFactory(round=round_)
    for name, extra in [("jurors", ()), ("juror_invite", ()), ("juror_update", [member.reference])]:
        assert client.get(url(name, round_, *extra)).status_code == status


@pytest.mark.parametrize(
    ("client_name", "status"),
    [("applicant_client", 403), ("other_applicant_client", 403), ("visitor", 302)],
)
def test_only_organisers_resend_or_remove(client_name, status, round_, request):
    client = request.getfixturevalue(client_name)
    member = JurorFactory(round=round_, user=None, state=JurorState.DECLINED)
    token = member.member.token

    for name in ("juror_resend", "juror_remove"):
        assert client.post(url(name, round_, member.reference)).status_code == status

    member.refresh_from_db()
    member.member.refresh_from_db()
    assert (member.member.token, member.state) == (token, JurorState.DECLINED)
    assert mail.outbox == []


@pytest.mark.parametrize("name", ["juror_resend", "juror_remove"])
def test_resend_and_remove_are_post_only(round_, organiser_client, name):
    member = JurorFactory(round=round_)

    assert organiser_client.get(url(name, round_, member.reference)).status_code == 405
    assert Juror.objects.count() == 1


def test_a_juror_may_not_see_the_juror_pages(round_, client):
    member = JurorFactory(round=round_)
    client.force_login(member.user)

    assert client.get(url("jurors", round_)).status_code == 403


def test_organiser_invites_a_juror_from_the_referential(
    round_, organiser_client, organiser, rennes, django_capture_on_commit_callbacks
):
    theme = ThemeFactory(edition=round_.edition, slug="inclusion")
    application = ApplicationFactory(edition=round_.edition, lead_organisation=rennes)
    RoundEntry.objects.create(round=round_, application=application)

    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(
            url("juror_invite", round_), invite_data(themes=["inclusion"], is_president="on")
        )

    assert response.status_code == 302
    assert response["Location"] == url("jurors", round_)
    juror = Juror.objects.get()
    assert juror.email == "juree@exemple.fr"
    assert juror.institution == Organisation.objects.get(siren="243500139")
    # The load is the fair share until organisers set one on the assignment page.
    assert (juror.capacity_min, juror.capacity_max, juror.is_president) == (None, None, True)
    assert list(juror.themes.all()) == [theme]
    assert juror.state == JurorState.INVITED
    assert juror.user is None
    assert [message.to for message in mail.outbox] == [["juree@exemple.fr"]]
    assert f"/jury/invitation/{juror.member.token}/" in mail.outbox[0].body
    assert mail.outbox[0].subject == (
        f"Invitation au jury : {round_.edition.contest.name} {round_.edition.year}"
    )
    assert Conflict.objects.get().reason_code == ConflictReason.COMMUNE_EPCI
    entry = ActivityEntry.objects.get(action="juror_invited")
    assert (entry.subject, entry.by) == (str(juror.reference), organiser)


def test_organiser_invites_a_juror_from_a_partner_institution(round_, organiser_client):
    response = organiser_client.post(
        url("juror_invite", round_),
        invite_data(institution_code="", institution_name="Banque des Territoires"),
    )

    assert response.status_code == 302
    juror = Juror.objects.get()
    assert (juror.institution, juror.institution_name) == (None, "Banque des Territoires")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"institution_code": ""},
            "institution_code",
            "Indiquez une structure du référentiel ou une institution partenaire.",
        ),
        (
            {"institution_name": "Banque des Territoires"},
            "institution_name",
            "Indiquez soit une structure du référentiel, soit une institution partenaire, "
            "pas les deux.",
        ),
        (
            {"institution_code": "999999999"},
            "institution_code",
            "Aucune structure du référentiel ne correspond à « 999999999 ».",
        ),
    ],
)
def test_invitation_form_errors_are_french_and_keep_the_input(
    overrides, field, message, round_, organiser_client
):
    response = organiser_client.post(url("juror_invite", round_), invite_data(**overrides))

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert 'value="Claire Dubois"' in response.content.decode()
    assert Juror.objects.count() == 0


def test_an_ambiguous_code_lists_the_candidates(round_, organiser_client):
    response = organiser_client.post(
        url("juror_invite", round_), invite_data(institution_code="53")
    )

    [error] = response.context["form"].errors["institution_code"]
    assert error.startswith("Plusieurs structures correspondent à « 53 » : ")
    assert "Mayenne (Département, " in error
    assert "Bretagne (Région, " in error


def test_a_slug_picks_one_of_an_ambiguous_code(round_, organiser_client):
    bretagne = Organisation.objects.get(kind="region", insee_code="53")

    organiser_client.post(url("juror_invite", round_), invite_data(institution_code=bretagne.slug))

    assert Juror.objects.get().institution == bretagne


def test_the_same_address_cannot_be_invited_twice_to_a_round(round_, organiser_client):
    JurorFactory(round=round_, email="juree@exemple.fr", user=None)

    response = organiser_client.post(url("juror_invite", round_), invite_data())

    assert response.context["form"].errors["email"] == [
        "Cette personne est déjà invitée à ce tour."
    ]


def test_organiser_changes_the_institution_and_conflicts_follow(round_, organiser_client, rennes):
    application = ApplicationFactory(edition=round_.edition, lead_organisation=rennes)
    RoundEntry.objects.create(round=round_, application=application)
    member = JurorFactory(round=round_, email="juree@exemple.fr")

    response = organiser_client.post(
        url("juror_update", round_, member.reference),
        invite_data(email="juree@exemple.fr", institution_code="35238"),
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.institution, member.institution_name) == (rennes, "")
    assert Conflict.objects.get().reason_code == ConflictReason.LEAD
    assert ActivityEntry.objects.get(action="juror_updated").details == {
        "changed": ["full_name", "institution", "institution_name"]
    }


def test_resending_an_invitation_makes_a_new_link(
    round_, organiser_client, django_capture_on_commit_callbacks
):
    member = JurorFactory(round=round_, user=None, state=JurorState.DECLINED)
    old_token = member.member.token

    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(url("juror_resend", round_, member.reference))

    assert response["Location"] == url("juror_update", round_, member.reference)
    member.refresh_from_db()
    member.member.refresh_from_db()
    assert member.member.token != old_token
    assert member.state == member.member.state == JurorState.INVITED
    assert f"/jury/invitation/{member.member.token}/" in mail.outbox[0].body
    assert ActivityEntry.objects.filter(action="juror_invitation_resent").count() == 1


def test_an_accepted_juror_needs_no_new_invitation(round_, organiser_client):
    member = JurorFactory(round=round_)

    response = organiser_client.post(url("juror_resend", round_, member.reference), follow=True)

    assert "Ce juré a déjà accepté l&#x27;invitation." in response.content.decode()
    assert mail.outbox == []


def test_organiser_removes_a_juror(round_, organiser_client):
    member = JurorFactory(round=round_, user=UserFactory())

    response = organiser_client.post(url("juror_remove", round_, member.reference))

    assert response["Location"] == url("jurors", round_)
    assert Juror.objects.count() == 0
    assert ActivityEntry.objects.get(action="juror_removed").subject == str(member.reference)


def test_organiser_sees_the_invitation_and_juror_forms(round_, organiser_client):
    member = JurorFactory(
        round=round_,
        full_name="Claire Dubois",
        institution=Organisation.objects.get(siren="243500139"),
        institution_name="",
    )

    invite = organiser_client.get(url("juror_invite", round_))
    update = organiser_client.get(url("juror_update", round_, member.reference))

    assert "Inviter un juré au tour « Sélection Bretagne »" in invite.content.decode()
    assert update.context["form"]["institution_code"].value() == "243500139"
    assert "Juré : Claire Dubois" in update.content.decode()
    assert "Renvoyer l&#x27;invitation" not in update.content.decode()  # already accepted
