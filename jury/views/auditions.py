"""Auditions pages: the organisers' sessions, attendance, timetable and invitations; the
applicants' availabilities and invitation; the jurors' calendar.

Access: organisers through `jury.manage_auditions`; a dossier's page through
`jury.view_availability` (its applicants, when it is in an audition round) — anyone else gets a
404, as for the other dossier pages; a juror's calendar through `jury.view_audition_calendar`.
"""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from applications.models import Application
from palmares.permissions import get_object_or_404_with_perm

from ..domain import audition_invitations as invitations
from ..domain import auditions as domain
from ..domain import availability_requests as requests
from ..enums import JurorState
from ..forms.auditions import AttendanceForm, AvailabilityForm, SessionForm
from ..models import Audition, AuditionSession, Juror, Round
from ..timetable import count_slots
from .common import ROUNDS, round_with_perm
from .common import round_context as _context


def _accepted_jurors(round_: Round):
    return round_.jurors.filter(state=JurorState.ACCEPTED).order_by("full_name", "pk")


def _sessions_page(request: HttpRequest, round_: Round, **extra) -> HttpResponse:
    """The sessions page, with bound forms or the timetable's causes of failure in `extra`."""
    jurors = list(_accepted_jurors(round_).select_related("institution"))
    session_rows = list(
        round_.sessions.annotate(
            availability_count=Count("availabilities", distinct=True),
            audition_count=Count("auditions", distinct=True),
        )
        .prefetch_related(
            Prefetch(
                "auditions",
                queryset=Audition.objects.select_related("application"),
                to_attr="audition_list",
            ),
            Prefetch("attendances", to_attr="attendance_list"),
        )
        .order_by("starts_at", "name", "pk")
    )
    bound = extra.pop("attendance_form", None)
    rows = []
    for session in session_rows:
        rows.append(
            {
                "session": session,
                "slots": count_slots(
                    session.starts_at,
                    session.ends_at,
                    round_.pitch_minutes + round_.questions_minutes,
                    round_.buffer_minutes,
                ),
                "present": {a.juror_id for a in session.attendance_list},
                # The checkboxes are written in the template from `jurors` (no query per
                # session); a bound form is only there to show its errors.
                "errors": bound.errors
                if bound is not None and bound.prefix == str(session.reference)
                else None,
                "done": domain.session_is_done(session.audition_list),
            }
        )
    return render(
        request,
        "jury/auditions/sessions.html",
        _context(
            round_,
            rows=rows,
            jurors=jurors,
            to_schedule=domain.dossiers_to_schedule(round_).count(),
            **_requests_counts(round_),
            form=extra.pop("form", None) or SessionForm(),
            **extra,
        ),
    )


def _requests_counts(round_: Round) -> dict[str, int]:
    """Dossiers asked for their availabilities, and those yet to answer (once asked)."""
    if round_.availability_deadline is None:
        return {"asked": 0, "unanswered": 0}
    return round_.availability_requests.aggregate(
        asked=Count("pk"),
        unanswered=Count("pk", filter=Q(pk__in=requests.unanswered(round_).values("pk"))),
    )


def _session(round_: Round, reference: uuid.UUID) -> AuditionSession:
    session = get_object_or_404(round_.sessions, reference=reference)
    session.round = round_
    return session


@login_required
@require_GET
def sessions(request: HttpRequest, contest_slug: str, year: int, round_slug: str) -> HttpResponse:
    round_ = round_with_perm(request, "jury.manage_auditions", contest_slug, year, round_slug)
    return _sessions_page(request, round_)


@login_required
@require_POST
def session_create(
    request: HttpRequest, contest_slug: str, year: int, round_slug: str
) -> HttpResponse:
    round_ = round_with_perm(request, "jury.manage_auditions", contest_slug, year, round_slug)
    form = SessionForm(request.POST, instance=AuditionSession(round=round_))
    if not form.is_valid():
        return _sessions_page(request, round_, form=form)
    session = domain.save_session(form.save(commit=False), by=request.user)
    messages.success(request, _("La séance « %(name)s » a été créée.") % {"name": session.name})
    return redirect("jury:auditions", contest_slug, year, round_slug)


@login_required
@require_POST
def session_attendance(
    request: HttpRequest, contest_slug: str, year: int, round_slug: str, session: uuid.UUID
) -> HttpResponse:
    round_ = round_with_perm(request, "jury.manage_auditions", contest_slug, year, round_slug)
    current = _session(round_, session)
    form = AttendanceForm(
        request.POST, jurors=_accepted_jurors(round_), prefix=str(current.reference)
    )
    if not form.is_valid():
        return _sessions_page(request, round_, attendance_form=form)
    domain.set_attendance(current, form.cleaned_data["jurors"], by=request.user)
    messages.success(
        request, _("Présences enregistrées pour « %(name)s ».") % {"name": current.name}
    )
    return redirect("jury:auditions", contest_slug, year, round_slug)


@login_required
@require_POST
def schedule(request: HttpRequest, contest_slug: str, year: int, round_slug: str) -> HttpResponse:
    round_ = round_with_perm(request, "jury.manage_auditions", contest_slug, year, round_slug)
    try:
        outcome = domain.schedule_auditions(round_, by=request.user)
    except domain.TimetableInfeasible as failure:
        return _sessions_page(request, round_, causes=failure.causes)
    messages.success(
        request,
        _(
            "Planning calculé : %(created)s nouvelle(s) audition(s), %(moved)s déplacée(s), "
            "%(kept)s inchangée(s)."
        )
        % {
            "created": len(outcome.created),
            "moved": len(outcome.moved),
            "kept": len(outcome.kept),
        },
    )
    return redirect("jury:auditions", contest_slug, year, round_slug)


@login_required
@require_POST
def invite(request: HttpRequest, contest_slug: str, year: int, round_slug: str) -> HttpResponse:
    round_ = round_with_perm(request, "jury.manage_auditions", contest_slug, year, round_slug)
    applicants, jurors = invitations.send_invitations(round_, by=request.user)
    messages.success(
        request,
        _("Invitations envoyées : %(applicants)s aux candidats, %(jurors)s aux jurés.")
        % {"applicants": applicants, "jurors": jurors},
    )
    return redirect("jury:auditions", contest_slug, year, round_slug)


@login_required
@require_POST
def session_done(
    request: HttpRequest, contest_slug: str, year: int, round_slug: str, session: uuid.UUID
) -> HttpResponse:
    round_ = round_with_perm(request, "jury.manage_auditions", contest_slug, year, round_slug)
    current = _session(round_, session)
    try:
        done = domain.mark_session_done(current, by=request.user)
    except domain.AuditionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            _("Dossiers auditionnés : %(references)s.") % {"references": ", ".join(done)},
        )
    return redirect("jury:auditions", contest_slug, year, round_slug)


@login_required
def session_update(
    request: HttpRequest, contest_slug: str, year: int, round_slug: str, session: uuid.UUID
) -> HttpResponse:
    round_ = round_with_perm(request, "jury.manage_auditions", contest_slug, year, round_slug)
    current = _session(round_, session)
    form = SessionForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            move = domain.update_session(form.save(commit=False), by=request.user)
        except domain.SessionMoveRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _session_saved(current, move))
            return redirect("jury:auditions", contest_slug, year, round_slug)
    # A rejected name must not leak into the title: read the stored one.
    stored = AuditionSession.objects.get(pk=current.pk)
    return render(
        request, "jury/auditions/session_form.html", _context(round_, form=form, session=stored)
    )


def _session_saved(session: AuditionSession, move) -> str:
    text = _("La séance « %(name)s » a été enregistrée.") % {"name": session.name}
    if move.moved:
        text += " " + _(
            "Auditions déplacées avec elle : %(count)s ; invitations mises à jour envoyées : "
            "%(applicants)s aux candidats, %(jurors)s aux jurés."
        ) % {
            "count": len(move.moved),
            "applicants": move.applicant_messages,
            "jurors": move.juror_messages,
        }
    if move.asked:
        text += " " + _(
            "Disponibilités redemandées pour %(count)s dossier(s) qui avaient choisi cette séance."
        ) % {"count": len(move.asked)}
    return text


@login_required
@require_POST
def session_delete(
    request: HttpRequest, contest_slug: str, year: int, round_slug: str, session: uuid.UUID
) -> HttpResponse:
    round_ = round_with_perm(request, "jury.manage_auditions", contest_slug, year, round_slug)
    current = _session(round_, session)
    try:
        domain.delete_session(current, by=request.user)
    except domain.AuditionRefused as refusal:
        messages.error(request, refusal.message)
        return redirect("jury:audition_session", contest_slug, year, round_slug, session)
    messages.success(request, _("La séance « %(name)s » a été supprimée.") % {"name": current.name})
    return redirect("jury:auditions", contest_slug, year, round_slug)


@login_required
def planning(request: HttpRequest, contest_slug: str, year: int, round_slug: str) -> HttpResponse:
    """The printable timetable: every session with its auditions in order."""
    round_ = round_with_perm(request, "jury.manage_auditions", contest_slug, year, round_slug)
    sessions = round_.sessions.prefetch_related(
        Prefetch(
            "auditions",
            queryset=Audition.objects.select_related(
                "application__lead_organisation", "application__theme"
            ).order_by("starts_at", "pk"),
            to_attr="audition_list",
        ),
        Prefetch(
            "attendances__juror",
        ),
    ).order_by("starts_at", "name", "pk")
    return render(request, "jury/auditions/planning.html", _context(round_, sessions=sessions))


# ---------------------------------------------------------------------------- applicants


def _dossier(request: HttpRequest, reference: str) -> tuple[Application, Round]:
    """The dossier and its audition round, or 404 for anyone who may not see the page."""
    application = get_object_or_404(
        Application.objects.select_related("edition__contest").prefetch_related(
            "application_partners"
        ),
        reference=reference,
    )
    round_ = domain.audition_round_of(application)
    if round_ is None:
        raise Http404
    application.audition_round = round_
    if not request.user.has_perm("jury.view_availability", application):
        raise Http404
    return application, round_


@login_required
def availability(request: HttpRequest, reference: str) -> HttpResponse:
    application, round_ = _dossier(request, reference)
    sessions = round_.sessions.order_by("starts_at", "name", "pk")
    chosen = AuditionSession.objects.filter(
        round=round_, availabilities__application=application
    ).values_list("reference", flat=True)
    may_change = request.user.has_perm("jury.change_availability", application)
    form = AvailabilityForm(
        request.POST or None, sessions=sessions, initial={"sessions": list(chosen)}
    )
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied
        if form.is_valid():
            domain.set_availability(
                application, round_, form.cleaned_data["sessions"], by=request.user
            )
            messages.success(request, _("Vos disponibilités sont enregistrées."))
            return redirect(request.path)
    audition = (
        Audition.objects.filter(round=round_, application=application)
        .select_related("session")
        .first()
    )
    return render(
        request,
        "jury/auditions/availability.html",
        {
            "application": application,
            "round": round_,
            "form": form,
            "may_change": may_change,
            "audition": audition,
            "has_sessions": sessions.exists(),
            "deadline": round_.availability_deadline,
        },
    )


def _ics(content: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8; method=REQUEST")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def invitation(request: HttpRequest, reference: str) -> HttpResponse:
    application, round_ = _dossier(request, reference)
    audition = invitations.auditions().filter(round=round_, application=application).first()
    if audition is None:
        raise Http404
    return _ics(
        invitations.applicant_calendar(audition, attendee=request.user.email),
        f"audition-{application.reference}.ics",
    )


# -------------------------------------------------------------------------------- jurors


@login_required
def juror_calendar(
    request: HttpRequest, contest_slug: str, year: int, round_slug: str
) -> HttpResponse:
    round_ = get_object_or_404_with_perm(
        request,
        "jury.view_audition_calendar",
        ROUNDS,
        edition__contest__slug=contest_slug,
        edition__year=year,
        slug=round_slug,
    )
    juror = (
        Juror.objects.select_related("round")
        .filter(round=round_, user=request.user, state=JurorState.ACCEPTED)
        .first()
    )
    return _ics(invitations.juror_calendar(juror), f"auditions-{round_.slug}.ics")


AUDITIONS_URL = (
    "organisation/concours/<slug:contest_slug>/<int:year>/tours/<slug:round_slug>/auditions/"
)
SESSION_URL = f"{AUDITIONS_URL}<uuid:session>/"
urlpatterns = [
    path(AUDITIONS_URL, sessions, name="auditions"),
    path(f"{AUDITIONS_URL}nouvelle-seance/", session_create, name="audition_session_create"),
    path(f"{AUDITIONS_URL}planning/", planning, name="audition_planning"),
    path(f"{AUDITIONS_URL}planning/calculer/", schedule, name="audition_schedule"),
    path(f"{AUDITIONS_URL}invitations/", invite, name="audition_invite"),
    path(SESSION_URL, session_update, name="audition_session"),
    path(f"{SESSION_URL}presences/", session_attendance, name="audition_attendance"),
    path(f"{SESSION_URL}terminee/", session_done, name="audition_session_done"),
    path(f"{SESSION_URL}supprimer/", session_delete, name="audition_session_delete"),
    path("candidatures/<str:reference>/auditions/", availability, name="availability"),
    path(
        "candidatures/<str:reference>/auditions/invitation.ics",
        invitation,
        name="audition_invitation",
    ),
    path(
        "jury/<slug:contest_slug>/<int:year>/<slug:round_slug>/auditions.ics",
        juror_calendar,
        name="juror_calendar",
    ),
]
