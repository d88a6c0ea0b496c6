from django.conf import settings
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _


class PhaseKind(models.TextChoices):
    """The dated phases of an edition, in lifecycle order (docs/architecture.md)."""

    DRAFT = "draft", _("Brouillon")
    APPLICATIONS_OPEN = "applications_open", _("Candidatures ouvertes")
    APPLICATIONS_CLOSED = "applications_closed", _("Candidatures closes (recevabilité)")
    REGIONAL_SELECTION = "regional_selection", _("Sélections régionales")
    JURY_SCORING = "jury_scoring", _("Notation du jury")
    AUDITIONS = "auditions", _("Auditions")
    DELIBERATION = "deliberation", _("Délibération")
    EMBARGO = "embargo", _("Résultats sous embargo")
    PUBLISHED = "published", _("Résultats publiés")
    ARCHIVED = "archived", _("Archivée")


class EventKind(models.TextChoices):
    # The contest names them (Contest.ceremony_name, regional_stage_name); these are the kinds.
    FORUM = "forum", _("Cérémonie de remise")
    STAGE = "stage", _("Étape régionale")


class EliminationRule(models.TextChoices):
    """When "insuffisant" on a criterion eliminates a dossier (an edition's setting)."""

    ANY = "any", _("Dès qu'un juré juge un critère insuffisant")
    MAJORITY = "majority", _("Quand la majorité des jurés jugent un même critère insuffisant")
    ALL = "all", _("Quand tous les jurés jugent un même critère insuffisant")


# What each phase allows by default; organisers can change the flags of any phase.
PHASE_DEFAULT_CAPABILITIES: dict[PhaseKind, dict[str, bool]] = {
    PhaseKind.DRAFT: {},
    PhaseKind.APPLICATIONS_OPEN: {"may_apply": True},
    PhaseKind.APPLICATIONS_CLOSED: {},
    PhaseKind.REGIONAL_SELECTION: {"may_score": True},
    PhaseKind.JURY_SCORING: {"may_score": True},
    PhaseKind.AUDITIONS: {"may_score": True},
    PhaseKind.DELIBERATION: {"may_see_other_scores": True},
    PhaseKind.EMBARGO: {"may_see_other_scores": True, "may_publish": True},
    PhaseKind.PUBLISHED: {"results_public": True},
    PhaseKind.ARCHIVED: {"results_public": True},
}
CAPABILITY_FLAGS = (
    "may_apply",
    "may_score",
    "may_see_other_scores",
    "may_publish",
    "results_public",
)


# The standard levels' names in the reader's language, by code ("or" is gold, not the conjunction).
STANDARD_LEVEL_LABELS = {
    "or": pgettext_lazy("niveau de label", "or"),
    "argent": pgettext_lazy("niveau de label", "argent"),
    "bronze": pgettext_lazy("niveau de label", "bronze"),
}


class ContestArticle(models.TextChoices):
    """The article a contest's name takes in French (« le Label », « la Start-up »)."""

    LE = "le", "le"
    LA = "la", "la"
    ELIDED = "l'", "l'"
    LES = "les", "les"
    NONE = "", _("aucun")


# « de » and « à » contract with the article: de + le → du, à + les → aux.
_CONTRACTIONS: dict[tuple[str, str], str] = {
    ("", "le"): "le ",
    ("", "la"): "la ",
    ("", "l'"): "l'",
    ("", "les"): "les ",
    ("de", "le"): "du ",
    ("de", "la"): "de la ",
    ("de", "l'"): "de l'",
    ("de", "les"): "des ",
    ("de", ""): "de ",
    ("à", "le"): "au ",
    ("à", "la"): "à la ",
    ("à", "l'"): "à l'",
    ("à", "les"): "aux ",
    ("à", ""): "à ",
}


def contracted(article: str, preposition: str = "") -> str:
    """What precedes a name: `contracted("le", "à")` is « au », with its trailing space.

    French only: the other locales' sentences place the plain name themselves (« The %(contest)s
    team »), so in another active language nothing precedes it."""
    if not (get_language() or settings.LANGUAGE_CODE).startswith("fr"):
        return ""
    return _CONTRACTIONS.get((preposition, article), "")
