"""What contests announces to the apps above it, which it does not know (the layering's hooks).

Sent explicitly by contests' domain functions, never from a model's save(): an app above connects
its receiver in its AppConfig.ready().
"""

from django.dispatch import Signal

# An edition's elimination rule changed (contests.domain.update_edition), with `edition`: the
# jury recomputes the stored scores and eliminations of its rounds.
elimination_rule_changed = Signal()
