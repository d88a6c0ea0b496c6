"""The referential search: a structure found under the name its agents give it.

A query is read the way the palmarès matcher reads a published name (territories/matching.py:
folding, "St" → "Saint", long EPCI forms → CA / CC / CU, kind prefixes, articles), then:
- an INSEE code, a SIREN or a postcode finds its bodies, and so does a usual name listed in the
  matcher's tables ("Région Sud", "Grand Lyon");
- a kind prefix ("Mairie de", "Département du", "CD", "Région", "CA du", "Métropole de", "PNR"…)
  restricts the kinds searched and what remains is searched as words: « Mairie de Lyon » finds
  the commune Lyon, not the Métropole de Lyon; « CD 35 » the département 35. An intercommunality
  prefix admits every EPCI kind, because agents keep using the kind their EPCI had before;
- a département code at the end, or in a trailing parenthesis, restricts to that département
  (« Saint-Denis 974 », « Brest (Finistère) »);
- once a prefix named the kind, the words must start words of the name (« Métropole de Rennes »
  is not the CC du Bassin de Marennes); a body added by hand may also hold every word typed,
  prefix included, whatever kind organisers gave it (« Syndicat Mégalis »).
Results are ranked: codes and listed names, the exact name, names starting with what remains,
names with a word starting with it, the rest; larger populations first within a rank. It is one
query (two with pagination's count), on SQLite and PostgreSQL alike.

When nothing matches, territories/suggestions.py says what was understood and what was meant.
"""

import re
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from .enums import OrganisationKind
from .matching import listed_by_name, normalise, parse
from .models import Organisation
from .text import fold

Kind = OrganisationKind

MIN_QUERY_CHARACTERS = 2
# The longest name of the referential has 59 characters; its long form about 85.
MAX_QUERY_CHARACTERS = 100

# INSEE codes: 2 or 3 characters for régions and départements ("35", "2A", "974"), 5 for communes
# ("35238", "2A004"). Corsica's letters are why this is not just `isdigit()`.
_INSEE_CODE = re.compile(r"^(?:\d{2,3}|2[AB]|\d[\dAB]\d{3})$")
_POSTCODE = re.compile(r"^\d{5}$")
_SIREN = re.compile(r"^\d{9}$")
_DEPARTEMENT_CODE = re.compile(r"^(?:\d{2,3}|2[ab])$")
_TOKEN = re.compile(r"[^\W_]+")
# Articles and connectors are not required to occur in a name: « Le Finistère » is « Finistère ».
STOPWORDS = frozenset({"l", "d", "de", "du", "des", "la", "le", "les", "en", "sur", "et", "a"})
# "Saint" is written "St" in a few EPCI names of the package ("CC du Pays de Pontchâteau
# St-Gildas-des-Bois"); normalise() spells the query out, so the names' short form is searched too.
SHORT_FORMS = {"saint": "st", "sainte": "ste"}
EPCI_KINDS = Kind.epci_kinds()

_listed = listed_by_name()


@dataclass(frozen=True)
class Reading:
    """What a query was understood as."""

    whole: str  # everything typed, normalised
    full: str  # the same without a département context and a trailing parenthesis
    kinds: frozenset[str] | None  # named by a prefix, or None
    core: str  # what remains after the prefix, without its article: searched as words
    readings: frozenset[str]  # what the name may exactly be once the prefix is gone
    named: str  # the core as typed, for messages
    code: str  # an INSEE code, postcode or SIREN ("" if none)
    context: str  # a département code or folded name to look in ("" if none)
    context_typed: str  # the same as typed

    @property
    def allowed(self) -> frozenset[str] | None:
        """The kinds searched: those named, or every EPCI kind for an EPCI prefix."""
        if self.kinds and self.kinds <= EPCI_KINDS:
            return EPCI_KINDS
        return self.kinds

    @property
    def code_only(self) -> bool:
        """Only a code was typed (« 35238 », « CD 35 »): no name to search."""
        return bool(self.code) and (bool(self.kinds) or self.core == self.code.lower())

    @property
    def kind_key(self) -> str | None:
        if not self.kinds:
            return None
        return "epci" if self.kinds <= EPCI_KINDS else next(iter(self.kinds))


def query_problem(query: str) -> str:
    """Why a query cannot be searched, in French, or "" when it can (or is empty)."""
    typed = query.strip()
    if len(typed) > MAX_QUERY_CHARACTERS:
        return _(
            "Votre recherche est trop longue (%(count)s caractères) : saisissez au plus "
            "%(max)s caractères, par exemple le nom de la structure, son code INSEE, son numéro "
            "SIREN ou son code postal."
        ) % {"count": len(typed), "max": MAX_QUERY_CHARACTERS}
    if typed and len(fold(typed).replace(" ", "")) < MIN_QUERY_CHARACTERS:
        return _(
            "« %(typed)s » est trop court pour chercher une structure : saisissez au moins "
            "%(min)s lettres ou chiffres de son nom, ou son code INSEE, son numéro SIREN ou "
            "son code postal."
        ) % {"typed": typed, "min": MIN_QUERY_CHARACTERS}
    return ""


def read_query(query: str) -> Reading:
    """Read a query as described in the module docstring."""
    typed = query.strip()
    compact = "".join(typed.split()).upper()
    is_code = any(pattern.match(compact) for pattern in (_INSEE_CODE, _POSTCODE, _SIREN))
    code = compact if is_code else ""
    parsed = parse(typed)
    body, whole = typed, normalise(typed)
    context, context_typed = "", parsed.context
    if parsed.context:
        body = typed[: typed.rfind("(")].strip()
        context = normalise(parsed.context)
        if _DEPARTEMENT_CODE.match(context):
            context = context.upper()
    full, kinds = parsed.full, parsed.kinds
    readings = parsed.cores - {full} if kinds else set(parsed.cores)
    core = min(readings, key=len) if readings else full
    last = core.split()[-1] if core else ""
    if kinds and _DEPARTEMENT_CODE.match(core):
        code = core.upper()  # « CD 35 », « Région 53 »: the code of a body of the kind named
    elif not context and core != last and _DEPARTEMENT_CODE.match(last):
        # « Saint-Denis 974 »: a département code at the end says where to look.
        context = context_typed = last.upper()
        core, full = core.removesuffix(f" {last}"), full.removesuffix(f" {last}")
        readings = {reading.removesuffix(f" {last}") for reading in readings}
        body = body.rsplit(None, 1)[0]
    return Reading(
        whole=whole,
        full=full,
        kinds=kinds,
        core=core,
        readings=frozenset(readings | {core}),
        named=_as_typed(body, core),
        code=code,
        context=context,
        context_typed=context_typed,
    )


def _as_typed(body: str, core: str) -> str:
    """The end of what was typed that reads as `core`: « Haute-Garonne » rather than the folded
    « haute garonne » in « Conseil départemental de la Haute-Garonne »."""
    tokens = list(_TOKEN.finditer(body))
    count = len(core.split())
    if 0 < count <= len(tokens):
        tail = body[tokens[-count].start() :].strip()
        if normalise(tail) == core:
            return tail
    return core


def _words(text: str) -> list[str]:
    words = text.split()
    return [word for word in words if word not in STOPWORDS] or words


def every_word(text: str, *, at_word_start: bool = False) -> Q:
    """Names holding every word of the text (articles aside), anywhere or at a word's start."""
    found = Q()
    # Longer words first, "saint" last: the database stops at the first word a name lacks.
    for word in sorted(_words(text), key=lambda word: (word in SHORT_FORMS, -len(word))):
        if at_word_start:
            holds = Q(search_name__startswith=word) | Q(search_name__contains=f" {word}")
        else:
            holds = Q(search_name__contains=word)
        if short := SHORT_FORMS.get(word):
            holds |= Q(search_name__startswith=f"{short} ") | Q(search_name__contains=f" {short} ")
        found &= holds
    return found


def _code_match(reading: Reading) -> Q | None:
    code = reading.code
    if not code:
        return None
    if reading.kinds:
        return Q(kind__in=reading.kinds, insee_code=code)
    found = Q(insee_code=code) if _INSEE_CODE.match(code) else Q(pk__in=[])
    if _POSTCODE.match(code):
        # Postcodes are stored space-separated ("35000 35200 35700").
        found |= (
            Q(postcodes=code)
            | Q(postcodes__startswith=f"{code} ")
            | Q(postcodes__endswith=f" {code}")
            | Q(postcodes__contains=f" {code} ")
        )
    if _SIREN.match(code):
        found |= Q(siren=code)
    return found


def _listed_match(reading: Reading) -> Q | None:
    """A usual name the matcher's tables list (« Région Sud », « Grand Lyon »)."""
    entry = _listed.get(reading.full)
    if entry is None:
        return None
    listed, _outcome = entry
    if listed.kind == "epci":
        return Q(kind__in=EPCI_KINDS, siren=listed.code, from_referential=True)
    return Q(kind=listed.kind, insee_code=listed.code, from_referential=True)


def in_context(reading: Reading) -> Q:
    if not reading.context:
        return Q()
    if _DEPARTEMENT_CODE.match(reading.context.lower()):
        return Q(departement__insee_code=reading.context)
    return Q(departement__search_name=reading.context) | Q(
        departement__search_name__endswith=f" {reading.context}"
    )


def of_allowed_kind(reading: Reading) -> Q:
    return Q(kind__in=reading.allowed) if reading.allowed else Q()


def _name_match(reading: Reading) -> Q | None:
    """Bodies of the kinds searched, in the place named, holding every word that remains; and
    bodies added by hand (or, with a place, bodies anywhere) holding every word typed."""
    if reading.code_only:
        return None
    # The kind first: SQLite tests it before the slower LIKEs.
    found = of_allowed_kind(reading) & in_context(reading)
    found &= every_word(reading.core, at_word_start=bool(reading.kinds))
    if reading.whole != reading.core:
        # No referential name holds the prefix of another kind than its own (Ville-d'Avray is
        # a commune), so only bodies added by hand need the whole query, unless a place was
        # given: « CA … (CIREST) » and « CC Val 81 » hold their parenthesis and number.
        by_hand = Q() if reading.context else Q(from_referential=False)
        found |= by_hand & every_word(reading.whole)
    return found


def _matches(reading: Reading) -> tuple[Q | None, Q | None]:
    """(what ranks first: codes and listed names, what matches at all)."""
    firsts = [match for match in (_code_match(reading), _listed_match(reading)) if match]
    first = reduce(or_, firsts) if firsts else None
    names = _name_match(reading)
    every = [match for match in (first, names) if match is not None]
    return first, reduce(or_, every) if every else None


def search_organisations(query: str, *, limit: int | None = 20) -> QuerySet[Organisation]:
    """Organisations matching what someone typed, best first (see the module docstring).

    Each result carries its `rank`: 0 for a code or a listed usual name, 1 for the exact name,
    then 2 to 4. `limit=None` leaves slicing to the caller (pagination). An empty query, or one
    `query_problem` refuses, returns an empty queryset, never the whole referential.
    """
    if not query.strip() or query_problem(query):
        return Organisation.objects.none()
    reading = read_query(query)
    first, matches = _matches(reading)
    if matches is None:
        return Organisation.objects.none()
    allowed = of_allowed_kind(reading)
    ranks = [When(first, then=Value(0))] if first is not None else []
    ranks += [
        When(
            Q(search_name__in={reading.full, reading.whole})
            | (Q(search_name__in=reading.readings) & allowed),
            then=Value(1),
        ),
        When(Q(search_name__startswith=reading.core) & allowed, then=Value(2)),
        When(Q(search_name__contains=f" {reading.core}") & allowed, then=Value(3)),
    ]
    results = (
        Organisation.objects.filter(matches)
        .select_related("departement")
        .annotate(rank=Case(*ranks, default=Value(4), output_field=IntegerField()))
        .order_by("rank", F("population").desc(nulls_last=True), "search_name", "slug")
    )
    return results[:limit] if limit is not None else results
