"""Match an organisation name as a source published it to the official referential.

"Ville de Brest", "Rennes Métropole", "Département de la Haute-Garonne", "Région Bretagne"… are
matched to the commune, EPCI, département or région they name, or to nothing: a name that does
not designate exactly one current body of the referential stays unmatched. Nothing is guessed:
no fuzzy scores, no "closest" name, no successor of a merged body unless listed below.

How a name is read (the same reading is applied to the referential's own names):
1. a trailing parenthesis is set aside: "(TCO)" is dropped, "(29)" or "(Finistère)" becomes a
   département context that restricts the candidates;
2. the name is folded (accents, case, hyphens, apostrophes: `territories.text.fold`), "St"/"Ste"
   are spelt out, "Agglomération" is shortened to "Agglo", and the long EPCI forms are shortened
   to the abbreviations the package uses ("Communauté d'agglomération" → "CA", "Communauté de
   communes" → "CC", "Communauté urbaine" → "CU"), so that both spellings meet;
3. a kind prefix ("Ville de", "Mairie de", "Département du", "CD", "Région", "CA du",
   "Métropole de", "Syndicat", "PNR"…) is stripped and restricts the kinds searched; what
   remains (with or without its article: "du Havre" → "Havre", "Le Havre") must equal the
   body's name, itself stripped the same way;
4. a name without a prefix must equal a commune's, département's or région's name, or an EPCI's
   name (with or without its "CA"/"CC"/"CU" prefix);
5. exactly one candidate is a match; none or several (homonym communes…) is no match.

Before these steps, two small explicit tables are looked up by the whole published name (read
as in step 2), each entry checked against the package and justified with its date:
- `ALIASES`: former or usual names of a body that is still the SAME legal entity (same SIREN,
  or a transformation that kept it), matched with the outcome ALIAS;
- `SUCCESSORS`: bodies that no longer exist because they merged into another one; the name is
  linked to the body that took over after the merger, with the outcome SUCCESSOR, so that it
  is shown as its successor and never presented as the same body. A merged body that is not in
  the table stays unmatched: successors are recorded, never guessed.
"""

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

from .enums import OrganisationKind
from .models import Organisation
from .text import fold

Kind = OrganisationKind
EPCI_KINDS = Kind.epci_kinds()

# Folded prefix → kinds it designates, longest first so that "conseil departemental" wins over
# shorter ones. Each may be followed by a connector ("de", "du", "de la", "d", "des").
KIND_PREFIXES: tuple[tuple[str, frozenset[str]], ...] = tuple(
    sorted(
        (
            ("ville", frozenset({Kind.COMMUNE})),
            ("mairie", frozenset({Kind.COMMUNE})),
            ("commune", frozenset({Kind.COMMUNE})),
            ("departement", frozenset({Kind.DEPARTEMENT})),
            ("conseil departemental", frozenset({Kind.DEPARTEMENT})),
            ("conseil general", frozenset({Kind.DEPARTEMENT})),
            ("cd", frozenset({Kind.DEPARTEMENT})),
            ("cg", frozenset({Kind.DEPARTEMENT})),
            ("region", frozenset({Kind.REGION})),
            ("conseil regional", frozenset({Kind.REGION})),
            ("ca", frozenset({Kind.COMMUNAUTE_AGGLOMERATION})),
            ("agglo", frozenset({Kind.COMMUNAUTE_AGGLOMERATION})),
            ("cc", frozenset({Kind.COMMUNAUTE_COMMUNES})),
            ("cu", frozenset({Kind.COMMUNAUTE_URBAINE})),
            ("metropole", frozenset({Kind.METROPOLE})),
            # Bodies organisers add by hand: no referential name starts with these words, so
            # they only change what the referential search restricts its kinds to.
            ("syndicat", frozenset({Kind.SYNDICAT})),
            ("syndicat mixte", frozenset({Kind.SYNDICAT})),
            ("syndicat intercommunal", frozenset({Kind.SYNDICAT})),
            ("pnr", frozenset({Kind.PARC_NATUREL_REGIONAL})),
            ("parc naturel regional", frozenset({Kind.PARC_NATUREL_REGIONAL})),
            ("office de tourisme", frozenset({Kind.OFFICE_TOURISME})),
            ("office du tourisme", frozenset({Kind.OFFICE_TOURISME})),
        ),
        key=lambda item: -len(item[0]),
    )
)
# Connector after a prefix → the article it contains, restored as an alternative reading
# ("du Havre" may mean "Havre" or "Le Havre"). Longest first: "de la" before "de".
CONNECTORS: tuple[tuple[str, str], ...] = (
    ("de la", "la"),
    ("de l", "l"),
    ("des", "les"),
    ("du", "le"),
    ("de", ""),
    ("d", ""),
)
# Long EPCI forms → the package's abbreviations (applied after folding, at the start only).
ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    ("communaute d agglo", "ca"),
    ("communaute de communes", "cc"),
    ("communaute urbaine", "cu"),
)
WORD_FORMS = {"st": "saint", "ste": "sainte", "agglomeration": "agglo"}
# "CD35", "CG 29": the département's council glued to its code, as agents often write it.
_GLUED_CODE = re.compile(r"^(cd|cg)(\d{2,3}|2[ab])\b")
_TRAILING_PARENTHESIS = re.compile(r"\s*\(([^()]*)\)\s*$")
_DEPARTEMENT_CODE = re.compile(r"^(?:\d{2,3}|2[AB])$", re.IGNORECASE)


class Listed(NamedTuple):
    """A body of the referential an explicit table points at: `code` is its SIREN (EPCI) or
    INSEE code (commune, département, région)."""

    kind: str  # "epci", "commune", "departement" or "region"
    code: str
    why: str  # one line of justification, with the date


Alias = Listed
Successor = Listed


# Former or usual names of bodies that are still the same legal entity, checked against
# @etalab/decoupage-administratif 6.0.0 (each target exists there with this code).
ALIASES: dict[str, Alias] = {
    "Communauté urbaine de Bordeaux": Alias(
        "epci", "243300316", "The CUB became Bordeaux Métropole on 1 Jan 2015 by transformation."
    ),
    "Communauté urbaine de Strasbourg": Alias(
        "epci", "246700488", "The CUS became the Eurométropole on 1 Jan 2015 by transformation."
    ),
    "Communauté d'agglomération du Pays Châtelleraudais": Alias(
        "epci", "248600413", "Extended and renamed Grand Châtellerault on 1 Jan 2017; same SIREN."
    ),
    "Guingamp-Paimpol Agglomération": Alias(
        "epci", "200067981", "Usual short name of this CA (created 2017, long name in package)."
    ),
    "Épernay Agglo Champagne": Alias(
        "epci", "200067684", "Usual name of the CA Épernay, Coteaux et Plaine de Champagne."
    ),
    "Région Sud": Alias(
        "region", "93", "Usual name the région Provence-Alpes-Côte d'Azur took in Dec 2017."
    ),
}
# Bodies that merged into another one, whose name is linked to the body that succeeded them,
# checked against @etalab/decoupage-administratif 6.0.0 (each target exists there with this code).
SUCCESSORS: dict[str, Successor] = {
    "Grand Lyon": Successor(
        "epci",
        "200046977",
        "Brand of the CU de Lyon, succeeded on 1 Jan 2015 by the Métropole de Lyon (same brand).",
    ),
    "Lille Métropole": Successor(
        "epci",
        "200093201",
        "Lille Métropole CU (renamed MEL in 2015) merged with the CC de la Haute-Deûle on "
        "14 Mar 2020 into the present Métropole Européenne de Lille.",
    ),
    "Valence Agglo": Successor(
        "epci",
        "200068781",
        "Valence Agglo Sud Rhône-Alpes merged on 1 Jan 2014 into Valence Romans Sud Rhône-Alpes, "
        "today the CA Valence Romans Agglo.",
    ),
    "Communauté d'agglomération de Saint-Omer": Successor(
        "epci", "200069037", "Merged on 1 Jan 2017 into the CA du Pays de Saint-Omer."
    ),
    "Communauté d'agglomération de Saint-Quentin": Successor(
        "epci",
        "200071892",
        "Merged on 1 Jan 2017 with the CC du canton de Saint-Simon into the CA du "
        "Saint-Quentinois.",
    ),
    "Région Rhône-Alpes": Successor(
        "region", "84", "Merged with Auvergne on 1 Jan 2016 into the région Auvergne-Rhône-Alpes."
    ),
}


class Outcome(StrEnum):
    NAME = "name"
    ALIAS = "alias"
    SUCCESSOR = "successor"
    AMBIGUOUS = "ambiguous"
    NOT_FOUND = "not_found"


def listed_by_name(
    aliases: Mapping[str, Alias] = ALIASES, successors: Mapping[str, Successor] = SUCCESSORS
) -> dict[str, tuple[Listed, Outcome]]:
    """The two tables by normalised name: "CU de Bordeaux" finds the entry "Communauté urbaine
    de Bordeaux". The referential search reads them too (a usual name finds its body)."""
    return {
        normalise(name): (listed, outcome)
        for table, outcome in ((aliases, Outcome.ALIAS), (successors, Outcome.SUCCESSOR))
        for name, listed in table.items()
    }


@dataclass(frozen=True)
class Match:
    """The result of matching one published name."""

    published_name: str
    organisation: Organisation | None
    outcome: Outcome
    candidates: int = 0

    @property
    def matched(self) -> bool:
        return self.organisation is not None


@dataclass(frozen=True)
class ParsedName:
    full: str  # the whole normalised name
    kinds: frozenset[str] | None  # restricted by a prefix, or None
    cores: frozenset[str]  # what must equal the body's name
    context: str  # the trailing parenthesis, as published ("" if none)


def normalise(text: str) -> str:
    """Fold, spell out "St"/"Ste", shorten "Agglomération" and the long EPCI forms, and
    separate a council's abbreviation from its code ("CD35" → "cd 35")."""
    words = [WORD_FORMS.get(word, word) for word in fold(text).split()]
    folded = _GLUED_CODE.sub(r"\1 \2", " ".join(words))
    for long, short in ABBREVIATIONS:
        if folded == long or folded.startswith(long + " "):
            return short + folded[len(long) :]
    return folded


def _readings(rest: str) -> set[str]:
    """What may remain once the prefix is gone: "du havre" → {"havre", "le havre"}."""
    for connector, article in CONNECTORS:
        if rest.startswith(connector + " "):
            remainder = rest[len(connector) + 1 :]
            return {remainder, f"{article} {remainder}"} if article else {remainder}
    return {rest}


def _strip_prefixes(full: str) -> tuple[frozenset[str] | None, set[str]]:
    """Kinds named by the prefix(es), and every reading of the name with and without them.

    The whole name stays a reading: "Ville-d'Avray" is a commune, not "Avray" with a prefix.
    """
    kinds: frozenset[str] | None = None
    readings = {full}
    current = full
    # A loop, because the package writes "CA Agglomération d'Agen" ("ca", then "agglo").
    while True:
        for prefix, prefix_kinds in KIND_PREFIXES:
            if current.startswith(prefix + " ") and (kinds is None or prefix_kinds <= kinds):
                break
        else:
            return kinds, readings
        kinds = prefix_kinds
        rest = _readings(current[len(prefix) + 1 :])
        readings |= rest
        current = min(rest, key=len)


def parse(name: str) -> ParsedName:
    """Read a name as described in the module docstring (steps 1-3)."""
    context = ""
    parenthesis = _TRAILING_PARENTHESIS.search(name)
    if parenthesis and parenthesis.start() > 0:
        context = parenthesis.group(1).strip()
        name = name[: parenthesis.start()]
    full = normalise(name)
    kinds, readings = _strip_prefixes(full)
    return ParsedName(full=full, kinds=kinds, cores=frozenset(readings), context=context)


def kind_from_words(name: str) -> str:
    """The kind of a body outside the referential, from explicit words of its name only.

    SIVU and SIVOM are the legal abbreviations of "syndicat intercommunal à vocation unique /
    multiple", so they count as the word "syndicat".
    """
    words = f" {fold(name)} "
    if " syndicat " in words or set(words.split()[:1]) & {"sivu", "sivom"}:
        return Kind.SYNDICAT
    if " parc naturel regional " in words:
        return Kind.PARC_NATUREL_REGIONAL
    tourism = (" office du tourisme ", " office de tourisme ", " comite departemental du tourisme ")
    if any(phrase in words for phrase in tourism):
        return Kind.OFFICE_TOURISME
    # Only as the name's first words: "Association des maires ruraux", "Agence nationale de la
    # cohésion des territoires"; a word further on may name a partner, not the body.
    if words.startswith(" association "):
        return Kind.ASSOCIATION
    if words.startswith((" agence nationale ", " etablissement public ")):
        return Kind.ETABLISSEMENT_PUBLIC
    return Kind.OTHER


class Matcher:
    """Matches names against the referential in the database.

    Régions, départements and EPCI (about 1,400 rows) are indexed in memory on creation;
    communes are looked up by their indexed folded name, one query per name. The two tables
    are parameters so that the suite can check what the names they list match without them.
    """

    def __init__(
        self,
        aliases: Mapping[str, Alias] = ALIASES,
        successors: Mapping[str, Successor] = SUCCESSORS,
    ) -> None:
        self._index: dict[str, list[Organisation]] = defaultdict(list)
        self._departements: dict[str, Organisation] = {}
        bodies = Organisation.objects.from_referential().filter(
            kind__in=EPCI_KINDS | {Kind.REGION, Kind.DEPARTEMENT}
        )
        for organisation in bodies.order_by("pk"):
            parsed = parse(organisation.name)
            keys = {parsed.full} | (parsed.cores if organisation.is_epci else set())
            for key in keys:
                self._index[key].append(organisation)
            if organisation.kind == Kind.DEPARTEMENT:
                self._departements[organisation.insee_code or ""] = organisation
                self._departements[parsed.full] = organisation
        self._listed = listed_by_name(aliases, successors)

    def match(self, published_name: str) -> Match:
        parsed = parse(published_name)
        if parsed.full in self._listed:
            listed, outcome = self._listed[parsed.full]
            target = self._listed_target(listed)
            if target is not None:
                return Match(published_name, target, outcome, 1)
            return Match(published_name, None, Outcome.NOT_FOUND, 0)
        kinds = parsed.kinds or Kind.referential_kinds()
        candidates = self._communes(parsed.cores) if Kind.COMMUNE in kinds else []
        candidates += [
            organisation
            for core in sorted(parsed.cores)
            for organisation in self._index.get(core, [])
            if organisation.kind in kinds
        ]
        candidates = self._in_context(_distinct(candidates), parsed.context)
        if len(candidates) == 1:
            return Match(published_name, candidates[0], Outcome.NAME, 1)
        outcome = Outcome.AMBIGUOUS if candidates else Outcome.NOT_FOUND
        return Match(published_name, None, outcome, len(candidates))

    def _communes(self, names: Iterable[str]) -> list[Organisation]:
        return list(
            Organisation.objects.from_referential()
            .filter(kind=Kind.COMMUNE, search_name__in=list(names))
            .order_by("pk")
        )

    def _in_context(self, candidates: list[Organisation], context: str) -> list[Organisation]:
        """Keep the candidates of the département the parenthesis names, if it names one."""
        key = context.upper() if _DEPARTEMENT_CODE.match(context) else normalise(context)
        departement = self._departements.get(key) if context else None
        if departement is None:
            return candidates
        return [
            candidate
            for candidate in candidates
            if candidate.pk == departement.pk or candidate.departement_id == departement.pk
        ]

    @staticmethod
    def _listed_target(listed: Listed) -> Organisation | None:
        """None only if the body left the referential (the suite checks every target exists)."""
        bodies = Organisation.objects.from_referential()
        if listed.kind == "epci":
            return bodies.filter(kind__in=EPCI_KINDS, siren=listed.code).first()
        return bodies.filter(kind=listed.kind, insee_code=listed.code).first()


def _distinct(organisations: list[Organisation]) -> list[Organisation]:
    return list({organisation.pk: organisation for organisation in organisations}.values())


def match_organisation(published_name: str) -> Organisation | None:
    """The referential body a published name designates, or None (see the module docstring)."""
    return Matcher().match(published_name).organisation
