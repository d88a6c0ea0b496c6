"""An edition's results for the organisers: each dossier with its state and, once awarded, its
level; then the awards that have no dossier on the platform (historical editions).

Filtered like the dossiers' list (applications.listing.ApplicationFilterForm): the same query
string selects the same dossiers; the awards without a dossier are filtered on what they have
(title, theme, organisations; « Labellisé » for the state filter).

Screened like every document of the jury's work (`awards.rules.ConflictScreen`): for an
organiser in conflict with a dossier, that dossier's outcome and level and its award's row are
left out, and no level or outcome of the other dossiers of its theme is given.
"""

from collections.abc import Iterator

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from applications.enums import ApplicationState
from applications.listing import ApplicationFilterForm, filtered_applications
from awards.models import Award, AwardOrganisation
from awards.rules import conflict_screen
from contests.models import Edition
from territories.enums import OrganisationKind

from .dossiers import labels
from .tables import Cell

HEADER = (
    _("Référence du dossier"),
    _("Titre"),
    _("Thème"),
    _("Structure porteuse"),
    _("Nature"),
    _("Code INSEE"),
    _("SIREN"),
    _("État"),
    _("Niveau"),
    _("Identifiant du label"),
)


def awards_by_dossier(edition: Edition) -> dict[int, Award]:
    """The award of each dossier of the edition, by dossier id.

    An Award records no dossier yet (awards.models: historical awards have none, and the
    deliberation that will create awards from dossiers comes with a later issue). Until it does,
    no dossier is matched to an award: matching on titles would be a guess.
    """
    return {}


def _awards(edition: Edition) -> QuerySet[Award]:
    links = AwardOrganisation.objects.select_related("organisation").order_by("position", "pk")
    return (
        Award.objects.filter(edition=edition)
        .select_related("level", "theme")
        .prefetch_related(Prefetch("award_organisations", queryset=links))
        .order_by("level__rank", "title", "slug")
    )


def _filter_awards(awards: QuerySet[Award], form: ApplicationFilterForm) -> QuerySet[Award]:
    filters = form.valid_filters()
    if "state" in filters and filters["state"] != ApplicationState.AWARDED:
        return awards.none()
    if text := (filters.get("q") or "").strip():
        awards = awards.filter(Q(title__icontains=text) | Q(slug__icontains=text))
    if "theme" in filters:
        awards = awards.filter(theme=filters["theme"])
    if region := filters.get("region"):
        awards = awards.filter(
            Q(organisations__region=region)
            | Q(organisations__departement__region=region)
            | Q(organisations=region)
        )
    if departement := filters.get("departement"):
        awards = awards.filter(
            Q(organisations__departement=departement) | Q(organisations=departement)
        )
    if "kind" in filters:
        awards = awards.filter(organisations__kind=filters["kind"])
    return awards.distinct()


MASKED = _("non communiqué (conflit d'intérêts)")


def results_rows(edition: Edition, data, user=None) -> Iterator[list[Cell]]:
    """The rows of the results export for the filters in `data` (a query string), as `user`
    may see them (None: everything)."""
    screen = conflict_screen(user, edition.pk)
    form, applications = filtered_applications(edition, data)
    awarded = awards_by_dossier(edition)
    states, kinds = labels(ApplicationState.choices), labels(OrganisationKind.choices)
    # Plain tuples, not model instances (see dossiers.COLUMNS).
    rows = applications.order_by("reference").values_list(
        "pk",
        "reference",
        "title",
        "theme_id",
        "theme__name",
        "lead_organisation__name",
        "lead_organisation__kind",
        "lead_organisation__insee_code",
        "lead_organisation__siren",
        "state",
    )
    concluded = ApplicationState.concluded()
    for pk, reference, title, theme_id, theme, name, kind, insee, siren, state in rows.iterator():
        award = awarded.get(pk)
        masked = screen.hides(pk) or screen.veils(theme_id)
        yield [
            reference,
            title,
            theme,
            name,
            kinds.get(kind, kind),
            insee,
            siren,
            # An outcome is a level in effect: masked with it (a running state is not).
            MASKED if masked and state in concluded else states.get(state, state),
            MASKED if masked else (award.level.name if award and award.level else None),
            None if masked or award is None else award.slug,
        ]
    matched = {award.pk for award in awarded.values()}
    for award in _filter_awards(_awards(edition), form):
        if award.pk in matched or screen.hides(award.application_id):
            continue
        masked = screen.veils(award.theme_id)
        links = list(award.award_organisations.all())
        lead = links[0].organisation if links else None
        yield [
            None,
            award.title,
            award.theme.name if award.theme else None,
            lead.name if lead else None,
            lead.get_kind_display() if lead else None,
            lead.insee_code if lead else None,
            lead.siren if lead else None,
            MASKED if masked else str(ApplicationState.AWARDED.label),
            MASKED if masked else (award.level.name if award.level else None),
            award.slug,
        ]
