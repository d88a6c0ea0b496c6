"""The emailed link a first enrolment needs (accounts.enrolment_proof): the page that sends it,
and the page the link opens.

Opening the link (GET) changes nothing, so that mail scanners which open links do not spend it;
its button (POST) spends it and puts the proof in the session.
"""

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from .. import enrolment_proof, second_factor


def ask_for_the_link(request: HttpRequest, next_url: str | None) -> HttpResponse:
    """The enrolment page of an account without the proof: sends the link, shows no secret."""
    user = request.user
    # Emails leave the request cycle, and this link hands over an account: the site's public
    # address, never the Host header the request came with.
    sending = enrolment_proof.send_link(user, base_url=settings.SITE_URL)
    return render(
        request,
        "accounts/two_factor_enrol_link.html",
        {
            "sending": sending.value,
            "email": user.email,
            "minutes": enrolment_proof.RESEND_AFTER_SECONDS // 60,
            "link_minutes": int(enrolment_proof.LINK_MAX_AGE.total_seconds() // 60),
            "required": second_factor.requires_second_factor(user),
            "next": next_url,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def enrol_link(request: HttpRequest, token: str) -> HttpResponse:
    """The link of the email: a button (GET), which spends the link and proves the mailbox."""
    signed_in = request.user if request.user.is_authenticated else None
    try:
        owner = enrolment_proof.read_token(token)
        if signed_in is not None and signed_in.pk != owner.pk:
            return _refused(
                request,
                _(
                    "Ce lien d'activation a été envoyé à un autre compte que celui avec lequel "
                    "vous êtes connecté. Déconnectez-vous, puis ouvrez de nouveau le lien."
                ),
                status=403,
            )
        if request.method == "POST":
            owner = enrolment_proof.use_token(token)
    except enrolment_proof.LinkExpired:
        return _refused(
            request,
            _("Ce lien d'activation a expiré. Connectez-vous : un nouveau lien vous sera envoyé."),
        )
    except enrolment_proof.LinkRefused:
        return _refused(
            request,
            _(
                "Ce lien d'activation n'est pas valable : il a déjà servi, un lien plus récent "
                "l'a remplacé, ou il n'a pas été copié en entier. Connectez-vous : un nouveau "
                "lien vous sera envoyé."
            ),
        )
    if request.method == "GET":
        return render(request, "accounts/two_factor_enrol_link_open.html", {"token": token})
    enrolment_proof.grant(request.session, owner)
    if signed_in is None:
        messages.info(
            request,
            _(
                "Votre adresse est vérifiée. Connectez-vous dans ce navigateur pour activer la "
                "double authentification."
            ),
        )
        return redirect("accounts:login")
    return redirect(reverse("accounts:two_factor_enrol"))


def _refused(request: HttpRequest, error: str, *, status: int = 400) -> HttpResponse:
    return render(
        request, "accounts/two_factor_enrol_link_open.html", {"error": error}, status=status
    )
