"""A round's pages for an organiser who is also a juror in conflict with one of its dossiers:
the dossier's score is masked, and neither the counts nor its place in the ranking tell it."""

import pytest
from django.urls import reverse

from jury.enums import PromotionRule

from .factories import ConflictFactory, JurorFactory
from .test_rounds_views import ROUND, bretagne, edition, entry, national

pytestmark = pytest.mark.django_db
bretagne, edition, national = bretagne, edition, national  # fixtures of the round pages' tests


def _in_conflict(organiser, round_, conflicted) -> None:
    ConflictFactory(juror=JurorFactory(round=round_, user=organiser), application=conflicted)


def test_counts_are_over_what_the_conflicted_organiser_may_see(
    organiser_client, organiser, bretagne
):
    entry(bretagne, "LTI-2026-0001", "4.25")
    hidden = entry(bretagne, "LTI-2026-0002", "1.5", eliminated=True)
    entry(bretagne, "LTI-2026-0003")

    before = organiser_client.get(reverse("jury:round_detail", kwargs=ROUND))
    _in_conflict(organiser, bretagne, hidden.application)
    after = organiser_client.get(reverse("jury:round_detail", kwargs=ROUND))

    assert before.context["counts"] == {"total": 3, "scored": 2, "eliminated": 1}
    assert after.context["counts"] == {"total": 3, "scored": 1, "eliminated": 0}
    assert "3 dont 1 notés et 0 éliminés" in after.text


def test_promotions_keep_the_dossier_in_conflict_out_of_the_ranking(
    organiser_client, organiser, bretagne
):
    """Top 1 per theme: the hidden dossier, best scored and tied with nobody, would show its
    score by its place (first) and by the badge of the one it ties with."""
    bretagne.promotion_rule = PromotionRule.TOP_N
    bretagne.promotion_count = 1
    bretagne.save()
    entry(bretagne, "LTI-2026-0001", "3.0")
    hidden = entry(bretagne, "LTI-2026-0002", "4.0")
    entry(bretagne, "LTI-2026-0003", "4.0")
    entry(bretagne, "LTI-2026-0004", "2.0", eliminated=True)
    url = reverse("jury:promotions", kwargs=ROUND)

    before = organiser_client.get(url)
    _in_conflict(organiser, bretagne, hidden.application)
    after = organiser_client.get(url)

    def order(response):
        return [(e.application.reference, tied) for e, _state, tied in response.context["rows"]]

    assert order(before) == [
        ("LTI-2026-0002", True),
        ("LTI-2026-0003", True),
        ("LTI-2026-0001", False),
        ("LTI-2026-0004", False),
    ]
    assert order(after) == [
        ("LTI-2026-0003", False),
        ("LTI-2026-0001", False),
        ("LTI-2026-0004", False),
        ("LTI-2026-0002", False),
    ]
    assert "ex aequo au dernier rang" not in after.text
    assert after.text.count("masquée (conflit d'intérêts)") == 1
