"""territories.matching against the real referential (imported in every test database)."""

import pytest

from territories.matching import (
    ALIASES,
    SUCCESSORS,
    Matcher,
    Outcome,
    kind_from_words,
    normalise,
    parse,
)
from territories.models import Organisation

# Every distinct organisation name of data/palmares.csv → (kind, official code) or None.
# Codes checked in vendor/decoupage-administratif/data (INSEE code, or SIREN for an EPCI); the
# six merged bodies ("Grand Lyon"…) are their successors, listed in SUCCESSORS.
PALMARES_MATCH_TABLE: dict[str, tuple[str, str] | None] = {
    "Grand Lyon": ("metropole", "200046977"),
    "Mairie de Toulouse": ("commune", "31555"),
    "Communauté urbaine de Bordeaux": ("metropole", "243300316"),
    "Ville d'Issy-les-Moulineaux": ("commune", "92040"),
    "SIVU": None,
    "Communauté urbaine de Dunkerque": ("communaute_urbaine", "245900428"),
    "Syndicat mixte des transports collectifs de l'Oise": None,
    "Métropole Nice Côte d'Azur": ("metropole", "200030195"),
    "Communauté d'agglomération du Pays Châtelleraudais": ("communaute_agglomeration", "248600413"),
    "Mairie de Paris": ("commune", "75056"),
    "Rennes Métropole": ("metropole", "243500139"),
    "Ville de Marseille": ("commune", "13055"),
    "Communauté urbaine de Strasbourg": ("metropole", "246700488"),
    "Communauté d'agglomération Terres de France": None,
    "Office du tourisme de Mulhouse": None,
    "Comité départemental du tourisme d'Ille-et-Vilaine": None,
    "Ville de Thionville": ("commune", "57672"),
    "Lille Métropole": ("metropole", "200093201"),
    "Communauté d'agglomération du Grand Cahors": ("communaute_agglomeration", "200023737"),
    "Ville de Brest": ("commune", "29019"),
    "Communauté d'agglomération de Saint-Omer": ("communaute_agglomeration", "200069037"),
    "Ville de Montpellier": ("commune", "34172"),
    "Valence Agglo": ("communaute_agglomeration", "200068781"),
    "Communauté d'agglomération de Saint-Quentin": ("communaute_agglomeration", "200071892"),
    "Région Rhône-Alpes": ("region", "84"),
    "Département de Seine-et-Marne": ("departement", "77"),
    "Toulouse Métropole": ("metropole", "243100518"),
    "Ville de Rennes": ("commune", "35238"),
    "Nantes Métropole": ("metropole", "244400404"),
    "Communauté d'agglomération du Territoire de la Côte Ouest": (
        "communaute_agglomeration",
        "249740101",
    ),
    "Ville de Tourcoing": ("commune", "59599"),
    "Ville de Roubaix": ("commune", "59512"),
    "Ville de Marcq-en-Barœul": ("commune", "59378"),
    "Brest métropole": ("metropole", "242900314"),
    "Département du Finistère": ("departement", "29"),
    "Guingamp-Paimpol Agglomération": ("communaute_agglomeration", "200067981"),
    "Mégalis Bretagne": None,
    "Parc naturel régional du Haut-Jura": None,
    "Communauté de communes Maremne Adour Côte Sud": ("communaute_communes", "244000865"),
    "Métropole de Lyon": ("metropole", "200046977"),
    "Communauté d'agglomération de La Rochelle": ("communaute_agglomeration", "241700434"),
    "Communauté d'agglomération de la Porte du Hainaut": ("communaute_agglomeration", "200042190"),
    "Métropole d'Aix-Marseille-Provence": ("metropole", "200054807"),
    "Hub du Sud": None,
    "Communauté d'agglomération du Sicoval": ("communaute_agglomeration", "243100633"),
    "Département de la Haute-Garonne": ("departement", "31"),
    "Syndicat Anjou Numérique": None,
    "Montpellier Méditerranée Métropole": ("metropole", "243400017"),
    "Grenoble-Alpes Métropole": ("metropole", "200040715"),
    "Bordeaux Métropole": ("metropole", "243300316"),
    "Région Bretagne": ("region", "53"),
    "Communauté de communes du Pays de la Châtaigneraie": ("communaute_communes", "248500415"),
    "Épernay Agglo Champagne": ("communaute_agglomeration", "200067684"),
    "Ville d'Épernay": ("commune", "51230"),
    "Ville de Nancy": ("commune", "54395"),
    "Métropole du Grand Nancy": ("metropole", "245400676"),
    "Communauté d'agglomération Lisieux Normandie": ("communaute_agglomeration", "200069532"),
    "Métropole Rouen Normandie": ("metropole", "200023414"),
    "Région Occitanie": ("region", "76"),
    "Angers Loire Métropole": ("communaute_urbaine", "244900015"),
    "Ville d'Antony": ("commune", "92002"),
}


@pytest.fixture
def matcher(db) -> Matcher:
    return Matcher()


def code_of(organisation: Organisation | None) -> tuple[str, str] | None:
    if organisation is None:
        return None
    return (
        organisation.kind,
        organisation.siren if organisation.is_epci else organisation.insee_code,
    )


def test_palmares_names_match_exactly_the_expected_bodies(matcher):
    table = {name: code_of(matcher.match(name).organisation) for name in PALMARES_MATCH_TABLE}

    assert table == PALMARES_MATCH_TABLE
    assert sum(code is not None for code in table.values()) == 52


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Ville de Brest", ("commune", "29019")),
        ("VILLE DE BREST", ("commune", "29019")),
        ("Brest", ("commune", "29019")),
        ("Rennes Métropole", ("metropole", "243500139")),
        ("rennes metropole", ("metropole", "243500139")),
        ("Toulouse Métropole", ("metropole", "243100518")),
        ("Métropole de Lyon", ("metropole", "200046977")),
        ("Département de la Haute-Garonne", ("departement", "31")),
        ("Conseil départemental de la Haute-Garonne", ("departement", "31")),
        ("Departement de la Haute Garonne", ("departement", "31")),
        ("Département du Finistère", ("departement", "29")),
        ("Département de la Réunion", ("departement", "974")),
        ("Région Bretagne", ("region", "53")),
        ("Région des Pays de la Loire", ("region", "52")),
        ("Ville du Havre", ("commune", "76351")),
        ("Ville-d'Avray", ("commune", "92077")),
        ("Mairie de St-Malo", ("commune", "35288")),
        # CA / CC / CU both ways: long forms meet the package's abbreviations and vice versa.
        ("CA du Sicoval", ("communaute_agglomeration", "243100633")),
        ("Sicoval", ("communaute_agglomeration", "243100633")),
        ("Communauté de communes de Maremne Adour Côte Sud", ("communaute_communes", "244000865")),
        ("Agglomération d'Agen", ("communaute_agglomeration", "200096956")),
        ("Mulhouse Alsace Agglo", ("communaute_agglomeration", "200066009")),
        ("CA Territoire de la Côte Ouest (TCO)", ("communaute_agglomeration", "249740101")),
        ("Métropole européenne de Lille", ("metropole", "200093201")),
        ("Eurométropole de Strasbourg", ("metropole", "246700488")),
    ],
)
def test_name_matches_the_body_it_designates(matcher, name, expected):
    match = matcher.match(name)

    assert code_of(match.organisation) == expected
    assert match.outcome in {Outcome.NAME, Outcome.ALIAS}


@pytest.mark.parametrize(
    ("name", "outcome", "candidates"),
    [
        # Homonym communes are never guessed between.
        ("Ville de Saint-Denis", Outcome.AMBIGUOUS, 4),
        ("Valence", Outcome.AMBIGUOUS, 3),
        # A bare name that is both a commune and an EPCI's name, or a commune and a région.
        ("Lyon", Outcome.AMBIGUOUS, 2),
        ("Bretagne", Outcome.AMBIGUOUS, 3),
        # The prefix restricts the kind: Lyon is a commune, not a département or a région.
        ("Département de Lyon", Outcome.NOT_FOUND, 0),
        ("Région Lyon", Outcome.NOT_FOUND, 0),
        # A merged body that SUCCESSORS does not list is not matched to its successor.
        ("Région Auvergne", Outcome.NOT_FOUND, 0),
        ("Communauté urbaine de Lyon", Outcome.NOT_FOUND, 0),
        ("Communauté d'agglomération Terres de France", Outcome.NOT_FOUND, 0),
    ],
)
def test_name_that_designates_no_single_body_stays_unmatched(matcher, name, outcome, candidates):
    match = matcher.match(name)

    assert (match.organisation, match.outcome, match.candidates) == (None, outcome, candidates)


def test_departement_in_parenthesis_resolves_a_homonym(matcher):
    assert code_of(matcher.match("Ville de Saint-Denis (93)").organisation) == ("commune", "93066")
    assert code_of(matcher.match("Saint-Denis (La Réunion)").organisation) == ("commune", "97411")


def test_departement_in_parenthesis_that_holds_no_homonym_matches_nothing(matcher):
    match = matcher.match("Ville de Saint-Denis (Finistère)")

    assert (match.organisation, match.outcome) == (None, Outcome.NOT_FOUND)


def test_parenthesis_that_is_not_a_departement_is_ignored(matcher):
    assert code_of(matcher.match("Ville de Brest (Bretagne)").organisation) == ("commune", "29019")


def target_of(kind: str, code: str) -> tuple[str, str]:
    """The body of the imported referential a table entry points at (fails if it is missing)."""
    if kind == "epci":
        return code_of(Organisation.objects.get(siren=code, from_referential=True))
    return code_of(Organisation.objects.get(kind=kind, insee_code=code, from_referential=True))


def test_every_alias_points_at_a_body_of_the_referential(db):
    targets = {name: target_of(alias.kind, alias.code) for name, alias in ALIASES.items()}

    assert targets == {
        "Communauté urbaine de Bordeaux": ("metropole", "243300316"),
        "Communauté urbaine de Strasbourg": ("metropole", "246700488"),
        "Communauté d'agglomération du Pays Châtelleraudais": (
            "communaute_agglomeration",
            "248600413",
        ),
        "Guingamp-Paimpol Agglomération": ("communaute_agglomeration", "200067981"),
        "Épernay Agglo Champagne": ("communaute_agglomeration", "200067684"),
        "Région Sud": ("region", "93"),
    }


def test_every_successor_points_at_a_body_of_the_referential(db):
    targets = {name: target_of(entry.kind, entry.code) for name, entry in SUCCESSORS.items()}

    assert targets == {
        "Grand Lyon": ("metropole", "200046977"),
        "Lille Métropole": ("metropole", "200093201"),
        "Valence Agglo": ("communaute_agglomeration", "200068781"),
        "Communauté d'agglomération de Saint-Omer": ("communaute_agglomeration", "200069037"),
        "Communauté d'agglomération de Saint-Quentin": ("communaute_agglomeration", "200071892"),
        "Région Rhône-Alpes": ("region", "84"),
    }


def test_tables_list_only_names_that_match_no_body_by_name(db):
    """An entry never overrides a name match: its name designates no current body."""
    listed = [*ALIASES, *SUCCESSORS]
    unlisted = Matcher(aliases={}, successors={})

    assert len({normalise(name) for name in listed}) == len(listed) == 12
    assert [unlisted.match(name).organisation for name in listed] == [None] * 12


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Grand Lyon", ("metropole", "200046977")),
        ("GRAND-LYON", ("metropole", "200046977")),
        ("Lille Métropole", ("metropole", "200093201")),
        ("Valence Agglo", ("communaute_agglomeration", "200068781")),
        ("Valence Agglomération", ("communaute_agglomeration", "200068781")),
        ("CA de Saint-Omer", ("communaute_agglomeration", "200069037")),
        ("Communauté d'agglomération de St-Quentin", ("communaute_agglomeration", "200071892")),
        ("Région Rhône-Alpes", ("region", "84")),
    ],
)
def test_merged_body_matches_its_successor_whatever_the_spelling(matcher, name, expected):
    match = matcher.match(name)

    assert (code_of(match.organisation), match.outcome, match.candidates) == (
        expected,
        Outcome.SUCCESSOR,
        1,
    )


def test_current_name_of_a_successor_is_a_name_match(matcher):
    match = matcher.match("Métropole de Lyon")

    assert (code_of(match.organisation), match.outcome) == (
        ("metropole", "200046977"),
        Outcome.NAME,
    )


def test_alias_matches_whatever_the_spelling(matcher):
    match = matcher.match("CU de Bordeaux")

    assert (code_of(match.organisation), match.outcome) == (
        ("metropole", "243300316"),
        Outcome.ALIAS,
    )


def test_retired_body_is_not_matched(matcher, db):
    Organisation.objects.filter(kind="commune", insee_code="29019").update(from_referential=False)

    assert Matcher().match("Ville de Brest").organisation is None


def test_normalise_shortens_epci_forms_and_spells_out_saint():
    assert normalise("Communauté d'Agglomération du Sicoval") == "ca du sicoval"
    assert normalise("Communauté de communes du Pays de la Châtaigneraie") == (
        "cc du pays de la chataigneraie"
    )
    assert normalise("Communauté urbaine de Dunkerque") == "cu de dunkerque"
    assert normalise("Guingamp-Paimpol Agglomération") == "guingamp paimpol agglo"
    assert normalise("Ste-Marie") == "sainte marie"


def test_parse_reads_prefix_kind_and_article():
    parsed = parse("Ville du Havre (76)")

    assert parsed.kinds == {"commune"}
    assert parsed.cores == {"ville du havre", "havre", "le havre"}
    assert parsed.context == "76"


def test_parse_of_a_name_without_prefix_keeps_it_whole():
    parsed = parse("Angers Loire Métropole")

    assert (parsed.kinds, parsed.cores) == (None, {"angers loire metropole"})


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Syndicat mixte des transports collectifs de l'Oise", "syndicat"),
        ("Syndicat Anjou Numérique", "syndicat"),
        ("SIVU", "syndicat"),
        ("Parc naturel régional du Haut-Jura", "parc_naturel_regional"),
        ("Office du tourisme de Mulhouse", "office_tourisme"),
        ("Office de tourisme du Pays Basque", "office_tourisme"),
        ("Comité départemental du tourisme d'Ille-et-Vilaine", "office_tourisme"),
        # No explicit word: not guessed (Mégalis Bretagne is a syndicat mixte, the name says not).
        ("Mégalis Bretagne", "other"),
        ("Hub du Sud", "other"),
        ("Communauté d'agglomération de Saint-Omer", "other"),
        ("Association des maires ruraux", "association"),
        ("Agence nationale de la cohésion des territoires", "etablissement_public"),
        ("Établissement public foncier de Bretagne", "etablissement_public"),
        # Further on, the word may name someone else: not guessed.
        ("Maison de l'association sportive", "other"),
    ],
)
def test_kind_from_words_reads_only_explicit_words(name, kind):
    assert kind_from_words(name) == kind


def test_successor_that_left_the_referential_matches_nothing(db):
    Organisation.objects.filter(kind="region", insee_code="84").update(from_referential=False)

    match = Matcher().match("Région Rhône-Alpes")

    assert (match.organisation, match.outcome) == (None, Outcome.NOT_FOUND)


def test_alias_whose_body_left_the_referential_matches_nothing(db):
    Organisation.objects.filter(siren="243300316").update(from_referential=False)

    match = Matcher().match("Communauté urbaine de Bordeaux")

    assert (match.organisation, match.outcome) == (None, Outcome.NOT_FOUND)
