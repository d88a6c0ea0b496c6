"""An edition of a contest and what belongs to one year: its themes, criteria, levels,
distinctions, phases, activity log and published transparency figures."""

from datetime import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..enums import (
    STANDARD_LEVEL_LABELS,
    EliminationRule,
    EventKind,
    PhaseKind,
)
from .contest import Contest, Event


def current_phase_value(field: str, at: datetime) -> Subquery:
    """The `field` of the outer edition's current phase at `at`, as an SQL expression.

    The current phase is the latest one that has started (phases are contiguous: each lasts
    until the next one starts); null before the edition's first phase. contests.domain's
    `current_phase` reads the same rule from prefetched phases.
    """
    started = Phase.objects.filter(edition=OuterRef("pk"), starts_at__lte=at)
    return Subquery(started.order_by("-starts_at").values(field)[:1])


class EditionQuerySet(models.QuerySet):
    def public(self, at: datetime | None = None) -> "EditionQuerySet":
        """Editions whose results anyone may see at `at` (default now): THE embargo rule.

        Historical editions were published before the platform existed. Any other edition is
        public only while its current phase says results are public: an edition under embargo
        keeps its awards hidden even though they exist. Every public page, file, API answer,
        search result and document derives from this queryset (contests.domain
        `results_are_public` for one edition, awards' `Award.objects.public` for awards).
        """
        at = at or timezone.now()
        return self.annotate(
            current_results_public=current_phase_value("results_public", at)
        ).filter(Q(is_historical=True) | Q(current_results_public=True))


class Edition(models.Model):
    """One year of a contest. Its funnel counts are null when they were never published."""

    contest = models.ForeignKey(Contest, models.PROTECT, related_name="editions")
    year = models.PositiveSmallIntegerField(_("année"))
    forum = models.ForeignKey(
        Event,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="editions",
        limit_choices_to={"kind": EventKind.FORUM},
        verbose_name=_("cérémonie de remise"),
    )
    is_historical = models.BooleanField(
        _("édition historique"),
        default=False,
        help_text=_("Importée d'un palmarès publié, sans dossiers sur la plateforme."),
    )
    applications_count = models.PositiveIntegerField(_("dossiers déposés"), null=True, blank=True)
    auditioned_count = models.PositiveIntegerField(_("dossiers auditionnés"), null=True, blank=True)
    laureates_count = models.PositiveIntegerField(_("lauréats"), null=True, blank=True)
    gold_count = models.PositiveIntegerField(_("labels or"), null=True, blank=True)
    criteria_count = models.PositiveIntegerField(
        _("nombre de critères publié"), null=True, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    max_video_minutes = models.PositiveSmallIntegerField(
        _("durée maximale de la vidéo (minutes)"), default=10
    )
    max_file_megabytes = models.PositiveSmallIntegerField(
        _("taille maximale d'une pièce jointe (Mo)"), default=10
    )
    max_dossier_megabytes = models.PositiveSmallIntegerField(
        _("taille maximale des pièces d'un dossier (Mo)"), default=50
    )
    elimination_rule = models.CharField(
        _("règle d'élimination"),
        max_length=16,
        choices=EliminationRule.choices,
        default=EliminationRule.ANY,
        help_text=_("Quand un critère jugé « insuffisant » élimine le dossier."),
    )

    # The call for applications as the organisers write it (contests.call, the public call page).
    rules_text = models.TextField(
        _("règlement"),
        blank=True,
        help_text=_("Le règlement de l'édition, tel que les candidats le liront."),
    )
    rules_pdf = models.FileField(
        _("règlement (PDF)"), upload_to="reglements/", blank=True, max_length=200
    )
    contact_email = models.EmailField(
        _("adresse de contact"),
        blank=True,
        help_text=_("L'adresse à laquelle les candidats posent leurs questions."),
    )

    objects = EditionQuerySet.as_manager()

    class Meta:
        verbose_name = _("édition")
        verbose_name_plural = _("éditions")
        ordering = ["contest", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "year"], name="edition_unique_year"),
        ]

    def __str__(self) -> str:
        return f"{self.contest.name} {self.year}"

    def get_absolute_url(self) -> str:
        """Its public palmarès page; the default contest's has no query (settings)."""
        url = reverse("catalogue:edition", kwargs={"year": self.year})
        if self.contest.slug == settings.PUBLIC_PALMARES_CONTEST:
            return url
        return f"{url}?{urlencode({'concours': self.contest.slug})}"


class Theme(models.Model):
    edition = models.ForeignKey(Edition, models.CASCADE, related_name="themes")
    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("identifiant d'adresse"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("thème")
        verbose_name_plural = _("thèmes")
        ordering = ["edition", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "slug"], name="theme_unique_slug"),
        ]

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    """A judging criterion; an eliminatory one judged insufficient eliminates the dossier."""

    edition = models.ForeignKey(Edition, models.CASCADE, related_name="criteria")
    name = models.CharField(_("nom"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    weight = models.DecimalField(_("poids"), max_digits=5, decimal_places=2, default=1)
    eliminatory = models.BooleanField(_("éliminatoire"), default=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("critère")
        verbose_name_plural = _("critères")
        ordering = ["edition", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "name"], name="criterion_unique_name"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class Level(models.Model):
    """An award level of an edition (or, argent, bronze); rank 1 is the highest."""

    edition = models.ForeignKey(Edition, models.CASCADE, related_name="levels")
    code = models.SlugField(_("code"), max_length=32)
    name = models.CharField(_("nom"), max_length=100)
    rank = models.PositiveSmallIntegerField(_("rang"))
    # The edition's rules for proposing this level at deliberation (awards.deliberation): a
    # dossier needs at least `min_score`, and a theme gets at most `max_per_theme` of it.
    min_score = models.DecimalField(
        _("note minimale (sur 5)"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    max_per_theme = models.PositiveSmallIntegerField(_("au plus, par thème"), null=True, blank=True)

    class Meta:
        verbose_name = _("niveau")
        verbose_name_plural = _("niveaux")
        ordering = ["edition", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="level_unique_code"),
            models.UniqueConstraint(fields=["edition", "rank"], name="level_unique_rank"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """Lower-case name for running text, translated for the standard levels."""
        standard = STANDARD_LEVEL_LABELS.get(self.code)
        if standard is not None and self.name.lower() == self.code:
            return str(standard)
        return self.name.lower()

    @property
    def distinction(self) -> str:
        """An award of this level in running text: « label or » for the standard levels, the
        level's own name otherwise (« lauréat national » of a contest that is not a label)."""
        if self.code in STANDARD_LEVEL_LABELS:
            return _("label %(level)s") % {"level": self.label}
        return self.label


class Distinction(models.Model):
    """A distinction an edition may award besides its levels, or alone (« mention Numérique
    responsable », « prix spécial du jury »): the contest names them, never the code. Copied
    from the contest's defaults like levels, so renaming a default never rewrites a past year."""

    edition = models.ForeignKey(Edition, models.CASCADE, related_name="distinctions")
    code = models.SlugField(_("code"), max_length=32)
    name = models.CharField(_("nom"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("distinction")
        verbose_name_plural = _("distinctions")
        ordering = ["edition", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="distinction_unique_code"),
            models.UniqueConstraint(fields=["edition", "name"], name="distinction_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Phase(models.Model):
    """A dated phase of an edition; its flags are what permission predicates read."""

    edition = models.ForeignKey(Edition, models.CASCADE, related_name="phases")
    kind = models.CharField(_("phase"), max_length=32, choices=PhaseKind.choices)
    starts_at = models.DateTimeField(_("début"))
    may_apply = models.BooleanField(_("dépôt des candidatures"), default=False)
    may_score = models.BooleanField(_("notation par le jury"), default=False)
    may_see_other_scores = models.BooleanField(_("notes des autres jurés visibles"), default=False)
    may_publish = models.BooleanField(_("publication possible"), default=False)
    results_public = models.BooleanField(_("résultats publics"), default=False)

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["edition", "starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "kind"], name="phase_unique_kind"),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class ActivityEntry(models.Model):
    """One line of an edition's activity log: who did what to which dossier, round or juror.

    Tamper-evident: each entry stores the hash of the previous entry of the whole log and its own
    hash over its content and that link (contests.activity), so editing or deleting a row breaks
    the chain from there on.
    """

    edition = models.ForeignKey(
        Edition, models.CASCADE, related_name="activity", verbose_name=_("édition")
    )
    at = models.DateTimeField(_("date"))
    by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, related_name="+", verbose_name=_("par")
    )
    # The actor's email at the time, kept even if the account is deleted.
    by_email = models.CharField(_("auteur"), max_length=254, blank=True)
    action = models.CharField(_("action"), max_length=64)
    # What the action is about, by its public code (a dossier reference, a round slug…).
    subject = models.CharField(_("objet"), max_length=200, blank=True)
    details = models.JSONField(_("détails"), default=dict, blank=True)
    previous_hash = models.CharField(max_length=64, blank=True)
    entry_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("entrée du journal")
        verbose_name_plural = _("journal d'activité")
        ordering = ["pk"]
        indexes = [models.Index(fields=["edition", "action"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.subject}"


class EditionTransparency(models.Model):
    """What the organisers publish about how an edition was judged (never under embargo).

    About an edition, so it lives with editions: the public transparency page (catalogue) and the
    press release (awards) both read it. Its table keeps the name it had in catalogue.
    """

    edition = models.OneToOneField(
        Edition, models.CASCADE, related_name="transparency", verbose_name=_("édition")
    )
    jury_institutions = models.TextField(
        _("institutions représentées au jury"), blank=True, help_text=_("Une par ligne.")
    )
    elimination_rule = models.TextField(_("règle d'élimination"), blank=True)
    normalisation_method = models.TextField(_("méthode de normalisation des notes"), blank=True)
    conflicts_handled = models.PositiveIntegerField(
        _("conflits d'intérêts traités"), null=True, blank=True
    )
    # Anonymised distributions, e.g. {"criterion name": [count of 0, of 1, …, of 5]}.
    score_distribution = models.JSONField(_("distribution des notes"), null=True, blank=True)
    published = models.BooleanField(_("publiée"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "catalogue_editiontransparency"
        verbose_name = _("page de transparence")
        verbose_name_plural = _("pages de transparence")

    def __str__(self) -> str:
        return str(self.edition)
