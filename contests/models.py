import uuid
from datetime import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy

from .enums import (
    STANDARD_LEVEL_LABELS,
    ContestArticle,
    EliminationRule,
    EventKind,
    PhaseKind,
    contracted,
)


def logo_upload_path(contest: "Contest", filename: str) -> str:
    """A fresh random name: the uploaded name says nothing we want to keep or trust."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "png"
    return f"contests/logos/{uuid.uuid4().hex}.{suffix}"


class Contest(models.Model):
    """A yearly label or contest (« Label Territoire Innovant », « Start-up Interconnectée »)."""

    name = models.CharField(_("nom"), max_length=200, unique=True)
    slug = models.SlugField(_("identifiant d'adresse"), max_length=80, unique=True)
    description = models.TextField(_("présentation"), blank=True)
    applicant_kinds = models.CharField(
        _("candidats attendus"),
        max_length=200,
        blank=True,
        help_text=_("Qui peut candidater, en une phrase (collectivités, start-up…)."),
    )
    # The natures of structure that may lead a dossier (OrganisationKind values); empty: any.
    # This is what makes a contest of collectivités or of start-ups, with no code for either.
    lead_kinds = models.JSONField(
        _("natures de structure pouvant porter un dossier"), default=list, blank=True
    )
    # Emails and pages name the contest with its article (« au Label … », « à la Start-up … »)
    # and sign with its organiser's name: both are data, never written into the code.
    article = models.CharField(
        _("article"),
        max_length=4,
        choices=ContestArticle.choices,
        default=ContestArticle.LE,
        blank=True,
        help_text=_("L'article devant le nom : « le Label… », « la Start-up… »."),
    )
    short_name = models.CharField(
        _("nom court"), max_length=60, blank=True, help_text=_("Pour les titres et les menus.")
    )
    # Who awards it: shown on its pages, documents and open data, never a name written in code.
    awarder_name = models.CharField(_("organisation qui le décerne"), max_length=200, blank=True)
    awarder_website = models.URLField(_("site de l'organisation"), blank=True)
    awarder_contact = models.EmailField(_("adresse de contact"), blank=True)
    awarder_logo = models.ImageField(
        _("logo de l'organisation"), upload_to=logo_upload_path, blank=True, max_length=300
    )
    uses_themes = models.BooleanField(_("les dossiers concourent par thème"), default=True)
    uses_regional_rounds = models.BooleanField(_("sélections régionales"), default=True)
    uses_auditions = models.BooleanField(_("auditions des finalistes"), default=True)
    # What the contest calls its events: the Label's ceremony is its « Forum », its regional
    # stages the « IntercoTOUR »; another contest names its own, or leaves them empty.
    ceremony_name = models.CharField(_("nom de la cérémonie de remise"), max_length=100, blank=True)
    regional_stage_name = models.CharField(
        _("nom des étapes régionales"), max_length=100, blank=True
    )
    organisers = models.ManyToManyField(
        "accounts.User",
        through="ContestOrganiser",
        related_name="organised_contests",
        blank=True,
        verbose_name=_("organisateurs du concours"),
    )

    class Meta:
        verbose_name = pgettext_lazy("un", "concours")
        verbose_name_plural = pgettext_lazy("plusieurs", "concours")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def with_article(self, preposition: str = "") -> str:
        """The name after its article, contracted with « de » or « à » when given:
        « le Label X », « du Label X », « au Label X », « de la Start-up Y », « à l'… ».
        In English (any language but French), the plain name: « Label X »."""
        return contracted(self.article, preposition) + self.name

    @property
    def signature(self) -> str:
        """How the contest's emails sign: its team, then the organisation that awards it."""
        team = pgettext("email signature", "L'équipe %(contest)s") % {
            "contest": self.with_article("de")
        }
        return f"{team}\n{self.awarder_name}" if self.awarder_name else team

    @property
    def display_short_name(self) -> str:
        return self.short_name or self.name

    @property
    def ceremony_label(self) -> str:
        """What the contest calls the event where its results are announced."""
        return self.ceremony_name or str(_("cérémonie de remise"))

    @property
    def regional_stage_label(self) -> str:
        """What the contest calls the regional days that host its regional selections."""
        return self.regional_stage_name or str(_("étape régionale"))


class ContestOrganiser(models.Model):
    """An organiser kept to this contest: one with no such row organises every contest."""

    contest = models.ForeignKey(Contest, models.CASCADE, related_name="organiser_roles")
    user = models.ForeignKey("accounts.User", models.CASCADE, related_name="contest_roles")

    class Meta:
        verbose_name = _("organisateur d'un concours")
        verbose_name_plural = _("organisateurs d'un concours")
        constraints = [
            models.UniqueConstraint(fields=["contest", "user"], name="contest_organiser_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.contest}"


class ContestLevel(models.Model):
    """A level a new edition of the contest starts with (copied into Level)."""

    contest = models.ForeignKey(Contest, models.CASCADE, related_name="default_levels")
    code = models.SlugField(_("code"), max_length=32)
    name = models.CharField(_("nom"), max_length=100)
    rank = models.PositiveSmallIntegerField(_("rang"))
    min_score = models.DecimalField(
        _("note minimale (sur 5)"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    max_per_theme = models.PositiveSmallIntegerField(_("au plus, par thème"), null=True, blank=True)

    class Meta:
        verbose_name = _("niveau par défaut")
        verbose_name_plural = _("niveaux par défaut")
        ordering = ["contest", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "code"], name="contest_level_unique_code"),
            models.UniqueConstraint(fields=["contest", "rank"], name="contest_level_unique_rank"),
        ]

    def __str__(self) -> str:
        return self.name


class ContestDistinction(models.Model):
    """A distinction a new edition of the contest starts with (copied into Distinction)."""

    contest = models.ForeignKey(Contest, models.CASCADE, related_name="default_distinctions")
    code = models.SlugField(_("code"), max_length=32)
    name = models.CharField(_("nom"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("distinction par défaut")
        verbose_name_plural = _("distinctions par défaut")
        ordering = ["contest", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "code"], name="contest_distinction_unique_code"
            ),
            models.UniqueConstraint(
                fields=["contest", "name"], name="contest_distinction_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ContestCriterion(models.Model):
    """A criterion a new edition of the contest starts with (copied into Criterion)."""

    contest = models.ForeignKey(Contest, models.CASCADE, related_name="default_criteria")
    name = models.CharField(_("nom"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    weight = models.DecimalField(_("poids"), max_digits=5, decimal_places=2, default=1)
    eliminatory = models.BooleanField(_("éliminatoire"), default=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("critère par défaut")
        verbose_name_plural = _("critères par défaut")
        ordering = ["contest", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "name"], name="contest_criterion_unique_name"
            ),
            models.CheckConstraint(
                condition=Q(weight__gt=0), name="contest_criterion_weight_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Event(models.Model):
    """A ceremony (where awards are handed out) or a regional stage (regional selections); each
    contest says what it calls them (Contest.ceremony_name, Contest.regional_stage_name)."""

    kind = models.CharField(_("type"), max_length=16, choices=EventKind.choices)
    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("identifiant d'adresse"), max_length=120, unique=True)
    city = models.CharField(_("ville"), max_length=120, blank=True)
    venue = models.CharField(_("lieu"), max_length=200, blank=True)
    region = models.ForeignKey(
        "territories.Organisation",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": "region"},
        verbose_name=_("région"),
    )
    starts_on = models.DateField(_("début"), null=True, blank=True)
    ends_on = models.DateField(_("fin"), null=True, blank=True)
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    programme = models.TextField(_("programme"), blank=True)
    # A stage's theme of the day (« Mobilité », « Données »…); free text, events span contests.
    theme = models.CharField(_("thème"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("événement")
        verbose_name_plural = _("événements")
        ordering = ["starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="event_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name


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
