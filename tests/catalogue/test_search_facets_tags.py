"""The facet values of the search page, written by catalogue/templatetags/search_facets.py."""

from django.utils import translation

from catalogue.search import Facet, FacetValue
from catalogue.templatetags.search_facets import facet_checkboxes, facet_options


def test_options_escape_values_and_labels_and_mark_the_chosen_one():
    facet = Facet(
        "level",
        "Niveau",
        [FacetValue("or", "Or <b>", 12_345, True), FacetValue("a&b", "A & B", 2, False)],
        multiple=False,
    )

    with translation.override("fr"):
        html = facet_options(facet)

    # Counts as the template wrote them (no thousands separator in the settings).
    assert html == (
        '<option value="or" selected>Or &lt;b&gt; (12345)</option>'
        '<option value="a&amp;b">A &amp; B (2)</option>'
    )


def test_a_theme_is_content_marked_french_on_an_english_page_and_a_level_is_not():
    theme = Facet("theme", "Theme", [FacetValue("eau", "Eau", 3, False)], multiple=False)
    level = Facet("level", "Level", [FacetValue("or", "Gold", 3, False)], multiple=False)

    with translation.override("en"):
        assert facet_options(theme) == '<option value="eau" lang="fr">Eau (3)</option>'
        assert facet_options(level) == '<option value="or">Gold (3)</option>'


def test_check_boxes_carry_their_label_and_their_state():
    facet = Facet(
        "kind",
        "Type",
        [FacetValue("commune", "Commune", 4, True), FacetValue("epci", "EPCI", 1, False)],
        multiple=True,
    )

    with translation.override("fr"):
        html = facet_checkboxes(facet)

    assert html == (
        '<div class="field"><input type="checkbox" name="kind" value="commune" '
        'id="id_kind_commune" form="recherche" checked><label for="id_kind_commune">'
        "Commune (4)</label></div>\n"
        '<div class="field"><input type="checkbox" name="kind" value="epci" id="id_kind_epci" '
        'form="recherche"><label for="id_kind_epci">EPCI (1)</label></div>\n'
    )
