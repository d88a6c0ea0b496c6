"""The result section of a dossier's page (applications.hooks), once the palmarès is published."""

from applications.hooks import DossierSection
from applications.models import Application

from .results import published_result

TEMPLATE = "awards/publication/dossier_result.html"


def result_section(application: Application) -> DossierSection | None:
    result = published_result(application)
    # Declared ineligible: the eligibility notice of the page (jury) already says it, with the
    # organisers' reason and date.
    if result is None or result.ineligible:
        return None
    return DossierSection(TEMPLATE, {"result": result})
