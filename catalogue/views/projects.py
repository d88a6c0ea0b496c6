"""Edition pages, project pages, experience sharing, « Qui l'a déjà fait ? » and badges.

What is public is decided by contests' embargo rule (`Edition.objects.public`, and
`Award.objects.public` from it): an award of an edition under embargo is "not found" on every
page here, its badge included. Who may write is
decided by catalogue/rules.py; views only name the permission.
"""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.enums import MembershipState
from applications.enums import QuestionKind, QuestionVisibility
from applications.models import Answer
from awards.grouping import group_awards
from awards.models import Award, AwardOrganisation
from contests.models import Edition
from contests.presentation import awarded_by, contest_query, requested_contest_slug
from palmares.page_cache import public_page_cache
from palmares.permissions import get_object_or_404_with_perm
from territories.models import Organisation

from .. import sharing
from ..badges import award_badge, badge_text, embed_alt, unknown_badge
from ..domain import Palmares
from ..forms.sharing import (
    ExperienceAnswerForm,
    ExperienceRequestForm,
    ExperienceShareForm,
    WhoDidItForm,
)
from ..models import ExperienceRequest
from ..similar import who_did_it as similar_projects

SVG_CONTENT_TYPE = "image/svg+xml; charset=utf-8"
# Links a project may publish; awards have no such fields yet (they will come with the
# dossier an award is decided from), so these are read only when present.
PUBLISHED_LINKS = (
    ("video_url", gettext_lazy("Vidéo de présentation")),
    ("repository_url", gettext_lazy("Code source")),
)


def _base_url(request: HttpRequest) -> str:
    # Links in emails are absolute, on the address the person used to reach the site.
    return request.build_absolute_uri("/").rstrip("/")


def _organisation_links(*related: str) -> Prefetch:
    links = AwardOrganisation.objects.select_related("organisation", *related)
    return Prefetch("award_organisations", queryset=links.order_by("position", "pk"))


def _public_award(slug: str) -> Award | None:
    """The public award with this slug, with its edition, level, theme, distinctions and
    organisations."""
    return (
        Award.objects.public()
        .select_related("edition__contest", "level", "theme")
        .prefetch_related(_organisation_links(), "distinctions")
        .filter(slug=slug)
        .first()
    )


def edition(request: HttpRequest, year: int) -> HttpResponse:
    """One public edition of the label (or of the contest `?concours=<slug>`): its palmarès,
    funnel, Forum, and its neighbours.

    Five queries whatever the number of awards: the edition, its awards, their organisations,
    their distinctions, and the years of the other public editions.
    """
    contest_slug = requested_contest_slug(request.GET)
    editions = Edition.objects.public().filter(contest__slug=contest_slug)
    edition = get_object_or_404(editions.select_related("contest", "forum"), year=year)
    awards = (
        Award.objects.filter(edition=edition)
        .select_related("level", "theme")
        .prefetch_related(_organisation_links(), "distinctions")
    )
    years = list(editions.order_by("year").values_list("year", flat=True))
    context = {
        "palmares": Palmares(edition=edition, themes=group_awards(awards)),
        "edition": edition,
        "previous_year": max((y for y in years if y < year), default=None),
        "next_year": min((y for y in years if y > year), default=None),
        "contest_query": contest_query(contest_slug),
        "awarded_by": awarded_by(edition.contest),
    }
    return render(request, "catalogue/projects/edition.html", context)


def _other_public_awards(award: Award) -> dict[int, list[Award]]:
    """Per organisation of the award, its other public awards, latest first (one query).

    Organisations are matched by their rows, which carry their official codes: an award
    published under a former name ("Grand Lyon") counts for its successor.
    """
    links = (
        AwardOrganisation.objects.filter(
            organisation__in=[link.organisation_id for link in award.award_organisations.all()],
            award__in=Award.objects.public(),
        )
        .exclude(award=award)
        .select_related("award__edition", "award__level")
        .order_by("-award__edition__year", "award__title")
    )
    others: dict[int, list[Award]] = defaultdict(list)
    for link in links:
        others[link.organisation_id].append(link.award)
    return others


def _published_answers(award: Award) -> list[Answer]:
    """The laureate's answers to the questions its organisers marked « publiée avec le label »
    (files stay private: they are the dossier's), in the questions' order."""
    if award.application_id is None:
        return []
    return list(
        Answer.objects.filter(
            application_id=award.application_id,
            question__visibility=QuestionVisibility.PUBLISHED,
        )
        .exclude(question__kind=QuestionKind.FILE)
        .exclude(value="")
        .select_related("question")
        .order_by("question__position", "question__pk")
    )


@public_page_cache
def project(request: HttpRequest, slug: str) -> HttpResponse:
    """A laureate's page. Visitors' copies are cached (palmares.page_cache): it is the page
    most linked to (badges, press), served at close to the cost of an empty view."""
    award = get_object_or_404(
        Award.objects.public()
        .select_related("edition__contest", "level", "theme", "experience")
        .prefetch_related(
            "distinctions",
            _organisation_links(
                "organisation__departement",
                "organisation__region",
                "organisation__departement__region",
            ),
        ),
        slug=slug,
    )
    others = _other_public_awards(award)
    links = list(award.award_organisations.all())
    for link in links:
        link.other_awards = others.get(link.organisation_id, [])
    verification_url = request.build_absolute_uri(
        reverse("catalogue:badge_verify", kwargs={"slug": slug})
    )
    badge_url = request.build_absolute_uri(reverse("catalogue:badge", kwargs={"slug": slug}))
    alt = embed_alt(award)
    context = {
        "award": award,
        "links": links,
        "experience": getattr(award, "experience", None),
        "published_links": [
            (label, getattr(award, field))
            for field, label in PUBLISHED_LINKS
            if getattr(award, field, "")
        ],
        "published_answers": _published_answers(award),
        "exchanges": sharing.exchanges_count(award),
        "has_members": sharing.laureate_members(award).exists(),
        "may_edit_experience": request.user.has_perm("catalogue.change_experience", award),
        "badge": award_badge(award, verification_url=verification_url),
        "awarded_by": awarded_by(award.edition.contest),
        "badge_url": badge_url,
        "badge_alt": alt,
        # The HTML a laureate pastes on its site, escaped once here, shown escaped again.
        "embed_snippet": format_html(
            '<a href="{}"><img src="{}" alt="{}"></a>', verification_url, badge_url, alt
        ),
    }
    return render(request, "catalogue/projects/project.html", context)


@login_required
def experience_edit(request: HttpRequest, slug: str) -> HttpResponse:
    award = get_object_or_404_with_perm(
        request,
        "catalogue.change_experience",
        Award.objects.public().select_related("edition", "experience"),
        slug=slug,
    )
    share = getattr(award, "experience", None)
    form = ExperienceShareForm(request.POST or None, instance=share)
    if request.method == "POST" and form.is_valid():
        sharing.save_experience(award, by=request.user, **form.cleaned_data)
        messages.success(request, _("Votre retour d'expérience est publié."))
        return redirect(reverse("catalogue:project", kwargs={"slug": slug}) + "#retour-experience")
    return render(
        request, "catalogue/projects/experience_form.html", {"award": award, "form": form}
    )


def _own_organisations(user) -> QuerySet[Organisation]:
    return (
        Organisation.objects.filter(
            memberships__user=user, memberships__state=MembershipState.CONFIRMED
        )
        .select_related("departement")
        .order_by("search_name")
    )


@login_required
def experience_request(request: HttpRequest, slug: str) -> HttpResponse:
    award = get_object_or_404_with_perm(
        request,
        "catalogue.request_experience",
        Award.objects.public().select_related("edition").prefetch_related(_organisation_links()),
        slug=slug,
    )
    has_members = sharing.laureate_members(award).exists()
    form = ExperienceRequestForm(
        request.POST or None, organisations=_own_organisations(request.user)
    )
    if request.method == "POST" and has_members and form.is_valid():
        try:
            sharing.request_experience(
                award,
                requester=request.user,
                message=form.cleaned_data["message"],
                organisation=form.cleaned_data.get("organisation"),
                base_url=_base_url(request),
            )
        except sharing.TooManyRequests:
            form.add_error(
                None,
                _(
                    "Vous avez déjà envoyé %(count)d demandes ces dernières 24 heures : "
                    "réessayez demain."
                )
                % {"count": sharing.REQUESTS_PER_DAY},
            )
        else:
            messages.success(
                request,
                _(
                    "Votre demande a été transmise à la structure lauréate. Sa réponse vous "
                    "parviendra par courriel."
                ),
            )
            return redirect("catalogue:project", slug=slug)
    context = {"award": award, "form": form, "has_members": has_members}
    return render(request, "catalogue/projects/request_form.html", context)


@login_required
def experience_answer(request: HttpRequest, token: str) -> HttpResponse:
    experience_request = get_object_or_404_with_perm(
        request,
        "catalogue.view_experience_request",
        ExperienceRequest.objects.filter(award__in=Award.objects.public()).select_related(
            "award__edition", "requester_organisation"
        ),
        token=token,
    )
    may_answer = request.user.has_perm("catalogue.answer_experience_request", experience_request)
    if request.method == "POST" and not may_answer:
        raise PermissionDenied
    form = ExperienceAnswerForm(request.POST or None) if may_answer else None
    if form is not None and request.method == "POST" and form.is_valid():
        sharing.answer_experience_request(
            experience_request,
            answer=form.cleaned_data["answer"],
            by=request.user,
            base_url=_base_url(request),
        )
        messages.success(request, _("Votre réponse a été transmise par courriel."))
        return redirect("catalogue:experience_answer", token=token)
    context = {"experience_request": experience_request, "award": experience_request.award}
    return render(request, "catalogue/projects/answer.html", {**context, "form": form})


def who_did_it(request: HttpRequest) -> HttpResponse:
    own = list(_own_organisations(request.user)) if request.user.is_authenticated else []
    bound = "besoin" in request.GET
    form = WhoDidItForm(request.GET if bound else None, own_organisations=own)
    suggestions = []
    if bound and form.is_valid():
        organisation = form.chosen
        suggestions = [
            (suggestion, suggestion.reason(organisation))
            for suggestion in similar_projects(organisation, form.cleaned_data["besoin"])
        ]
    context = {"form": form, "suggestions": suggestions, "searched": bound and form.is_valid()}
    return render(request, "catalogue/projects/who_did_it.html", context)


def badge(request: HttpRequest, slug: str) -> HttpResponse:
    award = _public_award(slug)
    if award is None:
        return render(
            request,
            "catalogue/projects/badge.svg",
            {"badge": unknown_badge()},
            content_type=SVG_CONTENT_TYPE,
            status=404,
        )
    verification_url = request.build_absolute_uri(
        reverse("catalogue:badge_verify", kwargs={"slug": slug})
    )
    context = {"badge": award_badge(award, verification_url=verification_url)}
    return render(request, "catalogue/projects/badge.svg", context, content_type=SVG_CONTENT_TYPE)


def badge_verify(request: HttpRequest, slug: str) -> HttpResponse:
    award = _public_award(slug)
    context = {
        "award": award,
        "badge_text": badge_text(award) if award else "",
        "awarded_by": awarded_by(award.edition.contest) if award else "",
    }
    return render(
        request, "catalogue/projects/verification.html", context, status=200 if award else 404
    )


urlpatterns = [
    path("palmares/<int:year>/", edition, name="edition"),
    path("qui-l-a-deja-fait/", who_did_it, name="who_did_it"),
    # Before the project's own pages: "partage" is not a project.
    path("projets/partage/<str:token>/", experience_answer, name="experience_answer"),
    path("projets/<slug:slug>/", project, name="project"),
    path(
        "projets/<slug:slug>/retour-d-experience/",
        experience_edit,
        name="project_experience_edit",
    ),
    path("projets/<slug:slug>/demander/", experience_request, name="experience_request"),
    path("projets/<slug:slug>/badge.svg", badge, name="badge"),
    path("projets/<slug:slug>/verification/", badge_verify, name="badge_verify"),
]
