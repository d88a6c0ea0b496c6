"""The notice of undelivered emails on the organisers' pages (notifications.outbox)."""

from django import template

from notifications.outbox import undelivered_emails

register = template.Library()


@register.inclusion_tag("contests/includes/outbox_notice.html")
def undelivered_emails_notice(user) -> dict[str, int]:
    """How many emails the mail server has not accepted yet, for those who may see them."""
    if not user.has_perm("contests.view_outbox"):
        return {"count": 0}
    return {"count": undelivered_emails().count()}
