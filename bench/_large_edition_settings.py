"""The production settings for bench/large_edition.py, plus, when copying the built SQLite
database into PostgreSQL, that database as a second connection ("source")."""

import os

from palmares.settings import *  # noqa: F403
from palmares.settings import DATABASES

if os.environ.get("LARGE_EDITION_SOURCE"):
    DATABASES["source"] = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ["LARGE_EDITION_SOURCE"],
    }
