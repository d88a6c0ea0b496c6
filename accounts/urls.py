from django.contrib.auth import views as auth_views
from django.urls import path

from . import membership_views, views

app_name = "accounts"
urlpatterns = [
    path("", views.account, name="account"),
    path("structures/rattacher/", membership_views.attach, name="attach"),
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
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
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
