"""Who organises a contest: the per-contest organiser role (ContestOrganiser).

An organiser (accounts' `User.is_organiser`) with no ContestOrganiser row organises every
contest; one with rows is kept to those contests (contests.rules.is_contest_organiser). Only an
organiser of every contest gives or takes the role (contests.manage_contest_organisers).
"""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User

from .models import Contest, ContestOrganiser

activity = logging.getLogger("activity")


def _forget(user: User) -> None:
    # Drop the per-request cache of contests.rules.kept_to_contest_ids on this user object.
    user.__dict__.pop("_organised_contest_ids", None)


@transaction.atomic
def keep_to_contest(contest: Contest, user: User, *, by) -> ContestOrganiser:
    """Make `user` an organiser of `contest`, kept to the contests they have a row for.

    Effects: guard (the user must be an organiser: the flag is what every organiser page
    checks first); create the row (idempotent); log.
    """
    if not user.is_organiser:
        raise ValidationError(
            _("%(email)s n'est pas organisateur : ajoutez-le d'abord comme organisateur."),
            code="not_organiser",
            params={"email": user.email},
        )
    role, _created = ContestOrganiser.objects.get_or_create(contest=contest, user=user)
    _forget(user)
    activity.info(
        "contest organiser added",
        extra={"contest": contest.pk, "user": user.pk, "by": getattr(by, "pk", None)},
    )
    return role


@transaction.atomic
def release_from_contest(contest: Contest, user: User, *, by) -> None:
    """Remove `user`'s role for `contest`.

    Effects: guard (refuse to remove a user's last contest: with no row left they would
    organise every contest; taking the organiser role away is `add_organiser --remove`);
    delete the row; log.
    """
    roles = ContestOrganiser.objects.filter(user=user)
    if not roles.exclude(contest=contest).exists():
        raise ValidationError(
            _(
                "%(email)s n'organise que ce concours : le retirer lui ouvrirait tous les "
                "concours. Retirez-lui plutôt le rôle d'organisateur."
            ),
            code="last_contest",
            params={"email": user.email},
        )
    roles.filter(contest=contest).delete()
    _forget(user)
    activity.info(
        "contest organiser removed",
        extra={"contest": contest.pk, "user": user.pk, "by": getattr(by, "pk", None)},
    )


@transaction.atomic
def create_contest(contest: Contest, *, by: User) -> Contest:
    """Save a new contest (from the organisers' form); an organiser kept to some contests is
    kept to this one too, so that they may go on to configure what they created."""
    contest.save()
    if ContestOrganiser.objects.filter(user=by).exists():
        keep_to_contest(contest, by, by=by)
    activity.info("contest created", extra={"contest": contest.pk, "by": by.pk})
    return contest
