"""The facets in memory: one bitmap per facet value, reloaded when the index changes.

Counting, for every value of seven facets, the awards that match a query and the other filters
is what makes faceted search slow in SQL (one GROUP BY per facet over every matching row, with
a join for multi-valued facets). Here each document has a position, in the palmarès' year order
(newest year first, then level rank, then folded title), and each facet value a Python integer
whose bit n says whether the document at position n has it. Filters are ANDs and ORs of such
integers; a count is `bitmap.bit_count()`; a page in year order is a run of set bits. For
100,000 documents a bitmap is 12.5 KB and one AND with its count takes a few microseconds.

The bitmaps are built once per process from the documents table (about a second for 100,000
documents) and rebuilt when SearchIndexState's token changes; every request reads that token.
A query word's documents are fetched from the full-text index the first time the process meets
the word, then kept (bounded, least recently used first out) until the index changes: a common
word can match most documents, and fetching tens of thousands of ids costs tens of milliseconds.
A facet's counts over a set of documents are kept the same way (`FacetIndex.value_counts`).
"""

import threading
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from django.db import connection
from django.utils.functional import Promise
from django.utils.text import capfirst

from contests.enums import STANDARD_LEVEL_LABELS
from territories.enums import OrganisationKind, PopulationBand
from territories.models import Organisation
from territories.text import fold

from .backends import matching_award_ids
from .models import SearchDocument, SearchIndexState

# Facets in the order pages show them; "multiple" ones are often combined (check boxes).
FACETS = ("year", "level", "theme", "region", "departement", "kind", "population")
MULTIPLE = frozenset({"kind", "population"})
_NO_RANK = 1 << 15  # awards without a published level come after the ranked ones
# Bitmaps of query terms kept per process (a common word's costs most to fetch): about 32 MB.
TERM_CACHE_BYTES = 32 * 1024 * 1024
# Facet counts kept per process, each with the bitmap it counts (12.5 KB for 100,000 awards,
# often shared by the seven facets of a page): a few megabytes.
KEPT_COUNTS = 256
_WINDOW_BITS = 4096  # bits examined at once when reading positions from a bitmap
_WINDOW_MASK = (1 << _WINDOW_BITS) - 1


@dataclass
class FacetIndex:
    token: str
    award_ids: list[int]  # award id at each position
    positions: list[int]  # position of each award id (-1: not indexed), by award id
    editions: dict[int, int]  # bitmap of each edition's documents
    bitmaps: dict[str, dict[str, int]]  # facet → value → bitmap
    labels: dict[str, dict[str, str | Promise]]  # facet → value → label (lazy: request language)
    values: dict[str, list[str]]  # facet → values present in the index, in display order
    # (term, title only) → bitmap of the documents holding it, most recently used last.
    terms: OrderedDict[tuple[str, bool], int] = field(default_factory=OrderedDict)
    terms_lock: threading.Lock = field(default_factory=threading.Lock)
    # Awards of result pages kept between requests (engine.kept_awards_in_order): id → award.
    kept_awards: OrderedDict[int, object] = field(default_factory=OrderedDict)
    kept_stamp: tuple[str, float] = ("", 0.0)  # (public content version, monotonic time)
    # (facet, documents) → count of each value with documents among them (`value_counts`).
    counts: OrderedDict[tuple[str, int], dict[str, int]] = field(default_factory=OrderedDict)

    @property
    def size(self) -> int:
        return len(self.award_ids)

    @cached_property
    def position_array(self) -> np.ndarray:
        """`positions` as a numpy array, to look many ids up at once."""
        return np.array(self.positions, dtype=np.int64)

    def matching(self, terms: Sequence[str], *, title_only: bool = False) -> int:
        """Documents holding every term (in their title only, if asked).

        Each term's documents come from the database's full-text index once, then from this
        process's memory until the index changes: the AND of the terms' bitmaps is exactly what
        the full-text query "every term" returns.
        """
        result = -1  # all bits set: the identity of AND
        for term in terms:
            result &= self._term_bitmap(term, title_only)
        return max(result, 0)

    def _term_bitmap(self, term: str, title_only: bool) -> int:
        return self._kept(
            self.terms,
            (term, title_only),
            max(64, TERM_CACHE_BYTES // max(1, self.size // 8)),
            lambda: self.bitmap(matching_award_ids([term], title_only=title_only)),
        )

    def _kept(self, store: OrderedDict, key: object, capacity: int, compute: Callable):
        """`compute()`, kept in `store` under `key` until the index changes; past `capacity`
        entries, the least recently used goes first. Computed outside the lock: two requests
        may compute the same value at once, and keep the same answer."""
        with self.terms_lock:
            value = store.get(key)
            if value is not None:
                store.move_to_end(key)
                return value
        value = compute()
        with self.terms_lock:
            store[key] = value
            while len(store) > capacity:
                store.popitem(last=False)
        return value

    def bitmap(self, award_ids: Iterable[int]) -> int:
        """The bitmap of some awards; ids the index does not hold (deleted since) are skipped."""
        ids = np.asarray(award_ids if isinstance(award_ids, np.ndarray) else list(award_ids))
        # In numpy: a frequent word's 80,000 ids, one by one in Python, cost 5 ms.
        ids = ids[ids < len(self.positions)].astype(np.int64, copy=False)
        positions = self.position_array[ids]
        bits = np.zeros(self.size, dtype=np.uint8)
        bits[positions[positions >= 0]] = 1
        return int.from_bytes(np.packbits(bits, bitorder="little").tobytes(), "little")

    def value_counts(self, facet: str, documents: int) -> dict[str, int]:
        """How many of `documents` (a bitmap) each value of `facet` holds, for the values that
        hold any.

        An AND and a count per value, ~170 values: 1.5 ms of a page. The answer depends on
        nothing but this index and `documents`, the key it is kept under (the bitmap itself,
        so that a change of the public editions or of the filters is a new key): pages asked
        again count nothing, until the index changes (bounded, least recently used first out).
        """
        bitmaps = self.bitmaps[facet]
        return self._kept(
            self.counts,
            (facet, documents),
            KEPT_COUNTS,
            lambda: {
                value: count
                for value in self.values[facet]
                if (count := (documents & bitmaps[value]).bit_count())
            },
        )

    def union(self, facet: str, values: Iterable[str]) -> int:
        """Documents having any of the values (an unknown value has no document)."""
        bitmaps = self.bitmaps[facet]
        result = 0
        for value in values:
            result |= bitmaps.get(value, 0)
        return result

    def editions_bitmap(self, edition_ids: Iterable[int]) -> int:
        result = 0
        for edition_id in edition_ids:
            result |= self.editions.get(edition_id, 0)
        return result

    def label(self, facet: str, value: str) -> str | Promise:
        return self.labels[facet].get(value, value)


def bitmap_from_positions(positions: Iterable[int]) -> int:
    """An integer with the given bits set."""
    positions = list(positions)
    digits = bytearray(b"0") * (max(positions) + 1 if positions else 0)
    for position in positions:
        digits[position] = 49  # "1"
    return _from_digits(digits)


def _from_digits(digits: bytearray) -> int:
    """The integer whose bit n is digits[n] ("0" or "1").

    Writing one byte per document then letting int() parse the string is about six times
    faster than setting bits one by one: int() converts binary strings in linear time, in C.
    """
    if not digits:
        return 0
    digits.reverse()  # int() reads the most significant digit first
    return int(digits, 2)


def set_positions(bitmap: int, skip: int, count: int) -> list[int]:
    """Positions of the set bits number skip … skip + count - 1, lowest first."""
    if skip:
        # Binary search for the lowest position with `skip` set bits below it.
        low, high = 0, bitmap.bit_length()
        while low < high:
            middle = (low + high) // 2
            if (bitmap & ((1 << middle) - 1)).bit_count() >= skip:
                high = middle
            else:
                low = middle + 1
        bitmap >>= low
        offset = low
    else:
        offset = 0
    found: list[int] = []
    # Small windows: each operation on a 12 KB integer costs far more than on a 512-byte one.
    while bitmap and len(found) < count:
        window = bitmap & _WINDOW_MASK
        while window and len(found) < count:
            lowest = window & -window
            found.append(offset + lowest.bit_length() - 1)
            window ^= lowest
        bitmap >>= _WINDOW_BITS
        offset += _WINDOW_BITS
    return found


_lock = threading.Lock()
_loaded: FacetIndex | None = None


def current_facet_index() -> FacetIndex:
    """The facets of the index as it is now in the database (one query when unchanged)."""
    global _loaded
    token = _current_token()
    index = _loaded
    if index is None or index.token != token:
        with _lock:
            index = _loaded
            if index is None or index.token != token:
                index = _loaded = load_facet_index(token)
    return index


def _current_token() -> str:
    """SearchIndexState's token, by a plain statement: the ORM spent 0.3 ms building this
    one-row read on every search, more than the database spends answering it."""
    meta = SearchIndexState._meta
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote(meta.get_field('token').column)} FROM {quote(meta.db_table)}"  # noqa: S608 - names from the model
            f" WHERE {quote(meta.pk.column)} = %s",
            [1],
        )
        row = cursor.fetchone()
    return (row[0] if row else "") or ""


def load_facet_index(token: str) -> FacetIndex:
    """Read every document (two queries) and build the positions, bitmaps and labels."""
    rows = list(
        SearchDocument.objects.values_list(
            "award_id",
            "edition_id",
            "year",
            "level_code",
            "level_rank",
            "level_name",
            "theme_slug",
            "theme_name",
            "regions",
            "departements",
            "kinds",
            "populations",
            "sort_title",
        )
    )
    rows.sort(key=lambda row: (-row[2], _NO_RANK if row[4] is None else row[4], row[12], row[0]))
    editions: dict[int, list[int]] = defaultdict(list)
    members: dict[str, dict[str, list[int]]] = {facet: defaultdict(list) for facet in FACETS}
    level_labels: dict[str, str | Promise] = {}
    level_ranks: dict[str, int] = {}
    theme_labels: dict[str, str] = {}
    for position, row in enumerate(rows):
        (_, edition_id, year, level_code, level_rank, level_name, theme_slug, theme_name) = row[:8]
        editions[edition_id].append(position)
        members["year"][str(year)].append(position)
        if level_code:
            members["level"][level_code].append(position)
            level_labels.setdefault(level_code, _level_label(level_code, level_name))
            level_ranks[level_code] = min(
                level_rank or _NO_RANK, level_ranks.get(level_code, _NO_RANK)
            )
        if theme_slug:
            members["theme"][theme_slug].append(position)
            theme_labels.setdefault(theme_slug, theme_name)  # rows come newest year first
        for facet, codes in zip(FACETS[3:], row[8:12], strict=True):
            for code in codes.split():
                members[facet][code].append(position)
    territory_labels = _territory_labels()
    labels: dict[str, dict[str, str | Promise]] = {
        "year": {year: year for year in members["year"]},
        "level": level_labels,
        "theme": dict(theme_labels),
        "region": territory_labels[OrganisationKind.REGION],
        "departement": territory_labels[OrganisationKind.DEPARTEMENT],
        "kind": {kind.value: kind.label for kind in OrganisationKind},
        "population": {band.value: band.label for band in PopulationBand},
    }
    kind_order = [kind.value for kind in OrganisationKind]
    band_order = [band.value for band in PopulationBand]
    order_keys = {
        "year": lambda value: -int(value),
        "level": lambda value: (level_ranks[value], value),
        "theme": lambda value: fold(theme_labels[value]),
        "region": lambda value: fold(str(labels["region"].get(value, value))),
        "departement": lambda value: value,
        "kind": lambda value: kind_order.index(value) if value in kind_order else len(kind_order),
        "population": lambda value: band_order.index(value) if value in band_order else 0,
    }
    return FacetIndex(
        token=token,
        award_ids=[row[0] for row in rows],
        positions=_positions_by_id([row[0] for row in rows]),
        editions={pk: bitmap_from_positions(found) for pk, found in editions.items()},
        bitmaps={
            facet: {value: bitmap_from_positions(found) for value, found in members[facet].items()}
            for facet in FACETS
        },
        labels=labels,
        values={facet: sorted(members[facet], key=order_keys[facet]) for facet in FACETS},
    )


def _positions_by_id(award_ids: list[int]) -> list[int]:
    positions = [-1] * (max(award_ids, default=-1) + 1)
    for position, award_id in enumerate(award_ids):
        positions[award_id] = position
    return positions


def _level_label(code: str, name: str) -> str | Promise:
    """« Or », « Argent », « Bronze » in the reader's language; other levels by their name."""
    standard = STANDARD_LEVEL_LABELS.get(code)
    if standard is not None and name.lower() == code:
        return capfirst(standard)
    return name


def _territory_labels() -> dict[str, dict[str, str]]:
    """Names of every région and département of the referential, by code."""
    labels: dict[str, dict[str, str]] = {
        OrganisationKind.REGION: {},
        OrganisationKind.DEPARTEMENT: {},
    }
    territories = Organisation.objects.from_referential().filter(
        kind__in=list(labels), insee_code__isnull=False
    )
    for kind, code, name in territories.values_list("kind", "insee_code", "name"):
        labels[kind][code] = name if kind == OrganisationKind.REGION else f"{code} – {name}"
    return labels
