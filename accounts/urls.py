from django.contrib.auth import views as auth_views
from django.urls import path

from .views import (
    account,
    companies,
    memberships,
    oidc,
    password,
    personal_data,
    two_factor,
    two_factor_link,
)

app_name = "accounts"
urlpatterns = [
    path("", account.account, name="account"),
    path("mes-donnees/", personal_data.my_data, name="my_data"),
    path("mes-donnees/archive.zip", personal_data.my_data_archive, name="my_data_archive"),
    path("mes-donnees/supprimer/", personal_data.delete_account, name="delete_account"),
    path("structures/rattacher/", memberships.attach, name="attach"),
    path("structures/nouvelle-entreprise/", companies.company_create, name="company_create"),
    path(
        "structures/<slug:slug>/domaines/",
        memberships.organisation_domains,
        name="organisation_domains",
    ),
    path("rattachements/", memberships.membership_list, name="memberships"),
    path(
        "rattachements/<uuid:reference>/",
        memberships.membership_decide,
        name="membership_decide",
    ),
    path("inscription/", account.signup, name="signup"),
    path("inscription/envoyee/", account.signup_done, name="signup_done"),
    # Before the token pattern, which would match this path too.
    path("confirmation/renvoyer/", account.resend_confirmation, name="resend_confirmation"),
    path("confirmation/<str:token>/", account.confirm_email, name="confirm_email"),
    path("connexion/", account.LoginView.as_view(), name="login"),
    path("connexion/proconnect/", oidc.sign_in, name="oidc_login"),
    path("connexion/proconnect/retour/", oidc.callback, name="oidc_callback"),
    # Django's logout, which also ends the provider's session after an OIDC sign-in.
    path("deconnexion/", oidc.LogoutView.as_view(), name="logout"),
    path(
        "deconnexion/proconnect/retour/",
        oidc.logout_callback,
        name="oidc_logout_callback",
    ),
    # Two-factor authentication (TOTP), mandatory for organisers and jurors.
    path("double-authentification/", two_factor.status, name="two_factor"),
    path("double-authentification/activer/", two_factor.enrol, name="two_factor_enrol"),
    path(
        "double-authentification/activer/lien/<str:token>/",
        two_factor_link.enrol_link,
        name="two_factor_enrol_link",
    ),
    path(
        "double-authentification/activer/qr.svg",
        two_factor.enrol_qr,
        name="two_factor_qr",
    ),
    path("double-authentification/verifier/", two_factor.verify, name="two_factor_verify"),
    path(
        "double-authentification/codes-de-secours/",
        two_factor.recovery_codes,
        name="two_factor_recovery_codes",
    ),
    path("mot-de-passe/changer/", password.password_change, name="password_change"),
    path("mot-de-passe/oublie/", account.PasswordResetView.as_view(), name="password_reset"),
    path(
        "mot-de-passe/oublie/envoye/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        account.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/modifie/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]
