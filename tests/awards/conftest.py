"""Fixtures of the awards tests."""

import shutil
from pathlib import Path

import pytest

from .palmares import DATA_DIR


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A private copy of data/palmares.csv and data/editions.csv that a test may edit."""
    for name in ("palmares.csv", "editions.csv"):
        shutil.copy(DATA_DIR / name, tmp_path / name)
    return tmp_path
