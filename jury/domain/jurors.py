"""The edition's jury: people invited once, seated in its rounds by organisers.

A person joins the edition's jury (`JuryMember`) the first time organisers invite them to one
of its rounds; they accept or decline once (jury.domain.invitations), and organisers then seat
them in later rounds without a new invitation: one by one (`invite_juror`) or the whole jury of
an earlier round at once (`take_jury_from`). Their identity is the member's; each round's
`Juror` keeps a copy (`_mirror`). Every step is logged (contests.activity.record), and conflicts
are detected when someone is seated, accepts, or changes institution.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User
from contests.activity import record

from ..enums import ConflictSource, ConflictStatus, EvaluationState, JurorState
from ..models import Evaluation, Juror, JuryMember, Round, invitation_token
from .conflicts import detect_conflicts


class JurorRefused(Exception):
    """An action on a juror that cannot be done; the message is for the user."""


def _copy_identity(juror: Juror, member: JuryMember) -> None:
    juror.member = member
    juror.user = member.user
    juror.email = member.email
    juror.full_name = member.full_name
    juror.institution = member.institution
    juror.institution_name = member.institution_name
    juror.state = member.state


def mirror(member: JuryMember) -> None:
    """Copy the member's identity onto each of its round jurors (one UPDATE)."""
    member.jurors.update(
        user=member.user,
        email=member.email,
        full_name=member.full_name,
        institution=member.institution,
        institution_name=member.institution_name,
        state=member.state,
    )


def reopen_invitation(member: JuryMember) -> None:
    """A new invitation for the member (not saved): invited again, a fresh single-use link."""
    member.state = JurorState.INVITED
    member.token = invitation_token()
    member.invited_at = timezone.now()
    member.answered_at = None


def detect_everywhere(member: JuryMember, *, by: User | None) -> None:
    """Detect the member's conflicts with the dossiers of each round they sit in."""
    for juror in member.jurors.select_related("round__edition"):
        detect_conflicts(juror.round, jurors=[juror], by=by)


def _institution_changed(member: JuryMember, juror: Juror) -> bool:
    return (member.institution_id, member.institution_name) != (
        juror.institution_id,
        juror.institution_name,
    )


def _forget_undecided_detections(member: JuryMember) -> None:
    """The detected conflicts nobody decided were about the old institution: they go; every
    declared or decided one stays (a decision is never lost)."""
    member.conflicts.filter(
        source=ConflictSource.DETECTED, status=ConflictStatus.IN_FORCE, decided_at=None
    ).delete()


def invite_juror(juror: Juror, themes, *, by: User, base_url: str) -> bool:
    """Seat someone in a round (the juror is built by the form, not saved yet); return whether
    an invitation was emailed.

    Steps: find the edition's member with this address, or create it (invited, fresh link); a
    member who accepted is seated at once and one still invited keeps their open invitation
    (no email), one who declined is invited again; the name and institution typed become the
    member's in every round (undecided detections forgotten if the institution changed); save
    the juror as a copy of the member, with its themes; detect conflicts; log; email the
    invitation after commit when one is due.
    """
    from .invitations import send_invitation

    round_ = juror.round
    with transaction.atomic():
        member = JuryMember.objects.filter(
            edition=round_.edition, email__iexact=juror.email
        ).first()
        invite = member is None or member.state == JurorState.DECLINED
        if member is None:
            member = JuryMember(edition=round_.edition, email=juror.email)
        moved = member.pk is not None and _institution_changed(member, juror)
        member.full_name = juror.full_name
        member.institution = juror.institution
        member.institution_name = juror.institution_name
        if invite:
            reopen_invitation(member)
        member.save()
        _copy_identity(juror, member)
        juror.save()
        juror.themes.set(themes)
        mirror(member)
        if moved:
            _forget_undecided_detections(member)
            detect_everywhere(member, by=by)
        else:
            detect_conflicts(round_, jurors=[juror], by=by)
        record(
            round_.edition,
            "juror_invited" if invite else "juror_seated",
            by=by,
            subject=str(juror.reference),
            round=round_.slug,
            email=juror.email,
            institution=juror.institution_label,
            member=str(member.reference),
        )
        if invite:
            send_invitation(member, round_, base_url=base_url)
    return invite


def update_juror(juror: Juror, themes, *, changed: list[str], by: User) -> Juror:
    """Save an organiser's changes to a juror.

    Steps: save the round's juror and its themes; the address (while invited), name and
    institution become the member's, copied to every round they sit in; if the institution
    changed, forget the member's undecided detections and detect again in each of their
    rounds; log the fields changed.
    """
    member = juror.member
    with transaction.atomic():
        moved = _institution_changed(member, juror)
        member.email = juror.email
        member.full_name = juror.full_name
        member.institution = juror.institution
        member.institution_name = juror.institution_name
        member.save(update_fields=["email", "full_name", "institution", "institution_name"])
        juror.save()
        juror.themes.set(themes)
        mirror(member)
        if moved:
            _forget_undecided_detections(member)
            detect_everywhere(member, by=by)
        record(
            juror.round.edition,
            "juror_updated",
            by=by,
            subject=str(juror.reference),
            changed=sorted(changed),
        )
    return juror


def remove_juror(juror: Juror, *, by: User) -> None:
    """Take a juror who has sent no evaluation off a round (their assignments there go; they
    stay on the edition's jury, and their conflicts with them)."""
    sent = Evaluation.objects.filter(
        assignment__juror=juror, state=EvaluationState.SUBMITTED
    ).count()
    if sent:
        raise JurorRefused(
            gettext("Ce juré a déjà envoyé %(count)s évaluation(s) : il ne peut plus être retiré.")
            % {"count": sent}
        )
    with transaction.atomic():
        record(
            juror.round.edition,
            "juror_removed",
            by=by,
            subject=str(juror.reference),
            email=juror.email,
        )
        juror.delete()


def rounds_to_take_from(round_: Round) -> list[Round]:
    """The edition's other rounds with jurors, whose jury this round may take."""
    return list(
        Round.objects.filter(edition_id=round_.edition_id, jurors__isnull=False)
        .exclude(pk=round_.pk)
        .distinct()
        .order_by("position", "name")
    )


def take_jury_from(source: Round, target: Round, *, by: User) -> list[Juror]:
    """Seat in `target` the jury of `source`, another round of the edition, in one action.

    Steps: guard (same edition, another round); for everyone in `source` who has not declined
    and is not in `target` yet, a juror in `target` copied from their member, with their themes
    (and the chair, if `target` has no president yet): those who accepted the edition's jury
    are accepted at once, those still invited keep their open invitation, nobody is emailed;
    detect their conflicts with `target`'s dossiers (those they already have hold); log.
    Returns the jurors seated.
    """
    if source.edition_id != target.edition_id or source.pk == target.pk:
        raise JurorRefused(gettext("Choisissez un autre tour de la même édition."))
    seated = set(target.jurors.values_list("member_id", flat=True))
    has_president = target.jurors.filter(is_president=True).exists()
    added = []
    with transaction.atomic():
        for juror in (
            source.jurors.exclude(state=JurorState.DECLINED)
            .select_related("member")
            .prefetch_related("themes")
            .order_by("full_name", "pk")
        ):
            if juror.member_id in seated:
                continue
            copy = Juror(round=target, is_president=juror.is_president and not has_president)
            has_president = has_president or copy.is_president
            _copy_identity(copy, juror.member)
            copy.save()
            copy.themes.set(juror.themes.all())
            added.append(copy)
        if added:
            detect_conflicts(target, jurors=added, by=by)
        record(
            target.edition,
            "jury_taken_from_round",
            by=by,
            subject=target.slug,
            source=source.slug,
            count=len(added),
        )
    return added
