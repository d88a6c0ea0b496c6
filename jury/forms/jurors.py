"""Forms of the jurors and conflicts pages: invite or edit a juror, take the jury of another
round, answer an invitation with a new account, decide a conflict, declare one."""

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from contests.content_language import ContentCheckboxSelectMultiple
from territories.domain import search_organisations
from territories.models import Organisation

from ..enums import ConflictStatus
from ..models import Juror, JuryMember, Round

SUGGESTIONS = 5


def find_institution(typed: str) -> Organisation:
    """The organisation meant by a SIREN, an INSEE code, an identifier (slug) or an exact name.

    Raises a ValidationError listing the candidates (with their identifiers) when the text is
    ambiguous (code 53 is both Mayenne and Bretagne) or only partly matches.
    """
    typed = typed.strip()
    by_slug = Organisation.objects.filter(slug=typed.lower()).first()
    if by_slug is not None:
        return by_slug
    matches = list(search_organisations(typed, limit=SUGGESTIONS + 1))
    best = [match for match in matches if match.rank <= 1]
    if len(best) == 1:
        return best[0]
    if not matches:
        raise ValidationError(
            _("Aucune structure du référentiel ne correspond à « %(typed)s »."),
            code="institution_unknown",
            params={"typed": typed},
        )
    candidates = "; ".join(
        f"{match.name} ({match.get_kind_display()}, {match.slug})"
        for match in matches[:SUGGESTIONS]
    )
    raise ValidationError(
        _(
            "Plusieurs structures correspondent à « %(typed)s » : %(candidates)s. "
            "Saisissez l'identifiant (entre parenthèses) de celle que vous voulez."
        ),
        code="institution_ambiguous",
        params={"typed": typed, "candidates": candidates},
    )


class JurorForm(forms.ModelForm):
    """A juror as organisers invite or edit them: institution typed as a code or an identifier."""

    institution_code = forms.CharField(
        label=_("Institution du référentiel"),
        required=False,
        max_length=200,
        help_text=_(
            "SIREN, code INSEE, identifiant ou nom exact d'une structure du référentiel "
            "(par exemple 243500139 pour Rennes Métropole)."
        ),
    )

    class Meta:
        model = Juror
        fields = [
            "email",
            "full_name",
            "institution_code",
            "institution_name",
            "themes",
            "is_president",
        ]
        widgets = {"themes": ContentCheckboxSelectMultiple}
        help_texts = {
            "institution_name": _(
                "Pour une institution partenaire absente du référentiel ; laissez vide sinon."
            ),
        }

    def __init__(self, *args, round_, **kwargs):
        super().__init__(*args, **kwargs)
        self.round = round_
        self.instance.round = round_
        themes = self.fields["themes"]
        themes.queryset = round_.edition.themes.all()
        themes.to_field_name = "slug"
        themes.required = False
        if self.instance.pk and not self.is_bound:
            institution = self.instance.institution
            if institution is not None:
                self.initial["institution_code"] = institution.siren or institution.slug
            self.initial["themes"] = [theme.slug for theme in self.instance.themes.all()]
        if self.instance.pk and self.instance.state != "invited":
            # The invited address is the one the person answered with.
            self.fields["email"].disabled = True

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        taken = Juror.objects.filter(round=self.round, email__iexact=email)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise ValidationError(
                _("Cette personne est déjà invitée à ce tour."), code="juror_taken"
            )
        if self.instance.pk:
            # A new address for this person must not be another member's of the edition.
            other = JuryMember.objects.filter(edition=self.round.edition, email__iexact=email)
            if other.exclude(pk=self.instance.member_id).exists():
                raise ValidationError(
                    _("Cette adresse est celle d'une autre personne du jury de l'édition."),
                    code="member_taken",
                )
        return email

    def clean_institution_code(self) -> Organisation | None:
        typed = self.cleaned_data["institution_code"].strip()
        return find_institution(typed) if typed else None

    def clean(self) -> dict:
        cleaned = super().clean()
        institution = cleaned.get("institution_code")
        name = (cleaned.get("institution_name") or "").strip()
        if "institution_code" in cleaned:
            if institution is None and not name:
                self.add_error(
                    "institution_code",
                    _("Indiquez une structure du référentiel ou une institution partenaire."),
                )
            elif institution is not None and name:
                self.add_error(
                    "institution_name",
                    _(
                        "Indiquez soit une structure du référentiel, soit une institution "
                        "partenaire, pas les deux."
                    ),
                )
        return cleaned

    def _post_clean(self) -> None:
        # The institution is typed in a text field: set the foreign key before model validation.
        if "institution_code" in self.cleaned_data:
            self.instance.institution = self.cleaned_data["institution_code"]
        super()._post_clean()

    def changed_fields(self) -> list[str]:
        changed = set(self.changed_data)
        if "institution_code" in changed:
            changed = (changed - {"institution_code"}) | {"institution"}
        return sorted(changed)


class TakeJuryForm(forms.Form):
    """« Reprendre le jury du tour … »: one of the edition's other rounds with jurors."""

    source = forms.ChoiceField(label=_("Reprendre le jury du tour"))

    def __init__(self, *args, sources: list[Round], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.sources = {round_.slug: round_ for round_ in sources}
        self.fields["source"].choices = [(slug, r.name) for slug, r in self.sources.items()]

    def clean_source(self) -> Round:
        return self.sources[self.cleaned_data["source"]]


class InvitationSignupForm(forms.Form):
    """The account an invited person creates when accepting (the address is the invited one)."""

    full_name = forms.CharField(
        label=_("Nom complet"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password1 = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Confirmation du mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Saisissez le même mot de passe, pour vérification."),
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email
        self.fields[
            "password1"
        ].help_text = password_validation.password_validators_help_text_html()

    def clean(self) -> dict:
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("Les deux mots de passe ne correspondent pas."))
        elif password1:
            candidate = User(email=self.email, full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(password1, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class ConflictDecisionForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Décision"),
        choices=[
            (ConflictStatus.CONFIRMED.value, _("Confirmer le conflit")),
            (ConflictStatus.DISMISSED.value, _("Écarter le conflit")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Raison de la décision"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Obligatoire ; elle est consignée dans le journal de l'édition."),
    )


class DeclareConflictForm(forms.Form):
    """One per dossier on the juror's page, prefixed by the dossier's reference."""

    reason = forms.CharField(
        label=_("Raison du conflit d'intérêts"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Obligatoire ; seule l'équipe organisatrice la lira."),
    )
