"""The documents of an edition's results: the press release (page, Markdown, PDF), each
laureate's certificate, and the deliberation minutes.

The press release and the certificates are public exactly when the results are
(`Edition.objects.public` / `Award.objects.public`): under embargo they are "not found", like every
other page that would give the results away. The press release is the default contest's
(settings.PUBLIC_PALMARES_CONTEST) or that of `?concours=<slug>`, as /palmares/<year>/ is. The
minutes are the organisers' record of the deliberation: before the validation they print as a
draft (« Projet » on every page) rather than not at all, so organisers can proofread them.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils import translation

from contests.models import Edition
from contests.presentation import contest_query, requested_contest_slug
from palmares.permissions import get_object_or_404_with_perm

from ..documents.certificate import (
    certificate_filename,
    render_certificate_pdf,
    with_certificate_content,
)
from ..documents.markdown import press_release_markdown
from ..documents.minutes import minutes_filename, render_minutes_pdf
from ..documents.pdf import DOCUMENT_LANGUAGE, PDF_TYPE
from ..documents.press_release import build_press_release, render_press_release_pdf
from ..models import Award, Deliberation

MARKDOWN_TYPE = "text/markdown; charset=utf-8"
# Organisers only, not the jury (awards/rules.py); checked on the Deliberation.
MINUTES_PERMISSION = "awards.view_minutes"


def _public_edition(request: HttpRequest, year: int) -> Edition:
    """The public edition of the contest `?concours=` names (else the site's): one press release
    per contest and year."""
    slug = requested_contest_slug(request.GET)
    editions = Edition.objects.public().filter(contest__slug=slug)
    return get_object_or_404(editions.select_related("contest", "forum"), year=year)


def _download(content: bytes | str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _release_filename(edition: Edition, extension: str) -> str:
    return f"communique-{edition.contest.slug}-{edition.year}.{extension}"


def press_release(request: HttpRequest, year: int) -> HttpResponse:
    edition = _public_edition(request, year)
    context = {
        "release": build_press_release(edition),
        "contest_query": contest_query(edition.contest.slug),
    }
    return render(request, "awards/documents/press_release.html", context)


def press_release_md(request: HttpRequest, year: int) -> HttpResponse:
    edition = _public_edition(request, year)
    palmares_url = request.build_absolute_uri(edition.get_absolute_url())
    # An official document of a French label: in French, whatever the visitor's language.
    with translation.override(DOCUMENT_LANGUAGE):
        text = press_release_markdown(build_press_release(edition), palmares_url=palmares_url)
    return _download(text, MARKDOWN_TYPE, _release_filename(edition, "md"))


def press_release_pdf(request: HttpRequest, year: int) -> HttpResponse:
    edition = _public_edition(request, year)
    pdf = render_press_release_pdf(edition)
    return _download(pdf, PDF_TYPE, _release_filename(edition, "pdf"))


def certificate(request: HttpRequest, slug: str) -> HttpResponse:
    award = get_object_or_404(with_certificate_content(Award.objects.public()), slug=slug)
    return _download(render_certificate_pdf(award), PDF_TYPE, certificate_filename(award))


@login_required
def minutes(request: HttpRequest, contest_slug: str, year: int) -> HttpResponse:
    deliberation = get_object_or_404_with_perm(
        request,
        MINUTES_PERMISSION,
        Deliberation.objects.select_related("edition__contest", "round", "validated_by"),
        edition__contest__slug=contest_slug,
        edition__year=year,
    )
    # Screened for an organiser in conflict with a dossier (awards.rules.ConflictScreen).
    pdf = render_minutes_pdf(deliberation, reader=request.user)
    return _download(pdf, PDF_TYPE, minutes_filename(deliberation))


urlpatterns = [
    path("palmares/<int:year>/communique/", press_release, name="press_release"),
    path("palmares/<int:year>/communique.md", press_release_md, name="press_release_md"),
    path("palmares/<int:year>/communique.pdf", press_release_pdf, name="press_release_pdf"),
    path("projets/<slug:slug>/certificat.pdf", certificate, name="certificate"),
    path(
        "organisation/concours/<slug:contest_slug>/<int:year>/deliberation/proces-verbal.pdf",
        minutes,
        name="minutes",
    ),
]
