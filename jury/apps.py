from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JuryConfig(AppConfig):
    name = "jury"
    verbose_name = _("Jury")

    def ready(self) -> None:
        # signals: recompute stored scores when criteria, weights or a round's criteria change.
        from . import signals  # noqa: F401

        self.fill_lower_hooks()
        self.fill_contests_hooks()
        self.fill_personal_data_hooks()

    def fill_lower_hooks(self) -> None:
        """The lower apps' hooks: a juror assigned to a dossier and not in conflict reads it;
        anyone on a jury gives the second factor; an accepted juror lands on the jury space."""
        from accounts.landing import register_landing
        from accounts.second_factor import register_second_factor_role
        from applications.hooks import register_eligibility_filter
        from applications.rules import register_dossier_reader

        from .domain.eligibility import filter_by_decision
        from .rules import has_jury_membership, holds_jury_seat, may_read_as_juror

        register_dossier_reader(may_read_as_juror)
        # The organisers' list, its mailings and exports filter by eligibility decision.
        register_eligibility_filter(filter_by_decision)
        register_second_factor_role("juror", has_jury_membership)
        register_landing("juror", holds_jury_seat, "jury:home")

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

    def fill_personal_data_hooks(self) -> None:
        """« Mes données » and the retention (accounts.personal_data): seats and evaluations,
        the president who may not leave yet, jurors' comments kept for a while."""
        from accounts.personal_data import register_retention, register_section

        from .personal_data import RETENTION, SECTIONS

        for section in SECTIONS:
            register_section(section)
        register_retention(RETENTION)
