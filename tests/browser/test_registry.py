"""Every named URL pattern is registered for the browser tests, or excluded with a reason."""

from collections.abc import Iterator

from django.urls import URLResolver, get_resolver
from django.urls.exceptions import NoReverseMatch

from .registry import EXCLUDED, EXCLUDED_NAMESPACES, PAGES


def named_patterns(resolver: URLResolver | None = None, prefix: str = "") -> Iterator[str]:
    """Every pattern name of the URLconf, with its namespaces ("contests:dashboard")."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from named_patterns(pattern, namespace)
        elif pattern.name:
            yield f"{prefix}{pattern.name}"


def _excluded_namespace(name: str) -> bool:
    return name.split(":", 1)[0] in EXCLUDED_NAMESPACES and ":" in name


def test_every_named_url_is_registered_or_excluded():
    registered = {page.name for page in PAGES}

    missing = sorted(
        name
        for name in set(named_patterns())
        if name not in registered and name not in EXCLUDED and not _excluded_namespace(name)
    )

    assert missing == [], (
        "Add these URL names to tests/browser/registry.py (PAGES, or EXCLUDED with the reason): "
        + ", ".join(missing)
    )


def test_registry_names_only_existing_urls():
    names = set(named_patterns())

    stale = sorted({page.name for page in PAGES} - names) + sorted(set(EXCLUDED) - names)

    assert stale == []


def test_registered_pages_reverse_with_their_arguments():
    unreversible = []
    for page in PAGES:
        try:
            page.path  # noqa: B018 - reversing is the check
        except NoReverseMatch as error:
            unreversible.append(f"{page.id}: {error}")

    assert unreversible == []


def test_every_page_is_registered_once_per_persona():
    ids = [page.id for page in PAGES]

    assert sorted(ids) == sorted(set(ids))


def test_walk_names_patterns_with_their_namespaces():
    names = set(named_patterns())

    assert {"catalogue:home", "set_language", "admin:index"} <= names
    assert "home" not in names  # a namespaced name never appears bare


def test_only_the_listed_namespaces_are_excluded_wholesale():
    assert _excluded_namespace("admin:index")
    assert not _excluded_namespace("catalogue:home")
    assert not _excluded_namespace("admin")  # a bare name is not a namespace
