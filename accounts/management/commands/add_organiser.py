"""Make an account an organiser (creating it if needed) and print a link to choose its password.

How an association gives someone the organisers' role in production: the technical
administrator runs it on the server. It never makes a superuser, and never touches one's
password: organisers' domain powers come from `is_organiser` alone (accounts.rules).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.emails import password_reset_url
from accounts.models import User
from accounts.throttling import normalise_email


class Command(BaseCommand):
    help = _(
        "Donne le rôle d'organisateur à un compte (créé s'il n'existe pas) et affiche un lien "
        "pour choisir son mot de passe."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("email", help=_("Adresse électronique de l'organisateur."))
        parser.add_argument("--full-name", default="", help=_("Nom complet (compte créé)."))

    @transaction.atomic
    def handle(self, *args, email: str, full_name: str, **options) -> None:
        email = normalise_email(email)
        try:
            validate_email(email)
        except ValidationError as error:
            raise CommandError(
                _("Adresse électronique invalide : %(email)s") % {"email": email}
            ) from error
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User.objects.create_user(
                email, None, full_name=full_name, email_confirmed_at=timezone.now()
            )
            self.stdout.write(_("Compte créé : %(email)s") % {"email": email})
        if user.is_superuser:
            raise CommandError(
                _(
                    "%(email)s est un compte d'administration technique (superuser) : donnez le "
                    "rôle d'organisateur à un autre compte."
                )
                % {"email": email}
            )
        if not user.is_organiser:
            user.is_organiser = True
            user.save(update_fields=["is_organiser"])
        self.stdout.write(_("Organisateur : %(email)s") % {"email": email})
        if not user.has_usable_password():
            link = password_reset_url(user, base_url=settings.SITE_URL.rstrip("/"))
            self.stdout.write(_("Lien pour choisir le mot de passe : %(link)s") % {"link": link})
