"""Who a user is, as predicates every app's rules.py combines."""

import rules


@rules.predicate
def is_organiser(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_organiser or user.is_superuser))


@rules.predicate
def is_superuser(user) -> bool:
    return bool(user and user.is_authenticated and user.is_superuser)
