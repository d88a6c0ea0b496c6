"""« Changer de mot de passe » for a signed-in person: the current password, then the new one.

Forgotten passwords go through the reset by email (account.PasswordResetView); a person who is
signed in needs no email to change theirs.
"""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ..forms.account import PasswordChangeForm


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        # Other sessions of the account end (their hash no longer matches); this one stays.
        update_session_auth_hash(request, user)
        messages.success(request, _("Votre mot de passe est changé."))
        return redirect("accounts:account")
    return render(request, "accounts/password_change.html", {"form": form})
