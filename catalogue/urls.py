from .views import contests, figures, pages, projects, search, statistics

app_name = "catalogue"
# Each feature module lists its own URLs (French, stable: docs/architecture.md, "Public contract").
urlpatterns = [
    *pages.urlpatterns,
    *contests.urlpatterns,  # /concours/
    *search.urlpatterns,  # /palmares/ and its search
    *projects.urlpatterns,  # /palmares/<year>/, /projets/<slug>/, sharing, badges
    *figures.urlpatterns,  # /carte/, /carte/tableau/, transparency pages
    *statistics.urlpatterns,  # /statistiques/, /statistiques/tableaux/
]
