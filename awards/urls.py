from .views import deliberation, documents, publication

app_name = "awards"
# Mounted at the site root. The organisers' and jury's pages of an edition's results live under
# "organisation/concours/<contest>/<year>/" (next to contests' edition pages).
urlpatterns = [
    *deliberation.urlpatterns,  # deliberation/, …/propositions/, …/decisions/<ref>/, …/valider/
    *publication.urlpatterns,
    *documents.urlpatterns,
]
