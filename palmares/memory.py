"""The garbage collector of a long-running worker (gunicorn's `post_worker_init` hook).

A worker holds some 200,000 objects once Django, the apps and their views are loaded. CPython's
full collections walk all of them, and a page that builds many objects (a deliberation board of
2,000 dossiers, an export) triggers several: measured on the large edition's board
(bench/large_edition.py), about a third of its time went to collecting, in random spikes that
made its p95 twice its median. What is loaded at start-up lives as long as the worker: frozen,
the collector never walks it again. And a request's objects are short-lived: collecting the
youngest generation every 10,000 allocations rather than every 700 frees the same garbage with
fewer passes, and promotes fewer of them to the older generations.
"""

import gc

from django.urls import get_resolver

YOUNGEST_THRESHOLD = 10_000


def settle() -> None:
    """Load every view (the URL confs import them), then freeze what is loaded and space the
    youngest generation's collections out."""
    get_resolver().url_patterns  # noqa: B018 - imports every app's URL conf and views
    gc.collect()
    gc.freeze()
    _young, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNGEST_THRESHOLD, middle, old)
