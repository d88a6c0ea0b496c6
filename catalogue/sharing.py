"""Experience sharing: the laureate's « retour d'expérience » and the requests relayed to it.

Laureates commit to share their experience with other collectivités. An agent writes to a
laureate from its project page; the platform relays the message by email to the laureate's
confirmed members and relays their answer back, so that nobody's address is ever shown to the
other side: every email comes from the platform, to one person, without Reply-To, and links to
the platform where the conversation happens.
"""

import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import QuerySet
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.enums import MembershipState
from accounts.models import User
from awards.models import Award
from notifications.outbox import email_kind, queue_email
from territories.models import Organisation

from .models import ExperienceRequest, ExperienceShare

activity = logging.getLogger("activity")

# A simple brake on abuse: requests one person may send in a sliding day.
REQUESTS_PER_DAY = 5
REQUEST_WINDOW = timedelta(days=1)
EXPERIENCE_FIELDS = ("outcomes", "costs", "lessons", "reused_by")
REQUEST_EMAIL = email_kind("catalogue.experience_request", _("Demande de partage d'expérience"))
ANSWER_EMAIL = email_kind("catalogue.experience_answer", _("Réponse à un partage d'expérience"))


class TooManyRequests(Exception):
    """The requester already sent REQUESTS_PER_DAY requests within REQUEST_WINDOW."""


class AlreadyAnswered(Exception):
    """A request is answered once; the answer was already relayed."""


def laureate_members(award: Award) -> QuerySet[User]:
    """Active people with a confirmed membership in one of the award's organisations."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__state=MembershipState.CONFIRMED,
            memberships__organisation__award_organisations__award=award,
        )
        .distinct()
        .order_by("email")
    )


def exchanges_count(award: Award) -> int:
    """Requests the laureate answered: what the project page counts as exchanges."""
    return award.experience_requests.filter(answered_at__isnull=False).count()


def requests_sent_recently(user: User) -> int:
    since = timezone.now() - REQUEST_WINDOW
    return ExperienceRequest.objects.filter(requester=user, created_at__gte=since).count()


def save_experience(award: Award, *, by: User, **fields: str) -> ExperienceShare:
    """Write the laureate's « retour d'expérience » (created on first save).

    Steps: take the existing share or a new one; set the given text fields and who wrote them;
    save; log who changed it ("activity").
    """
    unknown = set(fields) - set(EXPERIENCE_FIELDS)
    if unknown:
        raise ValueError(f"Not fields of a retour d'expérience: {sorted(unknown)}")
    share = ExperienceShare.objects.filter(award=award).first() or ExperienceShare(award=award)
    for name, value in fields.items():
        setattr(share, name, value.strip())
    share.updated_by = by
    share.save()
    activity.info("experience of award %s changed by user %s", award.slug, by.pk)
    return share


def request_experience(
    award: Award,
    *,
    requester: User,
    message: str,
    organisation: Organisation | None,
    base_url: str,
) -> ExperienceRequest:
    """An agent asks a laureate to share its experience.

    Steps: refuse beyond REQUESTS_PER_DAY requests a day (TooManyRequests); record the request
    with a random token (the laureate's answer page); log it ("activity"); queue the emails to
    the laureate's members (relay_experience_request).
    """
    if requests_sent_recently(requester) >= REQUESTS_PER_DAY:
        raise TooManyRequests
    experience_request = ExperienceRequest.objects.create(
        award=award,
        token=secrets.token_urlsafe(24),  # 32 characters, the field's length
        requester=requester,
        requester_organisation=organisation,
        message=message.strip(),
    )
    activity.info("experience request on award %s by user %s", award.slug, requester.pk)
    relay_experience_request.enqueue(experience_request.token, base_url)
    return experience_request


def answer_experience_request(
    experience_request: ExperienceRequest, *, answer: str, by: User, base_url: str
) -> None:
    """A member of the laureate answers a request, once.

    Steps: refuse a second answer (AlreadyAnswered); save the answer, who wrote it and when;
    log it ("activity"); queue the email to the requester (relay_experience_answer).
    """
    if experience_request.answered_at is not None:
        raise AlreadyAnswered
    experience_request.answer = answer.strip()
    experience_request.answered_by = by
    experience_request.answered_at = timezone.now()
    experience_request.save(update_fields=["answer", "answered_by", "answered_at"])
    activity.info("experience request %s answered by user %s", experience_request.pk, by.pk)
    relay_experience_answer.enqueue(experience_request.token, base_url)


def _relayed(subject: str, template_name: str, context: dict, to: User) -> EmailMessage:
    # From the platform, to one person, no Reply-To and no copy: each side only ever sees the
    # platform's address.
    body = render_to_string(template_name, context)
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [to.email])


def _request_with_award(token: str) -> ExperienceRequest | None:
    return (
        ExperienceRequest.objects.select_related("award", "requester_organisation")
        .filter(token=token)
        .first()
    )


@task()
def relay_experience_request(token: str, base_url: str) -> int:
    """Email a request to each confirmed member of the laureate (through the outbox); returns
    the number of emails queued."""
    experience_request = _request_with_award(token)
    if experience_request is None:
        return 0
    award = experience_request.award
    context = {
        "experience_request": experience_request,
        "award": award,
        "answer_url": base_url + reverse("catalogue:experience_answer", kwargs={"token": token}),
        "project_url": base_url + reverse("catalogue:project", kwargs={"slug": award.slug}),
    }
    subject = gettext("Demande de partage d'expérience : %(title)s") % {"title": award.title}
    messages = [
        _relayed(subject, "catalogue/projects/emails/request.txt", context, member)
        for member in laureate_members(award)
    ]
    with transaction.atomic():
        for message in messages:
            queue_email(message, kind=REQUEST_EMAIL, context=award.title)
    return len(messages)


@task()
def relay_experience_answer(token: str, base_url: str) -> int:
    """Email the laureate's answer to the person who asked (through the outbox); returns the
    number of emails queued."""
    experience_request = _request_with_award(token)
    if experience_request is None or experience_request.answered_at is None:
        return 0
    award = experience_request.award
    context = {
        "experience_request": experience_request,
        "award": award,
        "request_url": base_url + reverse("catalogue:experience_answer", kwargs={"token": token}),
    }
    subject = gettext("Réponse à votre demande de partage d'expérience : %(title)s") % {
        "title": award.title
    }
    message = _relayed(
        subject,
        "catalogue/projects/emails/answer.txt",
        context,
        experience_request.requester,
    )
    queue_email(message, kind=ANSWER_EMAIL, context=award.title)
    return 1
