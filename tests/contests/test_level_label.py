from django.utils import translation

from contests.models import Level


def test_standard_level_label_is_translated_by_code():
    level = Level(code="or", name="Or", rank=1)
    with translation.override("fr"):
        assert level.label == "or"
    with translation.override("en"):
        assert level.label == "gold"
    with translation.override("en"):
        assert Level(code="argent", name="Argent", rank=2).label == "silver"


def test_renamed_level_keeps_the_organisers_name():
    level = Level(code="or", name="Grand prix", rank=1)
    with translation.override("en"):
        assert level.label == "grand prix"
