"""The search index: one denormalised document per award, and the index's version token.

The full-text part lives beside the table, created by migration 0002 for each database: an FTS5
table kept in step by triggers on SQLite, generated, GIN-indexed tsvector columns (whole text,
title) on PostgreSQL.
Multi-valued facets (an award may have several organisations) are space-separated codes; the
facet filters and counts are computed in memory from them (facets.py), never with LIKE.
"""

from django.db import models


class SearchDocument(models.Model):
    award = models.OneToOneField(
        "awards.Award", models.CASCADE, primary_key=True, related_name="search_document"
    )
    edition = models.ForeignKey("contests.Edition", models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    contest_slug = models.SlugField(max_length=80)
    level_code = models.CharField(max_length=32, blank=True)
    level_rank = models.PositiveSmallIntegerField(null=True)
    level_name = models.CharField(max_length=100, blank=True)
    theme_slug = models.CharField(max_length=120, blank=True)
    theme_name = models.CharField(max_length=200, blank=True)
    # Space-separated codes, one per distinct value among the award's organisations.
    regions = models.CharField(max_length=200, blank=True)
    departements = models.CharField(max_length=400, blank=True)
    kinds = models.CharField(max_length=400, blank=True)
    populations = models.CharField(max_length=100, blank=True)
    # Folded title: ordering by title must not depend on the database's collation.
    sort_title = models.CharField(max_length=300)
    # Analysed text (analysis.index_terms): the title apart, so that it can rank first.
    title_terms = models.TextField()
    body_terms = models.TextField()
    indexed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.sort_title


class SearchIndexState(models.Model):
    """One row whose token changes with every write to the index.

    Web processes keep the facets in memory and reload them when the token changes. A random
    token rather than a counter: a rolled-back write must not let a later one reuse its value.
    """

    token = models.CharField(max_length=32)

    def __str__(self) -> str:
        return self.token
