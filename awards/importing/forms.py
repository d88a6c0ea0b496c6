"""Forms of the organisers' palmarès import page (awards.views.palmares_import).

The uploaded file is checked whole (size, encoding, every row against the contest's level
codes) before the preview; its text then travels in a hidden field of the preview form, so
that fixing a name or choosing a structure loses nothing and keeps no state on the server.
"""

from pathlib import PurePath

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from contests.models import Contest
from territories.domain import explain_no_match, search_organisations
from territories.enums import OrganisationKind
from territories.models import Organisation
from territories.text import fold

from .choices import NameChoice
from .importer import level_codes
from .preview import distinct_names
from .rows import AwardRow, CsvText, PalmaresFileError, read_palmares

# A palmarès of 200 awards is about 40 KB: anything above 1 MB is not one.
MAX_UPLOAD_BYTES = 1024 * 1024
SEARCH_RESULTS = 6
# The preview posts at most four fields per distinct name (fixed name, search, pick, kind) and
# a few of its own: Django refuses a request with more than DATA_UPLOAD_MAX_NUMBER_FIELDS.
FIELDS_PER_NAME, OWN_FIELDS = 4, 10


def max_names() -> int:
    limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    return (limit - OWN_FIELDS) // FIELDS_PER_NAME if limit else 10**9


def _read(contest: Contest, filename: str, text: str) -> list[AwardRow]:
    try:
        return read_palmares(CsvText(filename, text), level_codes(contest))
    except PalmaresFileError as error:
        raise forms.ValidationError(str(error), code="palmares_file") from error


class PalmaresUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier du palmarès (CSV)"),
        help_text=_(
            "Colonnes : year, level, theme, organisations, project_title, notes, source ; "
            "organisations séparées par « | » ; encodage UTF-8 ; 1 Mo au plus."
        ),
    )

    def __init__(self, *args, contest: Contest, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.contest = contest
        self.text, self.filename, self.rows = "", "", []

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.filename = PurePath(upload.name).name[:200]
        if not self.filename.lower().endswith(".csv"):
            raise forms.ValidationError(_("Le fichier doit être au format CSV (extension .csv)."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Le fichier dépasse 1 Mo : ce n'est pas un palmarès."))
        try:
            self.text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(
                _("Le fichier n'est pas encodé en UTF-8 : enregistrez-le en « CSV UTF-8 ».")
            ) from None
        if "\x00" in self.text:
            raise forms.ValidationError(_("Le fichier contient des caractères binaires."))
        self.rows = _read(self.contest, self.filename, self.text)
        names = len(distinct_names(self.rows))
        if names > max_names():
            raise forms.ValidationError(
                _(
                    "Le fichier cite %(count)s structures, plus que l'aperçu n'en montre "
                    "(%(max)s) : découpez-le par années, ou importez-le avec la commande "
                    "import_palmares."
                )
                % {"count": names, "max": max_names()}
            )
        return upload


class PalmaresContentForm(forms.Form):
    """The file's text, carried from one preview to the next and to the import."""

    content = forms.CharField(widget=forms.HiddenInput, strip=False, max_length=MAX_UPLOAD_BYTES)
    filename = forms.CharField(widget=forms.HiddenInput, max_length=200)

    def __init__(self, *args, contest: Contest, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.contest = contest
        self.rows: list[AwardRow] = []

    def clean(self):
        data = super().clean()
        if "content" in data and "filename" in data:
            self.rows = _read(self.contest, data["filename"], data["content"])
        return data


class NameChoicesForm(forms.Form):
    """For each distinct name of the file (fields suffixed by its index): a fixed name, a
    search of the referential, the structure picked among the results, or a kind to record it
    outside the referential with."""

    def __init__(self, *args, rows: list[AwardRow], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.names = [name for name, _lines in distinct_names(rows)]
        self.candidates: dict[int, list[Organisation]] = {}
        kinds = [("", _("— (rapprochement automatique)")), *OrganisationKind.added_kinds()]
        for index, name in enumerate(self.names):
            self.fields[f"fix-{index}"] = forms.CharField(
                label=_("Nom corrigé pour « %s »") % name, required=False, max_length=200
            )
            self.fields[f"search-{index}"] = forms.CharField(
                label=_("Chercher la structure de « %s »") % name,
                required=False,
                max_length=100,
            )
            self.fields[f"pick-{index}"] = forms.SlugField(required=False, max_length=120)
            self.fields[f"kind-{index}"] = forms.ChoiceField(
                label=_("Enregistrer « %s » hors référentiel comme") % name,
                choices=kinds,
                required=False,
            )

    def clean(self):
        data = super().clean()
        self.renames: dict[str, str] = {}
        self.choices: dict[str, NameChoice] = {}
        for index, name in enumerate(self.names):
            key = fold(name)
            fixed = data.get(f"fix-{index}", "").strip()
            if fixed and fold(fixed) != key:
                self.renames[key] = fixed
            choice = self._choice(index, data)
            if choice is not None:
                self.choices[key] = choice
        return data

    def _choice(self, index: int, data: dict) -> NameChoice | None:
        """The structure picked or found, else the kind chosen, else None (the import matches)."""
        slug = data.get(f"pick-{index}")
        if slug:
            organisation = Organisation.objects.filter(slug=slug, listed=True).first()
            if organisation is None:
                self.add_error(f"search-{index}", _("Cette structure n'existe pas."))
                return None
            self.candidates[index] = [organisation]
            return NameChoice(organisation=organisation)
        query = data.get(f"search-{index}", "").strip()
        if query:
            found = list(search_organisations(query, limit=SEARCH_RESULTS))
            self.candidates[index] = found
            if len(found) == 1:
                return NameChoice(organisation=found[0])
            if not found:
                self.add_error(f"search-{index}", explain_no_match(query).message)
            else:
                self.add_error(
                    f"search-{index}",
                    _("Plusieurs structures répondent : choisissez-en une ci-dessous."),
                )
            return None
        kind = data.get(f"kind-{index}")
        return NameChoice(kind=kind) if kind else None
