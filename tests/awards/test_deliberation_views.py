"""The deliberation pages: who may see and do what, the board's content, what-if, validation."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from awards import aggregation
from awards.enums import DeliberationState
from awards.models import Decision, Deliberation
from tests.factories import UserFactory
from tests.jury.factories import ConflictFactory, JurorFactory, RoundFactory

from .deliberation_setup import REFERENCES, make_deliberated
from .test_deliberation import _open

pytestmark = pytest.mark.django_db


def _url(case, name: str = "deliberation", **kwargs) -> str:
    return reverse(
        f"awards:{name}",
        kwargs={"contest_slug": case.edition.contest.slug, "year": case.edition.year, **kwargs},
    )


def _login(client, user):
    client.force_login(user)
    return client


# ------------------------------------------------------------------------------- opening


def test_organiser_opens_the_deliberation_on_the_chosen_round(organiser_client):
    case = make_deliberated("AB")

    page = organiser_client.get(_url(case))
    response = organiser_client.post(
        _url(case),
        {
            "round": case.round.slug,
            "method": "median",
            "disagreement_threshold": "0.8",
            "send_reasons": "on",
        },
    )

    assert page.status_code == 200
    assert "Ouvrir la délibération" in page.text
    assert '<option value="bretagne" selected>Sélection Bretagne</option>' in page.text
    assert response.status_code == 302
    deliberation = Deliberation.objects.get(edition=case.edition)
    assert (
        deliberation.method,
        deliberation.normalised,
        str(deliberation.disagreement_threshold),
    ) == (
        "median",
        False,
        "0.80",
    )
    assert Decision.objects.filter(deliberation=deliberation).count() == 2


def test_nobody_else_may_open_it(client, other_applicant_client):
    case = make_deliberated("A")

    juror = _login(client, case.alice.user).get(_url(case))
    applicant = other_applicant_client.post(
        _url(case), {"round": case.round.slug, "method": "mean"}
    )

    assert (juror.status_code, applicant.status_code) == (404, 404)
    assert not Deliberation.objects.exists()


def test_visitor_is_sent_to_the_login_page(visitor):
    case = make_deliberated("A")
    _open(case)

    response = visitor.get(_url(case))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# --------------------------------------------------------------------------------- board


def test_organiser_sees_the_board_with_scores_flags_and_eliminations(organiser_client):
    case = make_deliberated()
    _open(case)

    response = organiser_client.get(_url(case))

    assert response.status_code == 200
    text = response.text
    assert escape(str(aggregation.METHOD_DESCRIPTION)) in text
    assert "dossier est la moyenne des notes de ses jurés." in text
    assert text.index("LTI-2028-0004") < text.index("LTI-2028-0001") < text.index("LTI-2028-0002")
    assert "3,667" in text and "1,53 ; 3,00" in text
    assert text.count('<span class="badge">désaccord</span>') == 1
    assert "« Sobriété numérique » jugé insuffisant par 1 juré — « Trop énergivore »" in text
    assert "Recalculer les propositions" in text
    assert "Valider le palmarès" not in text  # the president's, not the organisers'


def test_juror_of_the_round_sees_the_board_and_others_may_not(client, other_applicant_client):
    case = make_deliberated("A")
    _open(case)
    stranger = RoundFactory(edition=case.edition, slug="autre")
    other_round_juror = JurorFactory(round=stranger)

    juror = _login(client, case.chloe.user).get(_url(case))
    outsider = _login(client, other_round_juror.user).get(_url(case))
    applicant = other_applicant_client.get(_url(case))

    assert juror.status_code == 200
    assert REFERENCES["A"] in juror.text
    assert "Recalculer les propositions" not in juror.text
    assert (outsider.status_code, applicant.status_code) == (403, 403)


def test_conflicted_juror_sees_no_row_of_the_dossier(client):
    case = make_deliberated()
    _open(case)
    dana = case.setup.juror("Dana")
    ConflictFactory(juror=dana, application=case.application("B"))
    _login(client, dana.user)

    board = client.get(_url(case))
    what_if = client.get(_url(case), {"method": "median", "normalisation": "non", "leave_out": ""})
    decision = client.get(_url(case, "decision", reference=REFERENCES["B"]))

    assert board.status_code == 200
    assert REFERENCES["A"] in board.text
    for response in (board, what_if):
        assert REFERENCES["B"] not in response.text
        assert "Projet B" not in response.text
    # Both changes of the median (D, B) are in B's theme, veiled for Dana (awards.rules).
    assert "Aucun dossier ne changerait de niveau avec ces réglages." in what_if.text
    assert decision.status_code == 404


# ------------------------------------------------------------------------------- what-if


def test_what_if_median_shows_the_dossiers_that_change(organiser_client):
    case = make_deliberated()
    _open(case)

    response = organiser_client.get(
        _url(case), {"method": "median", "normalisation": "non", "leave_out": ""}
    )

    text = response.text
    assert "2 dossiers changeraient de niveau avec ces réglages" in text
    changes = text[
        text.index('id="changements"') : text.index("</table>", text.index('id="changements"'))
    ]
    assert REFERENCES["B"] in changes and REFERENCES["D"] in changes
    assert REFERENCES["A"] not in changes
    assert text.count('<span class="badge">change</span>') == 2


def test_what_if_without_a_juror_shows_the_change(organiser_client):
    case = make_deliberated()
    _open(case)

    response = organiser_client.get(
        _url(case),
        {"method": "mean", "normalisation": "non", "leave_out": str(case.bruno.reference)},
    )

    assert "1 dossier changerait de niveau avec ces réglages" in response.text
    assert f'<option value="{case.bruno.reference}" selected>Bruno</option>' in response.text


def test_what_if_with_the_same_settings_changes_nothing_and_bad_input_is_refused(organiser_client):
    case = make_deliberated()
    _open(case)

    same = organiser_client.get(_url(case), {"method": "mean", "normalisation": "non"})
    bad = organiser_client.get(_url(case), {"method": "mode", "normalisation": "non"})

    assert "Aucun dossier ne changerait de niveau avec ces réglages." in same.text
    assert bad.status_code == 200
    assert "Sélectionnez un choix valide." in bad.text
    assert "changerai" not in bad.text


# ----------------------------------------------------------------------------- decisions


def test_juror_changes_a_decision_with_a_reason(client):
    case = make_deliberated()
    _open(case)
    url = _url(case, "decision", reference=REFERENCES["B"])
    _login(client, case.chloe.user)

    refused = client.post(url, {"level": "or", "reason": ""})
    accepted = client.post(url, {"level": "or", "reason": "Exemplaire."})

    assert refused.status_code == 200
    assert (
        "Le niveau choisi diffère du niveau proposé (Argent) : indiquez le motif de ce changement."
        in refused.text
    )
    assert '<option value="or" selected>Or</option>' in refused.text
    assert accepted.status_code == 302
    decision = Decision.objects.get(application=case.application("B"))
    assert (decision.level, decision.reason) == (case.levels["or"], "Exemplaire.")


def test_outsider_may_not_change_a_decision(other_applicant_client):
    case = make_deliberated("A")
    _open(case)

    response = other_applicant_client.post(
        _url(case, "decision", reference=REFERENCES["A"]), {"level": "", "reason": "Non."}
    )

    assert response.status_code == 403
    assert Decision.objects.get().level == case.levels["or"]


def test_organiser_restages_and_a_juror_may_not(organiser_client, client):
    case = make_deliberated("A")
    _open(case)

    organiser = organiser_client.post(_url(case, "stage"), follow=True)
    juror = _login(client, case.alice.user).post(_url(case, "stage"))

    assert "Propositions recalculées : 0 nouvelle(s) décision(s)" in organiser.text
    assert juror.status_code == 403


# ---------------------------------------------------------------------------- validation


def test_only_the_president_validates(organiser_client, client):
    case = make_deliberated()
    deliberation = _open(case)

    organiser = organiser_client.post(_url(case, "validate"))
    other_juror = _login(client, case.bruno.user).post(_url(case, "validate"))
    deliberation.refresh_from_db()
    assert (organiser.status_code, other_juror.status_code, deliberation.state) == (
        403,
        403,
        DeliberationState.OPEN,
    )

    _login(client, case.alice.user)
    confirmation = client.get(_url(case, "validate"))
    validated = client.post(_url(case, "validate"))

    assert confirmation.status_code == 200
    assert "aucune décision ne pourra plus changer" in confirmation.text
    assert validated.status_code == 302
    deliberation.refresh_from_db()
    assert deliberation.state == DeliberationState.VALIDATED
    assert deliberation.validated_by == case.alice.user


def test_the_refusal_says_the_president_validates_even_to_a_superuser_organiser(client):
    """A technical administrator who is also an organiser is refused like any organiser, and
    told why; another refusal (a juror re-staging the proposals) does not say it."""
    case = make_deliberated()
    deliberation = _open(case)
    admin = UserFactory(is_organiser=True, is_superuser=True, is_staff=True)

    refused = _login(client, admin).post(_url(case, "validate"))
    page = client.get(_url(case, "validate"))
    deliberation.refresh_from_db()

    reason = "Seule la présidence du jury du tour délibéré valide le palmarès"
    assert (refused.status_code, page.status_code, deliberation.state) == (
        403,
        403,
        DeliberationState.OPEN,
    )
    assert reason in page.content.decode()
    juror_refused = _login(client, case.bruno.user).post(_url(case, "stage"))
    assert juror_refused.status_code == 403
    assert reason not in juror_refused.content.decode()


def test_the_board_tells_organisers_who_validates(organiser_client, client):
    case = make_deliberated()
    _open(case)
    sentence = f"La présidence du jury ({case.alice.full_name}) valide le palmarès"

    organiser_board = organiser_client.get(_url(case))
    president_board = _login(client, case.alice.user).get(_url(case))

    assert escape(sentence) in organiser_board.text
    assert "Valider le palmarès (présidence du jury)" not in organiser_board.text
    assert escape(sentence) not in president_board.text
    assert "Valider le palmarès (présidence du jury)" in president_board.text


def test_decisions_are_frozen_after_validation(client):
    case = make_deliberated()
    _open(case)
    _login(client, case.alice.user).post(_url(case, "validate"))

    response = client.post(
        _url(case, "decision", reference=REFERENCES["B"]),
        {"level": "or", "reason": "Trop tard."},
        follow=True,
    )
    board = client.get(_url(case))

    assert "ses décisions ne peuvent plus changer" in response.text
    assert Decision.objects.get(application=case.application("B")).level == case.levels["argent"]
    assert "Modifier<span" not in board.text
    assert "Empreinte du journal à la validation" in board.text


# ------------------------------------------------------------------------------- queries


@pytest.mark.parametrize("dossiers", ["A", "ABD"])
def test_board_query_count(organiser_client, django_assert_num_queries, dossiers):
    case = make_deliberated(dossiers)
    _open(case)
    url = _url(case)
    organiser_client.get(url)  # sessions and caches warmed up

    # +1: the contests the organiser is kept to (contests.rules, once a request); +1: the
    # dossiers come as plain records (awards.board_data), their themes in a query of their own;
    # +1: the decisions' distinctions (one query for all of them); +1: the jury presidents,
    # named to the organiser, who does not validate.
    with django_assert_num_queries(19):
        response = organiser_client.get(url, {"method": "median", "normalisation": "oui"})

    assert len(response.context["board"].rows) == len(dossiers)


# ------------------------------------------------------------------------------ pages


def test_board_pages_keep_ranks_and_theme_counts(organiser_client, monkeypatch):
    monkeypatch.setattr("palmares.paging.PER_PAGE", 2)
    case = make_deliberated()
    _open(case)
    whole = organiser_client.get(_url(case)).context["board"]
    expected = [(row.reference, row.rank) for row in whole.rows]
    seen = []
    for number in (1, 2):
        response = organiser_client.get(_url(case), {"page": number})
        parts = response.context["shown"].parts
        seen += [(row.reference, row.rank) for part in parts for row in part.rows]
        # Each theme's count is its whole count, on the page that continues it too.
        counts = {part.group.theme.name: part.total for part in parts}
        assert counts.items() <= {"Services": 3, "Mobilités": 1}.items()
    assert seen == expected
    assert len(expected) == 4


def test_board_filters_by_theme_and_state(organiser_client):
    case = make_deliberated()
    _open(case)
    board = organiser_client.get(_url(case)).context["board"]
    key = next(str(group.theme.pk) for group in board.groups if group.theme.name == "Mobilités")
    response = organiser_client.get(_url(case), {"theme": key})
    assert [row.reference for p in response.context["shown"].parts for row in p.rows] == [
        REFERENCES["C"]
    ]
    eliminated = organiser_client.get(_url(case), {"etat": "elimines"})
    assert [r.reference for p in eliminated.context["shown"].parts for r in p.rows] == [
        REFERENCES["C"]
    ]
    assert "1 dossier sur 4 avec ces filtres." in eliminated.text
    flagged = organiser_client.get(_url(case), {"etat": "desaccord"})
    assert [r.reference for p in flagged.context["shown"].parts for r in p.rows] == [
        REFERENCES["B"]
    ]


def test_validation_pages_hold_every_decision_once_with_the_level_counts(client, monkeypatch):
    monkeypatch.setattr("palmares.paging.PER_PAGE", 3)
    case = make_deliberated()
    _open(case)
    _login(client, case.alice.user)

    first = client.get(_url(case, "validate"))
    second = client.get(_url(case, "validate"), {"page": 2})

    seen = [d.application.reference for d in first.context["decisions"]]
    seen += [d.application.reference for d in second.context["decisions"]]
    assert sorted(seen) == sorted(REFERENCES.values())
    assert len(seen) == 4
    for page in (first, second):  # the whole list's counts, on every page
        assert "4 décisions : Or 1 · Argent 2 · Non labellisé 1" in page.text
    assert "Page 2 sur 2" in second.text
