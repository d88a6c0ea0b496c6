"""Who may do what with a dossier: the whole access policy of `Application`.

Predicates take the dossier as the rules object (except `create_application`, on an Edition,
and `manage_applications`, on an Edition or None). Membership look-ups are cached per request by
accounts.rules, so checking a permission for every row of a list costs one query.

Higher apps may let more people read a dossier's content and files (`read_dossier`) through
`register_dossier_reader`: jury registers its jurors (assigned and not in conflict) in its
AppConfig.ready(), so that applications never imports jury. A juror in conflict with a dossier
sees nothing of it.
"""

import rules

from accounts.rules import confirmed_organisation_ids
from contests.domain import edition_allows
from contests.rules import is_contest_organiser

from .enums import ApplicationState


def _partner_ids(application) -> set[int]:
    """The partner organisations' ids; reads a prefetch of `application_partners` if any."""
    cache = getattr(application, "_prefetched_objects_cache", {})
    if "application_partners" in cache:
        return {partner.organisation_id for partner in cache["application_partners"]}
    return set(application.application_partners.values_list("organisation_id", flat=True))


@rules.predicate
def is_lead_member(user, application) -> bool:
    """A confirmed member of the dossier's lead organisation."""
    return (
        application is not None
        and application.lead_organisation_id in confirmed_organisation_ids(user)
    )


@rules.predicate
def is_partner_member(user, application) -> bool:
    """A confirmed member of one of the dossier's partner organisations (co-porteurs)."""
    if application is None:
        return False
    organisations = confirmed_organisation_ids(user)
    return bool(organisations) and bool(organisations & _partner_ids(application))


is_applicant_member = is_lead_member | is_partner_member


@rules.predicate
def is_editable_state(user, application) -> bool:
    return application is not None and application.state in ApplicationState.editable()


@rules.predicate
def is_reopened(user, application) -> bool:
    # A reopened dossier stays editable after the applications phase: the organiser reopened it
    # on purpose, and it becomes read-only again once re-submitted.
    return application is not None and application.state == ApplicationState.REOPENED


@rules.predicate
def phase_allows_applying(user, application) -> bool:
    return application is not None and edition_allows(application.edition, "may_apply")


@rules.predicate
def is_withdrawable_state(user, application) -> bool:
    return application is not None and application.state in ApplicationState.withdrawable()


@rules.predicate
def is_submitted(user, application) -> bool:
    return application is not None and application.state == ApplicationState.SUBMITTED


@rules.predicate
def has_confirmed_membership(user) -> bool:
    return bool(confirmed_organisation_ids(user))


@rules.predicate
def edition_allows_applying(user, edition) -> bool:
    return edition is not None and edition_allows(edition, "may_apply")


# Predicates on (user, application) that higher apps registered; read at every check, so a
# registration made after this module was imported (AppConfig.ready) counts.
_dossier_readers: list[rules.Predicate] = []


def register_dossier_reader(predicate: rules.Predicate) -> None:
    """Let `predicate` grant `applications.read_dossier` (registering it twice changes nothing)."""
    if predicate not in _dossier_readers:
        _dossier_readers.append(predicate)


@rules.predicate
def is_registered_reader(user, application) -> bool:
    """One of the predicates registered by a higher app grants reading the dossier."""
    return application is not None and any(
        predicate.test(user, application) for predicate in _dossier_readers
    )


may_edit_content = is_editable_state & (phase_allows_applying | is_reopened)

rules.add_perm("applications.view_dossier", is_applicant_member | is_contest_organiser)
# The dossier's content and files: also for whom a higher app registered (jury: a juror assigned
# to it and not in conflict with it).
rules.add_perm(
    "applications.read_dossier", is_applicant_member | is_contest_organiser | is_registered_reader
)
rules.add_perm("applications.edit_dossier", is_applicant_member & may_edit_content)
rules.add_perm("applications.submit_application", is_applicant_member & may_edit_content)
rules.add_perm("applications.withdraw_application", is_applicant_member & is_withdrawable_state)
rules.add_perm("applications.manage_applications", is_contest_organiser)
rules.add_perm("applications.reopen_application", is_contest_organiser & is_submitted)
rules.add_perm(
    "applications.create_application", has_confirmed_membership & edition_allows_applying
)
