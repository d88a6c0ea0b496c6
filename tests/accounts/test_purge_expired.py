"""`purge_expired` removes what outlived its retention period, to the second, and nothing else."""

import hashlib
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command

from accounts.models import SignInRecord, User
from accounts.personal_data import purge_expired
from applications.enums import ApplicationState
from applications.models import Application, Attachment, CriterionAnswer
from health.models import JobRun
from jury.models import CriterionScore, Evaluation
from tests.factories import (
    ApplicationFactory,
    CriterionAnswerFactory,
    CriterionFactory,
    UserFactory,
)
from tests.jury.factories import CriterionScoreFactory, EvaluationFactory

NOW = datetime(2030, 6, 1, 3, 40, tzinfo=UTC)
SECOND = timedelta(seconds=1)


@pytest.fixture
def media(settings, tmp_path) -> Path:
    root = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    return root


@pytest.fixture
def periods(settings):
    settings.RETENTION_DOSSIER_DAYS = 1095
    settings.RETENTION_JUROR_COMMENT_DAYS = 730
    settings.RETENTION_SIGN_IN_DAYS = 180
    settings.RETENTION_UNCONFIRMED_ACCOUNT_DAYS = 30


def cutoff(days: int) -> datetime:
    return NOW - timedelta(days=days)


def test_sign_ins_older_than_the_period_go(db, periods):
    user = UserFactory()
    SignInRecord.objects.create(user=user, at=cutoff(180) - SECOND, address="192.0.2.1")
    SignInRecord.objects.create(user=user, at=cutoff(180), address="192.0.2.2")

    purged = purge_expired(NOW)

    assert purged["connexions"] == 1
    assert list(SignInRecord.objects.values_list("address", flat=True)) == ["192.0.2.2"]


def test_only_old_unconfirmed_accounts_go(db, periods):
    old = UserFactory(email="ancien@exemple.fr", email_confirmed_at=None)
    UserFactory(email="limite@exemple.fr", email_confirmed_at=None, date_joined=cutoff(30))
    confirmed = UserFactory(email="confirme@exemple.fr", email_confirmed_at=cutoff(40))
    User.objects.filter(pk__in=[old.pk, confirmed.pk]).update(date_joined=cutoff(30) - SECOND)

    purged = purge_expired(NOW)

    assert purged["comptes_non_confirmes"] == 1
    assert sorted(User.objects.values_list("email", flat=True)) == [
        "confirme@exemple.fr",
        "limite@exemple.fr",
    ]


def _dossier(state: str, changed_at: datetime, token: str) -> Application:
    dossier = ApplicationFactory(
        state=state, contact_name="Agent", contact_email="agent@exemple.fr", description="Texte"
    )
    CriterionAnswerFactory(application=dossier, text="Réponse")
    Attachment.objects.create(
        application=dossier,
        token=token,
        file=ContentFile(b"%PDF-1.4", name="piece.pdf"),
        original_name="piece.pdf",
        content_type="application/pdf",
        size=8,
        sha256=hashlib.sha256(b"%PDF-1.4").hexdigest(),
    )
    Application.objects.filter(pk=dossier.pk).update(updated_at=changed_at)
    return dossier


def test_non_laureate_dossiers_lose_files_and_contacts_after_the_period(db, media, periods):
    expired = _dossier(ApplicationState.NOT_AWARDED, cutoff(1095) - SECOND, "a" * 32)
    stored = media / Attachment.objects.get(token="a" * 32).file.name
    at_limit = _dossier(ApplicationState.NOT_AWARDED, cutoff(1095), "b" * 32)
    laureate = _dossier(ApplicationState.AWARDED, cutoff(1095) - SECOND, "c" * 32)

    with pytest.MonkeyPatch.context() as patch:
        # Files go once the transaction commits; the test's transaction never does.
        patch.setattr("django.db.transaction.on_commit", lambda callback, **kw: callback())
        purged = purge_expired(NOW)

    assert purged["dossiers_non_laureats"] == 1
    expired.refresh_from_db()
    assert (expired.contact_name, expired.contact_email, expired.description) == ("", "", "")
    assert expired.purged_at is not None
    assert expired.title.startswith("Projet numérique")
    assert not stored.exists()
    assert CriterionAnswer.objects.get(application=expired).text == ""
    assert sorted(Attachment.objects.values_list("token", flat=True)) == ["b" * 32, "c" * 32]
    for kept in (at_limit, laureate):
        kept.refresh_from_db()
        assert (kept.contact_email, kept.purged_at) == ("agent@exemple.fr", None)


def test_a_purged_dossier_is_not_counted_again(db, media, periods):
    _dossier(ApplicationState.INELIGIBLE, cutoff(1095) - SECOND, "a" * 32)
    purge_expired(NOW)

    assert purge_expired(NOW + timedelta(days=1))["dossiers_non_laureats"] == 0


def test_jurors_comments_go_after_the_period_and_scores_stay(db, periods):
    old = EvaluationFactory(overall_comment="Ancien avis")
    CriterionScoreFactory(evaluation=old, criterion=CriterionFactory(), comment="Ancien", score=4)
    recent = EvaluationFactory(overall_comment="Avis récent")
    CriterionScoreFactory(evaluation=recent, criterion=CriterionFactory(), comment="Récent")
    Evaluation.objects.filter(pk=old.pk).update(updated_at=cutoff(730) - SECOND)
    Evaluation.objects.filter(pk=recent.pk).update(updated_at=cutoff(730))

    purged = purge_expired(NOW)

    assert purged["commentaires_jures"] == 2
    assert sorted(Evaluation.objects.values_list("overall_comment", flat=True)) == [
        "",
        "Avis récent",
    ]
    assert sorted(CriterionScore.objects.values_list("comment", "score")) == [
        ("", 4),
        ("Récent", 3),
    ]


def test_the_command_reports_each_kind_and_records_its_run(db, periods):
    user = UserFactory()
    SignInRecord.objects.create(user=user, at=datetime(2000, 1, 1, tzinfo=UTC))
    out = io.StringIO()

    call_command("purge_expired", stdout=out)

    assert out.getvalue().splitlines() == [
        "connexions: 1 (> 180 j)",
        "comptes_non_confirmes: 0 (> 30 j)",
        "dossiers_non_laureats: 0 (> 1095 j)",
        "commentaires_jures: 0 (> 730 j)",
    ]
    assert JobRun.objects.filter(job="purge_expired").count() == 1
