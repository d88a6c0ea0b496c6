"""French text analysis of the search, and the bitmaps the facets are counted with."""

import random

import pytest

from catalogue.search.analysis import (
    MAX_QUERY_TERMS,
    MAX_TERM_LENGTH,
    folded_words,
    index_terms,
    query_terms,
)
from catalogue.search.facets import bitmap_from_positions, set_positions
from territories.text import fold


def test_index_terms_fold_drop_function_words_and_stem():
    assert index_terms("Création d'un réseau d'ambassadeurs de la donnée") == (
        "creation reseau ambassadeur donne"
    )


@pytest.mark.parametrize(
    ("typed", "indexed"),
    [
        ("donnees", "Données"),
        ("DONNÉE", "données"),
        ("ambassadeur", "ambassadeurs"),
        ("numeriques", "Numérique"),
        ("collectivites", "collectivités"),
    ],
)
def test_query_and_document_give_the_same_term(typed, indexed):
    assert query_terms(typed).terms == (index_terms(indexed),)


def test_query_terms_keep_typed_words_for_messages_and_set_stop_words_aside():
    query = query_terms("  Données de la Métropole  ")

    assert query.text == "Données de la Métropole"
    assert query.terms == ("donne", "metropol")
    assert query.words == ("Données", "Métropole")
    assert query.stop_words == ("de", "la")
    assert query.truncated is False


def test_query_terms_of_only_function_words_or_symbols_are_empty():
    assert query_terms("de la le").is_empty
    assert query_terms("de la le").stop_words == ("de", "la", "le")
    assert query_terms("%%% ?!").is_empty
    assert query_terms("%%% ?!").words == ()


def test_query_terms_keep_the_first_words_and_say_so():
    query = query_terms(" ".join(f"mot{number}" for number in range(30)))

    assert len(query.terms) == MAX_QUERY_TERMS
    assert query.terms[0] == "mot0"
    assert query.truncated is True


def test_a_repeated_word_counts_once():
    query = query_terms("donnée données DONNEES")

    assert query.terms == ("donne",)
    assert query.words == ("donnée",)


def test_long_words_are_cut_alike_on_both_sides():
    word = "a" * 500

    # Cut to 40 letters, then stemmed (the stemmer takes one "a" off).
    assert index_terms(word) == "a" * (MAX_TERM_LENGTH - 1)
    assert query_terms(word).terms == (index_terms(word),)


def test_set_positions_reads_any_run_of_set_bits():
    rng = random.Random(3)
    for size in (0, 1, 5, 100, 5_000, 60_000):
        positions = sorted(rng.sample(range(100_000), size))
        bitmap = bitmap_from_positions(positions)
        assert bitmap.bit_count() == size
        for skip in (0, 1, 19, 20, size // 2, max(size - 1, 0), size, size + 5):
            for count in (1, 20):
                assert set_positions(bitmap, skip, count) == positions[skip : skip + count]


@pytest.mark.parametrize(
    "text",
    [
        "Marcq-en-Barœul\u00a0L.I.V.E. « Ma culture numérique » l’air 100 %",
        "a \u0301b Straße Ⅻ ½ \t\n ÉPERNAY_agglo",
    ],
)
def test_folded_words_are_the_words_of_fold(text):
    assert folded_words(text) == fold(text).split()
