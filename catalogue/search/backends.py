"""The only database-specific part of the search: which awards contain every query term.

SQLite answers from the FTS5 table `catalogue_search_fts` (external content: the documents'
title_terms and body_terms, kept in step by triggers); PostgreSQL from the GIN-indexed columns
`search_vector` (title and body) and `title_vector`, generated from the same columns with the
'simple' configuration. Both receive the stems analysis.py made, so both return the same set of
awards. Terms are [a-z0-9]+ by construction (territories.text.fold), so they are safe inside
FTS5 and tsquery syntax; each is quoted all the same.
"""

from collections.abc import Sequence

import numpy as np
from django.db import connection

FTS_TABLE = "catalogue_search_fts"


def matching_award_ids(terms: Sequence[str], *, title_only: bool = False) -> np.ndarray:
    """Ids of the indexed awards whose text (or title alone) contains every term.

    The ids come back as one aggregated value: a frequent word may match most documents, and
    one string crosses to Python faster than tens of thousands of rows; numpy reads it in C
    (int() on each of 80,000 ids took twice as long as the full-text query itself).
    """
    if not terms:
        raise ValueError("a full-text query needs at least one term")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            column = "title_vector" if title_only else "search_vector"
            # The planner prices a tsvector match like any operator, so for a word in a good
            # share of the documents it reads the whole table and matches every row: 2 to 3
            # times slower than the GIN index (measured: 54 ms against 25 ms on 100,000 awards).
            # The three statements in one round trip (Django binds parameters on the client,
            # so psycopg sends them as one simple query); the second one's row is the answer.
            # A rare word's page makes two lookups: four round trips fewer.
            # `column` is one of two names written here; the terms are a bound parameter.
            statements = (
                "SET enable_seqscan = off; "  # noqa: S608
                "SELECT string_agg(award_id::text, ',') FROM catalogue_searchdocument "
                f"WHERE {column} @@ to_tsquery('simple', %s); "
                "RESET enable_seqscan"
            )
            cursor.execute(statements, [postgresql_query(terms)])
            cursor.nextset()
            ids = cursor.fetchone()[0]
            cursor.nextset()
        else:
            cursor.execute(
                f"SELECT group_concat(rowid) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",  # noqa: S608
                [sqlite_query(terms, title_only=title_only)],
            )
            ids = cursor.fetchone()[0]
    return np.fromstring(ids, dtype=np.int64, sep=",") if ids else np.empty(0, dtype=np.int64)


def sqlite_query(terms: Sequence[str], *, title_only: bool = False) -> str:
    """The FTS5 query '"donne" AND "ambassadeur"', or restricted to the title column."""
    query = " AND ".join(f'"{term}"' for term in terms)
    return f"title_terms : ({query})" if title_only else query


def postgresql_query(terms: Sequence[str]) -> str:
    """The tsquery text "'donne' & 'ambassadeur'"."""
    return " & ".join(f"'{term}'" for term in terms)
