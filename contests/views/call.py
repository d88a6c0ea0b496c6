"""Organiser pages of an edition's call: its checklist, opening, closing early, a new deadline,
and the rules the call page shows. The actions are contests.call's, which log them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from palmares.permissions import get_object_or_404_with_perm

from .. import call
from ..forms.call import DeadlineForm, RulesForm
from ..models import Edition

EDITIONS = Edition.objects.select_related("contest", "forum").prefetch_related("phases")


def _edition(request: HttpRequest, contest_slug: str, year: int) -> Edition:
    return get_object_or_404_with_perm(
        request, "contests.manage_edition", EDITIONS, contest__slug=contest_slug, year=year
    )


def _checklist_page(
    request: HttpRequest, edition: Edition, deadline_form: DeadlineForm | None = None, status=200
) -> HttpResponse:
    now = timezone.now()
    items = call.checklist(edition, now)
    end = call.deadline(edition)
    context = {
        "edition": edition,
        "contest": edition.contest,
        "items": items,
        "missing": [item for item in items if item.required and not item.done],
        "published": call.is_published(edition),
        "is_open": call.is_open(edition, now),
        "deadline": end,
        "deadline_text": call.paris_text(end) if end else "",
        "deadline_form": deadline_form or DeadlineForm(),
    }
    return render(request, "contests/edition_call.html", context, status=status)


@login_required
def edition_call(request: HttpRequest, contest_slug: str, year: int) -> HttpResponse:
    return _checklist_page(request, _edition(request, contest_slug, year))


def _back(edition: Edition) -> HttpResponse:
    return redirect("contests:edition_call", edition.contest.slug, edition.year)


@login_required
@require_POST
def edition_call_open(request: HttpRequest, contest_slug: str, year: int) -> HttpResponse:
    edition = _edition(request, contest_slug, year)
    try:
        edition = call.open_call(edition, by=request.user)
    except call.CallRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            _("L'appel à candidatures est ouvert jusqu'au %(date)s (heure de Paris).")
            % {"date": call.paris_text(call.deadline(edition))},
        )
    return _back(edition)


@login_required
@require_POST
def edition_call_close(request: HttpRequest, contest_slug: str, year: int) -> HttpResponse:
    edition = _edition(request, contest_slug, year)
    try:
        call.close_call(edition, by=request.user)
    except call.CallRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("L'appel à candidatures est clos : plus aucun dépôt."))
    return _back(edition)


@login_required
@require_POST
def edition_call_extend(request: HttpRequest, contest_slug: str, year: int) -> HttpResponse:
    edition = _edition(request, contest_slug, year)
    form = DeadlineForm(request.POST)
    if form.is_valid():
        try:
            edition = call.extend_deadline(edition, form.cleaned_data["deadline"], by=request.user)
        except call.CallRefused as refusal:
            form.add_error("deadline", refusal.message)
        else:
            messages.success(
                request,
                _(
                    "La date limite est reportée au %(date)s (heure de Paris) ; les candidats "
                    "dont le dossier est en brouillon en sont avertis par courriel."
                )
                % {"date": call.paris_text(call.deadline(edition))},
            )
            return _back(edition)
    # The page again, with what was typed and the error next to it.
    return _checklist_page(request, edition, form, status=400)


@login_required
def edition_rules(request: HttpRequest, contest_slug: str, year: int) -> HttpResponse:
    edition = _edition(request, contest_slug, year)
    form = RulesForm(request.POST or None, request.FILES or None, instance=edition)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Le règlement a été enregistré."))
        return redirect("contests:edition_rules", edition.contest.slug, edition.year)
    return render(
        request,
        "contests/edition_rules.html",
        {"edition": edition, "contest": edition.contest, "form": form},
    )
