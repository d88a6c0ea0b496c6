"""Organisers' and jurors' sessions end after 30 minutes idle and 12 hours in all, the second
factor's mark with them; others keep theirs (issue 17, #4)."""

from types import SimpleNamespace

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from accounts import second_factor, sessions

DASHBOARD = reverse("contests:dashboard")
ACCOUNT = reverse("accounts:account")


@pytest.fixture
def clock(monkeypatch):
    state = SimpleNamespace(now=1_800_000_000.0)
    state.move = lambda seconds: setattr(state, "now", state.now + seconds)
    monkeypatch.setattr(sessions, "_now", lambda: state.now)
    monkeypatch.setattr(second_factor, "_now", lambda: state.now)
    return state


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_defaults_are_30_minutes_idle_and_12_hours_in_all(settings):
    assert settings.PRIVILEGED_SESSION_IDLE_SECONDS == 1800
    assert settings.PRIVILEGED_SESSION_MAX_SECONDS == 43200


def test_an_organiser_idle_for_31_minutes_is_signed_out_with_the_second_factor(organiser, clock):
    client = _signed_in(organiser)
    clock.move(31 * 60)

    response = client.get(DASHBOARD)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={DASHBOARD}"
    assert SESSION_KEY not in client.session
    assert second_factor.SESSION_KEY not in client.session


def test_an_organiser_idle_for_29_minutes_stays_signed_in(organiser, clock):
    client = _signed_in(organiser)
    clock.move(29 * 60)

    assert client.get(DASHBOARD).status_code == 200


def test_an_active_organiser_is_signed_out_after_12_hours(organiser, clock):
    client = _signed_in(organiser)
    for _step in range(11 * 3 + 2):  # a request every 20 minutes for 11 h 40
        clock.move(20 * 60)
        assert client.get(DASHBOARD).status_code == 200

    clock.move(20 * 60 + 1)  # 12 h 00 min 01 s after signing in
    response = client.get(DASHBOARD)

    assert response.status_code == 302
    assert SESSION_KEY not in client.session


def test_an_applicant_idle_for_a_day_stays_signed_in(applicant, clock):
    client = _signed_in(applicant)
    clock.move(24 * 3600)

    assert client.get(ACCOUNT).status_code == 200


def test_the_idle_time_is_a_setting(organiser, clock, settings):
    settings.PRIVILEGED_SESSION_IDLE_SECONDS = 300
    client = _signed_in(organiser)
    clock.move(301)

    assert client.get(DASHBOARD).status_code == 302
