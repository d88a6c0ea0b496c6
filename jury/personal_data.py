"""What the jury holds about a person (« Mes données », accounts.personal_data): their seats on
juries and the evaluations they gave; their pseudonymisation when the account is deleted; the
retention of jurors' comments."""

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.personal_data import PersonalDataSection, Pseudonym, RetentionRule, Rows
from contests.models import Edition

from .models import CriterionScore, Evaluation, Juror, JuryMember


def jury_rows(user: User) -> Rows:
    members = JuryMember.objects.filter(user=user).select_related("edition__contest")
    return [
        {
            "edition": str(member.edition),
            "full_name": member.full_name,
            "email": member.email,
            "institution": member.institution_label,
            "state": member.state,
            "invited_at": member.invited_at.isoformat(),
            "rounds": [
                {"round": juror.round.name, "is_president": juror.is_president}
                for juror in member.jurors.select_related("round").order_by("pk")
            ],
            "conflicts": [
                {
                    "dossier": conflict.application.reference,
                    "source": conflict.source,
                    "reason": conflict.reason,
                    "status": conflict.status,
                }
                for conflict in member.conflicts.select_related("application").order_by("pk")
            ],
        }
        for member in members.order_by("pk")
    ]


def evaluation_rows(user: User) -> Rows:
    evaluations = Evaluation.objects.filter(assignment__juror__user=user).select_related(
        "assignment__application", "assignment__juror__round"
    )
    return [
        {
            "dossier": evaluation.assignment.application.reference,
            "round": evaluation.assignment.juror.round.name,
            "state": evaluation.state,
            "overall_comment": evaluation.overall_comment,
            "submitted_at": evaluation.submitted_at.isoformat()
            if evaluation.submitted_at
            else None,
            "scores": [
                {
                    "criterion": score.criterion.name,
                    "score": score.score,
                    "insufficient": score.insufficient,
                    "comment": score.comment,
                }
                for score in evaluation.scores.select_related("criterion").order_by("pk")
            ],
        }
        for evaluation in evaluations.order_by("pk")
    ]


def presidency_refusal(user: User) -> str:
    """A jury president may not leave before the edition's results are public: the
    president validates the deliberation."""
    presided = Edition.objects.filter(
        rounds__jurors__user=user, rounds__jurors__is_president=True
    ).distinct()
    pending = presided.exclude(pk__in=Edition.objects.public().values("pk"))
    names = ", ".join(str(edition) for edition in pending.select_related("contest"))
    if not names:
        return ""
    return _(
        "Vous présidez le jury de %(editions)s, dont les résultats ne sont pas encore "
        "publiés : l'édition resterait sans président pour valider la délibération. "
        "Demandez aux organisateurs de nommer un autre président, puis supprimez votre compte."
    ) % {"editions": names}


def erase_juror(user: User, pseudonym: Pseudonym) -> None:
    """The person's seats keep their evaluations, under the pseudonym."""
    replacement = {"user": None, "email": pseudonym.email, "full_name": pseudonym.name}
    with transaction.atomic():
        Juror.objects.filter(user=user).update(**replacement)
        JuryMember.objects.filter(user=user).update(**replacement)


def purge_comments(cutoff: datetime) -> int:
    """Clear the comments of evaluations unchanged since `cutoff`; returns how many comments
    (overall or per criterion) were cleared. The scores stay: they make the results."""
    old = Evaluation.objects.filter(updated_at__lt=cutoff)
    with transaction.atomic():
        overall = old.exclude(overall_comment="").update(overall_comment="")
        per_criterion = (
            CriterionScore.objects.filter(evaluation__in=old).exclude(comment="").update(comment="")
        )
    return overall + per_criterion


SECTIONS = [
    PersonalDataSection(
        "jurys",
        gettext_lazy("Vos places dans des jurys"),
        jury_rows,
        refusal=presidency_refusal,
        erase=erase_juror,
    ),
    PersonalDataSection(
        "evaluations", gettext_lazy("Les évaluations que vous avez données"), evaluation_rows
    ),
]
RETENTION = RetentionRule("commentaires_jures", "RETENTION_JUROR_COMMENT_DAYS", purge_comments)
