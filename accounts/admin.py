"""Technical administration (superusers only) of users and memberships.

Membership states are read-only here: they change only through domain.set_membership_state,
offered as admin actions, so the admin follows the same rules and leaves the same log.
"""

from django.contrib import admin, messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import domain, throttling, totp
from .enums import MembershipState
from .models import Membership, User, VerifiedDomain


class UserCreationForm(auth_forms.AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")

    def clean_email(self) -> str:
        email = throttling.normalise_email(self.cleaned_data["email"])
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(
                _("Un compte existe déjà avec cette adresse électronique."), code="unique"
            )
        return email


class UserChangeForm(auth_forms.UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def clean_email(self) -> str:
        return throttling.normalise_email(self.cleaned_data["email"])


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    ordering = ["email"]
    list_display = ["email", "full_name", "is_organiser", "is_superuser", "email_confirmed_at"]
    list_filter = ["is_organiser", "is_superuser", "is_staff", "is_active"]
    search_fields = ["email", "full_name"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Identité"), {"fields": ["full_name", "email_confirmed_at"]}),
        (
            _("Rôles et droits"),
            {
                "fields": [
                    "is_active",
                    "is_organiser",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                ]
            },
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    actions = ["reset_second_factor"]

    @admin.action(description=_("Réinitialiser la double authentification"))
    def reset_second_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        # For a person who lost the authenticator and every recovery code: the next sign-in
        # asks for a new enrolment.
        reset = sum(totp.reset_second_factor(user, by=request.user) for user in queryset)
        messages.success(
            request,
            ngettext(
                "Double authentification réinitialisée pour %(count)d compte.",
                "Double authentification réinitialisée pour %(count)d comptes.",
                reset,
            )
            % {"count": reset},
        )

    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "full_name", "usable_password", "password1", "password2"],
            },
        ),
    ]


def _decide(
    request: HttpRequest, queryset: QuerySet[Membership], new_state: MembershipState
) -> None:
    changed = refused = 0
    for membership in queryset.select_related("user", "organisation"):
        try:
            domain.set_membership_state(membership, new_state, by=request.user)
        except domain.InvalidTransition:
            refused += 1
        else:
            changed += 1
    if changed:
        messages.success(
            request,
            ngettext(
                "%(count)d rattachement modifié.", "%(count)d rattachements modifiés.", changed
            )
            % {"count": changed},
        )
    if refused:
        messages.warning(
            request,
            ngettext(
                "%(count)d rattachement ne pouvait pas passer dans cet état.",
                "%(count)d rattachements ne pouvaient pas passer dans cet état.",
                refused,
            )
            % {"count": refused},
        )


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "state", "created_at", "decided_at"]
    list_filter = ["state", "role"]
    search_fields = ["user__email", "user__full_name", "organisation__name"]
    list_select_related = ["user", "organisation"]
    # 35,000 communes: a select box would not do.
    raw_id_fields = ["user", "organisation"]
    readonly_fields = ["state", "created_at", "decided_at", "decision_reason"]
    actions = ["confirm", "reject"]

    @admin.action(description=_("Confirmer les rattachements sélectionnés"))
    def confirm(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        _decide(request, queryset, MembershipState.CONFIRMED)

    @admin.action(description=_("Refuser les rattachements sélectionnés"))
    def reject(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        _decide(request, queryset, MembershipState.REJECTED)


@admin.register(VerifiedDomain)
class VerifiedDomainAdmin(admin.ModelAdmin):
    """To look domains up across structures. They are added on the organisers' page, which
    refuses webmail domains; here they can only be read or deleted."""

    list_display = ["domain", "organisation", "verified_by", "verified_at"]
    search_fields = ["domain", "organisation__name"]
    list_select_related = ["organisation", "verified_by"]
    readonly_fields = ["organisation", "domain", "verified_by", "verified_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: VerifiedDomain | None = None
    ) -> bool:
        return False
