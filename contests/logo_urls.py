from django.urls import path

from .views.contests import contest_logo

app_name = "logos"

# Mounted at "logos/": public, the logo of the organisation that awards a contest.
urlpatterns = [path("<slug:contest_slug>/", contest_logo, name="contest")]
