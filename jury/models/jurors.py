"""The people of an edition's jury, their seats in its rounds, and their conflicts of interest.

A `JuryMember` is a person on an edition's jury: invited once, they accept (or decline) once,
and sit in one or more of its rounds, with a `Juror` per round (their load, themes and chair in
that round). A `Conflict` belongs to the member and the dossier: declared, detected or decided
once, it holds in every round of the edition, and so does a dismissal.

The juror's identity (user, address, name, institution, state) is the member's; `Juror` keeps a
copy of it because every page and document of the round reads it there. `jury.domain.jurors` is
the only writer of both, and writes them together.
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..enums import ConflictReason, ConflictSource, ConflictStatus, JurorState


def invitation_token() -> str:
    return secrets.token_urlsafe(24)


class InstitutionMixin(models.Model):
    """An institution of the referential, or a named partner institution outside it."""

    institution = models.ForeignKey(
        "territories.Organisation",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("institution"),
    )
    institution_name = models.CharField(_("institution partenaire"), max_length=200, blank=True)

    class Meta:
        abstract = True

    @property
    def institution_label(self) -> str:
        return self.institution.name if self.institution_id else self.institution_name

    @property
    def institution_key(self) -> str:
        """Identifies the institution for the "one juror per institution per dossier" rule."""
        if self.institution_id:
            return f"org:{self.institution_id}"
        return f"name:{self.institution_name.strip().casefold()}"


class JuryMember(InstitutionMixin):
    """A person on an edition's jury, invited once for all its rounds."""

    edition = models.ForeignKey(
        "contests.Edition", models.CASCADE, related_name="jury_members", verbose_name=_("édition")
    )
    reference = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="jury_memberships",
    )
    email = models.EmailField(_("adresse électronique"))
    full_name = models.CharField(_("nom complet"), max_length=150)
    state = models.CharField(
        _("état"), max_length=16, choices=JurorState.choices, default=JurorState.INVITED
    )
    # The invitation: a single-use link, valid jury.domain.jurors.INVITATION_DAYS days.
    token = models.CharField(max_length=64, unique=True, default=invitation_token)
    invited_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("membre du jury")
        verbose_name_plural = _("membres du jury")
        ordering = ["edition", "full_name"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "email"], name="jury_member_unique_email"),
            models.CheckConstraint(
                condition=Q(institution__isnull=False) | ~Q(institution_name=""),
                name="jury_member_has_institution",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name


class Juror(InstitutionMixin):
    """A member of the edition's jury sitting in one round.

    `user`, `email`, `full_name`, the institution and `state` are copies of the member's (see
    the module docstring). The load bounds are this round's: empty means the fair share.
    """

    round = models.ForeignKey("jury.Round", models.CASCADE, related_name="jurors")
    member = models.ForeignKey(JuryMember, models.CASCADE, related_name="jurors")
    reference = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="jurors",
    )
    email = models.EmailField(_("adresse électronique"))
    full_name = models.CharField(_("nom complet"), max_length=150)
    themes = models.ManyToManyField(
        "contests.Theme", blank=True, related_name="jurors", verbose_name=_("thèmes d'expertise")
    )
    # Set by the organisers on the assignment page; empty: the fair share of the round's work
    # (jury.domain.assign.fair_share), which the solver meets whenever the conflicts allow.
    # A value set here is a strict limit.
    capacity_min = models.PositiveSmallIntegerField(_("dossiers au minimum"), null=True, blank=True)
    capacity_max = models.PositiveSmallIntegerField(_("dossiers au maximum"), null=True, blank=True)
    is_president = models.BooleanField(_("président du jury"), default=False)
    state = models.CharField(
        _("état"), max_length=16, choices=JurorState.choices, default=JurorState.INVITED
    )
    # When the person was added to this round.
    invited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("juré")
        verbose_name_plural = _("jurés")
        ordering = ["round", "full_name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "email"], name="juror_unique_email"),
            models.UniqueConstraint(fields=["round", "member"], name="juror_unique_member"),
            models.CheckConstraint(
                condition=Q(capacity_min__isnull=True)
                | Q(capacity_max__isnull=True)
                | Q(capacity_max__gte=models.F("capacity_min")),
                name="juror_capacity_range",
            ),
            models.CheckConstraint(
                condition=Q(institution__isnull=False) | ~Q(institution_name=""),
                name="juror_has_institution",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name


class ConflictQuerySet(models.QuerySet):
    def effective(self) -> "ConflictQuerySet":
        """The conflicts that keep the person away from the dossier (in force or confirmed)."""
        return self.filter(status__in=ConflictStatus.effective())

    def juror_pairs(self, **jurors: object) -> set[tuple[int, int]]:
        """(juror id, application id) for each round juror matching `jurors` (round=…,
        round_id__in=…, user__in=…) whose person has one of these conflicts: a conflict is the
        person's, so it reaches each of their rounds."""
        lookups = {f"member__jurors__{name}": value for name, value in jurors.items()}
        # One filter() call, so the values below read the same join as the lookups.
        return set(
            self.filter(**lookups)
            # Unordered: the model's ordering would join the edition and its contest, and
            # DISTINCT would then compare those columns too.
            .order_by()
            .values_list("member__jurors__id", "application_id")
            .distinct()
        )


class Conflict(models.Model):
    """A conflict of interest between a person of the edition's jury and a dossier, with its
    stated reason; it holds in every round (see the module docstring)."""

    member = models.ForeignKey(JuryMember, models.CASCADE, related_name="conflicts")
    application = models.ForeignKey(
        "applications.Application", models.CASCADE, related_name="conflicts"
    )
    # Where it was declared or first detected (for the record; it holds in every round).
    round = models.ForeignKey(
        "jury.Round", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source = models.CharField(max_length=16, choices=ConflictSource.choices)
    reason_code = models.CharField(max_length=32, choices=ConflictReason.choices)
    # The juror's words, or the detected relation in plain French ("Rennes Métropole contient …").
    reason = models.TextField(_("motif"))
    status = models.CharField(
        max_length=16, choices=ConflictStatus.choices, default=ConflictStatus.IN_FORCE
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("motif de la décision"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ConflictQuerySet.as_manager()

    class Meta:
        verbose_name = _("conflit d'intérêts")
        verbose_name_plural = _("conflits d'intérêts")
        ordering = ["member", "application__reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "application", "reason_code"], name="conflict_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} × {self.application.reference}"
