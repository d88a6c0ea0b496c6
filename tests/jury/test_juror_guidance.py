"""What a juror is told and where they land (issue 15, item 6): the jury space after sign-in and
in the header; a confirmation before sending, with the edition's elimination rule; the comment
that reaches the applicant; when the other jurors' scores become visible."""

import html
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from contests.models import Phase
from jury.enums import JurorState
from jury.models import Evaluation
from tests.accounts.two_factor_support import ENROL, enrol_device, next_code, with_next
from tests.conftest import PASSWORD

from .scoring_setup import make_setup

pytestmark = pytest.mark.django_db

REFERENCE = "LTI-2027-0016"
JURY_HOME = reverse("jury:home")


@pytest.fixture
def setup():
    return make_setup()


@pytest.fixture
def juror(setup):
    return setup.juror("Claire Martin")


@pytest.fixture
def assignment(setup, juror):
    return setup.assign(juror, setup.dossier(REFERENCE, title="Guichet numérique"))


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _sign_in(email: str, next_path: str = ""):
    client = Client()
    url = reverse("accounts:login") + (f"?next={next_path}" if next_path else "")
    return client, client.post(url, {"email": email, "password": PASSWORD})


def _post(setup, *values, confirm=True, comments=()):
    data = {"version": "0", "overall_comment": ""}
    if confirm:
        data["confirm"] = "on"
    comments = list(comments) + [""] * (len(values) - len(comments))
    for criterion, value, comment in zip(setup.criteria, values, comments, strict=True):
        data[f"score_{criterion.pk}"] = value
        data[f"comment_{criterion.pk}"] = comment
    return data


# ------------------------------------------------------------------------- landing, header


def test_a_juror_signing_in_without_next_lands_on_the_jury_space(juror):
    _, response = _sign_in(juror.user.email)
    # Jurors give their second factor first, then reach their jury space.
    assert response["Location"] == with_next(ENROL, JURY_HOME)


def test_after_the_code_the_juror_reaches_the_jury_space(juror):
    device = enrol_device(juror.user)
    client, response = _sign_in(juror.user.email)
    verify = response["Location"]
    answer = client.post(verify, {"code": next_code(device.secret)})
    assert answer["Location"] == JURY_HOME


def test_a_juror_signing_in_with_next_keeps_it(juror):
    _, response = _sign_in(juror.user.email, "/compte/")
    assert response["Location"] == with_next(ENROL, "/compte/")


def test_an_applicant_still_lands_on_the_home_page(applicant):
    _, response = _sign_in(applicant.email)
    assert response["Location"] == reverse("catalogue:home")


def test_a_juror_who_has_not_accepted_does_not_land_on_the_jury_space(setup):
    invited = setup.juror("Paul Invité", state=JurorState.INVITED)
    _, response = _sign_in(invited.user.email)
    assert response["Location"] == with_next(ENROL, reverse("catalogue:home"))


def test_the_header_links_to_the_jury_space_for_jurors_only(juror, applicant_client):
    link = f'<a href="{JURY_HOME}"'
    assert link in _client(juror.user).get(reverse("catalogue:home")).content.decode()
    assert link not in applicant_client.get(reverse("catalogue:home")).content.decode()


# ---------------------------------------------------------------------------- confirmation


def test_sending_without_confirmation_sends_nothing_and_keeps_the_input(setup, juror, assignment):
    response = _client(juror.user).post(
        setup.url("evaluation_submit", REFERENCE), _post(setup, "3", "4", "5", confirm=False)
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["confirm"] == [
        "Cochez « Je confirme l'envoi » pour envoyer l'évaluation : rien n'est envoyé sans "
        "cela, et votre saisie est conservée ci-dessous."
    ]
    assert form[f"score_{setup.criteria[2].pk}"].value() == "5"
    assert not Evaluation.objects.exists()


def test_sending_with_confirmation_sends(setup, juror, assignment):
    response = _client(juror.user).post(
        setup.url("evaluation_submit", REFERENCE), _post(setup, "3", "4", "5")
    )
    assert response.status_code == 302
    assert Evaluation.objects.get().state == "submitted"


def test_a_draft_needs_no_confirmation(setup, juror, assignment):
    response = _client(juror.user).post(
        setup.url("evaluation", REFERENCE), _post(setup, "3", "", "", confirm=False)
    )
    assert response.status_code == 302
    assert Evaluation.objects.get().state == "draft"


def test_the_page_states_the_rule_and_the_comment_goes_to_the_applicant(setup, juror, assignment):
    page = _client(juror.user).get(setup.url("evaluation", REFERENCE))
    content = html.unescape(page.content.decode())
    assert (
        "Règle de l'édition : un seul « Insuffisant » sur un critère éliminatoire "
        "(« Innovation », « Usagers », « Sobriété numérique ») élimine le dossier, quelles que "
        "soient ses autres notes."
    ) in content
    assert "votre commentaire est transmis mot pour mot au candidat" in content
    assert "Je confirme l'envoi : mon évaluation ne pourra plus être modifiée." in content


def test_the_majority_rule_is_stated_and_no_criterion_named_if_none_eliminates():
    setup = make_setup(rule="majority", eliminatory=(True, False, False))
    juror = setup.juror("Claire Martin")
    setup.assign(juror, setup.dossier(REFERENCE))
    content = _client(juror.user).get(setup.url("evaluation", REFERENCE)).content.decode()
    assert (
        "le dossier est éliminé quand la majorité des jurés jugent un même critère "
        "éliminatoire (« Innovation ») insuffisant."
    ) in content


def test_an_insufficient_under_the_any_rule_says_it_eliminates(setup, juror, assignment):
    response = _client(juror.user).post(
        setup.url("evaluation_submit", REFERENCE),
        _post(setup, "insuffisant", "4", "5", confirm=False, comments=["Pas d'innovation."]),
    )
    assert (
        "Vous jugez « Innovation » insuffisant : une fois envoyée, votre évaluation élimine le "
        "dossier, et votre commentaire sur ce critère est transmis mot pour mot au candidat."
    ) in response.content.decode()
    assert not Evaluation.objects.exists()


def test_no_elimination_warning_without_insufficient(setup, juror, assignment):
    response = _client(juror.user).post(
        setup.url("evaluation_submit", REFERENCE), _post(setup, "2", "4", "5", confirm=False)
    )
    assert "votre évaluation élimine le dossier" not in response.content.decode()


# -------------------------------------------------------------------- other jurors' scores


def test_the_page_says_when_the_other_scores_become_visible(setup, juror, assignment):
    Phase.objects.create(
        edition=setup.edition,
        kind="deliberation",
        starts_at=timezone.now() + timedelta(days=10),
        may_see_other_scores=True,
    )
    expected = timezone.localtime(timezone.now() + timedelta(days=10))
    content = _client(juror.user).get(setup.url("evaluation", REFERENCE)).content.decode()
    assert (
        "Les notes des autres jurés vous seront visibles une fois votre évaluation envoyée, "
        f"à partir du {expected.day} "
    ) in content
    assert "(phase « Délibération »)." in content


def test_without_such_phase_the_organisers_open_it(setup, juror, assignment):
    content = _client(juror.user).get(setup.url("evaluation", REFERENCE)).content.decode()
    assert (
        "Les notes des autres jurés vous seront visibles une fois votre évaluation envoyée, "
        "quand les organisateurs ouvriront la délibération."
    ) in content


def test_the_refused_other_scores_page_says_when(setup, juror, assignment):
    response = _client(juror.user).get(setup.url("other_scores", REFERENCE))
    assert response.status_code == 403
    content = response.content.decode()
    assert "quand les organisateurs ouvriront la délibération" in content
    assert "Juré 1" not in content
