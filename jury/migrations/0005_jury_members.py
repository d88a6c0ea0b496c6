"""One jury per edition (issue 15): people invited once, conflicts held in every round.

Before: a `Juror` per round, its own invitation, and conflicts per round juror, so a conflict
decided in one round was unknown to the next. After: a `JuryMember` per person of an edition
(by address), each round's `Juror` pointing to it, and conflicts keyed on (member, dossier).

The merge, by (edition, address, case ignored):
- the member takes the most advanced answer (accepted, else invited, else declined), the account
  the person answered with, the latest name and institution, and the link of an invitation
  still open (so an emailed link keeps working);
- the conflicts of one person, dossier and reason become one: the latest decision wins (a
  decided row over an undecided one, so a dismissal is not undone by a re-detection); earlier
  decisions and other wordings of the reason are appended to the kept row's texts, not lost;
- per-round loads that were the old defaults (0 to 10 dossiers) become the fair share (empty).
Going back splits them again: every round juror gets a copy of its member's conflicts.
"""

import secrets
import uuid
from collections import defaultdict

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.db.models import F, Q

import jury.models.jurors

# The most advanced answer wins.
STATE_ORDER = {"accepted": 0, "invited": 1, "declined": 2}
STATUS_LABELS = {"in_force": "à examiner", "confirmed": "confirmé", "dismissed": "écarté"}


def _members(apps) -> dict[int, int]:
    """Create one member per (edition, address); return {juror id: member id}."""
    Juror = apps.get_model("jury", "Juror")
    JuryMember = apps.get_model("jury", "JuryMember")
    groups = defaultdict(list)
    for juror in Juror.objects.select_related("round").order_by("invited_at", "pk"):
        groups[(juror.round.edition_id, juror.email.strip().lower())].append(juror)
    member_of = {}
    for (edition_id, _email), jurors in groups.items():
        latest = jurors[-1]
        state = min((juror.state for juror in jurors), key=STATE_ORDER.__getitem__)
        user_id = next((juror.user_id for juror in reversed(jurors) if juror.user_id), None)
        still_open = [juror for juror in jurors if juror.state == "invited"]
        invitation = still_open[-1] if state == "invited" else latest
        answers = [juror.answered_at for juror in jurors if juror.answered_at]
        member = JuryMember.objects.create(
            edition_id=edition_id,
            email=latest.email,
            full_name=latest.full_name,
            user_id=user_id,
            institution_id=latest.institution_id,
            institution_name=latest.institution_name,
            state=state,
            token=invitation.token or secrets.token_urlsafe(24),
            invited_at=invitation.invited_at,
            answered_at=max(answers) if answers else None,
        )
        Juror.objects.filter(pk__in=[juror.pk for juror in jurors]).update(
            member=member,
            user_id=user_id,
            email=latest.email,
            full_name=latest.full_name,
            institution_id=latest.institution_id,
            institution_name=latest.institution_name,
            state=state,
        )
        member_of.update({juror.pk: member.pk for juror in jurors})
    # The old defaults meant "no idea": the fair share now.
    Juror.objects.filter(capacity_min=0).update(capacity_min=None)
    Juror.objects.filter(capacity_max=10).update(capacity_max=None)
    return member_of


def _texts(kept: list[str], others: list[str]) -> str:
    seen = [text for text in kept if text]
    for text in others:
        if text and text not in seen:
            seen.append(text)
    return "\n".join(seen)


def merge_into_members(apps, schema_editor):
    Conflict = apps.get_model("jury", "Conflict")
    member_of = _members(apps)
    groups = defaultdict(list)
    for conflict in Conflict.objects.select_related("juror").order_by("created_at", "pk"):
        key = (member_of[conflict.juror_id], conflict.application_id, conflict.reason_code)
        groups[key].append(conflict)
    for (member_id, _application, _code), rows in groups.items():
        decided = sorted(
            (row for row in rows if row.decided_at), key=lambda r: (r.decided_at, r.pk)
        )
        kept = decided[-1] if decided else rows[0]
        earlier = [
            f"Décision antérieure du {row.decided_at:%d/%m/%Y} ({STATUS_LABELS[row.status]}) : "
            f"{row.decision_reason}"
            for row in decided[:-1]
        ]
        kept.decision_reason = _texts([kept.decision_reason], earlier)
        kept.reason = _texts([kept.reason], [row.reason for row in rows])
        kept.member_id = member_id
        kept.round_id = rows[0].juror.round_id
        kept.save(update_fields=["decision_reason", "reason", "member", "round"])
        Conflict.objects.filter(pk__in=[row.pk for row in rows if row.pk != kept.pk]).delete()


def split_from_members(apps, schema_editor):
    Juror = apps.get_model("jury", "Juror")
    JuryMember = apps.get_model("jury", "JuryMember")
    Conflict = apps.get_model("jury", "Conflict")
    jurors_of = defaultdict(list)
    for juror in Juror.objects.order_by("pk"):
        jurors_of[juror.member_id].append(juror)
    for member in JuryMember.objects.all():
        for index, juror in enumerate(jurors_of[member.pk]):
            juror.token = member.token if index == 0 else secrets.token_urlsafe(24)
            juror.answered_at = member.answered_at
            juror.capacity_min = 0 if juror.capacity_min is None else juror.capacity_min
            juror.capacity_max = 10 if juror.capacity_max is None else juror.capacity_max
            juror.save(update_fields=["token", "answered_at", "capacity_min", "capacity_max"])
    for conflict in Conflict.objects.all():
        jurors = jurors_of[conflict.member_id]
        if not jurors:  # a person no longer in any round: nothing to attach it to
            conflict.delete()
            continue
        conflict.juror_id = jurors[0].pk
        conflict.save(update_fields=["juror"])
        for juror in jurors[1:]:
            conflict.pk = None
            conflict.juror_id = juror.pk
            conflict.save()


class Migration(migrations.Migration):
    # The data step runs between schema changes of the same tables: on PostgreSQL, one
    # transaction would leave deferred foreign-key checks pending when the next ALTER TABLE comes
    # (« pending trigger events »). Each operation commits on its own; the data step is atomic.
    atomic = False
    dependencies = [
        ("contests", "0007_editiontransparency"),
        ("jury", "0004_remove_roundentry_eliminated"),
        ("territories", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="JuryMember",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "institution_name",
                    models.CharField(
                        blank=True, max_length=200, verbose_name="institution partenaire"
                    ),
                ),
                ("reference", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("email", models.EmailField(max_length=254, verbose_name="adresse électronique")),
                ("full_name", models.CharField(max_length=150, verbose_name="nom complet")),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("invited", "Invité"),
                            ("accepted", "A accepté"),
                            ("declined", "A décliné"),
                        ],
                        default="invited",
                        max_length=16,
                        verbose_name="état",
                    ),
                ),
                (
                    "token",
                    models.CharField(
                        default=jury.models.jurors.invitation_token, max_length=64, unique=True
                    ),
                ),
                ("invited_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("answered_at", models.DateTimeField(blank=True, null=True)),
                (
                    "edition",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="jury_members",
                        to="contests.edition",
                        verbose_name="édition",
                    ),
                ),
                (
                    "institution",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="territories.organisation",
                        verbose_name="institution",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="jury_memberships",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "membre du jury",
                "verbose_name_plural": "membres du jury",
                "ordering": ["edition", "full_name"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("edition", "email"), name="jury_member_unique_email"
                    ),
                    models.CheckConstraint(
                        condition=Q(institution__isnull=False) | ~Q(institution_name=""),
                        name="jury_member_has_institution",
                    ),
                ],
            },
        ),
        migrations.AddField(
            model_name="round",
            name="jurors_per_dossier",
            field=models.PositiveSmallIntegerField(default=3, verbose_name="jurés par dossier"),
        ),
        migrations.RemoveConstraint(model_name="conflict", name="conflict_unique"),
        migrations.RemoveConstraint(model_name="juror", name="juror_capacity_range"),
        migrations.AlterField(
            model_name="juror",
            name="capacity_min",
            field=models.PositiveSmallIntegerField(
                blank=True, null=True, verbose_name="dossiers au minimum"
            ),
        ),
        migrations.AlterField(
            model_name="juror",
            name="capacity_max",
            field=models.PositiveSmallIntegerField(
                blank=True, null=True, verbose_name="dossiers au maximum"
            ),
        ),
        migrations.AlterField(
            model_name="juror",
            name="institution",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="territories.organisation",
                verbose_name="institution",
            ),
        ),
        migrations.AddField(
            model_name="juror",
            name="member",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="jurors",
                to="jury.jurymember",
            ),
        ),
        migrations.AddField(
            model_name="conflict",
            name="member",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="conflicts",
                to="jury.jurymember",
            ),
        ),
        migrations.AddField(
            model_name="conflict",
            name="round",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="jury.round",
            ),
        ),
        # Nullable while the rows move, so that going back can fill them in again.
        migrations.AlterField(
            model_name="conflict",
            name="juror",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="conflicts",
                to="jury.juror",
            ),
        ),
        migrations.AlterField(
            model_name="juror",
            name="token",
            field=models.CharField(max_length=64, null=True, unique=True),
        ),
        migrations.RunPython(merge_into_members, split_from_members, atomic=True),
        migrations.AlterField(
            model_name="juror",
            name="member",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="jurors",
                to="jury.jurymember",
            ),
        ),
        migrations.AlterField(
            model_name="conflict",
            name="member",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="conflicts",
                to="jury.jurymember",
            ),
        ),
        migrations.RemoveField(model_name="conflict", name="juror"),
        migrations.RemoveField(model_name="juror", name="answered_at"),
        migrations.RemoveField(model_name="juror", name="token"),
        migrations.AlterModelOptions(
            name="conflict",
            options={
                "ordering": ["member", "application__reference"],
                "verbose_name": "conflit d'intérêts",
                "verbose_name_plural": "conflits d'intérêts",
            },
        ),
        migrations.AddConstraint(
            model_name="conflict",
            constraint=models.UniqueConstraint(
                fields=("member", "application", "reason_code"), name="conflict_unique"
            ),
        ),
        migrations.AddConstraint(
            model_name="juror",
            constraint=models.UniqueConstraint(
                fields=("round", "member"), name="juror_unique_member"
            ),
        ),
        migrations.AddConstraint(
            model_name="juror",
            constraint=models.CheckConstraint(
                condition=Q(capacity_min__isnull=True)
                | Q(capacity_max__isnull=True)
                | Q(capacity_max__gte=F("capacity_min")),
                name="juror_capacity_range",
            ),
        ),
    ]
