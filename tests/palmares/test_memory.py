"""palmares.memory: a worker freezes what it loaded and spaces out young collections."""

import gc
import importlib.util
from pathlib import Path

import pytest

from palmares.memory import YOUNGEST_THRESHOLD, settle


@pytest.fixture
def restored_collector():
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


def test_settle_freezes_what_is_loaded_and_spaces_young_collections(restored_collector):
    gc.unfreeze()
    assert gc.get_freeze_count() == 0

    settle()

    # Django and the site's modules alone hold well over 50,000 objects.
    assert gc.get_freeze_count() > 50_000
    assert gc.get_threshold()[0] == YOUNGEST_THRESHOLD == 10_000


def test_objects_made_after_settling_are_still_collected(restored_collector):
    settle()
    cycle: list = []
    cycle.append(cycle)
    del cycle

    assert gc.collect() >= 1


def test_gunicorn_settles_each_worker_once_it_has_loaded_the_site(restored_collector):
    path = Path(__file__).resolve().parents[2] / "deploy" / "gunicorn.conf.py"
    spec = importlib.util.spec_from_file_location("gunicorn_conf", path)
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    gc.unfreeze()

    conf.post_worker_init(worker=None)

    assert gc.get_freeze_count() > 50_000
