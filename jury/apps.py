from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JuryConfig(AppConfig):
    name = "jury"
    verbose_name = _("Jury")

    def ready(self) -> None:
        # signals: recompute stored scores when criteria, weights or a round's criteria
        # change; rules_auditions: the audition permissions (jury.manage_auditions, …).
        from . import rules_auditions, signals  # noqa: F401

        self.fill_contests_hooks()

    def fill_contests_hooks(self) -> None:
        """What contests announces or shows without knowing the jury (contests.signals, .hooks):
        a changed elimination rule recomputes the scores; a stage's page shows its selections."""
        from contests.hooks import register_event_section
        from contests.signals import elimination_rule_changed

        from .scoring import on_elimination_rule_changed
        from .views.stage_selections import stage_selections

        elimination_rule_changed.connect(
            on_elimination_rule_changed, dispatch_uid="jury_elimination_rule_changed"
        )
        register_event_section("jury_stage_selections", stage_selections)
