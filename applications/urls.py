from .views import applicant, files, organiser

app_name = "applications"
urlpatterns = [
    *applicant.urlpatterns,  # the applicants' dossiers
    *files.urlpatterns,  # attachments, videos, receipts (permission-checked downloads)
    *organiser.urlpatterns,  # the organisers' lists, exports, emails
]
