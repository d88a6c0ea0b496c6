"""Auditions: video-conference sessions of a round, the sessions each applicant can attend, the
jurors present at each, and the timetable the solver (jury.timetable) makes of them."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .selection import Juror, Round


class AuditionSession(models.Model):
    """A video-conference session (séance) of a round, in which dossiers pitch one after another."""

    round = models.ForeignKey(Round, models.CASCADE, related_name="sessions")
    reference = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("nom"), max_length=120)
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    video_link = models.URLField(_("lien de la visioconférence"), blank=True)

    class Meta:
        verbose_name = _("séance d'audition")
        verbose_name_plural = _("séances d'audition")
        ordering = ["round", "starts_at", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SessionAvailability(models.Model):
    """An applicant's « we can attend this session » for one of its dossiers."""

    session = models.ForeignKey(AuditionSession, models.CASCADE, related_name="availabilities")
    application = models.ForeignKey(
        "applications.Application", models.CASCADE, related_name="session_availabilities"
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("disponibilité")
        verbose_name_plural = _("disponibilités")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "application"], name="session_availability_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application.reference} @ {self.session}"


class AvailabilityRequest(models.Model):
    """The applicants of a dossier were asked by email which sessions they can attend, before
    the round's `availability_deadline`; a reminder goes once, shortly before it, to those who
    have not answered."""

    round = models.ForeignKey(Round, models.CASCADE, related_name="availability_requests")
    application = models.ForeignKey(
        "applications.Application", models.CASCADE, related_name="availability_requests"
    )
    requested_at = models.DateTimeField()
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("demande de disponibilités")
        verbose_name_plural = _("demandes de disponibilités")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "application"], name="availability_request_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application.reference} @ {self.round}"


class JurorAttendance(models.Model):
    """A juror present at a session (all of it; a juror in conflict leaves for that slot only)."""

    session = models.ForeignKey(AuditionSession, models.CASCADE, related_name="attendances")
    juror = models.ForeignKey(Juror, models.CASCADE, related_name="attendances")

    class Meta:
        verbose_name = _("présence d'un juré")
        verbose_name_plural = _("présences des jurés")
        constraints = [
            models.UniqueConstraint(fields=["session", "juror"], name="juror_attendance_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.juror} @ {self.session}"


class Audition(models.Model):
    """A dossier's slot in a session: pitch, questions, then the buffer before the next one."""

    round = models.ForeignKey(Round, models.CASCADE, related_name="auditions")
    application = models.ForeignKey(
        "applications.Application", models.CASCADE, related_name="auditions"
    )
    session = models.ForeignKey(AuditionSession, models.CASCADE, related_name="auditions")
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    created_at = models.DateTimeField(auto_now_add=True)
    # Sent invitations carry this sequence number (RFC 5545 SEQUENCE): a moved slot sends an update.
    sequence = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("audition")
        verbose_name_plural = _("auditions")
        ordering = ["session", "starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["round", "application"], name="audition_unique"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="audition_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application.reference} {self.starts_at:%Y-%m-%d %H:%M}"
