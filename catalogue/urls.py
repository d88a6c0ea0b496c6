from .views import figures, pages, projects, search

app_name = "catalogue"
# Each feature module lists its own URLs (French, stable: docs/architecture.md, "Public contract").
urlpatterns = [
    *pages.urlpatterns,
    *search.urlpatterns,  # /palmares/ and its search
    *projects.urlpatterns,  # /palmares/<year>/, /projets/<slug>/, sharing, badges
    *figures.urlpatterns,  # /carte/, /statistiques/, transparency pages
]
