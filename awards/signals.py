"""What awards announces to the public faces above it (catalogue, opendata), which it does not
know: the layering's hooks.

Sent explicitly by awards' domain functions (the import of a palmarès, a publication), never from
a model's save(); the public faces connect their receivers in their AppConfig.ready().
"""

from django.dispatch import Signal

# The public palmarès of some editions changed: `editions` (Edition instances), `award_ids` (the
# awards created or updated). Sent inside the change's transaction when there is one: a receiver
# that must see the change committed (files written outside the database) defers its work with
# transaction.on_commit. catalogue refreshes its search index, opendata its published files.
palmares_changed = Signal()
