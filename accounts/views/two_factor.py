"""Two-factor pages: status, enrolment (with its QR code), the code after sign-in, recovery codes.

Recovery codes are shown in the response that creates them, once: they are never stored in
clear, not even in the session.
"""

import io

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from .. import enrolment_proof, second_factor, throttling, totp
from ..forms.two_factor import RecoveryCodeForm, TotpCodeForm
from .two_factor_link import ask_for_the_link


def _throttle_subject(user) -> str:
    # Counted apart from the password's failures: a correct password clears those, and must not
    # give back tries at the code. The client address's counter is the login's one, shared.
    return f"second-factor:{user.pk}"


def _grouped(secret: str) -> str:
    """The secret in groups of 4, for people who type it instead of scanning the QR code."""
    return " ".join(secret[index : index + 4] for index in range(0, len(secret), 4))


def _codes_page(request: HttpRequest, codes: list[str], next_url: str | None) -> HttpResponse:
    # The codes are in this response only; its views are never_cache (no-store): no cache
    # keeps a copy.
    return render(
        request,
        "accounts/two_factor_codes.html",
        {"codes": codes, "continue_url": next_url or second_factor.default_next(request.user)},
    )


@login_required
@never_cache
def status(request: HttpRequest) -> HttpResponse:
    user = request.user
    device = second_factor.confirmed_device(user)
    if device is not None and not second_factor.is_verified(request):
        return redirect(second_factor.verification_url(user, request.get_full_path()))
    return render(
        request,
        "accounts/two_factor.html",
        {
            "device": device,
            "required": second_factor.requires_second_factor(user),
            "remaining_codes": totp.remaining_recovery_codes(user) if device else 0,
        },
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    user = request.user
    current = second_factor.confirmed_device(user)
    next_url = second_factor.safe_next(request)
    if current is not None and not second_factor.is_verified(request):
        # Replacing the authenticator is worth as much as the authenticator itself: someone who
        # only has the password must not be able to enrol their own.
        return redirect(second_factor.verification_url(user, next_url))
    if current is None and second_factor.enrols_on_server_only(user):
        return render(request, "accounts/two_factor_server_only.html", status=403)
    if current is None and not enrolment_proof.holds(request.session, user):
        # The password alone shows no secret: the emailed link must prove the mailbox first.
        return ask_for_the_link(request, next_url)
    secret = second_factor.pending_secret(request, create=True)
    form = TotpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        enrolled = totp.enrol(user, secret, form.cleaned_data["code"], timezone.now())
        if enrolled is not None:
            device, codes = enrolled
            second_factor.forget_pending_secret(request)
            enrolment_proof.forget(request.session)
            second_factor.mark_verified(request, device)
            messages.success(request, _("La double authentification est activée."))
            return _codes_page(request, codes, next_url)
        form.add_error(
            "code",
            _(
                "Ce code ne correspond pas. Vérifiez que l'heure de votre téléphone est exacte, "
                "puis saisissez le code affiché maintenant."
            ),
        )
    if form.errors:
        form.fields["code"].widget.attrs["autofocus"] = True
    return render(
        request,
        "accounts/two_factor_enrol.html",
        {
            "form": form,
            "secret_groups": _grouped(secret),
            "otpauth_uri": totp.provisioning_uri(secret, user.email),
            "replacing": current is not None,
            "required": current is None and second_factor.requires_second_factor(user),
            "next": next_url,
        },
    )


@login_required
@never_cache
@require_GET
def enrol_qr(request: HttpRequest) -> HttpResponse:
    """The QR code of the enrolment under way, as SVG (an <img> of the enrolment page)."""
    user = request.user
    secret = second_factor.pending_secret(request, create=False)
    if secret is None or second_factor.enrols_on_server_only(user):
        raise Http404
    if second_factor.confirmed_device(user) is None and not enrolment_proof.holds(
        request.session, user
    ):
        raise Http404
    qr = segno.make(totp.provisioning_uri(secret, user.email), error="m")
    svg = io.BytesIO()
    # A viewBox without a size: the <img> gives the size, and the code scales without clipping.
    qr.save(svg, kind="svg", border=4, xmldecl=False, omitsize=True, dark="#000", light="#fff")
    return HttpResponse(svg.getvalue(), content_type="image/svg+xml")


def _refuse_throttled(form, refusal: throttling.Refusal) -> None:
    minutes = refusal.retry_after_minutes
    form.add_error(
        None,
        ngettext(
            "Trop de codes erronés. Pour votre sécurité, réessayez dans %(minutes)d minute.",
            "Trop de codes erronés. Pour votre sécurité, réessayez dans %(minutes)d minutes.",
            minutes,
        )
        % {"minutes": minutes},
    )


def _recovery_message(remaining: int) -> str:
    if remaining == 0:
        return _(
            "Vous avez utilisé votre dernier code de secours. "
            "Générez-en de nouveaux dès maintenant."
        )
    return ngettext(
        "Code de secours accepté. Il vous reste %(count)d code de secours.",
        "Code de secours accepté. Il vous reste %(count)d codes de secours.",
        remaining,
    ) % {"count": remaining}


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of the sign-in: a code of the authenticator, or a recovery code."""
    user = request.user
    next_url = second_factor.safe_next(request)
    device = second_factor.confirmed_device(user)
    if device is None:
        return redirect(second_factor.verification_url(user, next_url))
    using_recovery = request.method == "POST" and "recovery_code" in request.POST
    code_form = TotpCodeForm(
        request.POST if request.method == "POST" and not using_recovery else None,
        autofocus=not using_recovery,
    )
    recovery_form = RecoveryCodeForm(request.POST if using_recovery else None)
    status_code = 200
    if request.method == "POST":
        form = recovery_form if using_recovery else code_form
        subject, address = _throttle_subject(user), throttling.client_address(request)
        refusal = throttling.check(subject, address)
        if refusal is not None:
            # Checked before the code, so that a right code while blocked tells nothing.
            form.is_valid()
            _refuse_throttled(form, refusal)
            status_code = 429
        elif form.is_valid():
            now = timezone.now()
            if using_recovery:
                accepted = totp.use_recovery_code(user, form.cleaned_data["recovery_code"], now)
            else:
                accepted = totp.verify_totp(device, form.cleaned_data["code"], now)
            if accepted:
                throttling.clear_email(subject)
                second_factor.mark_verified(request, device)
                if using_recovery:
                    remaining = totp.remaining_recovery_codes(user)
                    level = messages.WARNING if remaining <= 3 else messages.INFO
                    messages.add_message(request, level, _recovery_message(remaining))
                return redirect(next_url or second_factor.default_next(request.user))
            throttling.record_failure(subject, address)
            field = "recovery_code" if using_recovery else "code"
            form.add_error(
                field,
                _("Ce code de secours n'est pas valide ou a déjà servi.")
                if using_recovery
                else _(
                    "Ce code n'est pas valide ou a déjà servi. Saisissez le code affiché "
                    "maintenant par votre application."
                ),
            )
        if using_recovery and recovery_form.errors:
            recovery_form.fields["recovery_code"].widget.attrs["autofocus"] = True
    return render(
        request,
        "accounts/two_factor_verify.html",
        {
            "code_form": code_form,
            "recovery_form": recovery_form,
            "has_errors": bool(code_form.errors or recovery_form.errors),
            "next": next_url,
        },
        status=status_code,
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Replace the recovery codes (POST) and show the new ones once; GET tells how many remain."""
    user = request.user
    if second_factor.confirmed_device(user) is None:
        return redirect(second_factor.verification_url(user, None))
    if not second_factor.is_verified(request):
        return redirect(second_factor.verification_url(user, request.get_full_path()))
    if request.method == "POST":
        codes = totp.generate_recovery_codes(user)
        messages.success(request, _("Vos anciens codes de secours ne fonctionnent plus."))
        return _codes_page(request, codes, None)
    return render(
        request,
        "accounts/two_factor_codes.html",
        {"remaining_codes": totp.remaining_recovery_codes(user)},
    )
