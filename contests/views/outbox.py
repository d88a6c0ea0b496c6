"""Organisers' view of the outbox (notifications): the emails the mail server has not accepted
yet, why, and « Renvoyer » for one or all of them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from notifications import outbox
from notifications.models import OutgoingEmail
from palmares.permissions import get_object_or_404_with_perm

PER_PAGE = 50


@login_required
def undelivered(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("contests.view_outbox"):
        raise PermissionDenied
    emails = outbox.undelivered_emails().order_by("-created_at", "-pk")
    page = Paginator(emails, PER_PAGE).get_page(request.GET.get("page"))
    rows = [(email, outbox.kind_label(email.kind)) for email in page]
    return render(request, "contests/outbox.html", {"page": page, "rows": rows})


@login_required
@require_POST
def resend(request: HttpRequest, reference: str) -> HttpResponse:
    email = get_object_or_404_with_perm(
        request, "contests.resend_email", OutgoingEmail, reference=reference
    )
    if outbox.resend(email):
        messages.success(
            request,
            _("Le courriel « %(subject)s » est renvoyé.") % {"subject": email.subject},
        )
    else:
        messages.info(request, _("Ce courriel a été remis entre-temps : rien à renvoyer."))
    return redirect("contests:outbox")


@login_required
@require_POST
def resend_all(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("contests.resend_email"):
        raise PermissionDenied
    count = outbox.resend_all()
    if count:
        messages.success(
            request,
            ngettext("%(count)d courriel est renvoyé.", "%(count)d courriels sont renvoyés.", count)
            % {"count": count},
        )
    else:
        messages.info(request, _("Aucun courriel n'attend d'être renvoyé."))
    return redirect("contests:outbox")
