"""The organisers' form of a round: kind, régions, IntercoTOUR stage, criteria, promotion rule."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from contests.content_language import ContentCheckboxSelectMultiple
from contests.enums import EventKind
from contests.models import Edition, Event
from territories.enums import OrganisationKind
from territories.models import Organisation

from ..enums import PromotionRule, RoundKind
from ..models import Round

THRESHOLD_MIN, THRESHOLD_MAX = Decimal(0), Decimal(5)
# Path segments of jury/views/rounds.py that a round's slug must not shadow.
RESERVED_SLUGS = frozenset({"nouveau"})
# The first fieldset of the form (the round itself); the rest is about evaluation and promotion.
ROUND_FIELDS = ("name", "slug", "kind", "regions", "event", "ends_on", "position")


class RegionChoiceField(forms.ModelMultipleChoiceField):
    """Régions of the referential chosen by INSEE code, shown as « 53 – Bretagne »."""

    def label_from_instance(self, obj: Organisation) -> str:
        return f"{obj.insee_code} – {obj.name}"


class StageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Event) -> str:
        when = f" ({obj.starts_on:%d/%m/%Y})" if obj.starts_on else ""
        return f"{obj.name}{when}"


class RoundForm(forms.ModelForm):
    regions = RegionChoiceField(
        label=_("Régions"),
        queryset=Organisation.objects.filter(kind=OrganisationKind.REGION).order_by("insee_code"),
        to_field_name="insee_code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Pour une sélection régionale : les dossiers des structures de ces régions."),
    )
    event = StageChoiceField(
        label=_("Étape régionale"),
        queryset=Event.objects.filter(kind=EventKind.STAGE).order_by("-starts_on", "name"),
        to_field_name="slug",
        required=False,
        empty_label=_("Aucune"),
    )
    criteria = forms.ModelMultipleChoiceField(
        label=_("Critères"),
        queryset=None,
        required=False,
        widget=ContentCheckboxSelectMultiple,
        help_text=_("Aucun critère coché : tous les critères de l'édition."),
    )
    next_round = forms.ModelChoiceField(
        label=_("Tour suivant"),
        queryset=None,
        to_field_name="slug",
        required=False,
        empty_label=_("Aucun"),
        help_text=_("Le tour où vont les dossiers promus."),
        error_messages={"invalid_choice": _("Choisissez un tour de cette édition.")},
    )
    promotion_threshold = forms.DecimalField(
        label=_("Note minimale (sur 5)"),
        max_digits=4,
        decimal_places=2,
        required=False,
        help_text=_("Pour la règle « note minimale » : entre 0 et 5."),
    )
    promotion_count = forms.IntegerField(
        label=_("Nombre de dossiers promus par thème"),
        required=False,
        help_text=_("Pour la règle « les N premiers de chaque thème » : au moins 1."),
    )

    class Meta:
        model = Round
        fields = [
            "name",
            "slug",
            "kind",
            "regions",
            "event",
            "criteria",
            "promotion_rule",
            "promotion_count",
            "promotion_threshold",
            "next_round",
            "ends_on",
            "position",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "promotion_rule": forms.RadioSelect,
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "slug": _("Lettres minuscules, chiffres et tirets ; il figure dans l'adresse du tour."),
            "position": _("Les tours sont listés dans cet ordre."),
        }

    def __init__(self, *args, edition: Edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.edition = edition
        self.instance.edition = edition
        self.fields["criteria"].queryset = edition.criteria.all()
        self.fields["next_round"].queryset = Round.objects.filter(edition=edition)
        # These selects are keyed by slug, but ModelForm's initial values are ids: an unchanged
        # save would otherwise clear them.
        for name in ("event", "next_round"):
            if name not in self.initial or self.initial[name] is None:
                continue
            related = getattr(self.instance, name, None)
            if related is not None and self.initial[name] == related.pk:
                self.initial[name] = related.slug

    def round_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ROUND_FIELDS]

    def promotion_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.Meta.fields if name not in ROUND_FIELDS]

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(
                _("« %(slug)s » est réservé : choisissez un autre identifiant."),
                code="slug_reserved",
                params={"slug": slug},
            )
        others = Round.objects.filter(edition=self.edition, slug=slug).exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(
                _("Un autre tour de cette édition a déjà l'identifiant « %(slug)s »."),
                code="slug_taken",
                params={"slug": slug},
            )
        return slug

    def clean_promotion_count(self) -> int | None:
        count = self.cleaned_data["promotion_count"]
        if count is not None and count < 1:
            raise forms.ValidationError(
                _("Indiquez au moins 1 dossier promu par thème."), code="count_min"
            )
        return count

    def clean_promotion_threshold(self) -> Decimal | None:
        threshold = self.cleaned_data["promotion_threshold"]
        if threshold is not None and not THRESHOLD_MIN <= threshold <= THRESHOLD_MAX:
            raise forms.ValidationError(
                _("La note minimale doit être comprise entre 0 et 5."), code="threshold_range"
            )
        return threshold

    def clean_next_round(self) -> Round | None:
        next_round = self.cleaned_data["next_round"]
        if next_round is None:
            return None
        if self.instance.pk and next_round.pk == self.instance.pk:
            raise forms.ValidationError(
                _("Un tour ne peut pas être son propre tour suivant."), code="self"
            )
        # Follow the chain from the chosen round: coming back here would make a loop.
        seen, current = set(), next_round
        while current is not None and current.pk not in seen:
            if self.instance.pk and current.pk == self.instance.pk:
                raise forms.ValidationError(
                    _("Ce choix formerait une boucle : « %(round)s » mène déjà à ce tour."),
                    code="loop",
                    params={"round": next_round.name},
                )
            seen.add(current.pk)
            current = current.next_round
        return next_round

    def clean(self) -> dict:
        cleaned = super().clean()
        kind, regions = cleaned.get("kind"), cleaned.get("regions")
        if kind == RoundKind.REGIONAL and regions is not None and not regions:
            self.add_error(
                "regions", _("Choisissez au moins une région pour une sélection régionale.")
            )
        elif kind == RoundKind.NATIONAL and regions:
            self.add_error(
                "regions", _("Un jury national ne couvre pas de régions : décochez-les.")
            )
        if kind == RoundKind.REGIONAL and regions:
            self._check_regions_free(regions)
        rule = cleaned.get("promotion_rule")
        if (
            rule == PromotionRule.TOP_N
            and cleaned.get("promotion_count") is None
            and "promotion_count" not in self.errors
        ):
            self.add_error(
                "promotion_count",
                _("Indiquez combien de dossiers de chaque thème sont promus."),
            )
        if (
            rule == PromotionRule.THRESHOLD
            and cleaned.get("promotion_threshold") is None
            and "promotion_threshold" not in self.errors
        ):
            self.add_error("promotion_threshold", _("Indiquez la note minimale, entre 0 et 5."))
        return cleaned

    def _check_regions_free(self, regions) -> None:
        """A région belongs to one regional round of the edition at most, so that a dossier
        has one regional round."""
        taken = (
            Round.objects.filter(edition=self.edition, kind=RoundKind.REGIONAL, regions__in=regions)
            .exclude(pk=self.instance.pk)
            .values_list("name", "regions__name")
            .order_by("name", "regions__name")
        )
        taken = [(name, region) for name, region in taken if region in {r.name for r in regions}]
        if taken:
            self.add_error(
                "regions",
                _("Déjà couvert par un autre tour : %(list)s.")
                % {"list": ", ".join(f"{region} (« {name} »)" for name, region in taken)},
            )
