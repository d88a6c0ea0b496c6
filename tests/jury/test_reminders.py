"""Reminders to jurors before a round ends: once per juror and delay, exact recipients."""

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from contests.models import ActivityEntry
from jury.domain.reminders import send_jury_reminders
from jury.enums import EvaluationState, JurorState
from jury.models import JuryReminderSent
from jury.tasks import send_jury_reminders_task
from tests.jury.factories import ConflictFactory

from .scoring_setup import make_setup

pytestmark = pytest.mark.django_db

TODAY = date(2027, 5, 10)


def _arrange(ends_on=TODAY + timedelta(days=3)):
    """Anne: one new and one draft evaluation; Bruno: all submitted; Chloé: only a dossier in
    conflict; Denis: declined."""
    setup = make_setup()
    setup.round.ends_on = ends_on
    setup.round.save()
    innovation, usagers, sobriete = setup.criteria
    one, two = setup.dossier("LTI-2027-0001", title="Guichet"), setup.dossier("LTI-2027-0002")
    anne, bruno, chloe = (setup.juror(name) for name in ("Anne Leroy", "Bruno Petit", "Chloé Roux"))
    denis = setup.juror("Denis Blanc", state=JurorState.DECLINED)
    setup.assign(anne, one)
    setup.evaluate(anne, two, {innovation: 2}, state=EvaluationState.DRAFT)
    setup.evaluate(bruno, one, {innovation: 3, usagers: 3, sobriete: 3})
    setup.assign(chloe, two)
    ConflictFactory(juror=chloe, application=two.application)
    setup.assign(denis, one)
    return setup, anne


def _remind(days: int, today: date) -> dict[str, int]:
    """As cron runs it: its transactions commit, so the outbox delivers."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return send_jury_reminders(days, today=today)


def test_reminds_jurors_with_pending_evaluations_once(mailoutbox):
    _setup, anne = _arrange()

    report = _remind(3, TODAY)

    assert report == {"days": 3, "rounds": 1, "jurors": 1, "emails": 1, "already": 0}
    assert [(m.to, m.subject) for m in mailoutbox] == [
        ([anne.email], "Rappel : 2 évaluations à terminer pour « Sélection Bretagne »")
    ]
    body = mailoutbox[0].body
    assert "- LTI-2027-0001 – Guichet" in body
    assert "/jury/label-territoire-innovant/2027/bretagne/" in body
    assert list(JuryReminderSent.objects.values_list("juror", "days_before", "pending_count")) == [
        (anne.pk, 3, 2)
    ]
    assert ActivityEntry.objects.get(action="jury_reminder_sent").details == {
        "juror": str(anne.reference),
        "days": 3,
        "pending": 2,
    }

    again = _remind(3, TODAY + timedelta(days=1))

    assert (again["emails"], again["already"], len(mailoutbox)) == (0, 1, 1)


def test_another_delay_sends_another_reminder(mailoutbox):
    _arrange()
    _remind(3, TODAY)

    _remind(1, TODAY + timedelta(days=2))

    assert len(mailoutbox) == 2


def test_rounds_ending_later_or_already_ended_are_left_alone(mailoutbox):
    _arrange(ends_on=TODAY + timedelta(days=4))

    assert send_jury_reminders(3, today=TODAY)["rounds"] == 0
    assert send_jury_reminders(3, today=TODAY + timedelta(days=5))["rounds"] == 0
    assert mailoutbox == []


def test_command_prints_the_report(mailoutbox):
    _arrange(ends_on=timezone.localdate() + timedelta(days=2))
    out = StringIO()

    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("send_jury_reminders", "--days", "3", stdout=out)

    assert json.loads(out.getvalue()) == {
        "days": 3,
        "rounds": 1,
        "jurors": 1,
        "emails": 1,
        "already": 0,
        "availability": {"rounds": 0, "dossiers": 0, "emails": 0},
    }
    assert len(mailoutbox) == 1


def test_task_runs_the_same_work(mailoutbox):
    _arrange(ends_on=timezone.localdate() + timedelta(days=3))

    with TestCase.captureOnCommitCallbacks(execute=True):
        result = send_jury_reminders_task.enqueue(3)

    assert result.return_value["emails"] == 1
    assert len(mailoutbox) == 1
