"""A contest and what its organisers set once for all its editions: who awards it, its
organisers, the levels, distinctions and criteria a new edition starts with, its events."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy

from ..enums import (
    ContestArticle,
    EventKind,
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
