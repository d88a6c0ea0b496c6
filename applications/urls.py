from .views import applicant, applicant_edit, files, organiser

app_name = "applications"
urlpatterns = [
    *applicant.urlpatterns,  # the applicants' dossiers
    *applicant_edit.urlpatterns,  # the dossier form: edit, autosave, submit
    *files.urlpatterns,  # attachments, videos, receipts (permission-checked downloads)
    *organiser.urlpatterns,  # the organisers' lists and emails (their exports: opendata)
]
