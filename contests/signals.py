"""What contests announces to the apps above it, which it does not know (the layering's hooks).

Sent explicitly by contests' domain functions, never from a model's save(): an app above connects
its receiver in its AppConfig.ready().
"""

from django.dispatch import Signal

# An edition's elimination rule changed (contests.domain.update_edition), with `edition`: the
# jury recomputes the stored scores and eliminations of its rounds.
elimination_rule_changed = Signal()

# An edition's deadline moved later (contests.call.extend_deadline), with `edition`, `previous`
# and `deadline`: applications emails the applicants whose dossier is still a draft.
call_deadline_extended = Signal()
