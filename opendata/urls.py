from django.urls import path

from . import views

app_name = "opendata"
# Stable public URLs (DESIGN.md, "Public contract"), under /api/v1/.
urlpatterns = [
    path("laureates", views.laureates, name="laureates"),
]
