"""What the health page needs to remember: when each daily job last succeeded.

This app sits below every domain app (it imports none of them): the daily commands of
applications, jury and contests call `health.jobs.record_success` when they finish.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobRun(models.Model):
    """The last successful run of one daily job (one row per job, updated in place)."""

    job = models.CharField(_("tâche"), max_length=64, unique=True)  # the command's name
    succeeded_at = models.DateTimeField(_("dernière réussite"))
    duration_seconds = models.FloatField(_("durée (secondes)"))

    class Meta:
        verbose_name = _("exécution d'une tâche quotidienne")
        verbose_name_plural = _("exécutions des tâches quotidiennes")
        ordering = ["job"]

    def __str__(self) -> str:
        return self.job
