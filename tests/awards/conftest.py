"""Fixtures of the awards tests."""

import shutil
from pathlib import Path

import pytest

from .palmares import DATA_DIR


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A private copy of data/palmares.csv, editions.csv and organisations.csv to edit."""
    for name in ("palmares.csv", "editions.csv", "organisations.csv"):
        shutil.copy(DATA_DIR / name, tmp_path / name)
    return tmp_path
