import json
import time

from django.core.management.base import BaseCommand

from catalogue.search import index_awards


class Command(BaseCommand):
    help = (
        "Rebuild the palmarès search index (one document per award, its full-text part and the "
        "facets) from the awards in the database. Imports refresh it already; run it after "
        "changing awards, editions, themes or organisations by other means. Ends with one JSON "
        'line: {"documents", "seconds"}.'
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        documents = index_awards()
        if options["verbosity"] >= 1:
            report = {"documents": documents, "seconds": round(time.monotonic() - started, 2)}
            self.stdout.write(json.dumps(report))
