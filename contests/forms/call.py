"""The organisers' forms of the call: its rules (text, PDF, contact) and a new deadline."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from ..content_language import ContentTextarea
from ..models import Edition

# Sizes as people read them in French: « Mo » is 1,000,000 bytes (as applications.uploads).
MEGABYTE = 1_000_000


def _check_pdf(upload: UploadedFile) -> None:
    """Refuse what is not a readable PDF, judged by its content, never by its name."""
    # Imported here: pypdf is only needed when a PDF is uploaded.
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    unreadable = ValidationError(
        _("Le fichier « %(name)s » n'est pas un PDF lisible."),
        code="not_pdf",
        params={"name": upload.name},
    )
    upload.seek(0)
    if upload.read(5) != b"%PDF-":
        raise unreadable
    upload.seek(0)
    try:
        reader = PdfReader(upload, strict=False)
        if reader.is_encrypted:
            raise ValidationError(
                _(
                    "Le fichier « %(name)s » est protégé par un mot de passe : déposez-en une "
                    "version que chacun peut ouvrir."
                ),
                code="encrypted_pdf",
                params={"name": upload.name},
            )
        if len(reader.pages) == 0:
            raise unreadable
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError) as error:
        raise unreadable from error
    finally:
        upload.seek(0)


class RulesForm(forms.ModelForm):
    """The rules as candidates read them on the call page, an optional PDF, the contact."""

    class Meta:
        model = Edition
        fields = ["rules_text", "rules_pdf", "contact_email"]
        widgets = {"rules_text": ContentTextarea(attrs={"rows": 14})}
        help_texts = {
            "rules_text": _(
                "Affiché sur la page publique de l'appel. Une ligne vide sépare deux paragraphes."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rules_pdf"].help_text = _(
            "Facultatif. Un PDF de %(size)s Mo au plus, proposé au téléchargement."
        ) % {"size": self.instance.max_file_megabytes}
        self.fields["rules_pdf"].widget.attrs["accept"] = "application/pdf"

    def clean_rules_pdf(self):
        upload = self.cleaned_data.get("rules_pdf")
        if not isinstance(upload, UploadedFile):
            return upload  # unchanged, cleared or absent
        limit = self.instance.max_file_megabytes * MEGABYTE
        if upload.size > limit:
            raise ValidationError(
                _("Le fichier « %(name)s » dépasse %(size)s Mo."),
                code="too_large",
                params={"name": upload.name, "size": self.instance.max_file_megabytes},
            )
        _check_pdf(upload)
        return upload


class DeadlineForm(forms.Form):
    deadline = forms.DateTimeField(
        label=_("Nouvelle date limite de dépôt (heure de Paris)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={
            "required": _("Indiquez la nouvelle date limite."),
            "invalid": _("Indiquez une date et une heure, par exemple 2027-01-15 12:00."),
        },
    )
