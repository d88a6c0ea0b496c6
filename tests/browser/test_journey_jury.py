"""The jury's journey (issue 15, items 4 and 6), in Chromium, on the demo site.

An organiser moves an audition session after its invitations went out: the applicant's page shows
the new date and the applicant receives, by real SMTP once the task worker has run, the updated
invitation (same event, SEQUENCE:1). Then the seeded juror signs in with password and code, lands
on the jury space (no `next`), finds it in the header, and sends an evaluation through its
confirmation box. Every page seen passes axe-core.
"""

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.accounts.two_factor_support import totp_code

from .mailbox import Mailbox
from .server import Site
from .test_journey_application import Journey, field, message

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

JUROR_PASSWORD = "Jury-des-territoires-2028"  # a throw-away account on a throw-away site

# Arranged with the domain on the site's database: an audition round of the 2028 demo edition
# with one dossier, its session in 20 days, the timetable and the invitations already sent.
ARRANGE = """
import json
from datetime import datetime, time, timedelta
from django.utils import timezone
from accounts import totp
from accounts.models import TotpDevice, User
from applications.enums import ApplicationState
from applications.models import Application
from contests.models import Edition
from demo.jury import JUROR_EMAIL
from jury.domain import auditions
from jury.domain.audition_invitations import send_invitations
from jury.enums import EvaluationState, RoundKind
from jury.models import Assignment, AuditionSession, Round, RoundEntry, SessionAvailability
from tests.browser.personas import ORGANISER_EMAIL, session_key_for

organiser = User.objects.get(email=ORGANISER_EMAIL)
edition = Edition.objects.get(year=2028)
application = (
    Application.objects.filter(
        edition=edition,
        state=ApplicationState.SUBMITTED,
        lead_organisation__memberships__state="confirmed",
    )
    .order_by("reference")
    .first()
)
round_ = Round.objects.create(
    edition=edition, name="Auditions du journal", slug="auditions-journal",
    kind=RoundKind.AUDITION, quorum=0, position=9,
)
RoundEntry.objects.create(round=round_, application=application)
zone = timezone.get_current_timezone()
day = timezone.localdate() + timedelta(days=20)
session = AuditionSession.objects.create(
    round=round_, name="Séance du journal",
    starts_at=datetime.combine(day, time(14), zone), ends_at=datetime.combine(day, time(16), zone),
)
SessionAvailability.objects.create(session=session, application=application)
auditions.schedule_auditions(round_, by=organiser)
send_invitations(round_, by=organiser)
agent = User.objects.filter(
    memberships__organisation=application.lead_organisation, memberships__state="confirmed"
).order_by("pk").first()

# Another juror of the round than the browser's persona: a new password would sign the persona
# out of every page the other browser tests visit with its session.
todo = (
    Assignment.objects.filter(
        juror__round__edition=edition,
        juror__round__kind=RoundKind.REGIONAL,
        juror__user__isnull=False,
    )
    .exclude(juror__user__email=JUROR_EMAIL)
    .exclude(evaluation__state=EvaluationState.SUBMITTED)
    .select_related("juror__user", "juror__round__edition__contest", "application")
    .order_by("application__reference", "juror__full_name")
    .first()
)
juror = todo.juror.user
juror.set_password(%(password)r)
juror.save()
if not TotpDevice.objects.filter(user=juror, confirmed_at__isnull=False).exists():
    TotpDevice.objects.create(
        user=juror, secret=totp.generate_secret(), confirmed_at=timezone.now()
    )
print(json.dumps({
    "contest": edition.contest.slug,
    "session": str(session.reference),
    "reference": application.reference,
    "agent": agent.email,
    "agent_session": session_key_for(agent),
    "juror": juror.email,
    "secret": TotpDevice.objects.get(user=juror, confirmed_at__isnull=False).secret,
    "dossier": todo.application.reference,
    "round": todo.juror.round.slug,
}))
"""


def arrange(site: Site) -> dict[str, str]:
    output = site.manage("shell", "-c", ARRANGE % {"password": JUROR_PASSWORD})
    return json.loads(output.strip().splitlines()[-1])


def signed_in(browser, site: Site, session: str):
    context = browser.new_context(locale="fr-FR")
    context.add_cookies([{"name": "sessionid", "value": session, "url": site.base_url + "/"}])
    return context


def move_the_session(browser, journey: Journey, facts: dict[str, str]) -> str:
    """The organiser moves the session a week later, same hours; the new date as written."""
    site = journey.site
    context = signed_in(browser, site, site.sessions["organiser"])
    page = context.new_page()
    try:
        base = f"/organisation/concours/{facts['contest']}/2028/tours/auditions-journal/auditions/"
        page.goto(journey.url(base + f"{facts['session']}/"))
        journey.axe(page, "séance (organisatrice)")
        starts = field(page, "Début").input_value()
        ends = field(page, "Fin").input_value()
        day = timezone.datetime.fromisoformat(starts) + timedelta(days=7)
        field(page, "Début").fill(day.strftime("%Y-%m-%dT%H:%M"))
        later = timezone.datetime.fromisoformat(ends) + timedelta(days=7)
        field(page, "Fin").fill(later.strftime("%Y-%m-%dT%H:%M"))
        page.locator("main").get_by_role("button", name="Enregistrer", exact=True).click()
        expect(page).to_have_url(journey.url(base))
        message(
            page,
            "La séance « Séance du journal » a été enregistrée. Auditions déplacées avec elle : "
            "1 ; invitations mises à jour envoyées : 1 aux candidats, 0 aux jurés.",
        )
        journey.axe(page, "séances après déplacement")
    finally:
        context.close()
    journey.step("organiser moves the session")
    return day.strftime("%d/%m/%Y")


def applicant_sees_the_new_date(browser, journey: Journey, facts: dict[str, str], new_day: str):
    context = signed_in(browser, journey.site, facts["agent_session"])
    page = context.new_page()
    try:
        page.goto(journey.url(f"/candidatures/{facts['reference']}/auditions/"))
        expect(page.locator("h1")).to_have_text(f"Audition du dossier {facts['reference']}")
        slot = page.locator("dl.facts").first
        day, _month, year = new_day.split("/")
        expect(slot.locator("dt:text-is('Date') + dd")).to_contain_text(f"{int(day)} ")
        expect(slot.locator("dt:text-is('Date') + dd")).to_contain_text(year)
        expect(slot.locator("dt:text-is('Horaire') + dd")).to_have_text(re.compile(r"^14:00 – "))
        journey.axe(page, "auditions du dossier (candidat)")
    finally:
        context.close()
    journey.step("applicant sees the new date")


def juror_signs_in_and_sends(browser, journey: Journey, facts: dict[str, str]) -> None:
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    try:
        page.goto(journey.url("/compte/connexion/"))
        field(page, "Adresse électronique").fill(facts["juror"])
        field(page, "Mot de passe").fill(JUROR_PASSWORD)
        page.locator("main").get_by_role("button", name="Se connecter").click()
        journey.axe(page, "code de vérification (juré)")
        field(page, "Code à 6 chiffres").fill(totp_code(facts["secret"]))
        page.locator("main").get_by_role("button", name="Valider").click()
        # No `next`: the juror lands on their jury space, and the header leads back to it.
        expect(page).to_have_url(journey.url("/jury/"))
        expect(page.locator("h1")).to_have_text("Espace jury")
        header_link = page.locator("header").get_by_role("link", name="Espace jury")
        expect(header_link).to_have_attribute("aria-current", "page")
        journey.axe(page, "espace jury")
        journey.step("juror signs in and lands on the jury space")

        url = f"/jury/{facts['contest']}/2028/{facts['round']}/{facts['dossier']}/"
        page.goto(journey.url(url))
        expect(page.locator("main")).to_contain_text("Règle de l'édition")
        for group in page.locator("main fieldset").filter(has=page.get_by_role("radio")).all():
            group.get_by_role("radio", name="4", exact=True).check()
        journey.axe(page, "évaluation (juré)")
        send = page.locator("main").get_by_role("button", name="Envoyer l'évaluation")
        send.click()
        # Without the confirmation box nothing is sent, and what was typed stays.
        expect(page.locator("#id_confirm_error")).to_contain_text(
            "Cochez « Je confirme l'envoi » pour envoyer l'évaluation"
        )
        journey.axe(page, "évaluation, confirmation demandée")
        page.get_by_label(re.compile("^Je confirme l'envoi")).check()
        page.locator("main").get_by_role("button", name="Envoyer l'évaluation").click()
        message(page, "Votre évaluation est envoyée. Merci !")
        expect(page.locator("main")).to_contain_text("Évaluation envoyée")
        journey.axe(page, "évaluation envoyée")
    finally:
        context.close()
    journey.step("juror sends an evaluation through the confirmation")


def test_a_moved_session_reaches_the_applicant_and_a_juror_sends_with_confirmation(
    site: Site, browser, mailbox: Mailbox
):
    journey = Journey(site)
    facts = arrange(site)
    site.manage("db_worker", "--batch", "-v0")  # the first invitations
    first = f"Votre audition pour le dossier {facts['reference']}"
    mailbox.to(facts["agent"], first)
    journey.step("arrange, first invitations")

    new_day = move_the_session(browser, journey, facts)
    applicant_sees_the_new_date(browser, journey, facts, new_day)
    site.manage("db_worker", "--batch", "-v0")
    update = mailbox.to(facts["agent"], f"Audition déplacée pour le dossier {facts['reference']}")
    body = update.get_body(preferencelist=("plain",)).get_content()
    assert f"le {new_day} à 14:00" in body
    [ics] = [
        part for part in update.iter_attachments() if part.get_content_type() == "text/calendar"
    ]
    calendar = ics.get_content()
    calendar = calendar if isinstance(calendar, str) else calendar.decode()
    assert "SEQUENCE:1\r\n" in calendar
    original = mailbox.to(facts["agent"], first)
    [first_ics] = [
        p for p in original.iter_attachments() if p.get_content_type() == "text/calendar"
    ]
    first_calendar = first_ics.get_content()
    first_calendar = first_calendar if isinstance(first_calendar, str) else first_calendar.decode()
    uid = re.search(r"\r\nUID:(\S+)\r\n", first_calendar).group(1)
    assert f"\r\nUID:{uid}\r\n" in calendar
    assert "SEQUENCE:0\r\n" in first_calendar
    journey.step("updated invitation checked")

    juror_signs_in_and_sends(browser, journey, facts)
    print(journey.report())

    assert journey.findings == {}
