"""« Mes données »: what is held about the signed-in person, its download, the account's
deletion (accounts.personal_data)."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ..archive import stream_archive
from ..forms.personal_data import DeleteAccountForm
from ..personal_data import DeletionRefused, deletion_refusals, erase_account, sections


def _page(request: HttpRequest, form: DeleteAccountForm, *, status: int = 200) -> HttpResponse:
    context = {
        "sections": [(section.label, len(section.rows(request.user))) for section in sections()],
        "refusals": deletion_refusals(request.user),
        "form": form,
    }
    return render(request, "accounts/my_data.html", context, status=status)


@login_required
@require_GET
def my_data(request: HttpRequest) -> HttpResponse:
    return _page(request, DeleteAccountForm(request.user))


@login_required
@require_GET
def my_data_archive(request: HttpRequest) -> StreamingHttpResponse:
    response = StreamingHttpResponse(stream_archive(request.user), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="mes-donnees.zip"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.user, request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    try:
        erase_account(request.user)
    except DeletionRefused:
        # The page already says why; the refusal may have appeared since it was shown.
        return _page(request, form, status=409)
    logout(request)
    messages.success(request, _("Votre compte est supprimé. Merci d'avoir utilisé la plateforme."))
    return redirect("catalogue:home")
