"""The minutes print scores as the deliberation board shows them, and levels by their names."""

from decimal import Decimal

from awards.models import Decision
from contests.models import Level

from .documents_setup import build
from .test_documents_press_release import pdf_text

URL = "/organisation/concours/label-territoire-innovant/2028/deliberation/proces-verbal.pdf"


def test_minutes_round_scores_to_the_thousandth_the_board_shows(db, organiser_client):
    setup = build()
    Decision.objects.filter(application=setup.gold_dossier).update(
        score=Decimal("4.467"), lower=Decimal("3.999"), upper=Decimal("4.605")
    )

    text = pdf_text(organiser_client.get(URL).content)

    # Two decimals would have cut 4.467 to « 4,46 » where the board says « 4,467 ».
    assert "Note et intervalle 4,467 [3,999 ; 4,605]" in text
    assert "4,46 " not in text


def test_minutes_name_levels_as_the_contest_does(db, organiser_client):
    build()
    Level.objects.filter(code="or").update(name="Grand prix")

    text = pdf_text(organiser_client.get(URL).content)

    assert "Niveau proposé Grand prix Niveau décidé Grand prix" in text
    assert "Niveau proposé or" not in text
