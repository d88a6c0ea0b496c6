"""What a referential search that found nothing understood, and what the person may have meant.

« Aucune commune nommée « Brestt » ; vouliez-vous dire « Brest » ? »: the sentence names the
kind the prefix asked for and the name that remained (territories/search.py reads the query),
then offers, in this order:
1. bodies of another kind or place whose name is exactly the one typed (« Commune du
   Finistère » → the département; « Saint-Denis 975 » → the Saint-Denis of other départements);
2. else names of the kinds searched that need the fewest letters changed (edit distance on
   folded names). The database first keeps the `CANDIDATES` names sharing the most three-letter
   sequences with the query (one scan, the same on SQLite and PostgreSQL); Python then measures
   the edit distance to each of them, their own prefix stripped as the query's was.
"""

from dataclasses import dataclass
from functools import reduce
from operator import add, or_

from django.db.models import Case, F, Q, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from .enums import OrganisationKind
from .matching import parse
from .models import Organisation
from .search import Reading, in_context, of_allowed_kind, read_query

Kind = OrganisationKind

SUGGESTIONS = 3
CANDIDATES = 40
# Only so many of the query's trigrams are searched, so that a long query stays one cheap scan.
MAX_TRIGRAMS = 6
# A name whose similarity (1 - edit distance / length of the longer) is below this is too far
# from the query to be offered.
MIN_SIMILARITY = 0.6

# The kind a prefix named, in « Aucune … nommée « X » » and « Aucune … ne porte le code X ».
ABSENT_NAME = {
    None: _lazy("Aucune structure nommée « %(name)s »"),
    Kind.COMMUNE: _lazy("Aucune commune nommée « %(name)s »"),
    Kind.DEPARTEMENT: _lazy("Aucun département nommé « %(name)s »"),
    Kind.REGION: _lazy("Aucune région nommée « %(name)s »"),
    "epci": _lazy("Aucune intercommunalité nommée « %(name)s »"),
    Kind.SYNDICAT: _lazy("Aucun syndicat nommé « %(name)s »"),
    Kind.PARC_NATUREL_REGIONAL: _lazy("Aucun parc naturel régional nommé « %(name)s »"),
    Kind.OFFICE_TOURISME: _lazy("Aucun office de tourisme nommé « %(name)s »"),
}
ABSENT_CODE = {
    None: _lazy("Aucune structure ne porte le code « %(code)s »"),
    Kind.COMMUNE: _lazy("Aucune commune ne porte le code « %(code)s »"),
    Kind.DEPARTEMENT: _lazy("Aucun département ne porte le code « %(code)s »"),
    Kind.REGION: _lazy("Aucune région ne porte le code « %(code)s »"),
}


@dataclass(frozen=True)
class NoMatch:
    """What a search that found nothing understood (`message`), and the bodies it suggests."""

    message: str
    suggestions: list[Organisation]


def explain_no_match(query: str) -> NoMatch:
    """The sentence and suggestions for a query `search_organisations` found nothing for."""
    reading = read_query(query)
    if reading.code_only:
        absent = ABSENT_CODE.get(reading.kind_key, ABSENT_CODE[None])
        message = _("%(absent)s. Vérifiez-le, ou cherchez la structure par son nom.") % {
            "absent": absent % {"code": reading.code}
        }
        return NoMatch(message, [])
    absent = ABSENT_NAME.get(reading.kind_key, ABSENT_NAME[None]) % {"name": reading.named}
    if reading.context:
        absent = _("%(absent)s dans le département « %(departement)s »") % {
            "absent": absent,
            "departement": reading.context_typed,
        }
    suggestions = _elsewhere(reading) or _closest(reading)
    if not suggestions:
        message = _(
            "%(absent)s. Vérifiez l'orthographe, ou essayez un code INSEE, un numéro SIREN ou "
            "un code postal."
        ) % {"absent": absent}
        return NoMatch(message, [])
    message = _("%(absent)s ; vouliez-vous dire %(names)s ?") % {
        "absent": absent,
        "names": _alternatives(suggestions),
    }
    return NoMatch(message, suggestions)


def _alternatives(suggestions: list[Organisation]) -> str:
    """« Brest », or « A », « B » ou « C »; homonyms followed by their département."""
    names = [organisation.name for organisation in suggestions]
    quoted = []
    for organisation in suggestions:
        text = f"« {organisation.name} »"
        if names.count(organisation.name) > 1 and organisation.departement is not None:
            text = f"{text} ({organisation.departement.name})"
        quoted.append(text)
    if len(quoted) == 1:
        return quoted[0]
    return _("%(names)s ou %(last)s") % {"names": ", ".join(quoted[:-1]), "last": quoted[-1]}


def _elsewhere(reading: Reading) -> list[Organisation]:
    """Bodies of any kind and place whose name is exactly what remains of the query."""
    if not (reading.kinds or reading.context):
        return []
    return list(
        Organisation.objects.filter(search_name__in=reading.readings)
        .select_related("departement")
        .order_by(F("population").desc(nulls_last=True), "search_name")[:SUGGESTIONS]
    )


def trigrams(text: str) -> list[str]:
    """The distinct three-letter sequences inside the words of a folded text, in order."""
    found = [word[index : index + 3] for word in text.split() for index in range(len(word) - 2)]
    return list(dict.fromkeys(found))


def edit_distance(left: str, right: str) -> int:
    """Levenshtein's: the fewest letters to insert, delete or replace to turn one into the other."""
    previous = list(range(len(right) + 1))
    for row, char in enumerate(left, start=1):
        current = [row]
        for column, other in enumerate(right, start=1):
            current.append(
                min(
                    previous[column] + 1,
                    current[column - 1] + 1,
                    previous[column - 1] + (char != other),
                )
            )
        previous = current
    return previous[-1]


def _closest(reading: Reading) -> list[Organisation]:
    """The names of the kinds searched that need the fewest letters changed to be the query."""
    grams = trigrams(reading.core)
    if not grams:
        return []
    step = -(-len(grams) // MAX_TRIGRAMS)  # ceiling division: keep trigrams spread over the query
    grams = grams[::step]
    shared = reduce(
        add,
        [Case(When(search_name__contains=gram, then=Value(1)), default=Value(0)) for gram in grams],
    )
    candidates = (
        Organisation.objects.filter(reduce(or_, [Q(search_name__contains=gram) for gram in grams]))
        .filter(of_allowed_kind(reading) & in_context(reading))
        .select_related("departement")
        .annotate(shared=shared)
        .order_by("-shared", F("population").desc(nulls_last=True))[:CANDIDATES]
    )
    scored = sorted(
        (
            (
                min(edit_distance(reading.core, name) for name in parse(candidate.name).cores),
                candidate,
            )
            for candidate in candidates
        ),
        key=lambda pair: (pair[0], -(pair[1].population or 0)),
    )
    # The names at the smallest distance, most populated first, if they are close enough.
    closest = [candidate for distance, candidate in scored if distance == scored[0][0]]
    close_enough = scored and 1 - scored[0][0] / max(len(reading.core), 1) >= MIN_SIMILARITY
    return closest[:SUGGESTIONS] if close_enough else []
