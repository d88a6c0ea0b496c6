"""The seeded data of the Label (its criteria, its levels) and the default phase calendar.

These are stored data, not interface text: an edition's criteria and levels are the contest's
official French wording, shown as such on public pages whatever the visitor's language. They are
therefore plain strings, not gettext calls (translating them at creation time would store the
organiser's interface language in the database).
"""

from typing import NamedTuple

from .enums import PhaseKind

LABEL_TERRITOIRE_INNOVANT = "label-territoire-innovant"
START_UP_INTERCONNECTEE = "start-up-interconnectee"


class CriterionDefault(NamedTuple):
    name: str
    description: str


# The six criteria of the label, named as in the 2024 press release (data/sources/001_…txt);
# each one judged insufficient eliminates the dossier (data/sources/004_…txt).
LABEL_CRITERIA: tuple[CriterionDefault, ...] = (
    CriterionDefault(
        "L'innovation",
        "Le projet apporte une réponse nouvelle, par la technologie, l'usage ou l'organisation, "
        "au regard de ce qui se fait sur des territoires comparables.",
    ),
    CriterionDefault(
        "La prise en compte des usagers",
        "Les besoins des usagers ont été recueillis et les usagers ont été associés à la "
        "conception, aux essais et à l'évaluation du service.",
    ),
    CriterionDefault(
        "La reproductibilité",
        "D'autres collectivités peuvent reprendre le projet grâce à une démarche documentée et "
        "à des conditions de mise en œuvre à leur portée.",
    ),
    CriterionDefault(
        "La mutualisation / interopérabilité",
        "Le projet partage des moyens entre structures et s'appuie sur des standards, des données "
        "ou des logiciels ouverts qui lui permettent de fonctionner avec d'autres systèmes.",
    ),
    CriterionDefault(
        "L'utilité / efficacité",
        "Le projet répond à un besoin réel du territoire et ses résultats sont mesurés au regard "
        "des moyens engagés.",
    ),
    CriterionDefault(
        "Sobriété numérique / impact climatique",
        "Le projet limite son empreinte environnementale (matériel, données, énergie) et "
        "contribue, autant que possible, à la transition écologique du territoire.",
    ),
)
# What a criterion added without a weight starts with.
CRITERION_WEIGHT = 1
CRITERION_ELIMINATORY = True
# The Label's criteria and levels are the seeded data of that contest (migration 0008 copies
# them into its ContestCriterion and ContestLevel rows); a new edition of any contest starts
# with its own contest's defaults (contests.domain.create_edition), never with these by name.


class LevelDefault(NamedTuple):
    code: str
    name: str
    rank: int


LEVELS: tuple[LevelDefault, ...] = (
    LevelDefault("or", "Or", 1),
    LevelDefault("argent", "Argent", 2),
    LevelDefault("bronze", "Bronze", 3),
)


class PhaseStart(NamedTuple):
    """A phase's start relative to the edition: (edition year + year_offset, month, day)."""

    year_offset: int
    month: int
    day: int


# Modelled on the 2024 edition: applications in the autumn before, auditions in winter, results
# announced at the Forum (3-4 April 2024 in Marseille). Every phase opens at 09:00, Paris time.
PHASE_STARTS: dict[PhaseKind, PhaseStart] = {
    PhaseKind.DRAFT: PhaseStart(-1, 6, 1),
    PhaseKind.APPLICATIONS_OPEN: PhaseStart(-1, 10, 1),
    PhaseKind.APPLICATIONS_CLOSED: PhaseStart(-1, 12, 15),
    PhaseKind.REGIONAL_SELECTION: PhaseStart(0, 1, 8),
    PhaseKind.JURY_SCORING: PhaseStart(0, 2, 1),
    PhaseKind.AUDITIONS: PhaseStart(0, 3, 1),
    PhaseKind.DELIBERATION: PhaseStart(0, 3, 15),
    PhaseKind.EMBARGO: PhaseStart(0, 3, 22),
    PhaseKind.PUBLISHED: PhaseStart(0, 4, 3),
    PhaseKind.ARCHIVED: PhaseStart(1, 4, 1),
}
PHASE_START_HOUR = 9
