"""Conflicts in the deliberation (awards.rules.ConflictScreen): an organiser who is also a juror
in conflict with a dossier gets, on every page and document, what a juror in conflict gets — the
dossier absent, the other levels of its theme veiled — and cannot infer the hidden result.

The round (deliberation_setup): theme « Services » holds A (3.667), B (3.333) and D (4); « Or »
needs 3.5 and is given once per theme, so D takes it and A, above the threshold, gets « Argent ».
Someone who saw A's « Argent » next to its 3.667 would know that the hidden D took the « Or ».
"""

import pytest
from django.test import Client
from django.urls import reverse

from awards.models import Decision
from tests.factories import UserFactory
from tests.jury.factories import ConflictFactory, JurorFactory

from .deliberation_setup import REFERENCES, make_deliberated
from .test_deliberation import _open
from .test_documents_press_release import pdf_text

pytestmark = pytest.mark.django_db

VEILED = "Vous êtes en conflit d'intérêts avec un dossier de ce thème"


def _url(case, name: str = "deliberation", **kwargs) -> str:
    return reverse(
        f"awards:{name}",
        kwargs={"contest_slug": case.edition.contest.slug, "year": case.edition.year, **kwargs},
    )


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _in_conflict(case, application, **user_fields):
    """A user who sits on the round's jury and is in conflict with `application`."""
    user = UserFactory(**user_fields)
    ConflictFactory(juror=JurorFactory(round=case.round, user=user), application=application)
    return user


def _section(text: str, theme: str) -> str:
    """The board's part for one theme: from its heading to the next heading or the end."""
    start = text.index(f">{theme}</h2>")
    end = text.find("<h2", start)
    return text[start : end if end > 0 else len(text)]


@pytest.fixture
def case():
    deliberated = make_deliberated()
    _open(deliberated)
    return deliberated


@pytest.fixture
def conflicted_organiser(case):
    """An organiser who also sits on the jury, in conflict with D (the « Or » of Services)."""
    return _in_conflict(case, case.application("D"), is_organiser=True)


# ----------------------------------------------------------------------------------- board


def test_the_inference_is_possible_without_a_conflict(organiser_client, case):
    """What the screen prevents: A's « Argent » above the « Or » threshold shows D's « Or »."""
    services = _section(organiser_client.get(_url(case)).text, "Services")

    assert REFERENCES["D"] in services
    assert "3,667" in services and "Argent" in services and "Or</td>" in services


def test_conflicted_organiser_sees_no_level_or_rank_in_the_theme_of_the_dossier(
    case, conflicted_organiser
):
    response = _client(conflicted_organiser).get(_url(case))

    assert response.status_code == 200
    text = response.text
    assert REFERENCES["D"] not in text and "Projet D" not in text
    services = _section(text, "Services")
    assert VEILED in services
    # Who competes and their scores, in reference order; no rank, no proposed or decided level.
    assert services.index(REFERENCES["A"]) < services.index(REFERENCES["B"])
    assert "3,667" in services and "3,333" in services
    for word in ("Argent", "Or<", "Bronze", "Non labellisé", "Rang", "Modifier"):
        assert word not in services, word
    rows = {row.reference: row for row in response.context["board"].rows}
    assert (rows[REFERENCES["A"]].proposed_level, rows[REFERENCES["A"]].decision) == (None, None)
    assert rows[REFERENCES["A"]].rank == 0
    # The other theme is shown as to everyone.
    mobilites = _section(text, "Mobilités")
    assert VEILED not in mobilites
    assert "Non labellisé" in mobilites and "Modifier" in mobilites


def test_a_juror_in_conflict_gets_the_same_board(case):
    juror = _in_conflict(case, case.application("D"))

    services = _section(_client(juror).get(_url(case)).text, "Services")

    assert VEILED in services
    assert REFERENCES["D"] not in services and "Argent" not in services


def test_what_if_counts_only_what_the_viewer_may_see(organiser_client, case, conflicted_organiser):
    """With the median, D and A tie for « Or » and B drops to « Bronze »: two changes, both in
    Services, which the conflicted organiser may not see — « 0 », not « 2 » minus what is shown."""
    settings = {"method": "median", "normalisation": "non", "leave_out": ""}

    everyone = organiser_client.get(_url(case), settings)
    screened = _client(conflicted_organiser).get(_url(case), settings)

    assert "2 dossiers changeraient de niveau avec ces réglages" in everyone.text
    assert "Aucun dossier ne changerait de niveau avec ces réglages." in screened.text
    assert screened.context["changes"] == []


def test_a_theme_is_veiled_whether_or_not_the_dossier_reached_the_round(case):
    """C is the only dossier of Mobilités in the round. Its section looks the same to a juror in
    conflict with it whether C reached the round or not: neither a theme vanishing nor one
    appearing tells how far the dossier went."""
    juror = _in_conflict(case, case.application("C"))
    client = _client(juror)

    reached = _section(client.get(_url(case)).text, "Mobilités")
    Decision.objects.filter(application=case.application("C")).delete()
    case.entries["C"].delete()
    not_reached = _section(client.get(_url(case)).text, "Mobilités")

    assert reached == not_reached
    assert VEILED in reached and "Aucun autre dossier de ce thème à afficher." in reached


# ------------------------------------------------------------------------- decisions, actions


def test_conflicted_organiser_may_change_no_decision_of_the_veiled_theme(
    case, conflicted_organiser
):
    client = _client(conflicted_organiser)

    hidden = client.get(_url(case, "decision", reference=REFERENCES["D"]))
    same_theme = client.post(
        _url(case, "decision", reference=REFERENCES["A"]), {"level": "or", "reason": "Vu."}
    )
    other_theme = client.get(_url(case, "decision", reference=REFERENCES["C"]))

    assert (hidden.status_code, same_theme.status_code, other_theme.status_code) == (404, 403, 200)
    assert Decision.objects.get(application=case.application("A")).level == case.levels["argent"]


def test_an_organiser_without_conflict_may_change_them(organiser_client, case):
    response = organiser_client.post(
        _url(case, "decision", reference=REFERENCES["A"]), {"level": "or", "reason": "Vu."}
    )

    assert response.status_code == 302
    assert Decision.objects.get(application=case.application("A")).level == case.levels["or"]


def test_conflicted_organiser_may_not_restage_another_may(
    organiser_client, case, conflicted_organiser
):
    refused = _client(conflicted_organiser).post(_url(case, "stage"))
    board = _client(conflicted_organiser).get(_url(case))
    accepted = organiser_client.post(_url(case, "stage"))

    assert (refused.status_code, accepted.status_code) == (403, 302)
    assert "Recalculer les propositions" not in board.text


def test_conflicted_organiser_may_not_preview_the_publication_another_may(
    organiser_client, case, conflicted_organiser
):
    url = reverse(
        "awards:publication",
        kwargs={"contest_slug": case.edition.contest.slug, "year": case.edition.year},
    )

    assert _client(conflicted_organiser).get(url).status_code == 403
    assert organiser_client.get(url).status_code == 200


def test_president_in_conflict_validates_without_seeing_the_veiled_decisions(case):
    ConflictFactory(juror=case.alice, application=case.application("D"))
    client = _client(case.alice.user)

    page = client.get(_url(case, "validate"))

    assert page.status_code == 200
    references = [d.application.reference for d in page.context["decisions"]]
    assert references == [REFERENCES["C"]]
    assert (
        "Thèmes dont les décisions ne vous sont pas montrées, parce que vous êtes en conflit "
        "d'intérêts avec l'un de leurs dossiers : Services."
    ) in page.text
    assert REFERENCES["D"] not in page.text and REFERENCES["A"] not in page.text


# -------------------------------------------------------------------------------- minutes


def test_minutes_for_a_conflicted_organiser_leave_the_dossier_out_and_veil_its_theme(
    organiser_client, case, conflicted_organiser
):
    whole = pdf_text(organiser_client.get(_url(case, "minutes")).content)
    screened = pdf_text(_client(conflicted_organiser).get(_url(case, "minutes")).content)

    assert f"{REFERENCES['D']} – Projet D" in whole
    assert REFERENCES["D"] not in screened and "Projet D" not in screened
    assert (
        "Version restreinte : son lecteur est en conflit d'intérêts avec un dossier, qui n'y "
        "figure pas, et ne voit aucun niveau des thèmes suivants : Services."
    ) in screened
    # A's score stays (the minutes' number format is not this test's business), its levels go.
    a_row = screened[screened.index(f"{REFERENCES['A']} – Projet A") :]
    assert a_row.startswith(
        f"{REFERENCES['A']} – Projet A Porté par Rennes Thème Services Note et intervalle 3,6"
    )
    assert a_row.index(
        "Niveau proposé non communiqué (conflit d'intérêts dans ce thème) "
        "Niveau décidé non communiqué (conflit d'intérêts dans ce thème)"
    ) < a_row.index(REFERENCES["B"])
    # Proposed, decided and distinctions of each of the two veiled rows (distinctions masked
    # even when there are none: an empty line would tell).
    assert screened.count("non communiqué (conflit d'intérêts dans ce thème)") == 6
    assert f"{REFERENCES['C']} – Projet C Porté par Rennes Thème Mobilités Note" in screened
    assert "Version restreinte" not in whole
