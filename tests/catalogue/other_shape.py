"""A contest of another shape than the Label, built in the test (issue 16): five numbered levels
(`niveau-1` … `niveau-5`), no themes, awarded by another organisation."""

from dataclasses import dataclass

from awards.models import Award
from catalogue.search import index_awards
from contests.models import Contest, Edition, Level
from tests.factories import AwardFactory, AwardOrganisationFactory, EditionFactory, LevelFactory

SLUG = "label-cinq-niveaux"
NAME = "Label des Cinq Niveaux"
ORGANISATION = "Fédération des Cinq Niveaux"
YEAR = 2031


@dataclass
class OtherContest:
    contest: Contest
    edition: Edition
    levels: dict[str, Level]
    awards: list[Award]


def build_other_contest(organisation, *, per_level: int = 1, year: int = YEAR) -> OtherContest:
    """A public (historical) edition of the five-level contest, `per_level` awards per level,
    each to `organisation`; the search index refreshed."""
    contest = Contest.objects.create(name=NAME, slug=SLUG, awarder_name=ORGANISATION)
    edition = EditionFactory(contest=contest, year=year, is_historical=True)
    levels = {
        f"niveau-{rank}": LevelFactory(
            edition=edition, code=f"niveau-{rank}", name=f"Niveau {rank}", rank=rank
        )
        for rank in range(1, 6)
    }
    awards = []
    for code, level in levels.items():
        for number in range(per_level):
            award = AwardFactory(
                edition=edition, level=level, title=f"Projet {code} numéro {number}"
            )
            AwardOrganisationFactory(
                award=award, organisation=organisation, published_name=organisation.name
            )
            awards.append(award)
    index_awards()
    return OtherContest(contest, edition, levels, awards)
