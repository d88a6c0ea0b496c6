"""The dossier form: edit, autosave (JavaScript), submit, and input kept across an expired
session. Access rules as in applicant.py: a dossier the user may not see is a 404."""

import secrets
import time

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import re_path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from palmares.dates import long_datetime
from territories.domain import explain_no_match, query_problem, search_organisations
from territories.models import Organisation

from .. import domain
from ..enums import ApplicationState
from ..forms import ApplicationForm
from ..models import Application
from .applicant import REFERENCE, application_or_404

# An input kept across an expired session lives this long in the new session.
RESTORE_MAX_AGE_SECONDS = 3600
RESTORE_PREFIX = "applications:restore:"


# ---------------------------------------------------------------------- keeping the input


def _keep_input_and_login(request: HttpRequest, reference: str) -> HttpResponse:
    """A POST from someone whose session expired: keep what they typed in the new (anonymous)
    session for an hour, send them to the login page, and back to the form pre-filled.

    Login keeps an anonymous session's data (it only changes its key), so nothing needs to be
    shared between processes. Files cannot be kept; the page says so.
    """
    token = secrets.token_urlsafe(16)
    data = {key: values for key, values in request.POST.lists() if key != "csrfmiddlewaretoken"}
    request.session[RESTORE_PREFIX + token] = {
        "reference": reference,
        "data": data,
        "at": time.time(),
    }
    edit_url = reverse("applications:edit", kwargs={"reference": reference})
    return redirect_to_login(f"{edit_url}?{urlencode({'restore': token})}")


def _restored_input(request: HttpRequest, application: Application) -> QueryDict | None:
    token = request.GET.get("restore", "")
    kept = request.session.pop(RESTORE_PREFIX + token, None) if token else None
    if not kept or kept.get("reference") != application.reference:
        return None
    if time.time() - kept.get("at", 0) > RESTORE_MAX_AGE_SECONDS:
        return None
    data = QueryDict(mutable=True)
    for key, values in kept["data"].items():
        data.setlist(key, values)
    return data


# ------------------------------------------------------------ what submission requires


def _mark_required_for_submission(form: ApplicationForm) -> None:
    """Give each field that submission requires the note its label shows before any attempt
    (RGAA 11.10): every field is optional for a draft, so `required` cannot say it. The same
    fields as `domain.missing_for_submission`, whose test keeps the two lists together."""
    always = _("obligatoire pour déposer")
    names = ["title", "summary", "description", "project_stage", "audience"]
    names += ["contact_name", "contact_email"]
    if form.application.edition.themes.exists():
        names.append("theme")
    names += [field.name for field in form.criterion_fields()]
    names += [
        field.name
        for question, field in zip(form.questions, form.question_fields(), strict=True)
        if question.required
    ]
    for name in names:
        form.fields[name].submission_note = always
    form.fields["started_on"].submission_note = _(
        "obligatoire pour déposer un projet en expérimentation ou déployé"
    )
    form.fields["deployed_on"].submission_note = _("obligatoire pour déposer un projet déployé")


def _missing_field_names(form: ApplicationForm) -> dict[str, str]:
    """The words `domain.missing_for_submission` uses for each missing item → its field."""
    words = {
        _("le thème"): "theme",
        _("le titre du projet"): "title",
        _("le résumé"): "summary",
        _("la description"): "description",
        _("le stade du projet"): "project_stage",
        _("la date de début du projet"): "started_on",
        _("la date de mise en service"): "deployed_on",
        _("les publics ou services touchés"): "audience",
        _("la personne à contacter"): "contact_name",
        _("l'adresse de contact"): "contact_email",
    }
    for criterion, field in zip(form.criteria, form.criterion_fields(), strict=True):
        words[_("la réponse au critère « %(name)s »") % {"name": criterion.name}] = field.name
    for question, field in zip(form.questions, form.question_fields(), strict=True):
        words[_("la réponse à la question « %(label)s »") % {"label": question.label}] = field.name
    return words


def _flag_missing(form: ApplicationForm, missing: list[str]) -> list[tuple[str, str]]:
    """Flag each missing field of an unbound form with an error (aria-invalid, message tied to
    the input); (what is missing, id of its field or "") for the summary's links."""
    names = _missing_field_names(form)
    form.full_clean()  # an unbound form: no errors of its own, and nothing cleaned
    form.cleaned_data = {}
    items = []
    for item in missing:
        name = names.get(item, "")
        field_id = ""
        if name:
            form.add_error(name, _("À remplir pour déposer le dossier."))
            bound = form[name]
            field_id = bound.id_for_label or f"{bound.auto_id}_0"
        items.append((item, field_id))
    return items


# ------------------------------------------------------------------------------------- edit


def _edit_page(
    request: HttpRequest,
    application: Application,
    form: ApplicationForm,
    *,
    status: int = 200,
    **extra: object,
) -> HttpResponse:
    query = request.GET.get("partenaire", "").strip()
    if "partner_query" in form.data:
        query = form.data.get("partner_query", "").strip() or query
    if not form.is_bound:
        form.initial["partner_query"] = query
    results, problem, no_match = [], query_problem(query), None
    if query and not problem:
        exclude = {application.lead_organisation_id} | {
            partner.organisation_id for partner in application.application_partners.all()
        }
        found = list(search_organisations(query, limit=12))
        results = [o for o in found if o.pk not in exclude][:10]
        no_match = None if found else explain_no_match(query)
    partner_slugs = (
        form.data.getlist("partners") if form.is_bound else form.initial.get("partners", [])
    )
    partners = Organisation.objects.filter(slug__in=partner_slugs).order_by("search_name")
    _mark_required_for_submission(form)
    context = {
        "application": application,
        "form": form,
        "partners": partners,
        "partner_query": query,
        "partner_results": results,
        "partner_problem": problem,
        "partner_no_match": no_match,
        "deadline": domain.submission_deadline(application.edition),
        "has_errors": form.is_bound and bool(form.errors),
        "editable": request.user.has_perm("applications.edit_dossier", application),
        **extra,
    }
    return render(request, "applications/applicant/edit.html", context, status=status)


def why_locked(application: Application) -> str:
    """Why the applicants may not change the dossier any more, in one French sentence."""
    if application.state in ApplicationState.editable():
        try:
            domain.check_deadline(application, timezone.now())
        except domain.SubmissionRefused as refused:
            return refused.message
    return _("Ce dossier n'est plus modifiable dans son état actuel (%(state)s).") % {
        "state": application.get_state_display()
    }


def _partner_changes(request: HttpRequest, changes: dict) -> None:
    """Apply the add / remove partner buttons to the partner list about to be saved."""
    if slug := request.POST.get("add_partner"):
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is not None and organisation not in changes["partners"]:
            changes["partners"].append(organisation)
    if slug := request.POST.get("remove_partner"):
        changes["partners"] = [o for o in changes["partners"] if o.slug != slug]


def _save_from_post(
    request: HttpRequest, application: Application
) -> tuple[Application | None, HttpResponse | None]:
    """Validate and save the posted dossier form: (saved dossier, None) or (None, the page
    to show instead — errors, conflict, or a dossier no longer editable — with the input kept)."""
    form = ApplicationForm(request.POST, request.FILES, application=application)
    if not request.user.has_perm("applications.edit_dossier", application):
        unsaved = _("Vos saisies ci-dessous n'ont pas été enregistrées.")
        messages.error(request, f"{why_locked(application)} {unsaved}")
        return None, _edit_page(request, application, form, status=409)
    if not form.is_valid():
        return None, _edit_page(request, application, form)
    changes = dict(form.changes())
    _partner_changes(request, changes)
    try:
        saved = domain.save_draft(
            application, changes, expected_version=form.cleaned_data["version"], by=request.user
        )
    except domain.StaleVersion as conflict:
        current = Application.objects.get(pk=application.pk)
        differences = form.differences(current)
        # Keep every field the user typed, but base the next save on the stored version: saving
        # again after reading the differences is a deliberate overwrite.
        data = request.POST.copy()
        data["version"] = str(conflict.current_version)
        form = ApplicationForm(data, request.FILES, application=application)
        form.is_valid()
        return None, _edit_page(
            request, application, form, status=409, conflict=conflict, differences=differences
        )
    except domain.NotEditable as refused:
        messages.error(request, refused.message)
        return None, _edit_page(request, application, form, status=409)
    return saved, None


def edit(request: HttpRequest, reference: str) -> HttpResponse:
    if not request.user.is_authenticated:
        if request.method == "POST":
            return _keep_input_and_login(request, reference)
        return redirect_to_login(request.get_full_path())
    application = application_or_404(request, reference)
    if request.method == "POST":
        _saved, page = _save_from_post(request, application)
        if page is not None:
            return page
        edit_url = reverse("applications:edit", kwargs={"reference": reference})
        if "search_partner" in request.POST:
            query = request.POST.get("partner_query", "").strip()
            return redirect(f"{edit_url}?{urlencode({'partenaire': query})}#partenaires")
        if "add_partner" in request.POST or "remove_partner" in request.POST:
            messages.success(request, _("Liste des co-porteurs enregistrée."))
            return redirect(f"{edit_url}#partenaires")
        messages.success(request, _("Brouillon enregistré."))
        return redirect(edit_url)
    if not request.user.has_perm("applications.edit_dossier", application):
        messages.info(request, why_locked(application))
        return redirect("applications:detail", reference=reference)
    restored = _restored_input(request, application)
    if restored is not None:
        form = ApplicationForm(restored, application=application)
        messages.warning(
            request,
            _(
                "Votre session avait expiré : voici ce que vous aviez saisi, pas encore "
                "enregistré. Vérifiez-le, puis enregistrez le brouillon. Les fichiers joints "
                "n'ont pas pu être conservés."
            ),
        )
        return _edit_page(request, application, form)
    return _edit_page(request, application, ApplicationForm(application=application))


@require_POST
def autosave(request: HttpRequest, reference: str) -> JsonResponse:
    """The JavaScript autosave: the same form, files left out; JSON in return."""
    if not request.user.is_authenticated:
        message = _(
            "Votre session a expiré : enregistrez avec le bouton, vos saisies seront conservées."
        )
        return JsonResponse({"message": message}, status=401)
    application = application_or_404(request, reference)
    if not request.user.has_perm("applications.edit_dossier", application):
        return JsonResponse({"message": why_locked(application)}, status=409)
    form = ApplicationForm(request.POST, application=application)
    if not form.is_valid():
        return JsonResponse(
            {
                "message": _("Brouillon non enregistré : certains champs sont à corriger."),
                "errors": {name: [str(e) for e in errors] for name, errors in form.errors.items()},
            },
            status=400,
        )
    try:
        saved = domain.save_draft(
            application,
            form.changes(with_files=False),
            expected_version=form.cleaned_data["version"],
            by=request.user,
        )
    except domain.StaleVersion as conflict:
        return JsonResponse(
            {
                "message": conflict.message
                + " "
                + _(
                    "Enregistrez avec le bouton pour voir les différences ; vos saisies sont "
                    "conservées."
                ),
                "version": conflict.current_version,
            },
            status=409,
        )
    except domain.NotEditable as refused:
        return JsonResponse({"message": refused.message}, status=409)
    _day, hour = domain.format_paris(saved.updated_at)
    return JsonResponse(
        {
            "version": saved.version,
            "saved_at": hour,
            "message": _("Brouillon enregistré à %(time)s") % {"time": hour},
        }
    )


@require_POST
def submit(request: HttpRequest, reference: str) -> HttpResponse:
    """The « Déposer le dossier » button: save what the form holds, then submit."""
    if not request.user.is_authenticated:
        return _keep_input_and_login(request, reference)
    application = application_or_404(request, reference)
    if "version" in request.POST:
        saved, page = _save_from_post(request, application)
        if page is not None:
            return page
        application = saved
    if not request.user.has_perm("applications.submit_application", application):
        messages.error(request, why_locked(application))
        return redirect("applications:detail", reference=reference)
    try:
        application = domain.submit_application(application, by=request.user)
    except domain.SubmissionRefused as refused:
        form = ApplicationForm(application=application)
        missing_items = _flag_missing(form, refused.missing)
        return _edit_page(
            request,
            application,
            form,
            refused=refused,
            missing_items=missing_items,
            has_errors=True,
        )
    except domain.TransitionRefused as refused:
        messages.error(request, refused.message)
        return redirect("applications:detail", reference=reference)
    messages.success(
        request,
        _(
            "Dossier déposé le %(date)s (heure de Paris). Un accusé de réception en PDF est "
            "envoyé par courriel."
        )
        % {"date": long_datetime(application.submitted_at)},
    )
    return redirect("applications:detail", reference=reference)


urlpatterns = [
    re_path(rf"^{REFERENCE}/modifier/$", edit, name="edit"),
    re_path(rf"^{REFERENCE}/enregistrement-automatique/$", autosave, name="autosave"),
    re_path(rf"^{REFERENCE}/deposer/$", submit, name="submit"),
]
