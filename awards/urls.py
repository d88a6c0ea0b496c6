from .views import deliberation, documents, palmares_import, publication

app_name = "awards"
# Mounted at the site root. The organisers' and jury's pages of an edition's results live under
# "organisation/concours/<contest>/<year>/" (next to contests' edition pages).
urlpatterns = [
    *deliberation.urlpatterns,  # deliberation/, …/propositions/, …/decisions/<ref>/, …/valider/
    *publication.urlpatterns,
    *documents.urlpatterns,
    *palmares_import.urlpatterns,  # organisation/concours/<contest>/palmares/importer/…
]
