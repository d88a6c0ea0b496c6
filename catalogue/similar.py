"""« Qui l'a déjà fait ? »: laureate projects close to a need, for a given organisation.

Projects are ranked by closeness of topic first, then of kind of organisation, then of
population. Topic closeness is the share of the need's words (analysed as the palmarès search
does: accents folded, stemmed) found in the project's title, summary, theme and « retour
d'expérience », each word weighted by how rare it is among laureate projects (IDF): "données"
counts more than "numérique", which half the palmarès mentions. The full-text search would not
do here (catalogue.search): it asks for every word of the query, whereas a need written as a
sentence shares only some of its words with the right projects.

The palmarès holds a few hundred projects at most, so they are scored in Python after two
queries; a judged set of needs in tests/catalogue/test_similar.py keeps the ranking honest.
"""

import math
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch
from django.utils.formats import number_format
from django.utils.translation import gettext

from awards.models import Award, AwardOrganisation
from territories.enums import OrganisationKind
from territories.models import Organisation
from territories.text import fold

from .search.analysis import STOP_WORDS, stem

# Beyond French function words (the search's list), words people use to phrase a need ("nous
# voulons mettre en place un projet…") say nothing about its topic.
_NEED_WORDS = """
    faire fait mettre mise place veux voulons voudrais voudrions souhaite souhaitons cherche
    cherchons comment besoin projet projets tout tous toute toutes tres bien aussi afin entre
    chez vers autre autres notamment ainsi dont alors donc
"""
IGNORED_WORDS = STOP_WORDS | frozenset(_NEED_WORDS.split())
# Kinds that are close without being the same: an EPCI is closer to another EPCI (or a
# syndicat) than to a commune.
KIND_FAMILIES = {
    OrganisationKind.COMMUNE: "commune",
    OrganisationKind.METROPOLE: "intercommunal",
    OrganisationKind.COMMUNAUTE_URBAINE: "intercommunal",
    OrganisationKind.COMMUNAUTE_AGGLOMERATION: "intercommunal",
    OrganisationKind.COMMUNAUTE_COMMUNES: "intercommunal",
    OrganisationKind.SYNDICAT: "intercommunal",
    OrganisationKind.DEPARTEMENT: "supra",
    OrganisationKind.REGION: "supra",
}
# Topic closeness is compared in steps of a tenth: projects within the same step are "as close"
# and the kind and population decide.
TOPIC_STEP = 10
UNKNOWN_POPULATION_DISTANCE = 9.0
# Runs of letters or digits, accented ones included ("d'accès" is "d" and "accès").
_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[tuple[str, str]]:
    """(stem, word as written, lower-case) of each meaningful word, analysed as the palmarès
    search does (catalogue.search.analysis): "Données", "donnees" and "donnée" meet."""
    found = []
    for written in _WORD.findall(text):
        for word in fold(written).split():
            if len(word) > 1 and word not in IGNORED_WORDS:
                found.append((stem(word), written.lower()))
    return found


@dataclass(frozen=True)
class Suggestion:
    award: Award
    topic: float  # share of the need's weight found in the project, 0 to 1
    shared_words: tuple[str, ...]  # the need's words found in the project, as typed
    closest: Organisation | None  # the laureate organisation closest to the one asking
    kind_distance: int
    population_distance: float

    def reason(self, organisation: Organisation) -> str:
        """Why this project is proposed, e.g. « même type : communauté d'agglomération ;
        60 000 hab. contre 74 000 ; thème Gestion des données » (the laureate's population
        first, then the asking organisation's)."""
        parts = []
        if self.closest is not None:
            kind = self.closest.get_kind_display().lower()
            if self.kind_distance == 0:
                parts.append(gettext("même type : %(kind)s") % {"kind": kind})
            else:
                parts.append(gettext("type : %(kind)s") % {"kind": kind})
            if self.closest.population is not None and organisation.population is not None:
                parts.append(
                    gettext("%(theirs)s hab. contre %(ours)s")
                    % {
                        "theirs": _rounded(self.closest.population),
                        "ours": _rounded(organisation.population),
                    }
                )
        if self.award.theme is not None:
            parts.append(gettext("thème %(theme)s") % {"theme": self.award.theme.name})
        if self.shared_words:
            parts.append(
                gettext("en commun : %(words)s")
                % {"words": ", ".join(f"« {word} »" for word in self.shared_words)}
            )
        return " ; ".join(parts)


def _rounded(population: int) -> str:
    """A population as people say it: to the thousand from 10,000, to the hundred from 1,000."""
    step = 1000 if population >= 10_000 else 100 if population >= 1000 else 1
    return number_format(round(population / step) * step, force_grouping=True)


def kind_distance(a: Organisation, b: Organisation) -> int:
    """0 for the same kind, 1 for the same family (two EPCI), 2 otherwise."""
    if a.kind == b.kind:
        return 0
    family = KIND_FAMILIES.get(a.kind)
    return 1 if family is not None and family == KIND_FAMILIES.get(b.kind) else 2


def population_distance(a: Organisation, b: Organisation) -> float:
    """How many times larger one is than the other, in orders of magnitude (0 = same size)."""
    if not a.population or not b.population:
        return UNKNOWN_POPULATION_DISTANCE
    return abs(math.log10(a.population / b.population))


def _document(award: Award) -> str:
    parts = [award.title, award.summary, award.theme.name if award.theme else ""]
    # A missing reverse one-to-one raises an AttributeError subclass: getattr's default applies.
    share = getattr(award, "experience", None)
    if share is not None:
        parts += [share.outcomes, share.lessons, share.reused_by]
    return " ".join(parts)


def _laureates(now: datetime | None) -> list[Award]:
    links = AwardOrganisation.objects.select_related("organisation").order_by("position", "pk")
    return list(
        Award.objects.public(now)
        .select_related("edition", "level", "theme", "experience")
        .prefetch_related(Prefetch("award_organisations", queryset=links))
    )


def who_did_it(
    organisation: Organisation, need: str, *, limit: int = 10, now: datetime | None = None
) -> list[Suggestion]:
    """Public laureate projects that share words with `need`, closest first (see module doc)."""
    need_words = words(need)
    typed = {}
    for term, word in need_words:
        typed.setdefault(term, word)
    if not typed:
        return []
    awards = _laureates(now)
    terms_of = {award.pk: {term for term, _word in words(_document(award))} for award in awards}
    frequency = Counter(term for terms in terms_of.values() for term in terms)
    # Words no project uses cannot tell projects apart: they are left out of the weights.
    weight = {
        term: math.log(1 + len(awards) / frequency[term]) for term in typed if frequency[term]
    }
    total = sum(weight.values())
    suggestions = []
    for award in awards:
        shared = [term for term in weight if term in terms_of[award.pk]]
        if not shared:
            continue
        laureates = [link.organisation for link in award.award_organisations.all()]
        closest = min(
            laureates,
            key=lambda o: (kind_distance(organisation, o), population_distance(organisation, o)),
            default=None,
        )
        suggestions.append(
            Suggestion(
                award=award,
                topic=sum(weight[term] for term in shared) / total,
                shared_words=tuple(typed[term] for term in shared),
                closest=closest,
                kind_distance=kind_distance(organisation, closest) if closest else 2,
                population_distance=(
                    population_distance(organisation, closest)
                    if closest
                    else UNKNOWN_POPULATION_DISTANCE
                ),
            )
        )
    suggestions.sort(
        key=lambda s: (
            -round(s.topic * TOPIC_STEP),
            s.kind_distance,
            s.population_distance,
            -s.award.edition.year,
            s.award.title,
        )
    )
    return suggestions[:limit]
