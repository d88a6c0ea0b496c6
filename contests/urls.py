from django.urls import path

from .views import call as call_views
from .views import contests as contest_views
from .views import editions as views
from .views import events as event_views
from .views import outbox as views_outbox

app_name = "contests"

# Mounted at "organisation/": the organisers' pages. Editions are addressed by contest slug and
# year, never by database id.
edition = "concours/<slug:contest_slug>/<int:year>/"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    # A contest: created and configured by its organisers (its defaults for new editions).
    path("concours/nouveau/", contest_views.contest_create, name="contest_create"),
    path("concours/<slug:contest_slug>/", contest_views.contest_detail, name="contest_detail"),
    path(
        "concours/<slug:contest_slug>/modifier/",
        contest_views.contest_update,
        name="contest_update",
    ),
    path(
        "concours/<slug:contest_slug>/niveaux/",
        contest_views.contest_rows,
        {"key": "levels"},
        name="contest_levels",
    ),
    path(
        "concours/<slug:contest_slug>/criteres/",
        contest_views.contest_rows,
        {"key": "criteria"},
        name="contest_criteria",
    ),
    path(
        "concours/<slug:contest_slug>/distinctions/",
        contest_views.contest_rows,
        {"key": "distinctions"},
        name="contest_distinctions",
    ),
    path(
        "concours/<slug:contest_slug>/organisateurs/ajouter/",
        contest_views.contest_organiser_add,
        name="contest_organiser_add",
    ),
    path(
        "concours/<slug:contest_slug>/organisateurs/retirer/",
        contest_views.contest_organiser_remove,
        name="contest_organiser_remove",
    ),
    path(
        "concours/<slug:contest_slug>/editions/nouvelle/",
        views.edition_create,
        name="edition_create",
    ),
    path(edition, views.edition_detail, name="edition_detail"),
    path(f"{edition}modifier/", views.edition_update, name="edition_update"),
    path(f"{edition}themes/", views.edition_rows, {"key": "themes"}, name="edition_themes"),
    path(f"{edition}criteres/", views.edition_rows, {"key": "criteria"}, name="edition_criteria"),
    path(f"{edition}niveaux/", views.edition_rows, {"key": "levels"}, name="edition_levels"),
    path(
        f"{edition}distinctions/",
        views.edition_rows,
        {"key": "distinctions"},
        name="edition_distinctions",
    ),
    path(
        f"{edition}distinctions/reprendre/",
        views.edition_take_distinctions,
        name="edition_take_distinctions",
    ),
    path(f"{edition}phases/", views.edition_phases, name="edition_phases"),
    path(f"{edition}copier/", views.edition_copy, name="edition_copy"),
    # The call for applications: its checklist and actions (contests.call), its rules.
    path(f"{edition}appel/", call_views.edition_call, name="edition_call"),
    path(f"{edition}appel/ouvrir/", call_views.edition_call_open, name="edition_call_open"),
    path(f"{edition}appel/clore/", call_views.edition_call_close, name="edition_call_close"),
    path(f"{edition}appel/prolonger/", call_views.edition_call_extend, name="edition_call_extend"),
    path(f"{edition}reglement/", call_views.edition_rules, name="edition_rules"),
    # Events (the Forum, the IntercoTOUR stages), addressed by slug.
    path("evenements/", event_views.manage_list, name="events"),
    path("evenements/nouveau/", event_views.event_create, name="event_create"),
    path("evenements/<slug:slug>/modifier/", event_views.event_update, name="event_update"),
    # The emails the mail server has not accepted yet (notifications' outbox).
    path("courriels-non-remis/", views_outbox.undelivered, name="outbox"),
    path("courriels-non-remis/tout-renvoyer/", views_outbox.resend_all, name="outbox_resend_all"),
    path(
        "courriels-non-remis/<uuid:reference>/renvoyer/",
        views_outbox.resend,
        name="outbox_resend",
    ),
]
