"""A dossier's attachments and pitch video, and the permission-checked downloads.

Uploaded files are private: they are served only here, as attachments (never rendered inline by
the browser), to people allowed to see the dossier; anyone else gets a 404, as if the dossier
did not exist.
"""

import logging
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from .. import attachments, upload_handlers, uploads
from ..enums import VideoKind
from ..models import Application, Attachment
from ..receipts import receipt_available, receipt_filename, render_receipt_pdf

logger = logging.getLogger(__name__)

VIEW = "applications.view_dossier"
# Downloads: also for the jurors assigned to the dossier and not in conflict with it.
READ = "applications.read_dossier"
CHANGE = "applications.edit_dossier"
DOCUMENT_ACCEPT = ".pdf,.png,.jpg,.jpeg,.webp,application/pdf,image/png,image/jpeg,image/webp"
VIDEO_ACCEPT = ".mp4,.webm,video/mp4,video/webm"


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Pièce jointe"),
        widget=forms.FileInput(attrs={"accept": DOCUMENT_ACCEPT}),
    )

    def __init__(self, *args, application: Application, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.application = application
        edition = application.edition
        self.fields["file"].help_text = _(
            "PDF ou image (PNG, JPEG, WebP), %(file)s Mo au plus par fichier et %(dossier)s Mo "
            "pour l'ensemble des pièces du dossier. Le type est vérifié d'après le contenu."
        ) % {"file": edition.max_file_megabytes, "dossier": edition.max_dossier_megabytes}

    def clean_file(self):
        file = self.cleaned_data["file"]
        edition = self.application.edition
        self.content_type = uploads.validate_document(
            file, max_bytes=edition.max_file_megabytes * uploads.MEGABYTE
        )
        uploads.validate_dossier_total(
            file,
            used_bytes=attachments.attachments_total_bytes(self.application),
            max_bytes=edition.max_dossier_megabytes * uploads.MEGABYTE,
        )
        return file


class VideoUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier vidéo"),
        widget=forms.FileInput(attrs={"accept": VIDEO_ACCEPT}),
    )

    def __init__(self, *args, application: Application, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.application = application
        self.fields["file"].help_text = _(
            "MP4 ou WebM, %(minutes)s minutes au plus : la durée est mesurée au dépôt."
        ) % {"minutes": application.edition.max_video_minutes}

    def clean_file(self):
        file = self.cleaned_data["file"]
        self.content_type, self.duration = uploads.validate_video(
            file, max_minutes=self.application.edition.max_video_minutes
        )
        return file


class VideoLinkForm(forms.Form):
    url = forms.URLField(
        label=_("Lien vers la vidéo"),
        max_length=200,
        assume_scheme="https",
        help_text=_(
            "Adresse d'une vidéo en ligne (PeerTube, Vimeo, YouTube…), accessible sans compte. "
            "Le lien est accepté tel quel : sa durée n'est pas vérifiée."
        ),
    )


@dataclass(frozen=True)
class AttachmentRow:
    attachment: Attachment
    type: str
    size: str


def _application(request: HttpRequest, reference: str, perm: str) -> Application:
    """The dossier, if the user has `perm` on it; a 404 otherwise (its existence stays private)."""
    application = get_object_or_404(
        # The permission rules read the partners and the edition's phases: fetched once here.
        Application.objects.select_related(
            "edition__contest", "lead_organisation"
        ).prefetch_related("application_partners", "edition__phases"),
        reference=reference,
    )
    if not request.user.has_perm(perm, application):
        raise Http404
    return application


def _application_to_change(request: HttpRequest, reference: str) -> Application:
    """The dossier, 404 for whoever may not see it, 403 for whoever sees it but may not change it
    (a submitted dossier, an organiser)."""
    application = _application(request, reference, VIEW)
    if not request.user.has_perm(CHANGE, application):
        raise PermissionDenied
    return application


def _download(response: FileResponse) -> FileResponse:
    # Never sniffed into HTML by the browser, never kept in a shared cache.
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_cache=True)
    return response


def _files_page(
    request: HttpRequest,
    application: Application,
    *,
    attachment_form: AttachmentForm | None = None,
    video_upload_form: VideoUploadForm | None = None,
    video_link_form: VideoLinkForm | None = None,
    video_unavailable: bool = False,
) -> HttpResponse:
    """The page, with the form an action refused bound to what was sent (and its errors)."""
    if attachment_form is None:
        attachment_form = AttachmentForm(application=application, prefix="attachment")
    if video_upload_form is None:
        video_upload_form = VideoUploadForm(application=application, prefix="video")
    if video_link_form is None:
        video_link_form = VideoLinkForm(
            initial={
                "url": application.video_url if application.video_kind == VideoKind.LINK else ""
            },
            prefix="link",
        )
    rows = list(application.attachments.order_by("uploaded_at", "pk"))
    context = {
        "application": application,
        "rows": [
            AttachmentRow(a, uploads.type_label(a.content_type), uploads.format_size(a.size))
            for a in rows
        ],
        "total_size": uploads.format_size(sum(a.size for a in rows)),
        "may_change": request.user.has_perm(CHANGE, application),
        "is_organiser": request.user.has_perm(
            "applications.manage_applications", application.edition
        ),
        "attachment_form": attachment_form,
        "video_upload_form": video_upload_form,
        "video_link_form": video_link_form,
        "video_unavailable": video_unavailable,
        "video_duration": (
            uploads.format_duration(application.video_duration_seconds)
            if application.video_duration_seconds is not None
            else ""
        ),
        "receipt_available": receipt_available(application),
        "has_errors": attachment_form.errors
        or video_upload_form.errors
        or video_link_form.errors
        or video_unavailable,
    }
    return render(request, "applications/files/files.html", context)


@login_required
@require_GET
def files(request: HttpRequest, reference: str) -> HttpResponse:
    application = _application(request, reference, VIEW)
    return _files_page(request, application)


@login_required
@require_POST
def attachment_add(request: HttpRequest, reference: str) -> HttpResponse:
    application = _application_to_change(request, reference)
    form = AttachmentForm(request.POST, request.FILES, application=application, prefix="attachment")
    valid = form.is_valid()
    if upload_handlers.refuse_skipped_files(request, form) or not valid:
        return _files_page(request, application, attachment_form=form)
    attachment = attachments.add_attachment(
        application,
        form.cleaned_data["file"],
        content_type=form.content_type,
        by=request.user,
    )
    messages.success(
        request, _("« %(name)s » est joint au dossier.") % {"name": attachment.original_name}
    )
    return redirect("applications:files", application.reference)


@login_required
@require_POST
def video_upload(request: HttpRequest, reference: str) -> HttpResponse:
    application = _application_to_change(request, reference)
    form = VideoUploadForm(request.POST, request.FILES, application=application, prefix="video")
    try:
        valid = form.is_valid()
    except uploads.VideoProbeUnavailable:
        # The server lacks ffprobe: say so plainly instead of a server error.
        logger.exception("Cannot measure an uploaded video")
        return _files_page(request, application, video_upload_form=form, video_unavailable=True)
    if upload_handlers.refuse_skipped_files(request, form) or not valid:
        return _files_page(request, application, video_upload_form=form)
    attachments.set_video_upload(
        application, form.cleaned_data["file"], duration_seconds=form.duration
    )
    messages.success(
        request,
        _("La vidéo est déposée (durée : %(duration)s).")
        % {"duration": uploads.format_duration(form.duration)},
    )
    return redirect("applications:files", application.reference)


@login_required
@require_POST
def video_link(request: HttpRequest, reference: str) -> HttpResponse:
    application = _application_to_change(request, reference)
    form = VideoLinkForm(request.POST, prefix="link")
    if not form.is_valid():
        return _files_page(request, application, video_link_form=form)
    attachments.set_video_link(application, form.cleaned_data["url"])
    messages.success(request, _("Le lien vers la vidéo est enregistré."))
    return redirect("applications:files", application.reference)


@login_required
@require_POST
def attachment_delete(request: HttpRequest, reference: str, token: str) -> HttpResponse:
    application = _application(request, reference, VIEW)
    attachment = get_object_or_404(Attachment, application=application, token=token)
    if not request.user.has_perm(CHANGE, application):
        raise PermissionDenied
    name = attachment.original_name
    attachments.delete_attachment(attachment)
    messages.success(request, _("« %(name)s » est retiré du dossier.") % {"name": name})
    return redirect("applications:files", application.reference)


@login_required
@require_POST
def video_remove(request: HttpRequest, reference: str) -> HttpResponse:
    application = _application_to_change(request, reference)
    attachments.remove_video(application)
    messages.success(request, _("La vidéo est retirée du dossier."))
    return redirect("applications:files", application.reference)


@login_required
def attachment_download(request: HttpRequest, reference: str, token: str) -> FileResponse:
    application = _application(request, reference, READ)
    attachment = get_object_or_404(Attachment, application=application, token=token)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    return _download(response)


@login_required
def video_download(request: HttpRequest, reference: str) -> FileResponse:
    application = _application(request, reference, READ)
    if application.video_kind != VideoKind.UPLOAD or not application.video_file:
        raise Http404
    video = application.video_file.open("rb")
    response = FileResponse(
        video,
        as_attachment=True,
        filename=application.video_original_name,
        content_type=uploads.sniff(video),
    )
    return _download(response)


@login_required
def receipt_download(request: HttpRequest, reference: str) -> HttpResponse:
    application = _application(request, reference, VIEW)
    if not receipt_available(application):
        raise Http404
    response = HttpResponse(render_receipt_pdf(application), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{receipt_filename(application)}"'
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_cache=True)
    return response


urlpatterns = [
    path("<str:reference>/pieces/", files, name="files"),
    # Before the download pattern, which would take "ajouter" for a token.
    path("<str:reference>/pieces/ajouter/", attachment_add, name="attachment_add"),
    path(
        "<str:reference>/pieces/<str:token>/supprimer/",
        attachment_delete,
        name="attachment_delete",
    ),
    path("<str:reference>/pieces/<str:token>/", attachment_download, name="attachment_download"),
    path("<str:reference>/video/", video_download, name="video_download"),
    path("<str:reference>/video/deposer/", video_upload, name="video_upload"),
    path("<str:reference>/video/lien/", video_link, name="video_link"),
    path("<str:reference>/video/retirer/", video_remove, name="video_remove"),
    path("<str:reference>/recepisse.pdf", receipt_download, name="receipt_download"),
]
