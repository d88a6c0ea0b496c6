from django.contrib.auth.hashers import check_password, make_password

import palmares.settings


def test_production_settings_hash_with_argon2_first():
    assert palmares.settings.PASSWORD_HASHERS[0] == (
        "django.contrib.auth.hashers.Argon2PasswordHasher"
    )


def test_argon2_hashes_and_checks_passwords(settings):
    settings.PASSWORD_HASHERS = palmares.settings.PASSWORD_HASHERS

    encoded = make_password("mot-de-passe-solide-42", hasher="argon2")

    assert encoded.startswith("argon2$argon2id$")
    assert check_password("mot-de-passe-solide-42", encoded) is True
    assert check_password("mauvais-mot-de-passe", encoded) is False
