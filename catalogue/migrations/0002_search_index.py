"""The palmarès search index: documents, and each database's full-text structure.

SQLite: an FTS5 table over the documents' analysed text (external content), kept in step by
triggers, so that deleting an award (cascading to its document) also leaves the FTS index.
PostgreSQL: generated tsvector columns, for the whole text and for the title alone ('simple'
configuration: the text is already folded and stemmed in Python, see catalogue/search/__init__.py),
each with a GIN index.
"""

import django.db.models.deletion
from django.db import migrations, models


class VendorSQL(migrations.RunSQL):
    """RunSQL that runs only on one database vendor (the other one gets nothing)."""

    def __init__(self, vendor, sql, reverse_sql):
        super().__init__(sql, reverse_sql)
        self.vendor = vendor

    def deconstruct(self):
        return (
            self.__class__.__name__,
            [],
            {"vendor": self.vendor, "sql": self.sql, "reverse_sql": self.reverse_sql},
        )

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)


SQLITE_FTS = [
    "CREATE VIRTUAL TABLE catalogue_search_fts USING fts5("
    " title_terms, body_terms,"
    " content='catalogue_searchdocument', content_rowid='award_id',"
    " tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER catalogue_search_fts_insert AFTER INSERT ON catalogue_searchdocument BEGIN"
    " INSERT INTO catalogue_search_fts(rowid, title_terms, body_terms)"
    " VALUES (new.award_id, new.title_terms, new.body_terms); END",
    "CREATE TRIGGER catalogue_search_fts_delete AFTER DELETE ON catalogue_searchdocument BEGIN"
    " INSERT INTO catalogue_search_fts(catalogue_search_fts, rowid, title_terms, body_terms)"
    " VALUES ('delete', old.award_id, old.title_terms, old.body_terms); END",
    "CREATE TRIGGER catalogue_search_fts_update AFTER UPDATE ON catalogue_searchdocument BEGIN"
    " INSERT INTO catalogue_search_fts(catalogue_search_fts, rowid, title_terms, body_terms)"
    " VALUES ('delete', old.award_id, old.title_terms, old.body_terms);"
    " INSERT INTO catalogue_search_fts(rowid, title_terms, body_terms)"
    " VALUES (new.award_id, new.title_terms, new.body_terms); END",
]
SQLITE_FTS_REVERSE = [
    "DROP TRIGGER IF EXISTS catalogue_search_fts_update",
    "DROP TRIGGER IF EXISTS catalogue_search_fts_delete",
    "DROP TRIGGER IF EXISTS catalogue_search_fts_insert",
    "DROP TABLE IF EXISTS catalogue_search_fts",
]

POSTGRESQL_VECTOR = [
    "ALTER TABLE catalogue_searchdocument ADD COLUMN search_vector tsvector"
    " GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, title_terms || ' ' || body_terms))"
    " STORED",
    "ALTER TABLE catalogue_searchdocument ADD COLUMN title_vector tsvector"
    " GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, title_terms)) STORED",
    "CREATE INDEX catalogue_searchdocument_vector ON catalogue_searchdocument"
    " USING gin (search_vector)",
    "CREATE INDEX catalogue_searchdocument_title_vector ON catalogue_searchdocument"
    " USING gin (title_vector)",
]
POSTGRESQL_VECTOR_REVERSE = [
    "DROP INDEX IF EXISTS catalogue_searchdocument_title_vector",
    "DROP INDEX IF EXISTS catalogue_searchdocument_vector",
    "ALTER TABLE catalogue_searchdocument DROP COLUMN IF EXISTS title_vector",
    "ALTER TABLE catalogue_searchdocument DROP COLUMN IF EXISTS search_vector",
]


class Migration(migrations.Migration):

    dependencies = [
        ("awards", "0002_awardorganisation_match"),
        ("catalogue", "0001_initial"),
        ("contests", "0003_edition_max_dossier_megabytes_and_more"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchIndexState",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("token", models.CharField(max_length=32)),
            ],
        ),
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                ("award", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name="search_document", serialize=False, to="awards.award")),
                ("year", models.PositiveSmallIntegerField()),
                ("contest_slug", models.SlugField(max_length=80)),
                ("level_code", models.CharField(blank=True, max_length=32)),
                ("level_rank", models.PositiveSmallIntegerField(null=True)),
                ("level_name", models.CharField(blank=True, max_length=100)),
                ("theme_slug", models.CharField(blank=True, max_length=120)),
                ("theme_name", models.CharField(blank=True, max_length=200)),
                ("regions", models.CharField(blank=True, max_length=200)),
                ("departements", models.CharField(blank=True, max_length=400)),
                ("kinds", models.CharField(blank=True, max_length=400)),
                ("populations", models.CharField(blank=True, max_length=100)),
                ("sort_title", models.CharField(max_length=300)),
                ("title_terms", models.TextField()),
                ("body_terms", models.TextField()),
                ("indexed_at", models.DateTimeField(auto_now=True)),
                ("edition", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="contests.edition")),
            ],
        ),
        VendorSQL("sqlite", SQLITE_FTS, SQLITE_FTS_REVERSE),
        VendorSQL("postgresql", POSTGRESQL_VECTOR, POSTGRESQL_VECTOR_REVERSE),
    ]
