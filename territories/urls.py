from django.urls import path

from . import views

app_name = "territories"
urlpatterns = [
    path("structures/", views.organisation_list, name="organisation_list"),
    # Before the slug pattern, which would match this path too.
    path("structures/nouvelle/", views.organisation_create, name="organisation_create"),
    path("structures/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
]
