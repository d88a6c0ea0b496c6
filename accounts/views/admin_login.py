"""/admin-technique/login/: the technical admin signs in through the site's sign-in page.

Django's admin login has its own form, without the throttling of accounts/throttling.py nor the
second factor's step. This view takes its URL and sends everyone to `accounts:login` with the
admin as `next`: one sign-in, one throttling, then the second factor before any admin page
(SecondFactorMiddleware gates the admin like any non-public page). A POST of credentials here
authenticates nobody.
"""

from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .. import second_factor


def admin_login(request: HttpRequest) -> HttpResponse:
    next_url = second_factor.safe_next(request) or reverse("admin:index")
    if request.user.is_authenticated:
        if request.user.is_active and request.user.is_staff:
            return redirect(next_url)
        # Signed in without the technical role: no second sign-in form to guess on.
        raise PermissionDenied
    return redirect(f"{reverse('accounts:login')}?{urlencode({REDIRECT_FIELD_NAME: next_url})}")
