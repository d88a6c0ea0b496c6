from django.urls import path

from .views import events as event_views

app_name = "events"

# Mounted at "evenements/": public pages, stable addresses
# (docs/architecture.md, "Public contract").
# `calendrier.ics` comes before `<slug>.ics`, and no event may take the slug « calendrier »
# (contests.events.RESERVED_SLUGS).
urlpatterns = [
    path("", event_views.event_list, name="list"),
    path("calendrier.ics", event_views.calendar, name="calendar"),
    path("<slug:slug>.ics", event_views.event_ics, name="ics"),
    path("<slug:slug>/", event_views.event_detail, name="detail"),
]
