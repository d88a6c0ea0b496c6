"""Template tags of the OpenID Connect sign-in (accounts/oidc.py)."""

from django import template

from accounts import oidc

register = template.Library()


@register.simple_tag
def oidc_provider_name() -> str:
    """The provider's name when sign-in with it is configured, else "" (no button shown)."""
    config = oidc.provider_config()
    return config.name if config else ""
