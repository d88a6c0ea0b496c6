"""One search, for the /palmares/ page and for GET /api/v1/laureates alike."""

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import reduce

from django.core.paginator import Paginator
from django.db import models
from django.db.models import Prefetch
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from awards.models import Award, AwardOrganisation
from contests.models import Edition
from palmares import page_cache

from .analysis import QueryTerms, query_terms
from .facets import FACETS, MULTIPLE, FacetIndex, current_facet_index, set_positions

RESULTS_PER_PAGE = 20
# Awards kept in memory for result pages, per process (with their edition, level, theme and
# organisations: a few kilobytes each).
KEPT_AWARDS = 5_000

FACET_LABELS = {
    "year": _("Année"),
    "level": _("Niveau"),
    "theme": _("Thème"),
    "region": _("Région"),
    "departement": _("Département"),
    "kind": _("Type de structure"),
    "population": _("Population"),
}

# The first choice of a facet's list: no filter.
FACET_ALL_LABELS = {
    "year": _("Toutes les années"),
    "level": _("Tous les niveaux"),
    "theme": _("Tous les thèmes"),
    "region": _("Toutes les régions"),
    "departement": _("Tous les départements"),
    "kind": _("Tous les types de structure"),
    "population": _("Toutes les populations"),
}


class Order(models.TextChoices):
    RELEVANCE = "relevance", _("Pertinence")
    YEAR = "year", _("Année, la plus récente d'abord")


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    filters: Mapping[str, Sequence[str]] = field(default_factory=dict)  # facet → values (OR)
    order: str = Order.RELEVANCE
    contest: str | None = None  # a contest slug; None: every contest (the API's default)


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str | Promise
    count: int  # matching awards if this value were chosen instead of the facet's current ones
    selected: bool


@dataclass(frozen=True)
class Facet:
    name: str
    label: str | Promise
    values: list[FacetValue]
    multiple: bool

    @property
    def all_label(self) -> str | Promise:
        return FACET_ALL_LABELS[self.name]

    @property
    def selected(self) -> list[FacetValue]:
        return [value for value in self.values if value.selected]


@dataclass
class SearchResults:
    query: QueryTerms
    count: int
    order: str  # the order applied: relevance needs words to be relevant to
    facets: list[Facet]
    paginator: Paginator
    # Words of a query that found nothing, each found nowhere in the public palmarès.
    unknown_words: list[str]
    # Each contest with public awards matching the words and the other filters (slug, name).
    contests: list[FacetValue] = field(default_factory=list)

    @property
    def filtered(self) -> bool:
        return any(facet.selected for facet in self.facets)


class _Hits(Sequence):
    """The ordered results, fetched from the database a page at a time (for Paginator)."""

    def __init__(self, index: FacetIndex, tiers: list[int], count: int):
        self.index, self.tiers, self.count = index, tiers, count

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, item):
        if not isinstance(item, slice):
            return self[item : item + 1][0]
        start, stop, _step = item.indices(self.count)
        wanted = max(0, stop - start)
        positions: list[int] = []
        for tier in self.tiers:  # the tiers follow each other: skip whole ones first
            size = tier.bit_count()
            if start < size and len(positions) < wanted:
                positions += set_positions(tier, start, wanted - len(positions))
            start = max(0, start - size)
        return kept_awards_in_order(
            self.index, [self.index.award_ids[position] for position in positions]
        )


def awards_in_order(award_ids: list[int]) -> list[Award]:
    """The awards with their level, theme, edition, organisations and distinctions (three
    queries), in order."""
    if not award_ids:
        return []
    links = AwardOrganisation.objects.select_related("organisation__region").order_by(
        "position", "pk"
    )
    awards = Award.objects.select_related("edition__contest", "level", "theme").prefetch_related(
        Prefetch("award_organisations", queryset=links), "distinctions"
    )
    by_id = {award.pk: award for award in awards.filter(pk__in=award_ids)}
    return [by_id[award_id] for award_id in award_ids if award_id in by_id]


def kept_awards_in_order(index: FacetIndex, award_ids: list[int]) -> list[Award]:
    """`awards_in_order`, from this process's memory for the awards a result page showed
    before: building twenty awards with their relations costs the ORM 3 to 5 ms, a third of a
    search page.

    Kept no longer than a public page is (palmares.page_cache): dropped when the index changes
    (the kept awards belong to it), when any public model is saved or deleted (the public
    content's version), and after the public pages' lifetime (bulk updates send no signal);
    a lifetime of 0 keeps nothing. Read only: templates and the API never change them, but the
    page keeps each award's rendered HTML on it (catalogue/templatetags/search_results.py), so
    that the HTML goes when the award does.
    """
    lifetime = page_cache.lifetime()
    if lifetime <= 0:
        return awards_in_order(award_ids)
    version, now = page_cache.version(), time.monotonic()
    with index.terms_lock:
        kept = index.kept_awards
        if index.kept_stamp[0] != version or now - index.kept_stamp[1] > lifetime:
            kept.clear()
            index.kept_stamp = (version, now)
        found = {award_id: kept[award_id] for award_id in award_ids if award_id in kept}
        for award_id in found:
            kept.move_to_end(award_id)  # the least recently shown go first
    missing = [award_id for award_id in award_ids if award_id not in found]
    if missing:
        fetched = awards_in_order(missing)
        found.update((award.pk, award) for award in fetched)
        with index.terms_lock:
            if index.kept_stamp[0] == version:
                for award in fetched:
                    index.kept_awards[award.pk] = award
                while len(index.kept_awards) > KEPT_AWARDS:
                    index.kept_awards.popitem(last=False)
    return [found[award_id] for award_id in award_ids if award_id in found]


def search(
    params: SearchParams, now: datetime | None = None, index: FacetIndex | None = None
) -> SearchResults:
    """Public awards matching every word of `q` and every facet filter, with facet counts.

    Within a facet, values are alternatives (OR); facets combine (AND). A facet's counts apply
    every filter but its own, so they say what choosing another value would give. Relevance
    order puts the awards whose title holds every word first, then the others; within each
    group, and in year order, newest year first, then level (or before argent before bronze),
    then title. Four queries (index token, public editions, the page's awards and their
    organisations), plus one per word the process has not looked up since the index changed.
    """
    index = index or current_facet_index()
    by_contest = _contest_bitmaps(index, now)
    every_contest = reduce(int.__or__, (bits for _name, bits in by_contest.values()), 0)
    query = query_terms(params.q)
    matched = index.matching(query.terms) if query.terms else -1
    public = every_contest
    if params.contest is not None:
        public = by_contest.get(params.contest, ("", 0))[1]
    matching = public & matched
    filters = {
        facet: index.union(facet, values)
        for facet, values in params.filters.items()
        if facet in FACETS and values
    }
    results = reduce(int.__and__, filters.values(), matching)
    narrowed = reduce(int.__and__, filters.values(), every_contest & matched)
    contests = [
        FacetValue(slug, name, count, slug == params.contest)
        for slug, (name, bits) in by_contest.items()
        if (count := (narrowed & bits).bit_count()) or slug == params.contest
    ]
    count = results.bit_count()
    order = Order.RELEVANCE if query.terms and params.order == Order.RELEVANCE else Order.YEAR
    tiers = [results]
    if order == Order.RELEVANCE and count:
        in_title = results & index.matching(query.terms, title_only=True)
        tiers = [in_title, results & ~in_title]
    return SearchResults(
        query=query,
        count=count,
        order=order,
        facets=_facets(index, matching, filters, params.filters),
        paginator=Paginator(_Hits(index, tiers, count), RESULTS_PER_PAGE),
        unknown_words=_unknown_words(index, query, public) if query.terms and not matching else [],
        contests=contests,
    )


def _contest_bitmaps(index: FacetIndex, now: datetime | None) -> dict[str, tuple[str, int]]:
    """Per contest slug, its name and the bitmap of its public editions' awards (one query:
    the embargo rule, `Edition.objects.public`, decides which editions count)."""
    editions = (
        Edition.objects.public(now)
        .order_by("contest__name")
        .values_list("pk", "contest__slug", "contest__name")
    )
    by_contest: dict[str, tuple[str, int]] = {}
    for edition_id, slug, name in editions:
        bits = by_contest.get(slug, (name, 0))[1] | index.editions.get(edition_id, 0)
        by_contest[slug] = (name, bits)
    return by_contest


def _facets(
    index: FacetIndex,
    matching: int,
    filters: dict[str, int],
    selected: Mapping[str, Sequence[str]],
) -> list[Facet]:
    """Each facet's values present in the public matches (and any selected one), counted."""
    facets = []
    for facet in FACETS:
        others = reduce(
            int.__and__, (bits for name, bits in filters.items() if name != facet), matching
        )
        chosen = list(dict.fromkeys(selected.get(facet, ())))
        counts = index.value_counts(facet, others)
        values = [
            FacetValue(value, index.label(facet, value), counts.get(value, 0), value in chosen)
            for value in index.values[facet]
            if value in counts or value in chosen
        ]
        # A chosen value the index does not hold (a région without laureates) still shows.
        bitmaps = index.bitmaps[facet]
        values += [
            FacetValue(value, index.label(facet, value), 0, True)
            for value in chosen
            if value not in bitmaps
        ]
        facets.append(Facet(facet, FACET_LABELS[facet], values, facet in MULTIPLE))
    return facets


def _unknown_words(index: FacetIndex, query: QueryTerms, public: int) -> list[str]:
    """Which words of a query that found nothing appear in no public award at all.

    Called when the words together match no public award (filters aside): with one word, that
    word is unknown; with several, each is looked up alone (already in memory).
    """
    if len(query.terms) == 1:
        return list(query.words)
    return [
        word
        for term, word in zip(query.terms, query.words, strict=True)
        if not public & index.matching([term])
    ]
