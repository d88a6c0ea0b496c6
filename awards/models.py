from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contests.models import Edition

from .enums import (
    DeliberationState,
    OrganisationMatch,
    OrganisationRole,
    ScoreMethod,
    UnexaminedOutcome,
)
from .validators import validate_award_grounds


class AwardQuerySet(models.QuerySet):
    def public(self, at: datetime | None = None) -> "AwardQuerySet":
        """Awards anyone may see at `at` (default now): those of public editions
        (`Edition.objects.public`, the embargo rule). An embargoed edition's awards exist but
        stay hidden, so every public page, badge, file and form looks awards up through this."""
        return self.filter(edition__in=Edition.objects.public(at))


class Award(models.Model):
    """A label awarded to a project in an edition (lauréat).

    Historical awards are imported from published palmarès and have no dossier; later ones come
    from a deliberation. Level and theme are null when the source did not publish them.
    """

    edition = models.ForeignKey("contests.Edition", models.PROTECT, related_name="awards")
    level = models.ForeignKey(
        "contests.Level", models.PROTECT, null=True, blank=True, related_name="awards"
    )
    theme = models.ForeignKey(
        "contests.Theme", models.PROTECT, null=True, blank=True, related_name="awards"
    )
    # Besides its level, or alone (then the level is null): the edition's distinctions.
    distinctions = models.ManyToManyField(
        "contests.Distinction", blank=True, related_name="awards", verbose_name=_("distinctions")
    )
    title = models.CharField(_("titre du projet"), max_length=300)
    slug = models.SlugField(_("identifiant d'adresse"), max_length=140, unique=True)
    summary = models.TextField(_("résumé"), blank=True)
    notes = models.TextField(_("notes sur la source"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    organisations = models.ManyToManyField(
        "territories.Organisation", through="AwardOrganisation", related_name="awards"
    )
    # The dossier it was awarded to, for awards published by a deliberation on the platform.
    application = models.OneToOneField(
        "applications.Application",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="award",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AwardQuerySet.as_manager()

    class Meta:
        verbose_name = _("label décerné")
        verbose_name_plural = _("labels décernés")
        ordering = ["-edition__year", "level__rank", "title"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        """An award decided on the platform names what it awards: a level, a distinction, or
        both (historical awards may have neither: their source did not publish the level)."""
        super().clean()
        if self.application_id is None or self.level_id is not None:
            return
        distinctions = list(self.distinctions.all()) if self.pk else []
        validate_award_grounds(None, distinctions)


class AwardOrganisation(models.Model):
    award = models.ForeignKey(Award, models.CASCADE, related_name="award_organisations")
    organisation = models.ForeignKey(
        "territories.Organisation", models.PROTECT, related_name="award_organisations"
    )
    role = models.CharField(_("rôle"), max_length=16, choices=OrganisationRole.choices)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    # The name exactly as the source published it, kept for transparency of the matching.
    published_name = models.CharField(_("nom publié"), max_length=200, blank=True)
    # How `organisation` was found for `published_name`: lets a page say « publié sous le nom
    # « Grand Lyon » ; aujourd'hui : Métropole de Lyon » for a successor.
    match = models.CharField(
        _("identification"),
        max_length=16,
        choices=OrganisationMatch.choices,
        default=OrganisationMatch.DECLARED,
    )

    class Meta:
        verbose_name = _("structure lauréate")
        verbose_name_plural = _("structures lauréates")
        ordering = ["award", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["award", "organisation"], name="award_organisation_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"

    @property
    def published_under(self) -> str:
        """The name the palmarès published, when pages must show it beside the current name.

        Only for an alias or a successor whose published name differs from the referential's:
        a plain name match keeps the published spelling and needs no note.
        """
        renamed = self.match in {OrganisationMatch.ALIAS, OrganisationMatch.SUCCESSOR}
        if renamed and self.published_name and self.published_name != self.organisation.name:
            return self.published_name
        return ""


class Deliberation(models.Model):
    """The jury's deliberation of an edition: scores of its deciding round, proposed levels,
    decisions, the president's validation (which freezes them), then the publication."""

    edition = models.OneToOneField(
        "contests.Edition", models.CASCADE, related_name="deliberation", verbose_name=_("édition")
    )
    # The round whose evaluations are deliberated (the auditions, or the national jury).
    round = models.ForeignKey(
        "jury.Round", models.PROTECT, related_name="+", verbose_name=_("tour délibéré")
    )
    method = models.CharField(
        _("agrégation des notes"),
        max_length=16,
        choices=ScoreMethod.choices,
        default=ScoreMethod.MEAN,
    )
    normalised = models.BooleanField(_("correction de la sévérité des jurés"), default=True)
    disagreement_threshold = models.DecimalField(
        _("écart-type signalé au-delà de"), max_digits=4, decimal_places=2, default=1
    )
    send_reasons = models.BooleanField(
        _("motifs communiqués aux candidats non labellisés"), default=True
    )
    state = models.CharField(
        max_length=16, choices=DeliberationState.choices, default=DeliberationState.OPEN
    )
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    validated_at = models.DateTimeField(null=True, blank=True)
    # The activity log's last hash at validation, printed on the minutes.
    log_fingerprint = models.CharField(max_length=64, blank=True)
    publish_at = models.DateTimeField(_("publication prévue le"), null=True, blank=True)
    # Who scheduled the publication at `publish_at`: the queued task publishes in their name.
    publish_scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("délibération")
        verbose_name_plural = _("délibérations")

    def __str__(self) -> str:
        return str(self.edition)


class Decision(models.Model):
    """The level a dossier gets (null: not labelled), as proposed by the rules and as decided.

    A change from the proposal needs a reason; every change is logged.
    """

    deliberation = models.ForeignKey(Deliberation, models.CASCADE, related_name="decisions")
    application = models.ForeignKey(
        "applications.Application", models.CASCADE, related_name="decisions"
    )
    score = models.DecimalField(max_digits=6, decimal_places=3, null=True, blank=True)
    lower = models.DecimalField(max_digits=6, decimal_places=3, null=True, blank=True)
    upper = models.DecimalField(max_digits=6, decimal_places=3, null=True, blank=True)
    proposed_level = models.ForeignKey(
        "contests.Level", models.PROTECT, null=True, blank=True, related_name="+"
    )
    level = models.ForeignKey(
        "contests.Level", models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("motif"), blank=True)
    # Proposed and decided by the president or the organisers (no rule proposes them); a dossier
    # with a distinction and no level is labelled with the distinction alone.
    distinctions = models.ManyToManyField(
        "contests.Distinction", blank=True, related_name="+", verbose_name=_("distinctions")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("décision")
        verbose_name_plural = _("décisions")
        ordering = ["deliberation", "application__reference"]
        constraints = [
            models.UniqueConstraint(fields=["deliberation", "application"], name="decision_unique"),
            models.CheckConstraint(
                # Spelled out for NULLs: in SQL, NULL = NULL is unknown, which a CHECK lets pass.
                condition=Q(
                    level__isnull=False,
                    proposed_level__isnull=False,
                    level=models.F("proposed_level"),
                )
                | Q(level__isnull=True, proposed_level__isnull=True)
                | ~Q(reason=""),
                name="decision_change_needs_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application.reference}: {self.level or '—'}"


class UnexaminedDecision(models.Model):
    """The organisers' outcome for a dossier still in competition that no round examined (no
    score, no elimination, no level decided): publication concludes the dossier so, and its
    applicants are told the reason (awards.publication.unexamined)."""

    deliberation = models.ForeignKey(
        Deliberation, models.CASCADE, related_name="unexamined_decisions"
    )
    application = models.ForeignKey(
        "applications.Application", models.CASCADE, related_name="unexamined_decisions"
    )
    outcome = models.CharField(_("issue"), max_length=16, choices=UnexaminedOutcome.choices)
    reason = models.TextField(_("motif communiqué aux candidats"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField()

    class Meta:
        verbose_name = _("décision sur un dossier non examiné")
        verbose_name_plural = _("décisions sur des dossiers non examinés")
        ordering = ["deliberation", "application__reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["deliberation", "application"], name="unexamined_decision_unique"
            ),
            models.CheckConstraint(
                condition=~Q(reason=""), name="unexamined_decision_needs_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application.reference}: {self.outcome}"
