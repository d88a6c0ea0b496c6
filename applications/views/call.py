"""The public call for applications: every open call, and one edition's call page.

Readable without an account and without JavaScript. An edition whose call the organisers have not
opened (contests.call) answers 404; a closed call says so and when the next one opens. The
« Candidater » button leads a visitor to sign-up (or sign-in) with `next` set to starting a new
dossier of the edition, and a signed-in person straight there.
"""

from urllib.parse import urlencode

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone

from contests import call
from contests.enums import PhaseKind
from contests.models import Edition

from ..domain import accepted_kinds_text

EDITIONS = Edition.objects.filter(is_historical=False).select_related("contest", "forum")

# The steps a candidate wants to know, in order; the deadline is told apart (it is the start of
# the phase that follows « applications open »).
STEPS = (
    PhaseKind.APPLICATIONS_OPEN,
    PhaseKind.REGIONAL_SELECTION,
    PhaseKind.JURY_SCORING,
    PhaseKind.AUDITIONS,
    PhaseKind.DELIBERATION,
    PhaseKind.PUBLISHED,
)


def _published_or_404(contest_slug: str, year: int) -> Edition:
    edition = get_object_or_404(
        EDITIONS.prefetch_related("phases", "themes", "criteria", "levels"),
        contest__slug=contest_slug,
        year=year,
    )
    if not call.is_published(edition):
        raise Http404
    return edition


def calls(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    rows = [
        {"edition": edition, "deadline": call.paris_text(call.deadline(edition))}
        for edition in call.open_editions(now)
    ]
    return render(request, "applications/call/list.html", {"rows": rows})


def _steps(edition: Edition) -> list[dict]:
    """Every dated step: the phases a candidate cares about, the deadline, the ceremony."""
    end = call.deadline_phase(edition)
    rows = []
    for phase in sorted(edition.phases.all(), key=lambda p: p.starts_at):
        if phase == end:
            rows.append({"label": None, "deadline": True, "when": call.paris_text(phase.starts_at)})
        if phase.kind in STEPS:
            rows.append(
                {"label": phase.get_kind_display(), "when": call.paris_text(phase.starts_at)}
            )
    return rows


def _apply_links(request: HttpRequest, edition: Edition) -> dict[str, str]:
    start = reverse("applications:create", args=[edition.contest.slug, edition.year])
    if request.user.is_authenticated:
        return {"apply_url": start}
    query = urlencode({"next": start})
    return {
        "apply_url": f"{reverse('accounts:signup')}?{query}",
        "sign_in_url": f"{reverse('accounts:login')}?{query}",
    }


def call_detail(request: HttpRequest, contest_slug: str, year: int) -> HttpResponse:
    edition = _published_or_404(contest_slug, year)
    now = timezone.now()
    opening = call.opening_phase(edition)
    is_open = call.is_open(edition, now)
    upcoming = bool(opening and opening.starts_at > now)
    following = None if is_open or upcoming else call.next_call(edition)
    context = {
        "edition": edition,
        "contest": edition.contest,
        "is_open": is_open,
        "upcoming": upcoming,
        "opens": call.paris_text(opening.starts_at) if opening else "",
        "deadline": call.paris_text(call.deadline(edition)),
        "accepted_kinds": accepted_kinds_text(edition.contest),
        "steps": _steps(edition),
        "next_call": following,
        "next_opens": call.paris_text(call.opening_phase(following).starts_at) if following else "",
        "next_is_open": bool(following and call.is_open(following, now)),
        **(_apply_links(request, edition) if is_open else {}),
    }
    return render(request, "applications/call/detail.html", context)


def rules_pdf(request: HttpRequest, contest_slug: str, year: int) -> FileResponse:
    edition = _published_or_404(contest_slug, year)
    if not edition.rules_pdf:
        raise Http404
    name = f"reglement-{edition.contest.slug}-{edition.year}.pdf"
    return FileResponse(edition.rules_pdf.open("rb"), content_type="application/pdf", filename=name)


app_name = "calls"
urlpatterns = [
    path("", calls, name="list"),
    path("<slug:contest_slug>/<int:year>/", call_detail, name="detail"),
    path("<slug:contest_slug>/<int:year>/reglement.pdf", rules_pdf, name="rules_pdf"),
]
