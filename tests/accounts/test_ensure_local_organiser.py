import stat
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User

EMAIL = "organisateur@palmares.localhost"


def _run(path) -> str:
    out = StringIO()
    call_command("ensure_local_organiser", credentials_file=path, stdout=out)
    return out.getvalue()


def _password(output: str) -> str:
    return output.splitlines()[1].removeprefix("Mot de passe : ")


def test_creates_an_organiser_who_is_not_superuser_and_a_private_file(db, settings, tmp_path):
    settings.DEBUG = True
    path = tmp_path / "var" / "local-organiser.txt"

    output = _run(path)

    password = _password(output)
    assert output.splitlines()[0] == f"Compte organisateur local : {EMAIL}"
    assert len(password) >= 24
    assert path.read_text() == password + "\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    user = User.objects.get(email=EMAIL)
    assert (user.is_organiser, user.is_superuser, user.is_staff, user.is_active) == (
        True,
        False,
        False,
        True,
    )
    assert user.email_confirmed_at is not None
    assert user.check_password(password)


def test_second_run_prints_the_same_credentials(db, settings, tmp_path):
    settings.DEBUG = True
    path = tmp_path / "local-organiser.txt"

    first = _run(path)
    second = _run(path)

    assert second == first
    assert User.objects.filter(email=EMAIL).count() == 1


def test_missing_file_resets_the_password(db, settings, tmp_path):
    settings.DEBUG = True
    path = tmp_path / "local-organiser.txt"
    old_password = _password(_run(path))
    path.unlink()

    new_password = _password(_run(path))

    assert new_password != old_password
    assert path.read_text() == new_password + "\n"
    user = User.objects.get(email=EMAIL)
    assert user.check_password(new_password)
    assert not user.check_password(old_password)


def test_existing_file_recreates_a_deleted_account(db, settings, tmp_path):
    settings.DEBUG = True
    path = tmp_path / "local-organiser.txt"
    password = _password(_run(path))
    User.objects.filter(email=EMAIL).delete()

    output = _run(path)

    assert _password(output) == password
    assert User.objects.get(email=EMAIL).check_password(password)


def test_refuses_to_run_without_debug(db, settings, tmp_path):
    settings.DEBUG = False
    path = tmp_path / "local-organiser.txt"

    with pytest.raises(CommandError) as error:
        _run(path)

    assert str(error.value) == (
        "ensure_local_organiser ne sert qu'en développement : relancez-la avec DEBUG=1. "
        "En production, créez les organisateurs avec add_organiser."
    )
    assert not path.exists()
    assert not User.objects.filter(email=EMAIL).exists()


def test_an_earlier_superuser_local_organiser_becomes_a_plain_organiser(db, settings, tmp_path):
    settings.DEBUG = True
    path = tmp_path / "local-organiser.txt"
    _run(path)
    User.objects.filter(email=EMAIL).update(is_superuser=True, is_staff=True)

    _run(path)

    user = User.objects.get(email=EMAIL)
    assert (user.is_organiser, user.is_superuser, user.is_staff) == (True, False, False)
