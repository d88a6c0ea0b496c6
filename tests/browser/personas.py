"""Create the browser personas on the browser site's database; print their session keys as JSON.

Run by the browser fixtures in the site's own environment (DJANGO_SETTINGS_MODULE=palmares.settings,
DATABASE_URL of the fresh database): `python -m tests.browser.personas`. Sessions are built the way
Django's test Client.force_login builds them, so no password is typed and no login page is needed.
"""

import json
import uuid

import django

# Same people as the personas of tests/conftest.py.
ORGANISER_EMAIL = "organisatrice@interconnectes.fr"
APPLICANT_EMAIL = "agent@rennes.fr"
OTHER_APPLICANT_EMAIL = "agent@brest.fr"
PASSWORD = "mot-de-passe-solide-42"  # a test persona on a throw-away database
RENNES_MEMBERSHIP = uuid.UUID("00000000-0000-4000-8000-000000000001")
SHARING_TOKEN = "demande-de-demonstration"
# A dossier of the 2029 demo edition (seed_demo --stage deliberation) that was auditioned.
FINALIST_DOSSIER = "LTI-2029-0025"  # an experience request from Brest to Ambassad'Ondes


def create_personas() -> dict[str, object]:
    from django.utils import timezone

    from accounts.enums import MembershipState
    from accounts.models import Membership, User
    from territories.models import Organisation

    now = timezone.now()

    def person(email: str, full_name: str, **fields) -> User:
        return User.objects.create_user(
            email, PASSWORD, full_name=full_name, email_confirmed_at=now, **fields
        )

    def agent_of(user: User, insee_code: str, **fields) -> User:
        organisation = Organisation.objects.get(kind="commune", insee_code=insee_code)
        Membership.objects.create(
            user=user,
            organisation=organisation,
            state=MembershipState.CONFIRMED,
            decided_at=now,
            **fields,
        )
        return user

    return {
        "organiser": person(ORGANISER_EMAIL, "Organisatrice du label", is_organiser=True),
        # A fixed membership reference, so that its organiser page is in the registry.
        "applicant": agent_of(
            person(APPLICANT_EMAIL, "Agent de Rennes"), "35238", reference=RENNES_MEMBERSHIP
        ),
        "other_applicant": agent_of(person(OTHER_APPLICANT_EMAIL, "Agent de Brest"), "29019"),
    }


def session_key_for(user) -> str:
    """A stored session signed in as `user`, as Client.force_login makes it in the tests: with
    both factors (password and TOTP code, see tests/conftest.py), so no code page is needed."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, load_backend

    from accounts import second_factor
    from accounts.models import TotpDevice

    backend = next(
        path for path in settings.AUTHENTICATION_BACKENDS if hasattr(load_backend(path), "get_user")
    )
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = backend
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    device = TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()
    session[second_factor.SESSION_KEY] = second_factor.session_marker(user, device)
    session.save()
    return session.session_key


def enrol_authenticator(user) -> None:
    """Give `user` a confirmed authenticator and recovery codes: the juror persona has one, so
    that the pages of an enrolled account (code page, recovery codes) are audited too."""
    from django.utils import timezone

    from accounts import totp
    from accounts.models import TotpDevice

    TotpDevice.objects.create(user=user, secret=totp.generate_secret(), confirmed_at=timezone.now())
    totp.generate_recovery_codes(user)


def create_sharing_request(requester) -> None:
    """Brest's agent asks the Rennes laureate of Ambassad'Ondes (2024) to share its experience."""
    from awards.models import Award
    from catalogue.models import ExperienceRequest

    award = Award.objects.get(slug__startswith="2024-ambassadondes")
    ExperienceRequest.objects.create(
        award=award,
        token=SHARING_TOKEN,
        requester=requester,
        requester_organisation=requester.memberships.get().organisation,
        message="Comment avez-vous associé les habitants à la balade ?",
    )


def seeded_juror():
    """The juror of the regional round seeded by `seed_demo --stage jury` (no conflict)."""
    from accounts.models import User
    from demo.jury import JUROR_EMAIL

    return User.objects.get(email=JUROR_EMAIL)


def seeded_finalist():
    """The demo agent of a dossier auditioned in the deliberation stage (2029, seed_demo)."""
    from accounts.models import User
    from applications.models import Application

    application = Application.objects.get(reference=FINALIST_DOSSIER)
    return User.objects.filter(memberships__organisation=application.lead_organisation).first()


def main() -> None:
    django.setup()
    users = create_personas()
    users["juror"] = seeded_juror()
    users["finalist"] = seeded_finalist()
    enrol_authenticator(users["juror"])
    create_sharing_request(users["other_applicant"])
    print(json.dumps({persona: session_key_for(user) for persona, user in users.items()}))


if __name__ == "__main__":
    main()
