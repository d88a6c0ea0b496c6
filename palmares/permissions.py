"""The one "fetch this object, then check the permission" helper every app's views use.

It lives in the project package, below every app, so that any app may import it; it must import
no app (permissions themselves are each app's rules.py).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404


def get_object_or_404_with_perm[M: Model](
    request: HttpRequest, perm: str, queryset_or_model: type[M] | QuerySet[M], **lookup: object
) -> M:
    """Return the object matching `lookup`, 404 if there is none, 403 if the user lacks `perm`.

    The permission is checked on the object (rules' ObjectPermissionBackend), so each app's
    rules.py stays the only place that says who may do what. Missing comes before forbidden:
    the lookup is by public slug or code, which anyone may guess anyway.
    """
    obj = get_object_or_404(queryset_or_model, **lookup)
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied
    return obj
