"""Enrol the authenticator of a technical admin account, from the server's terminal.

Staff and superusers cannot enrol on the web (accounts/views/two_factor.py): a web enrolment
after the password alone would hand the account to whoever guessed that password. Whoever can
run this command already holds the server, so the terminal is the second proof.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import totp
from accounts.models import User
from accounts.throttling import normalise_email


class Command(BaseCommand):
    @property
    def help(self) -> str:
        return _(
            "Active la double authentification d'un compte (administration technique) : "
            "affiche la clé à ajouter dans l'application d'authentification, puis vérifie "
            "son premier code."
        )

    def add_arguments(self, parser) -> None:
        parser.add_argument("email", help=_("Adresse électronique du compte."))
        parser.add_argument(
            "--code", default="", help=_("Premier code affiché (sinon demandé au terminal).")
        )

    def handle(self, *args, email: str, code: str, **options) -> None:
        user = User.objects.filter(email__iexact=normalise_email(email)).first()
        if user is None:
            raise CommandError(_("Aucun compte avec l'adresse %(email)s.") % {"email": email})
        secret = totp.generate_secret()
        self.stdout.write(_("Clé à saisir dans l'application : %(secret)s") % {"secret": secret})
        self.stdout.write(totp.provisioning_uri(secret, user.email))
        code = code or input(_("Code affiché par l'application : "))
        enrolled = totp.enrol(user, secret, code.strip(), timezone.now())
        if enrolled is None:
            raise CommandError(_("Ce code ne correspond pas : rien n'a été activé."))
        self.stdout.write(_("Double authentification activée. Codes de secours, à conserver :"))
        for recovery in enrolled[1]:
            self.stdout.write(f"  {recovery}")
