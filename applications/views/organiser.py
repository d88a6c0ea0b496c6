"""The organisers' pages of the dossiers: an edition's list (filters, counts; its exports are
opendata's), reopening a dossier, templated emails to the applicants, the edition's extra
questions."""

import hashlib
import json
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contests.models import Edition
from palmares.permissions import get_object_or_404_with_perm

from .. import domain
from ..enums import QuestionKind
from ..listing import filtered_applications, for_listing, state_counts, theme_counts
from ..mailing import PLACEHOLDERS, check_template, plan_mailing, start_mailing
from ..models import Application, Mailing, Question

PER_PAGE = 50
EDITIONS = Edition.objects.select_related("contest")


def _edition(request: HttpRequest, contest_slug: str, year: int, queryset=EDITIONS) -> Edition:
    return get_object_or_404_with_perm(
        request,
        "applications.manage_applications",
        queryset,
        contest__slug=contest_slug,
        year=year,
    )


def _with_query(url: str, query: dict[str, str]) -> str:
    return f"{url}?{urlencode(query)}" if query else url


# --------------------------------------------------------------------------- the list


@login_required
def edition_applications(request: HttpRequest, contest_slug: str, year: int) -> HttpResponse:
    edition = _edition(request, contest_slug, year)
    form, applications = filtered_applications(edition, request.GET)
    page = Paginator(for_listing(applications), PER_PAGE).get_page(request.GET.get("page"))
    query = form.query_data()
    return render(
        request,
        "applications/organiser/edition_applications.html",
        {
            "edition": edition,
            "contest": edition.contest,
            "form": form,
            "page": page,
            "state_counts": state_counts(applications),
            "theme_counts": theme_counts(applications),
            "csv_url": _with_query(
                reverse("opendata:applications_csv", args=[contest_slug, year]),
                query,
            ),
            "mailing_url": _with_query(
                reverse("applications:mailing", args=[contest_slug, year]), query
            ),
        },
    )


# ---------------------------------------------------------------------------- reopening


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Raison de la réouverture"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Elle figure dans le courriel envoyé aux porteurs et dans l'historique."),
        error_messages={"required": _("Indiquez la raison de la réouverture du dossier.")},
    )
    until = forms.DateTimeField(
        label=_("Nouvelle date limite de dépôt (heure de Paris)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_(
            "Le courriel aux porteurs la donne ; après elle, le dossier ne peut plus être déposé."
        ),
        # Left empty, the dossier may be submitted again for REOPEN_DAYS days.
        required=False,
        error_messages={
            "invalid": _("Indiquez une date et une heure, par exemple 15/03/2027 18:00."),
        },
    )

    def clean_until(self):
        until = self.cleaned_data["until"]
        if until is not None and until <= timezone.now():
            raise ValidationError(_("La nouvelle date limite doit être dans le futur."))
        return until


@login_required
def reopen(request: HttpRequest, reference: str) -> HttpResponse:
    application = get_object_or_404(
        Application.objects.select_related("edition__contest", "lead_organisation"),
        reference=reference,
    )
    if not request.user.has_perm("applications.manage_applications", application.edition):
        raise PermissionDenied
    # Organisers may open the page whatever the state; it explains when reopening is impossible.
    may_reopen = request.user.has_perm("applications.reopen_application", application)
    default_until = timezone.localtime(timezone.now() + domain.REOPEN_DAYS).replace(
        hour=23, minute=59, second=0, microsecond=0
    )
    form = ReopenForm(request.POST or None, initial={"until": default_until})
    if request.method == "POST" and may_reopen and form.is_valid():
        try:
            domain.reopen_application(
                application,
                by=request.user,
                reason=form.cleaned_data["reason"],
                until=form.cleaned_data["until"],
            )
        except domain.ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Le dossier %(reference)s est rouvert ; ses porteurs en sont informés.")
                % {"reference": application.reference},
            )
            return redirect("applications:detail", reference=application.reference)
    edition = application.edition
    return render(
        request,
        "applications/organiser/reopen.html",
        {
            "application": application,
            "edition": edition,
            "contest": edition.contest,
            "form": form,
            "may_reopen": may_reopen,
        },
    )


# ------------------------------------------------------------------------------ mailing


class MailingForm(forms.Form):
    subject = forms.CharField(label=_("Objet"), max_length=200)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 12}))
    # What the preview showed: sending something else first shows its preview.
    previewed = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        variables = ", ".join(f"{{{{ {name} }}}} : {label}" for name, label in PLACEHOLDERS.items())
        self.fields["body"].help_text = _(
            "Texte brut. Variables remplacées pour chaque dossier : %(variables)s."
        ) % {"variables": variables}
        self.fields["subject"].help_text = _("Les mêmes variables sont permises.")

    def clean_subject(self) -> str:
        subject = self.cleaned_data["subject"]
        check_template(subject)
        return subject

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        check_template(body)
        return body

    def content_key(self, filters: dict[str, str]) -> str:
        content = [self.cleaned_data["subject"], self.cleaned_data["body"], filters]
        return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


@login_required
def mailing(request: HttpRequest, contest_slug: str, year: int) -> HttpResponse:
    edition = _edition(request, contest_slug, year, EDITIONS.prefetch_related("phases"))
    filter_form, applications = filtered_applications(edition, request.GET)
    filters = filter_form.query_data()
    form = MailingForm(request.POST or None)
    plan = None
    if request.method == "POST" and form.is_valid():
        subject, body = form.cleaned_data["subject"], form.cleaned_data["body"]
        key = form.content_key(filters)
        if "send" in request.POST and form.cleaned_data["previewed"] == key:
            start_mailing(edition, filters, subject, body, by=request.user)
            messages.success(
                request,
                _("Le courriel « %(subject)s » est en cours d'envoi.") % {"subject": subject},
            )
            return redirect(_with_query(request.path, filters))
        if "send" in request.POST:
            messages.warning(
                request,
                _("Le message a changé depuis l'aperçu : vérifiez ce nouvel aperçu, puis envoyez."),
            )
        plan = plan_mailing(edition, filters, subject, body, reply_to=request.user.email)
        form = MailingForm({**form.cleaned_data, "previewed": key})
    return render(
        request,
        "applications/organiser/mailing.html",
        {
            "edition": edition,
            "contest": edition.contest,
            "form": form,
            "plan": plan,
            "filters": filter_form.describe(),
            "applications_count": applications.count(),
            "list_url": _with_query(
                reverse("applications:edition_applications", args=[contest_slug, year]), filters
            ),
            "mailings": Mailing.objects.filter(edition=edition).select_related("sent_by")[:10],
        },
    )


# --------------------------------------------------------------------- extra questions

CHOICE_KINDS = frozenset({QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE})


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["label", "help_text", "kind", "choices", "required", "visibility", "position"]
        widgets = {
            "help_text": forms.Textarea(attrs={"rows": 2}),
            "choices": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "choices": _("Un choix par ligne, pour les questions à choix unique ou multiple."),
        }

    def clean_choices(self) -> str:
        lines = [line.strip() for line in self.cleaned_data["choices"].splitlines()]
        choices = [line for line in lines if line]
        repeated = sorted({choice for choice in choices if choices.count(choice) > 1})
        if repeated:
            raise ValidationError(
                _("Ce choix figure plusieurs fois : %(choices)s."),
                code="repeated_choice",
                params={"choices": ", ".join(f"« {choice} »" for choice in repeated)},
            )
        return "\n".join(choices)

    def clean(self) -> dict:
        cleaned = super().clean()
        kind, choices = cleaned.get("kind"), cleaned.get("choices")
        if kind in CHOICE_KINDS and choices is not None and len(choices.splitlines()) < 2:
            self.add_error(
                "choices", _("Une question à choix demande au moins deux choix, un par ligne.")
            )
        elif kind and kind not in CHOICE_KINDS and choices:
            self.add_error(
                "choices",
                _(
                    "Seules les questions à choix unique ou multiple ont des choix : videz ce "
                    "champ ou changez le type de réponse."
                ),
            )
        instance = self.instance
        if kind and instance.pk and kind != instance.kind and instance.answers.exists():
            self.add_error(
                "kind",
                _(
                    "Des dossiers ont déjà répondu à cette question : son type de réponse ne "
                    "peut plus changer."
                ),
            )
        return cleaned


class QuestionFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        for form in self.initial_forms:
            if self._should_delete_form(form) and form.instance.answers.exists():
                raise ValidationError(
                    _(
                        "La question « %(label)s » a déjà des réponses : elle ne peut pas être "
                        "supprimée."
                    ),
                    code="answered",
                    params={"label": form.instance.label},
                )


QuestionRows = inlineformset_factory(
    Edition, Question, form=QuestionForm, formset=QuestionFormSet, extra=1, can_delete=True
)


@login_required
def edition_questions(request: HttpRequest, contest_slug: str, year: int) -> HttpResponse:
    edition = _edition(request, contest_slug, year)
    formset = QuestionRows(request.POST or None, instance=edition, prefix="questions")
    if request.method == "POST" and formset.is_valid():
        with transaction.atomic():
            formset.save()
        messages.success(request, _("Les questions complémentaires ont été enregistrées."))
        return redirect("applications:edition_questions", contest_slug, year)
    return render(
        request,
        "applications/organiser/edition_questions.html",
        {"edition": edition, "contest": edition.contest, "formset": formset},
    )


EDITION = "organisation/<slug:contest_slug>/<int:year>/"
urlpatterns = [
    path(EDITION, edition_applications, name="edition_applications"),
    path(f"{EDITION}courriel/", mailing, name="mailing"),
    path(f"{EDITION}questions/", edition_questions, name="edition_questions"),
    path("<str:reference>/rouvrir/", reopen, name="reopen"),
]
