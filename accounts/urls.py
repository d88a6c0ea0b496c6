from django.contrib.auth import views as auth_views
from django.urls import path

from . import company_views, membership_views, oidc_views, two_factor_views, views

app_name = "accounts"
urlpatterns = [
    path("", views.account, name="account"),
    path("structures/rattacher/", membership_views.attach, name="attach"),
    path("structures/nouvelle-entreprise/", company_views.company_create, name="company_create"),
    path(
        "structures/<slug:slug>/domaines/",
        membership_views.organisation_domains,
        name="organisation_domains",
    ),
    path("rattachements/", membership_views.membership_list, name="memberships"),
    path(
        "rattachements/<uuid:reference>/",
        membership_views.membership_decide,
        name="membership_decide",
    ),
    path("inscription/", views.signup, name="signup"),
    path("inscription/envoyee/", views.signup_done, name="signup_done"),
    # Before the token pattern, which would match this path too.
    path("confirmation/renvoyer/", views.resend_confirmation, name="resend_confirmation"),
    path("confirmation/<str:token>/", views.confirm_email, name="confirm_email"),
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("connexion/proconnect/", oidc_views.sign_in, name="oidc_login"),
    path("connexion/proconnect/retour/", oidc_views.callback, name="oidc_callback"),
    # Django's logout, which also ends the provider's session after an OIDC sign-in.
    path("deconnexion/", oidc_views.LogoutView.as_view(), name="logout"),
    path(
        "deconnexion/proconnect/retour/",
        oidc_views.logout_callback,
        name="oidc_logout_callback",
    ),
    # Two-factor authentication (TOTP), mandatory for organisers and jurors.
    path("double-authentification/", two_factor_views.status, name="two_factor"),
    path("double-authentification/activer/", two_factor_views.enrol, name="two_factor_enrol"),
    path(
        "double-authentification/activer/qr.svg",
        two_factor_views.enrol_qr,
        name="two_factor_qr",
    ),
    path("double-authentification/verifier/", two_factor_views.verify, name="two_factor_verify"),
    path(
        "double-authentification/codes-de-secours/",
        two_factor_views.recovery_codes,
        name="two_factor_recovery_codes",
    ),
    path("mot-de-passe/oublie/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "mot-de-passe/oublie/envoye/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
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
