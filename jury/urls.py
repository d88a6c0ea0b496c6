from .views import (
    assignment,
    auditions,
    availability_requests,
    conflicts,
    eligibility,
    evaluations,
    juror_home,
    jurors,
    progress,
    round_deadline,
    rounds,
    selection_publication,
)

app_name = "jury"
# Mounted at the site root. Organisers' pages live under
# "organisation/concours/<contest>/<year>/" (next to contests' edition pages), jurors' under
# "jury/". Rounds are addressed by slug, jurors by their UUID, dossiers by reference.
urlpatterns = [
    *eligibility.urlpatterns,  # recevabilite/, its bulk action
    *rounds.urlpatterns,  # tours/, tours/<round>/, promotions, their actions
    *round_deadline.urlpatterns,  # tours/<round>/evaluations/prolonger/ (POST)
    *selection_publication.urlpatterns,  # tours/<round>/selection/publier/, retirer/ (POST)
    *jurors.urlpatterns,  # tours/<round>/jures/, jury/invitation/<token>/, their actions
    *conflicts.urlpatterns,  # tours/<round>/conflits/, jury/…/conflits/
    *assignment.urlpatterns,  # tours/<round>/affectation/
    *progress.urlpatterns,  # tours/<round>/suivi/, scores of a dossier
    *juror_home.urlpatterns,  # jury/, jury/<contest>/<year>/<round>/
    *evaluations.urlpatterns,  # jury/<contest>/<year>/<round>/<reference>/, envoyer/
    *availability_requests.urlpatterns,  # tours/<round>/auditions/disponibilites/demander/
    *auditions.urlpatterns,  # tours/<round>/auditions/, candidatures/<ref>/auditions/, .ics
]
