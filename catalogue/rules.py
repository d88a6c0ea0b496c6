"""Who may do what on the public palmarès: experience sharing and transparency pages.

Everything public (palmarès, project pages, badges) is decided by `Award.objects.public`
(contests' embargo rule), not per visitor; these rules cover what only some people may do with a
public award. Predicates take the award (or the experience request) as the rules object.
Membership look-ups are cached per request by accounts.rules.
"""

import rules

from accounts.rules import confirmed_organisation_ids
from contests.rules import is_contest_organiser


def laureate_organisation_ids(award) -> set[int]:
    """The award's organisations; reads a prefetch of `award_organisations` if there is one."""
    cache = getattr(award, "_prefetched_objects_cache", {})
    if "award_organisations" in cache:
        return {link.organisation_id for link in cache["award_organisations"]}
    return set(award.award_organisations.values_list("organisation_id", flat=True))


@rules.predicate
def is_laureate_member(user, award) -> bool:
    """A confirmed member of one of the organisations the award was given to."""
    if award is None:
        return False
    organisations = confirmed_organisation_ids(user)
    return bool(organisations) and bool(organisations & laureate_organisation_ids(award))


@rules.predicate
def is_request_laureate_member(user, experience_request) -> bool:
    """A confirmed member of the laureate an experience request was written to."""
    return experience_request is not None and is_laureate_member(user, experience_request.award)


@rules.predicate
def is_requester(user, experience_request) -> bool:
    return bool(
        experience_request is not None
        and user.is_authenticated
        and experience_request.requester_id == user.pk
    )


@rules.predicate
def is_unanswered(user, experience_request) -> bool:
    return experience_request is not None and experience_request.answered_at is None


# The laureate's members write its « retour d'expérience ».
rules.add_perm("catalogue.change_experience", is_laureate_member)
# Any signed-in person may write to a laureate (views send anonymous visitors to the login page).
rules.add_perm("catalogue.request_experience", rules.is_authenticated)
# A request is read by the one who wrote it and by the laureate's members, who answer it once.
rules.add_perm("catalogue.view_experience_request", is_requester | is_request_laureate_member)
rules.add_perm("catalogue.answer_experience_request", is_request_laureate_member & is_unanswered)

# Transparency pages (views/figures.py): organisers write what is published about the judging;
# what anyone reads is decided by the edition being public and the row being published.
rules.add_perm("catalogue.change_transparency", is_contest_organiser)
