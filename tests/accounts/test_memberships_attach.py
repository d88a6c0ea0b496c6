"""The applicant's page: find a structure in the referential and ask to be attached to it."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from accounts.enums import MembershipRole, MembershipState
from accounts.models import Membership
from territories.models import Organisation
from tests.factories import MembershipFactory, UserFactory, VerifiedDomainFactory

from .pages import page_text

ATTACH = reverse("accounts:attach")
ACCOUNT = reverse("accounts:account")
EPERNAY = "epernay-51230"
AGGLO = "ca-epernay-coteaux-et-plaine-de-champagne-200067684"
PENDING_MESSAGE = (
    "Demande de rattachement à « Commune d'Épernay » enregistrée. Un organisateur doit "
    "confirmer votre rattachement ; vous recevrez un courriel."
)


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _messages(response) -> list[str]:
    return [message.message for message in get_messages(response.wsgi_request)]


@pytest.fixture
def epernay(db) -> Organisation:
    return Organisation.objects.get(slug=EPERNAY)


@pytest.fixture
def epernay_domain(epernay):
    return VerifiedDomainFactory(organisation=epernay, domain="ville-epernay.fr")


def test_visitor_may_not_attach_and_is_sent_to_login(visitor, db):
    response = visitor.get(ATTACH)

    assert response.status_code == 302
    assert response["Location"] == "/compte/connexion/?next=/compte/structures/rattacher/"


def test_visitor_may_not_post_a_request(visitor, epernay):
    response = visitor.post(ATTACH, {"organisation": EPERNAY})

    assert response.status_code == 302
    assert Membership.objects.filter(organisation=epernay).exists() is False


def test_search_without_accents_finds_both_epernay_bodies(applicant_client):
    response = applicant_client.get(ATTACH, {"q": "epernay"})

    assert response.status_code == 200
    rows = [
        (organisation.name, organisation.get_kind_display(), departement.name, state)
        for organisation, departement, state in response.context["rows"]
    ]
    assert rows == [
        ("Épernay", "Commune", "Marne", None),
        ("Épernay-sous-Gevrey", "Commune", "Côte-d'Or", None),
        ("CA Epernay, Coteaux et Plaine de Champagne", "Communauté d'agglomération", "Marne", None),
    ]
    text = page_text(response)
    assert "3 structures trouvées" in text
    assert "INSEE 51230 <br> SIREN 215102120" in text
    assert "SIREN 200067684" in text
    assert "Marne (51)" in text
    page = response.content.decode()
    assert page.count(">Demander le rattachement</button>") == 3
    assert f'<input type="hidden" name="organisation" value="{AGGLO}">' in page


@pytest.mark.parametrize(("query", "slug"), [("200067684", AGGLO), ("51200", EPERNAY)])
def test_search_by_siren_or_postcode(applicant_client, query, slug):
    response = applicant_client.get(ATTACH, {"q": query})

    assert response.context["rows"][0][0].slug == slug


def test_result_already_asked_for_shows_its_state_instead_of_a_button(applicant_client):
    response = applicant_client.get(ATTACH, {"q": "35238"})

    ((organisation, _departement, state),) = response.context["rows"]
    assert (organisation.slug, state) == ("rennes-35238", MembershipState.CONFIRMED)
    page = response.content.decode()
    assert '<span class="membership-state membership-confirmed">Confirmée</span>' in page
    assert "Demander le rattachement</button>" not in page


@pytest.mark.parametrize(("query", "count"), [("200067684", 1), ("epernay", 3)])
def test_search_query_count(db, django_assert_num_queries, query, count):
    client = _client_for(UserFactory())

    # session, user, the user's memberships, result count, results with their départements.
    with django_assert_num_queries(5):
        response = client.get(ATTACH, {"q": query})

    assert len(response.context["rows"]) == count


def test_verified_domain_confirms_at_once_and_says_why(db, epernay, epernay_domain):
    user = UserFactory(email="agent@ville-epernay.fr")

    response = _client_for(user).post(ATTACH, {"organisation": EPERNAY, "q": "epernay"})

    assert response.status_code == 302
    assert response["Location"] == ACCOUNT
    assert _messages(response) == [
        "Votre adresse @ville-epernay.fr est un domaine vérifié de la structure « Commune "
        "d'Épernay » : rattachement confirmé."
    ]
    membership = Membership.objects.get(user=user)
    assert (membership.organisation, membership.role, membership.state) == (
        epernay,
        MembershipRole.AGENT,
        MembershipState.CONFIRMED,
    )


def test_other_domain_stays_pending_and_says_who_confirms(db, epernay, epernay_domain):
    user = UserFactory(email="agent@exemple.fr")

    response = _client_for(user).post(ATTACH, {"organisation": EPERNAY})

    assert _messages(response) == [PENDING_MESSAGE]
    assert Membership.objects.get(user=user).state == MembershipState.PENDING


def test_unconfirmed_address_stays_pending_even_with_a_verified_domain(db, epernay, epernay_domain):
    user = UserFactory(email="agent@ville-epernay.fr", email_confirmed_at=None)
    client = _client_for(user)

    page = page_text(client.get(ATTACH))
    response = client.post(ATTACH, {"organisation": EPERNAY})

    assert (
        "Votre adresse électronique n'est pas encore confirmée : vos demandes resteront en "
        "attente jusqu'à ce que vous la confirmiez, même si son domaine est vérifié pour la "
        "structure." in page
    )
    assert _messages(response) == [
        "Demande de rattachement à « Commune d'Épernay » enregistrée, en attente. Votre adresse "
        "@ville-epernay.fr est un domaine vérifié de cette structure, mais vous ne l'avez pas "
        "encore confirmée : suivez le lien reçu par courriel et le rattachement sera confirmé "
        "aussitôt."
    ]
    assert Membership.objects.get(user=user).state == MembershipState.PENDING


def test_confirmed_member_asking_again_is_told_so(applicant_client, applicant):
    response = applicant_client.post(ATTACH, {"organisation": "rennes-35238"})

    assert _messages(response) == ["Vous êtes déjà rattaché à « Commune de Rennes »."]
    assert Membership.objects.filter(user=applicant).count() == 1


def test_pending_member_asking_again_is_told_so(pending_applicant):
    response = _client_for(pending_applicant).post(ATTACH, {"organisation": "rennes-35238"})

    assert _messages(response) == [
        "Vous avez déjà demandé à être rattaché à « Commune de Rennes » : un organisateur "
        "doit confirmer votre rattachement ; vous recevrez un courriel."
    ]
    assert Membership.objects.filter(user=pending_applicant).count() == 1


def test_refused_member_may_not_ask_again(db, epernay):
    membership = MembershipFactory(organisation=epernay, state=MembershipState.REJECTED)

    response = _client_for(membership.user).post(ATTACH, {"organisation": EPERNAY})

    assert _messages(response) == [
        "Votre demande de rattachement à « Commune d'Épernay » a été refusée. Si c'est une erreur, "
        "contactez l'équipe organisatrice du label."
    ]
    membership.refresh_from_db()
    assert membership.state == MembershipState.REJECTED


def test_unknown_structure_is_refused_and_the_search_kept(applicant_client, applicant):
    response = applicant_client.post(ATTACH, {"organisation": "nulle-part-00000", "q": "épernay"})

    assert response.status_code == 302
    assert response["Location"] == "/compte/structures/rattacher/?q=%C3%A9pernay"
    assert _messages(response) == ["Cette structure n'existe pas ou plus. Recherchez-la à nouveau."]
    assert Membership.objects.filter(user=applicant).count() == 1


NEW_DOSSIER = "/candidatures/nouveau/label-territoire-innovant/2027/"


def test_a_request_made_on_the_way_to_a_dossier_goes_back_there(db, epernay):
    client = _client_for(UserFactory(email="agent@exemple.fr"))

    page = client.get(ATTACH, {"q": "epernay", "next": NEW_DOSSIER}).content.decode()
    response = client.post(ATTACH, {"organisation": EPERNAY, "q": "epernay", "next": NEW_DOSSIER})

    # The search form and each request button carry it.
    buttons = page.count('<input type="hidden" name="organisation"')
    assert buttons >= 2
    assert page.count(f'<input type="hidden" name="next" value="{NEW_DOSSIER}">') == 1 + buttons
    assert response["Location"] == NEW_DOSSIER
    assert _messages(response) == [PENDING_MESSAGE]


def test_a_request_may_not_go_back_to_another_site(db, epernay):
    client = _client_for(UserFactory(email="agent@exemple.fr"))

    response = client.post(ATTACH, {"organisation": EPERNAY, "next": "https://ailleurs.example/"})

    assert response["Location"] == ACCOUNT
    assert Membership.objects.get(organisation=epernay).state == MembershipState.PENDING


def test_an_unknown_structure_keeps_the_search_and_the_way_back(applicant_client):
    response = applicant_client.post(
        ATTACH, {"organisation": "nulle-part-00000", "q": "brest", "next": NEW_DOSSIER}
    )

    assert response["Location"] == (
        "/compte/structures/rattacher/?q=brest&next=%2Fcandidatures%2Fnouveau%2F"
        "label-territoire-innovant%2F2027%2F"
    )


def test_account_page_links_to_attach_but_not_to_decisions(applicant_client):
    response = applicant_client.get(ACCOUNT)

    page = response.content.decode()
    assert (
        '<a href="/compte/structures/rattacher/">Rattacher mon compte à une structure</a>' in page
    )
    assert "/compte/rattachements/" not in page


def test_account_page_links_organisers_to_decisions(organiser_client):
    page = organiser_client.get(ACCOUNT).content.decode()

    assert '<a href="/compte/rattachements/">Confirmer les demandes de rattachement</a>' in page


def test_account_page_links_managers_to_decisions(db, rennes):
    manager = MembershipFactory(organisation=rennes, role=MembershipRole.MANAGER).user

    page = _client_for(manager).get(ACCOUNT).content.decode()

    assert '<a href="/compte/rattachements/">Confirmer les demandes de rattachement</a>' in page
