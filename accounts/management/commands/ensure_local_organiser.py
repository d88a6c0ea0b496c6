"""Create (once) the local organiser account of `make run` and print its credentials.

Development only. The password is random and kept in var/local-organiser.txt (mode 0600, not
versioned), so every `make run` prints the same working credentials without a shared default
password ever existing.
"""

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

EMAIL = "organisateur@palmares.localhost"
FULL_NAME = "Organisateur local"


def _write_private(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text)
    # os.open's mode applies only when it creates the file.
    path.chmod(0o600)


def _read_password(path: Path) -> str | None:
    try:
        password = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return password or None


class Command(BaseCommand):
    help = "Crée le compte organisateur local (développement uniquement) et affiche ses accès."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--credentials-file",
            type=Path,
            default=settings.BASE_DIR / "var" / "local-organiser.txt",
            help="Fichier où garder le mot de passe (var/local-organiser.txt par défaut).",
        )

    def handle(self, *args, credentials_file: Path, **options) -> None:
        if not settings.DEBUG:
            raise CommandError(
                _(
                    "ensure_local_organiser ne sert qu'en développement : relancez-la avec "
                    "DEBUG=1. En production, créez les organisateurs avec add_organiser."
                )
            )
        password = _read_password(credentials_file)
        if password is None:
            # No file (first run, or deleted): a new password, written before it is used so
            # that a crash cannot leave an account whose password nobody knows.
            password = secrets.token_urlsafe(18)
            _write_private(credentials_file, password + "\n")

        user = User.objects.filter(email=EMAIL).first()
        if user is None:
            user = User.objects.create_user(
                EMAIL,
                password,
                full_name=FULL_NAME,
                is_organiser=True,
                email_confirmed_at=timezone.now(),
            )
        else:
            changed = []
            if not user.check_password(password):
                # The file is the truth: the printed credentials must work.
                user.set_password(password)
                changed.append("password")
            # An organiser, never the technical admin (earlier versions made it a superuser).
            wanted = {
                "is_active": True,
                "is_organiser": True,
                "is_staff": False,
                "is_superuser": False,
            }
            for flag, value in wanted.items():
                if getattr(user, flag) != value:
                    setattr(user, flag, value)
                    changed.append(flag)
            if user.email_confirmed_at is None:
                user.email_confirmed_at = timezone.now()
                changed.append("email_confirmed_at")
            if changed:
                user.save(update_fields=changed)

        self.stdout.write(_("Compte organisateur local : %(email)s") % {"email": EMAIL})
        self.stdout.write(_("Mot de passe : %(password)s") % {"password": password})
        # A first enrolment needs a link mailed to the account (accounts.enrolment_proof);
        # `make run` prints its emails in the terminal, which is where the organiser finds it.
        self.stdout.write(
            _(
                "À la première connexion, le lien d'activation de la double authentification "
                "s'affiche ci-dessous, avec les autres courriels du site."
            )
        )
