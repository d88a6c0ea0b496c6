"""French full-text search of the palmarès, with facets, for /palmares/ and /api/v1/laureates.

How it works (one module per step):
- analysis.py: text → terms, in Python on both sides (documents and queries): fold accents and
  case (territories.text.fold), drop French function words, French Snowball stem
  (snowballstemmer). "donnees" finds « Données », "ambassadeur" « ambassadeurs », and every
  query word must be found, in any order ("numerique responsable" finds « numérique plus
  responsable »).
- indexing.py: `index_awards(award_ids=None)` writes one SearchDocument per award (denormalised
  facets and the analysed text), when awards announce an import or a publication
  (awards.signals.palmares_changed) or with the command `rebuild_search_index`.
- backends.py: the full-text match, the only database-specific code. SQLite: an FTS5 table
  queried with MATCH. PostgreSQL: generated tsvector columns with GIN indexes, queried with
  to_tsquery.
- facets.py: facet filters, counts and pages in memory, as bitmaps (see there why), with each
  query word's documents kept once fetched, until the index changes.
- engine.py: `search(params)`: match, public editions only (`Edition.objects.public`: an
  embargoed edition's awards never show), filters, counts, order, pages.
- forms.py: the parameters, checked the same way for the page and the API.

Same results on SQLite and PostgreSQL, by construction. The issue suggested PostgreSQL's French
configuration with unaccent; we checked it against the Python analysis on every title and name
of data/palmares.csv: the stems agree word for word (both are Snowball), but the parsers do not.
PostgreSQL keeps hyphenated compounds and host names as extra or single lexemes
("mon-compte.bzh" is one token, so "bzh" would find it on SQLite only; "L.I.V.E." likewise),
and its stop-word list differs ("dans", "ma"). So PostgreSQL is fed the Python terms with the
'simple' configuration (no stemming, no stop words, no accents to remove: unaccent would be a
no-op), and both databases see exactly the same terms; tests run on both compare the results.

Relevance is the same on both too: bm25 (FTS5) and ts_rank (PostgreSQL) score differently, so
neither is used. Awards whose title holds every word come first, then the others; each group in
the palmarès' order (newest year, then or, argent, bronze, then title).
"""

from .analysis import QueryTerms, query_terms
from .engine import (
    RESULTS_PER_PAGE,
    Facet,
    FacetValue,
    Order,
    SearchParams,
    SearchResults,
    awards_in_order,
    search,
)
from .facets import FACETS, current_facet_index
from .forms import SearchForm
from .indexing import index_awards

__all__ = [
    "FACETS",
    "RESULTS_PER_PAGE",
    "Facet",
    "FacetValue",
    "Order",
    "QueryTerms",
    "SearchForm",
    "SearchParams",
    "SearchResults",
    "awards_in_order",
    "current_facet_index",
    "index_awards",
    "query_terms",
    "search",
]
