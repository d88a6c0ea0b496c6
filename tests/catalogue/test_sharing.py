"""Experience sharing: requests relayed by email to a laureate, answers relayed back, and never
an address of one side shown to the other."""

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from accounts.enums import MembershipState
from awards.models import Award
from catalogue import sharing
from catalogue.models import ExperienceRequest
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

AMBASSADONDES = "Ambassad'Ondes - Balade urbaine de découverte des champs électromagnétiques"
MESSAGE = "Bonjour, nous préparons une balade semblable à Brest : combien de capteurs ?"


@pytest.fixture
def ambassadondes(imported_palmares) -> Award:
    """Awarded to the Ville de Rennes (the applicant's) and Rennes Métropole."""
    return Award.objects.get(title=AMBASSADONDES)


@pytest.fixture
def metropole_agent(ambassadondes):
    """A second laureate member, of Rennes Métropole."""
    metropole = ambassadondes.award_organisations.get(organisation__kind="metropole").organisation
    return MembershipFactory(
        user__email="agent@rennesmetropole.fr",
        organisation=metropole,
        state=MembershipState.CONFIRMED,
    ).user


def request_url(award: Award) -> str:
    return reverse("catalogue:experience_request", kwargs={"slug": award.slug})


def answer_url(experience_request: ExperienceRequest) -> str:
    return reverse("catalogue:experience_answer", kwargs={"token": experience_request.token})


def assert_relayed_only_to(message, address: str, hidden: list[str]) -> None:
    """One recipient, from the platform, no Reply-To or copies, no other address anywhere."""
    assert message.to == [address]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert (message.cc, message.bcc, message.reply_to) == ([], [], [])
    raw = message.message().as_string()
    for other in hidden:
        assert other not in raw
        assert other not in message.body


# Asking


def test_agent_request_is_relayed_to_each_laureate_member_without_addresses(
    other_applicant,
    other_applicant_client,
    applicant,
    metropole_agent,
    ambassadondes,
    brest,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = other_applicant_client.post(
            request_url(ambassadondes), {"organisation": brest.slug, "message": MESSAGE}
        )

    experience_request = ExperienceRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("catalogue:project", kwargs={"slug": ambassadondes.slug})
    assert (experience_request.requester, experience_request.requester_organisation) == (
        other_applicant,
        brest,
    )
    assert sorted(message.to[0] for message in mail.outbox) == [
        "agent@rennes.fr",
        "agent@rennesmetropole.fr",
    ]
    for message in mail.outbox:
        colleague = ({"agent@rennes.fr", "agent@rennesmetropole.fr"} - set(message.to)).pop()
        assert_relayed_only_to(message, message.to[0], ["agent@brest.fr", colleague])
        assert message.subject == f"Demande de partage d'expérience : {AMBASSADONDES}"
        assert "Un agent de la structure « Brest » souhaite que vous partagiez" in message.body
        assert MESSAGE in message.body
        assert f"http://testserver{answer_url(experience_request)}" in message.body


def test_agent_may_write_personally(
    other_applicant_client, applicant, ambassadondes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        other_applicant_client.post(
            request_url(ambassadondes), {"organisation": "", "message": MESSAGE}
        )

    assert ExperienceRequest.objects.get().requester_organisation is None
    assert "Un agent inscrit sur le site souhaite" in mail.outbox[0].body


def test_agent_may_not_write_for_an_organisation_of_which_they_are_not_a_member(
    other_applicant_client, applicant, ambassadondes, rennes
):
    response = other_applicant_client.post(
        request_url(ambassadondes), {"organisation": rennes.slug, "message": MESSAGE}
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "organisation": [
            "Sélectionnez un choix valide. Ce choix ne fait pas partie de ceux disponibles."
        ]
    }
    assert not ExperienceRequest.objects.exists()
    assert mail.outbox == []


def test_too_short_message_is_refused_and_kept(other_applicant_client, applicant, ambassadondes):
    response = other_applicant_client.post(request_url(ambassadondes), {"message": "Bonjour"})

    content = response.content.decode()
    assert response.context["form"].errors["message"] == [
        "Assurez-vous que cette valeur comporte au moins 20 caractères (actuellement 7)."
    ]
    assert ">\nBonjour</textarea>" in content
    assert not ExperienceRequest.objects.exists()


def test_anonymous_visitor_is_sent_to_login_to_ask(visitor, applicant, ambassadondes):
    response = visitor.post(request_url(ambassadondes), {"message": MESSAGE})

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={request_url(ambassadondes)}"
    assert not ExperienceRequest.objects.exists()


def test_sixth_request_of_the_day_is_refused(other_applicant_client, applicant, ambassadondes):
    for _ in range(sharing.REQUESTS_PER_DAY):
        other_applicant_client.post(request_url(ambassadondes), {"message": MESSAGE})
    mail.outbox.clear()

    response = other_applicant_client.post(request_url(ambassadondes), {"message": MESSAGE})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Vous avez déjà envoyé 5 demandes ces dernières 24 heures : réessayez demain."
    ]
    assert ExperienceRequest.objects.count() == 5
    assert mail.outbox == []


def test_laureate_without_members_cannot_be_asked_yet(other_applicant_client, imported_palmares):
    award = Award.objects.get(title="Pulse - Bordeaux")

    page = other_applicant_client.get(request_url(award))
    response = other_applicant_client.post(request_url(award), {"message": MESSAGE})

    assert "Aucun agent de la structure lauréate n'est encore inscrit" in page.content.decode()
    assert response.status_code == 200
    assert not ExperienceRequest.objects.exists()


def test_embargoed_award_cannot_be_asked(
    other_applicant_client, imported_palmares, embargoed_award
):
    response = other_applicant_client.post(request_url(embargoed_award), {"message": MESSAGE})

    assert response.status_code == 404
    assert not ExperienceRequest.objects.exists()


# Answering


@pytest.fixture
def experience_request(other_applicant, applicant, ambassadondes, brest) -> ExperienceRequest:
    experience_request = sharing.request_experience(
        ambassadondes,
        requester=other_applicant,
        message=MESSAGE,
        organisation=brest,
        base_url="http://testserver",
    )
    mail.outbox.clear()
    return experience_request


def test_laureate_member_answers_and_the_answer_is_relayed_without_addresses(
    applicant,
    applicant_client,
    metropole_agent,
    experience_request,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = applicant_client.post(
            answer_url(experience_request), {"answer": "Douze capteurs."}
        )

    experience_request.refresh_from_db()
    assert response.status_code == 302
    assert (experience_request.answer, experience_request.answered_by) == (
        "Douze capteurs.",
        applicant,
    )
    [message] = mail.outbox
    assert_relayed_only_to(
        message, "agent@brest.fr", ["agent@rennes.fr", "agent@rennesmetropole.fr"]
    )
    assert message.subject == (f"Réponse à votre demande de partage d'expérience : {AMBASSADONDES}")
    assert "Douze capteurs." in message.body
    assert f"http://testserver{answer_url(experience_request)}" in message.body


def test_answered_request_counts_as_an_exchange_on_the_project_page(
    visitor, applicant, experience_request, ambassadondes
):
    unanswered = visitor.get(reverse("catalogue:project", kwargs={"slug": ambassadondes.slug}))
    sharing.answer_experience_request(
        experience_request, answer="Douze capteurs.", by=applicant, base_url="http://testserver"
    )

    answered = visitor.get(reverse("catalogue:project", kwargs={"slug": ambassadondes.slug}))

    assert "Aucun échange avec d'autres collectivités" in unanswered.content.decode()
    assert "1 échange avec d'autres collectivités sur la plateforme." in (answered.content.decode())


def test_laureate_member_sees_the_request_and_the_answer_form(applicant_client, experience_request):
    response = applicant_client.get(answer_url(experience_request))

    content = response.content.decode()
    assert response.status_code == 200
    assert "<dd>un agent de Brest</dd>" in content
    assert 'name="answer"' in content
    assert "agent@brest.fr" not in content


def test_requester_may_read_the_request_but_not_answer_it(
    other_applicant_client, experience_request
):
    page = other_applicant_client.get(answer_url(experience_request))
    response = other_applicant_client.post(answer_url(experience_request), {"answer": "Moi ?"})

    assert page.status_code == 200
    assert "La structure lauréate n'a pas encore répondu." in page.content.decode()
    assert response.status_code == 403
    assert ExperienceRequest.objects.get().answer == ""


def test_someone_else_may_not_read_the_request(client, experience_request):
    client.force_login(UserFactory(email="curieux@exemple.fr"))

    response = client.get(answer_url(experience_request))

    assert response.status_code == 403


def test_anonymous_visitor_is_sent_to_login_to_answer(visitor, experience_request):
    response = visitor.get(answer_url(experience_request))

    assert response.status_code == 302
    assert response["Location"].startswith(f"{reverse('accounts:login')}?next=")


def test_a_request_is_answered_once(applicant_client, metropole_agent, client, experience_request):
    applicant_client.post(answer_url(experience_request), {"answer": "Douze capteurs."})
    mail.outbox.clear()
    client.force_login(metropole_agent)

    response = client.post(answer_url(experience_request), {"answer": "Treize !"})

    assert response.status_code == 403
    assert ExperienceRequest.objects.get().answer == "Douze capteurs."
    assert mail.outbox == []


def test_empty_answer_is_refused(applicant_client, experience_request):
    response = applicant_client.post(answer_url(experience_request), {"answer": "  "})

    assert response.context["form"].errors == {"answer": ["Ce champ est obligatoire."]}
    assert mail.outbox == []


def test_unknown_token_is_not_found(applicant_client, experience_request):
    response = applicant_client.get(
        reverse("catalogue:experience_answer", kwargs={"token": "inconnu"})
    )

    assert response.status_code == 404
