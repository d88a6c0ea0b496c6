import uuid

import rules
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import MembershipRole, MembershipState


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "User":
        # The technical administrator: staff and superuser for the admin site, never an
        # organiser (an organiser's domain powers are a separate, deliberate grant).
        fields.update(is_staff=True, is_superuser=True)
        fields.setdefault("email_confirmed_at", timezone.now())
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Signs in with an email address; there is no username."""

    email = models.EmailField(_("adresse électronique"), unique=True)
    full_name = models.CharField(_("nom complet"), max_length=150, blank=True)
    email_confirmed_at = models.DateTimeField(_("adresse confirmée le"), null=True, blank=True)
    # Association staff who configure contests and run campaigns.
    is_organiser = models.BooleanField(_("organisateur"), default=False)
    is_staff = models.BooleanField(_("accès à l'administration technique"), default=False)
    is_active = models.BooleanField(_("actif"), default=True)
    date_joined = models.DateTimeField(_("inscrit le"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def email_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    def has_perm(self, perm: str, obj=None) -> bool:
        """A domain permission (one an app's rules.py registers) is decided by its rules for
        everyone: Django's shortcut that grants a superuser every permission applies only to the
        technical admin's own model permissions. A superuser is a technical role; being an
        organiser, a juror or a jury president is said by the data the rules read. No domain
        permission takes the name of a model permission (`<app>.view_<model>`, …: checked by
        tests/palmares/test_permission_names.py), so what the admin asks stays Django's."""
        if rules.perm_exists(perm):
            return self.is_active and rules.has_perm(perm, self, obj)
        return super().has_perm(perm, obj)


class Membership(models.Model):
    """A user acts for an organisation once the membership is confirmed."""

    user = models.ForeignKey(User, models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        "territories.Organisation", models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        _("rôle"), max_length=16, choices=MembershipRole.choices, default=MembershipRole.AGENT
    )
    state = models.CharField(
        _("état"), max_length=16, choices=MembershipState.choices, default=MembershipState.PENDING
    )
    # Public code for the decision page's URL (URLs never carry database ids).
    reference = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    # Why it was refused (told to the member by email); empty when confirmed.
    decision_reason = models.TextField(_("motif de la décision"), blank=True)

    class Meta:
        verbose_name = _("rattachement")
        verbose_name_plural = _("rattachements")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.organisation}"


class VerifiedDomain(models.Model):
    """An email domain an organiser has checked belongs to a structure.

    Someone whose confirmed address is at this domain is trusted to act for the structure:
    their membership request is confirmed at once (domain.request_membership).
    """

    organisation = models.ForeignKey(
        "territories.Organisation",
        models.CASCADE,
        related_name="verified_domains",
        verbose_name=_("structure"),
    )
    # Lower-case, without "@" ("ville-epernay.fr"); compared exactly with the address's domain.
    domain = models.CharField(_("domaine"), max_length=253)
    verified_by = models.ForeignKey(
        User,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vérifié par"),
    )
    verified_at = models.DateTimeField(_("vérifié le"), default=timezone.now)

    class Meta:
        verbose_name = _("domaine vérifié")
        verbose_name_plural = _("domaines vérifiés")
        ordering = ["domain"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "domain"], name="verified_domain_unique_per_organisation"
            ),
            models.CheckConstraint(
                condition=models.Q(domain=Lower("domain")), name="verified_domain_lower_case"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.domain} → {self.organisation}"


class TotpDevice(models.Model):
    """A user's authenticator application (RFC 6238), confirmed by a first correct code."""

    user = models.OneToOneField(
        User, models.CASCADE, related_name="totp_device", verbose_name=_("utilisateur")
    )
    # Base32, as authenticator applications read it. Needed in clear to compute codes.
    secret = models.CharField(_("secret"), max_length=64)
    confirmed_at = models.DateTimeField(_("activée le"), null=True, blank=True)
    # The last accepted time step: a code is never accepted twice (RFC 6238, § 5.2).
    last_counter = models.BigIntegerField(default=-1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("application d'authentification")
        verbose_name_plural = _("applications d'authentification")

    def __str__(self) -> str:
        return str(self.user)


class RecoveryCode(models.Model):
    """A single-use code for when the authenticator is lost; only its hash is stored."""

    user = models.ForeignKey(
        User, models.CASCADE, related_name="recovery_codes", verbose_name=_("utilisateur")
    )
    code_hash = models.CharField(max_length=128)
    used_at = models.DateTimeField(_("utilisé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("code de secours")
        verbose_name_plural = _("codes de secours")

    def __str__(self) -> str:
        return f"{self.user} ({self.pk})"


class OidcIdentity(models.Model):
    """A user as known by an OpenID Connect provider (ProConnect): its `sub` for that provider."""

    user = models.ForeignKey(
        User, models.CASCADE, related_name="oidc_identities", verbose_name=_("utilisateur")
    )
    provider = models.CharField(_("fournisseur d'identité"), max_length=64)
    subject = models.CharField(_("identifiant chez le fournisseur"), max_length=255)
    # The claims of the last sign-in (email, siret, names), shown to the user and to organisers.
    claims = models.JSONField(_("informations transmises"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_login_at = models.DateTimeField(_("dernière connexion"), default=timezone.now)

    class Meta:
        verbose_name = _("identité OpenID Connect")
        verbose_name_plural = _("identités OpenID Connect")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "subject"], name="oidc_identity_unique_subject"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider}:{self.subject} → {self.user}"


class SignInRecord(models.Model):
    """One successful sign-in: when, and from which client address (the person sees them in
    « Mes données »; `purge_expired` removes them after RETENTION_SIGN_IN_DAYS)."""

    user = models.ForeignKey(User, models.CASCADE, related_name="sign_ins")
    at = models.DateTimeField(_("date"), default=timezone.now)
    address = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)

    class Meta:
        verbose_name = _("connexion")
        verbose_name_plural = _("connexions")
        ordering = ["-at"]
        indexes = [models.Index(fields=["at"])]

    def __str__(self) -> str:
        return f"{self.user} {self.at:%Y-%m-%d %H:%M}"


class ErasedAccount(models.Model):
    """An account deleted at its owner's request: the pseudonym its traces now carry.

    The account's traces carry the pseudonym (the activity log's entries too, redacted in a way
    its hash chain still verifies). Only a digest of the address is kept here, so that the
    same address deleted again gets the same pseudonym; never the address itself.
    """

    pseudonym = models.CharField(_("pseudonyme"), max_length=64, unique=True)
    email_digest = models.CharField(max_length=64, unique=True)
    erased_at = models.DateTimeField(_("supprimé le"), default=timezone.now)

    class Meta:
        verbose_name = _("compte supprimé")
        verbose_name_plural = _("comptes supprimés")

    def __str__(self) -> str:
        return self.pseudonym
