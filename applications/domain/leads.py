"""Which structures may lead a dossier of a contest: the contest's `lead_kinds`, nothing else.

A contest of collectivités and a contest of start-ups differ only by this list (configured by
organisers), so no code here names either contest. An empty list accepts every nature.
"""

from django.db.models import QuerySet
from django.utils.translation import gettext

from accounts.rules import confirmed_organisation_ids
from contests.domain import accepted_lead_kinds
from contests.models import Contest, Edition
from territories.models import Organisation

from .errors import ApplicationError


class LeadRefused(ApplicationError):
    """The structure's nature is not one the contest accepts as lead."""


def may_lead(contest: Contest, organisation: Organisation) -> bool:
    kinds = accepted_lead_kinds(contest)
    return not kinds or organisation.kind in kinds


def accepted_kinds_text(contest: Contest) -> str:
    """The accepted natures as one French list: "Commune, Métropole, Région" (commas only:
    labels such as « Office ou comité de tourisme » hold an "ou" already)."""
    labels = [str(kind.label) for kind in accepted_lead_kinds(contest)]
    return ", ".join(labels) if labels else gettext("toute structure")


def lead_organisations(user, edition: Edition) -> QuerySet[Organisation]:
    """The structures the user acts for (confirmed memberships) that may lead in `edition`."""
    organisations = Organisation.objects.filter(pk__in=confirmed_organisation_ids(user))
    kinds = accepted_lead_kinds(edition.contest)
    if kinds:
        organisations = organisations.filter(kind__in=kinds)
    return organisations.order_by("search_name")


def check_lead(edition: Edition, organisation: Organisation) -> None:
    """Raise LeadRefused (French message) unless `organisation` may lead in `edition`."""
    if may_lead(edition.contest, organisation):
        return
    raise LeadRefused(
        gettext(
            "« %(organisation)s » (%(kind)s) ne peut pas porter un dossier du concours "
            "« %(contest)s », qui accepte comme structure porteuse : %(accepted)s."
        )
        % {
            "organisation": organisation.name,
            "kind": organisation.get_kind_display(),
            "contest": edition.contest.name,
            "accepted": accepted_kinds_text(edition.contest),
        }
    )
