"""Work of the sign-up and password-reset pages done by the task queue, not the request.

Both pages must answer in the same time whatever the address: looking the account up, making a
token, rendering and storing an email take longer for an existing account. So the request only
validates the form and enqueues one of these tasks, the same for every address; the task finds
out whether an account exists, applies the per-address limit (mail_limits) and queues the email
in the outbox. Arguments are JSON: the password arrives already hashed, never in clear.
"""

import logging

from django.tasks import Task, task
from django.utils import translation

from . import domain, mail_limits

logger = logging.getLogger(__name__)


def enqueue(work: Task, **arguments) -> None:
    """Enqueue `work`; if the queue refuses it, do it now (slower for a known address during
    the outage, but nobody's sign-up or reset is lost)."""
    try:
        work.enqueue(**arguments)
    except Exception:
        logger.exception("could not enqueue %s; running it in the request", work.name)
        work.call(**arguments)


@task()
def send_password_reset(email: str, domain_name: str, use_https: bool, language: str) -> None:
    from .forms.account import PasswordResetForm

    if not mail_limits.address_may_receive(email):
        return
    with translation.override(language):
        form = PasswordResetForm({"email": email})
        if form.is_valid():
            form.send_now(domain_name=domain_name, use_https=use_https)


@task()
def sign_up(
    email: str, full_name: str, password_hash: str, base_url: str, language: str, next_url: str = ""
) -> None:
    with translation.override(language):
        domain.sign_up(
            email=email,
            full_name=full_name,
            password_hash=password_hash,
            base_url=base_url,
            next_url=next_url,
            send=mail_limits.address_may_receive(email),
        )
