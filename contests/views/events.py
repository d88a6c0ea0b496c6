"""Events: the public pages (/evenements/: the list, one page per event, their .ics) and the
organisers' pages (/organisation/evenements/: list, create, edit)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from palmares.permissions import get_object_or_404_with_perm

from .. import event_calendar, events
from ..enums import EventKind
from ..forms.events import EventFilterForm, EventForm
from ..hooks import event_sections
from ..models import Event

EVENTS = Event.objects.select_related("region")


def _years() -> list[int]:
    dates = Event.objects.filter(starts_on__isnull=False).dates("starts_on", "year", order="DESC")
    return [day.year for day in dates]


def event_list(request: HttpRequest) -> HttpResponse:
    form = EventFilterForm(request.GET or None, years=_years())
    listing = events.list_events(EVENTS.filter(**form.filters()), timezone.localdate())
    return render(request, "events/list.html", {"form": form, "listing": listing})


def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_object_or_404(EVENTS, slug=slug)
    # What other apps attach to the event (a stage's regional selections: the jury's).
    sections = event_sections(event)
    return render(request, "events/detail.html", {"event": event, "sections": sections})


def _calendar_response(
    request: HttpRequest, dated: list[Event], filename: str, name: str
) -> HttpResponse:
    def page_url(event: Event) -> str:
        return request.build_absolute_uri(reverse("events:detail", kwargs={"slug": event.slug}))

    stamp = timezone.now().replace(microsecond=0)
    text = event_calendar.events_calendar(dated, page_url=page_url, stamp=stamp, name=name)
    response = HttpResponse(text.encode(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def event_ics(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_object_or_404(EVENTS, slug=slug)
    if event.starts_on is None:
        raise Http404(_("La date de cet événement n'a pas été publiée : il n'a pas d'agenda."))
    return _calendar_response(request, [event], f"{event.slug}.ics", event.name)


def calendar(request: HttpRequest) -> HttpResponse:
    dated = list(EVENTS.filter(starts_on__isnull=False).order_by("starts_on", "name"))
    return _calendar_response(request, dated, "evenements-palmares.ics", _("Événements"))


# ------------------------------------------------------------------------- organisers


def _check(request: HttpRequest) -> None:
    if not request.user.has_perm("contests.manage_events"):
        raise PermissionDenied


@login_required
def manage_list(request: HttpRequest) -> HttpResponse:
    _check(request)
    rows = EVENTS.order_by("-starts_on", "name")
    return render(request, "events/manage_list.html", {"events": rows})


def _kind(request: HttpRequest) -> str | None:
    kind = request.GET.get("type", "")
    return kind if kind in EventKind.values else None


@login_required
def event_create(request: HttpRequest) -> HttpResponse:
    _check(request)
    kind = _kind(request)
    if kind is None:
        # Without JavaScript the form cannot change its fields: the kind is chosen first.
        return render(request, "events/kind_choice.html", {"kinds": EventKind.choices})
    form = EventForm(request.POST or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        event = events.save_event(form.save(commit=False), by=request.user)
        messages.success(request, _("L'événement « %(name)s » a été créé.") % {"name": event.name})
        return redirect("contests:events")
    return render(request, "events/form.html", {"form": form, "event": None})


@login_required
def event_update(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_object_or_404_with_perm(request, "contests.manage_events", Event, slug=slug)
    form = EventForm(request.POST or None, instance=event, kind=event.kind)
    if request.method == "POST" and form.is_valid():
        event = events.save_event(form.save(commit=False), by=request.user)
        messages.success(
            request, _("L'événement « %(name)s » a été enregistré.") % {"name": event.name}
        )
        return redirect("contests:events")
    # The page's title and links name the saved event, not a rejected new name.
    return render(
        request, "events/form.html", {"form": form, "event": Event.objects.get(pk=event.pk)}
    )
