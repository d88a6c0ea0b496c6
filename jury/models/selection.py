"""Selection rounds and everything a juror does in them (docs/architecture.md: `jury` app).

A round (regional selection or national jury) holds dossiers (entries), its jurors
(`jurors.Juror`, people of the edition's jury), the assignment of jurors to dossiers and the
evaluations. The computed score of a dossier in a round is stored on its entry (jury.scoring
computes it).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..enums import (
    AssignmentSource,
    EvaluationState,
    PromotionRule,
    PromotionState,
    RoundKind,
)

# Juror moved to .jurors; jury.models.auditions still imports it from here.
from .jurors import Juror  # noqa: F401


class Round(models.Model):
    """A selection round of an edition with its own jury, criteria and promotion rule."""

    edition = models.ForeignKey(
        "contests.Edition", models.CASCADE, related_name="rounds", verbose_name=_("édition")
    )
    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("identifiant d'adresse"), max_length=80)
    kind = models.CharField(_("type"), max_length=16, choices=RoundKind.choices)
    # A regional round takes the eligible dossiers whose lead organisation lies in these régions.
    regions = models.ManyToManyField(
        "territories.Organisation",
        blank=True,
        related_name="+",
        limit_choices_to={"kind": "region"},
        verbose_name=_("régions"),
    )
    event = models.ForeignKey(
        "contests.Event",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="rounds",
        limit_choices_to={"kind": "stage"},
        verbose_name=_("étape IntercoTOUR"),
    )
    # When organisers made the round's selection public (the stage's page shows it from then on);
    # before that, who goes through stays with the organisers and the jury.
    selection_published_at = models.DateTimeField(_("sélection publiée le"), null=True, blank=True)
    # Empty means all the edition's criteria.
    criteria = models.ManyToManyField(
        "contests.Criterion", blank=True, related_name="rounds", verbose_name=_("critères")
    )
    promotion_rule = models.CharField(
        _("règle de promotion"),
        max_length=16,
        choices=PromotionRule.choices,
        default=PromotionRule.MANUAL,
    )
    promotion_count = models.PositiveSmallIntegerField(
        _("nombre de dossiers promus par thème"), null=True, blank=True
    )
    promotion_threshold = models.DecimalField(
        _("note minimale (sur 5)"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    next_round = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="previous_rounds",
        verbose_name=_("tour suivant"),
    )
    ends_on = models.DateField(_("fin des évaluations"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    # Auditions (jury.models.auditions): how long each slot lasts and how many jurors without
    # conflict must be present for a dossier's audition.
    pitch_minutes = models.PositiveSmallIntegerField(_("durée du pitch (minutes)"), default=10)
    questions_minutes = models.PositiveSmallIntegerField(
        _("durée des questions (minutes)"), default=10
    )
    buffer_minutes = models.PositiveSmallIntegerField(
        _("battement entre deux auditions (minutes)"), default=5
    )
    quorum = models.PositiveSmallIntegerField(
        _("jurés sans conflit présents au minimum"), default=3
    )
    # How many jurors evaluate each dossier: the assignment page sets it, and the jurors' fair
    # share of the work (their default load) follows from it.
    jurors_per_dossier = models.PositiveSmallIntegerField(_("jurés par dossier"), default=3)
    # Applicants of an audition round say which sessions they can attend before this day
    # (jury.domain.availability_requests asks them and reminds them).
    availability_deadline = models.DateField(
        _("réponse aux disponibilités attendue avant le"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("tour de sélection")
        verbose_name_plural = _("tours de sélection")
        ordering = ["edition", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "slug"], name="round_unique_slug"),
            models.CheckConstraint(
                condition=Q(promotion_threshold__isnull=True)
                | Q(promotion_threshold__gte=0, promotion_threshold__lte=5),
                name="round_threshold_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


# An elimination has one home before publication: the reasons jury.scoring stores on the round
# entry. A dossier is eliminated in a round exactly when there is at least one, so no flag can
# disagree with them; publication then gives the dossier the ELIMINATED state.
ELIMINATED_ENTRY = ~Q(elimination=[])


class RoundEntryQuerySet(models.QuerySet):
    def eliminated(self) -> "RoundEntryQuerySet":
        return self.filter(ELIMINATED_ENTRY)

    def not_eliminated(self) -> "RoundEntryQuerySet":
        return self.exclude(ELIMINATED_ENTRY)


class RoundEntry(models.Model):
    """A dossier in a round, with its score there (computed by jury.scoring, stored)."""

    round = models.ForeignKey(Round, models.CASCADE, related_name="entries")
    application = models.ForeignKey(
        "applications.Application", models.CASCADE, related_name="round_entries"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    score = models.DecimalField(_("note"), max_digits=6, decimal_places=3, null=True, blank=True)
    # [{"criterion": name, "jurors": n, "comments": [...]}] for each eliminating criterion.
    elimination = models.JSONField(_("motifs d'élimination"), default=list, blank=True)
    evaluations_submitted = models.PositiveSmallIntegerField(default=0)
    computed_at = models.DateTimeField(null=True, blank=True)

    objects = RoundEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("dossier du tour")
        verbose_name_plural = _("dossiers du tour")
        ordering = ["round", "application__reference"]
        constraints = [
            models.UniqueConstraint(fields=["round", "application"], name="round_entry_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.round} / {self.application.reference}"

    @property
    def eliminated(self) -> bool:
        """Eliminated in this round: read from the stored reasons (queries: `ELIMINATED_ENTRY`)."""
        return bool(self.elimination)


class Promotion(models.Model):
    """A dossier proposed for the next round: staged, reviewed, then applied in one step."""

    round = models.ForeignKey(Round, models.CASCADE, related_name="promotions")
    application = models.ForeignKey(
        "applications.Application", models.CASCADE, related_name="promotions"
    )
    state = models.CharField(
        max_length=16, choices=PromotionState.choices, default=PromotionState.STAGED
    )
    staged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    staged_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("promotion")
        verbose_name_plural = _("promotions")
        ordering = ["round", "application__reference"]
        constraints = [
            models.UniqueConstraint(fields=["round", "application"], name="promotion_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.round} → {self.application.reference}"


class Eligibility(models.Model):
    """The organisers' eligibility decision on a submitted dossier (a reason if ineligible)."""

    application = models.OneToOneField(
        "applications.Application", models.CASCADE, related_name="eligibility"
    )
    eligible = models.BooleanField(_("recevable"))
    reason = models.TextField(_("motif"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField()

    class Meta:
        verbose_name = _("recevabilité")
        verbose_name_plural = _("recevabilités")
        constraints = [
            models.CheckConstraint(
                condition=Q(eligible=True) | ~Q(reason=""), name="ineligible_needs_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application.reference}: {self.eligible}"


class Assignment(models.Model):
    """A juror assigned to evaluate a dossier of the round."""

    juror = models.ForeignKey("jury.Juror", models.CASCADE, related_name="assignments")
    application = models.ForeignKey(
        "applications.Application", models.CASCADE, related_name="assignments"
    )
    source = models.CharField(max_length=16, choices=AssignmentSource.choices)
    affinity = models.FloatField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("affectation")
        verbose_name_plural = _("affectations")
        ordering = ["juror", "application__reference"]
        constraints = [
            models.UniqueConstraint(fields=["juror", "application"], name="assignment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.juror} → {self.application.reference}"


class Evaluation(models.Model):
    """A juror's evaluation of an assigned dossier: one score per criterion, then submitted."""

    assignment = models.OneToOneField(Assignment, models.CASCADE, related_name="evaluation")
    state = models.CharField(
        max_length=16, choices=EvaluationState.choices, default=EvaluationState.DRAFT
    )
    overall_comment = models.TextField(_("appréciation générale"), blank=True)
    # Optimistic locking, as for dossiers: a save based on an older version is refused.
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("évaluation")
        verbose_name_plural = _("évaluations")

    def __str__(self) -> str:
        return str(self.assignment)


class CriterionScore(models.Model):
    """0 to 5, or "insuffisant" (which requires a comment), for one criterion."""

    evaluation = models.ForeignKey(Evaluation, models.CASCADE, related_name="scores")
    criterion = models.ForeignKey("contests.Criterion", models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("note"), null=True, blank=True)
    insufficient = models.BooleanField(_("insuffisant"), default=False)
    comment = models.TextField(_("commentaire"), blank=True)

    class Meta:
        verbose_name = _("note d'un critère")
        verbose_name_plural = _("notes des critères")
        ordering = ["evaluation", "criterion__position"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "criterion"], name="score_unique"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__lte=5), name="score_range"
            ),
            models.CheckConstraint(
                condition=Q(insufficient=False) | Q(score__isnull=True),
                name="insufficient_has_no_score",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evaluation} / {self.criterion}"


class ScoreChange(models.Model):
    """Every change of a criterion score: who, when, old and new value ("3", "insuffisant", "")."""

    evaluation = models.ForeignKey(Evaluation, models.CASCADE, related_name="changes")
    criterion = models.ForeignKey("contests.Criterion", models.PROTECT, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField()
    old_value = models.CharField(max_length=16, blank=True)
    new_value = models.CharField(max_length=16, blank=True)

    class Meta:
        verbose_name = _("modification de note")
        verbose_name_plural = _("modifications de notes")
        ordering = ["evaluation", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.evaluation} {self.criterion}: {self.old_value} → {self.new_value}"


class JuryReminderSent(models.Model):
    """A reminder sent to a juror with pending evaluations, never sent twice for the same delay."""

    juror = models.ForeignKey("jury.Juror", models.CASCADE, related_name="reminders_sent")
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField()
    pending_count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("rappel au juré")
        verbose_name_plural = _("rappels aux jurés")
        constraints = [
            models.UniqueConstraint(fields=["juror", "days_before"], name="jury_reminder_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.juror} J-{self.days_before}"
