"""One edition from submitted dossiers to its palmarès, across two rounds (issue 15's check).

Arranged with the domain: an edition of the label with four submitted dossiers, in its selection
phase, and the accounts of three jurors and of a technical administrator who is also an
organiser. Then only pages, in Chromium:

1. the organiser decides eligibility (one ineligible, the rest in one action) while the SMTP
   server is stopped: the pages answer normally, the task worker's attempts fail and the
   organisers' « Courriels non remis » page shows them; the server back, « Tout renvoyer » and
   the worker deliver each email once;
2. round 1: created, filled, three jurors invited who accept from their email; one declares a
   conflict with a dossier; the optimal assignment keeps them off it; the jurors score;
3. round 2: created, made round 1's next round, the promotions applied, the jury taken from
   round 1 in one action; the assignment keeps the conflicted juror off the dossier again, and
   the juror finds nothing of it (404) on their pages; the jurors score;
4. the deliberation is opened; an organiser who is a Django superuser is refused validation;
   the jury president validates; the organiser publishes; the palmarès is public.

Every page seen passes axe-core (Journey.axe); screenshots go to /tmp/journey-jury/. The
session moved after its invitations is played by test_journey_jury.py on the same site.
"""

import json
import re
import unicodedata
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .mailbox import Mailbox
from .server import Site
from .test_journey_application import Journey, field, message

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

YEAR = 2031
SHOTS = Path("/tmp/journey-jury")  # noqa: S108 - screenshots for a person to look at
ROUND_1, ROUND_2 = "preselection", "jury-final"
INELIGIBLE_REASON = "Le projet n'est pas encore mis en œuvre sur le territoire."

# The edition and the people, with the domain on the site's database (python manage.py shell).
ARRANGE = """
import itertools, json, random
from django.utils import timezone
from accounts import totp
from accounts.models import TotpDevice, User
from applications import domain
from contests.models import Contest
from contests import defaults
from demo import collectivites
from demo.jury import redate_phases
from demo.management.commands.seed_demo import Command
from tests.browser.personas import session_key_for

YEAR = %(year)d
command = Command()
command.demo = collectivites
contest = Contest.objects.get(slug=defaults.LABEL_TERRITOIRE_INNOVANT)
edition = command.build_edition(contest, YEAR)
rng = random.Random(YEAR)
dossiers = []
# Leads far down the demo's list: the browser personas' structures lead none of these.
for index, (organisation, agent) in enumerate(itertools.islice(collectivites.leads(), 20, 24)):
    application = domain.create_application(edition, organisation, by=agent)
    changes = collectivites.content(index, organisation, edition, rng)
    application = domain.save_draft(
        application, changes, expected_version=application.version, by=agent
    )
    domain.submit_application(application, by=agent)
    dossiers.append(
        {"reference": application.reference, "agent": agent.email, "title": application.title}
    )
redate_phases(edition)  # applications closed, the selection under way

now = timezone.now()
def person(email, full_name, **fields):
    user = User.objects.create_user(
        email, None, full_name=full_name, email_confirmed_at=now, **fields
    )
    TotpDevice.objects.create(user=user, secret=totp.generate_secret(), confirmed_at=now)
    return {"email": email, "name": full_name, "session": session_key_for(user)}

print(json.dumps({
    "contest": contest.slug,
    "edition": f"{contest.name} {YEAR}",
    "dossiers": dossiers,
    "president": person("presidente@jury-2031.palmares.localhost", "Hélène Presidente"),
    "conflicted": person("jure.lie@jury-2031.palmares.localhost", "Karim Lié"),
    "juror": person("jure@jury-2031.palmares.localhost", "Sophie Jurée"),
    "superuser": person(
        "admin-technique@palmares.localhost", "Administration technique",
        is_organiser=True, is_superuser=True, is_staff=True,
    ),
}))
"""


def arrange(site: Site) -> dict:
    output = site.manage("shell", "-c", ARRANGE % {"year": YEAR})
    return json.loads(output.strip().splitlines()[-1])


class Play:
    """The journey's browser: one context per person, screenshots and axe on every page."""

    def __init__(self, browser, journey: Journey) -> None:
        self.browser = browser
        self.journey = journey
        self.contexts: dict[str, object] = {}
        self.shots = 0
        SHOTS.mkdir(parents=True, exist_ok=True)

    def page(self, session: str) -> Page:
        """A page signed in with `session` (one browser context per person, kept)."""
        if session not in self.contexts:
            context = self.browser.new_context(locale="fr-FR")
            context.add_cookies(
                [{"name": "sessionid", "value": session, "url": self.journey.site.base_url + "/"}]
            )
            self.contexts[session] = context.new_page()
        return self.contexts[session]

    def seen(self, page: Page, label: str) -> None:
        """axe-core on the page as it is, and a screenshot to look at."""
        self.journey.axe(page, label)
        self.shots += 1
        plain = unicodedata.normalize("NFKD", label.lower()).encode("ascii", "ignore").decode()
        name = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")
        page.screenshot(path=SHOTS / f"{self.shots:02d}-{name}.png", full_page=True)

    def close(self) -> None:
        for page in self.contexts.values():
            page.context.close()


def click(page: Page, name: str) -> None:
    page.locator("main").get_by_role("button", name=name, exact=True).click()


def edition_url(facts: dict, path: str = "") -> str:
    return f"/organisation/concours/{facts['contest']}/{YEAR}/{path}"


def eligibility_during_an_outage(play: Play, facts: dict, mailbox: Mailbox) -> None:
    """Decisions taken while the mail server is down: nothing breaks, nothing is lost."""
    journey, site = play.journey, play.journey.site
    organiser = play.page(site.sessions["organiser"])
    dossiers = facts["dossiers"]
    ineligible = dossiers[-1]["reference"]
    with mailbox.outage():
        organiser.goto(journey.url(edition_url(facts, "recevabilite/")))
        play.seen(organiser, "recevabilité")
        row = organiser.locator("tr").filter(has=organiser.get_by_role("link", name=ineligible))
        row.get_by_role("radio", name="Irrecevable").check()
        field(row, "Motif (obligatoire si irrecevable)").fill(INELIGIBLE_REASON)
        row.get_by_role("button", name="Enregistrer").click()
        message(organiser, f"Décision enregistrée pour le dossier {ineligible}.")
        click(
            organiser, f"Déclarer recevables les {len(dossiers) - 1} dossiers déposés sans décision"
        )
        message(organiser, f"{len(dossiers) - 1} dossier(s) déclaré(s) recevable(s).")
        play.seen(organiser, "recevabilité décidée")
        # The worker tries each email once and records why it failed.
        site.manage("db_worker", "--batch", "-v0")
        organiser.goto(journey.url("/organisation/courriels-non-remis/"))
        for dossier in dossiers:
            expect(organiser.locator("main")).to_contain_text(dossier["agent"])
        expect(organiser.locator("main")).to_contain_text("Connection refused")
        # Every agent of each dossier (the lead's and the partners') is told: one row each.
        undelivered = organiser.locator("main table tbody tr").count()
        assert undelivered >= len(dossiers)
        play.seen(organiser, "courriels non remis pendant la panne")
    journey.step("eligibility decided with the SMTP server stopped")

    # The server is back: one action queues them all again, the worker delivers each once.
    click(organiser, "Tout renvoyer")
    message(organiser, f"{undelivered} courriels sont renvoyés.")
    site.manage("db_worker", "--batch", "-v0")
    for dossier in dossiers[:-1]:
        subject = f"{facts['edition']} : votre dossier {dossier['reference']} est recevable"
        mailbox.to(dossier["agent"], subject)
    subject = f"{facts['edition']} : votre dossier {ineligible} n'est pas recevable"
    assert INELIGIBLE_REASON in mailbox.to(dossiers[-1]["agent"], subject).get_content()
    organiser.reload()
    expect(organiser.locator("main")).not_to_contain_text("Connection refused")
    play.seen(organiser, "courriels remis")
    journey.step("the emails delivered once the SMTP server is back")


def create_round(play: Play, facts: dict, name: str, slug: str, **rule) -> Page:
    """The organiser creates a national round of the edition (`rule`: threshold)."""
    organiser = play.page(play.journey.site.sessions["organiser"])
    organiser.goto(play.journey.url(edition_url(facts, "tours/")))
    organiser.locator("main").get_by_role("link", name="Nouveau tour").click()
    field(organiser, "Nom").fill(name)
    field(organiser, "Identifiant d'adresse").fill(slug)
    organiser.get_by_role("radio", name="Jury national").check()
    if "threshold" in rule:
        organiser.get_by_role("radio", name="Les dossiers dont la note atteint un seuil").check()
        field(organiser, "Note minimale (sur 5)").fill(rule["threshold"])
    else:
        organiser.get_by_role("radio", name="Au choix des organisateurs").check()
    play.seen(organiser, f"nouveau tour {slug}")
    click(organiser, "Créer le tour")
    expect(organiser.locator("h1")).to_contain_text(name)
    return organiser


def invite(play: Play, facts: dict, person: dict, institution: str, *, president=False) -> None:
    organiser = play.page(play.journey.site.sessions["organiser"])
    organiser.goto(play.journey.url(edition_url(facts, f"tours/{ROUND_1}/jures/inviter/")))
    field(organiser, "Adresse électronique").fill(person["email"])
    field(organiser, "Nom complet").fill(person["name"])
    field(organiser, "Institution partenaire").fill(institution)
    if president:
        organiser.get_by_label(re.compile("^Président du jury")).check()
        play.seen(organiser, "inviter un juré")
    click(organiser, "Envoyer l'invitation")
    expect(organiser.locator(".messages")).to_contain_text(person["email"])


def accept(play: Play, facts: dict, person: dict, mailbox: Mailbox) -> Page:
    """The person follows the link of their invitation, signed in, and accepts."""
    email = mailbox.to(person["email"], f"Invitation au jury : {facts['edition']}")
    [link] = re.findall(r"http://\S+/jury/invitation/\S+/", email.get_content())
    page = play.page(person["session"])
    page.goto(link)
    play.seen(page, f"invitation {person['name']}")
    click(page, "J'accepte de faire partie du jury")
    message(page, "Vous faites partie du jury. Merci !")
    return page


def round_one(play: Play, facts: dict, mailbox: Mailbox) -> None:
    journey = play.journey
    organiser = create_round(play, facts, "Présélection nationale", ROUND_1, threshold="3")
    play.seen(organiser, "tour 1 créé")
    click(organiser, "Ajouter les dossiers du tour")
    eligible = [dossier["reference"] for dossier in facts["dossiers"][:-1]]
    message(organiser, f"3 dossier(s) ajouté(s) au tour : {', '.join(eligible)}.")
    journey.step("round 1 created and filled")

    invite(play, facts, facts["president"], "Banque des Territoires", president=True)
    invite(play, facts, facts["conflicted"], "Agence du numérique")
    invite(play, facts, facts["juror"], "Caisse des Dépôts")
    play.seen(organiser, "jurés du tour 1 invités")
    journey.step("jurors invited")
    journey.site.manage("db_worker", "--batch", "-v0")
    for person in ("president", "juror"):
        accept(play, facts, facts[person], mailbox)
    # The conflicted juror lands on their declarations and declares one with the first dossier.
    page = accept(play, facts, facts["conflicted"], mailbox)
    play.seen(page, "déclarations de conflits")
    conflicted = facts["dossiers"][0]["reference"]
    row = page.locator("li").filter(has_text=conflicted)
    row.locator("summary").click()
    field(row, "Raison du conflit d'intérêts").fill("J'ai conseillé cette collectivité en 2030.")
    row.get_by_role("button", name="Je déclare un conflit d'intérêts").click()
    expect(page.locator(".messages")).to_contain_text(conflicted)
    play.seen(page, "conflit déclaré")
    journey.step("jurors accept, one declares a conflict")

    assign(play, facts, ROUND_1)
    score_round(play, facts, ROUND_1, marks={0: "4", 1: "4", 2: "2"})


def assign(play: Play, facts: dict, round_slug: str) -> None:
    organiser = play.page(play.journey.site.sessions["organiser"])
    organiser.goto(play.journey.url(edition_url(facts, f"tours/{round_slug}/affectation/")))
    field(organiser, "Jurés par dossier").fill("2")
    click(organiser, "Calculer l'affectation optimale")
    expect(organiser.locator(".messages")).to_contain_text("Affectation optimale enregistrée")
    play.seen(organiser, f"affectation {round_slug}")
    play.journey.step(f"assignment of {round_slug}")


def score_round(play: Play, facts: dict, round_slug: str, marks: dict[int, str]) -> None:
    """Every juror sends their evaluations from their jury space; the dossier of index i gets
    `marks[i]` on every criterion. The conflicted juror never sees the first dossier."""
    references = {dossier["reference"]: index for index, dossier in enumerate(facts["dossiers"])}
    conflicted = facts["dossiers"][0]["reference"]
    for person in ("president", "conflicted", "juror"):
        page = play.page(facts[person]["session"])
        page.goto(play.journey.url(f"/jury/{facts['contest']}/{YEAR}/{round_slug}/"))
        play.seen(page, f"{round_slug} {person}")
        links = page.locator("main").get_by_role("link", name=re.compile(r"^LTI-"))
        mine = [link.inner_text().strip() for link in links.all()]
        if person == "conflicted":
            assert conflicted not in mine
            # Its address answers as if the dossier did not exist.
            response = page.goto(
                play.journey.url(f"/jury/{facts['contest']}/{YEAR}/{round_slug}/{conflicted}/")
            )
            assert response.status == 404, response.status
            expect(page.locator("main")).not_to_contain_text(conflicted)
            expect(page.locator("main")).not_to_contain_text(facts["dossiers"][0]["title"])
            play.seen(page, f"{round_slug} dossier en conflit (404)")
        for reference in mine:
            page.goto(
                play.journey.url(f"/jury/{facts['contest']}/{YEAR}/{round_slug}/{reference}/")
            )
            value = marks[references[reference]]
            for group in page.locator("main fieldset").filter(has=page.get_by_role("radio")).all():
                group.get_by_role("radio", name=value, exact=True).check()
            page.get_by_label(re.compile("^Je confirme l'envoi")).check()
            click(page, "Envoyer l'évaluation")
            message(page, "Votre évaluation est envoyée. Merci !")
        play.seen(page, f"{round_slug} évaluations envoyées {person}")
    play.journey.step(f"jurors score {round_slug}")


def round_two(play: Play, facts: dict) -> None:
    """Round 2 takes round 1's promoted dossiers and its jury; the conflict holds there too."""
    journey = play.journey
    organiser = create_round(play, facts, "Jury final", ROUND_2)
    # Round 1 leads to it (its « Paramètres »), then its promotions are applied.
    organiser.goto(journey.url(edition_url(facts, f"tours/{ROUND_1}/modifier/")))
    field(organiser, "Tour suivant").select_option(label="Jury final")
    click(organiser, "Enregistrer")
    organiser.goto(journey.url(edition_url(facts, f"tours/{ROUND_1}/promotions/")))
    click(organiser, "Proposer selon la règle du tour")
    play.seen(organiser, "promotions proposées")
    click(organiser, "Appliquer les 2 promotions proposées")
    expect(organiser.locator(".messages")).to_contain_text("Jury final")
    play.seen(organiser, "promotions appliquées")
    journey.step("round 2 created, promotions applied")

    organiser.goto(journey.url(edition_url(facts, f"tours/{ROUND_2}/jures/")))
    field(organiser, "Reprendre le jury du tour").select_option(label="Présélection nationale")
    click(organiser, "Reprendre ce jury")
    expect(organiser.locator(".messages")).to_contain_text("3")
    play.seen(organiser, "jury repris")
    journey.step("round 2 takes round 1's jury")
    assign(play, facts, ROUND_2)
    score_round(play, facts, ROUND_2, marks={0: "5", 1: "4"})


def deliberation(play: Play, facts: dict) -> None:
    journey = play.journey
    organiser = play.page(journey.site.sessions["organiser"])
    organiser.goto(journey.url(edition_url(facts, "deliberation/")))
    play.seen(organiser, "ouvrir la délibération")
    # The page warns that « Or » has no rule: the organiser sets the levels' rules first.
    organiser.locator("main").get_by_role("link", name="Modifier les règles des niveaux").click()
    minimums = organiser.get_by_label(re.compile(r"^Note minimale \(sur 5\)"))
    for row, minimum in enumerate(("4.5", "4", "3")):
        minimums.nth(row).fill(minimum)
    play.seen(organiser, "règles des niveaux")
    click(organiser, "Enregistrer")
    expect(organiser.locator(".messages .message-success")).to_be_visible()
    organiser.goto(journey.url(edition_url(facts, "deliberation/")))
    expect(organiser.locator("main")).not_to_contain_text("n'a ni note minimale")
    field(organiser, "Tour délibéré").select_option(label="Jury final")
    click(organiser, "Ouvrir la délibération")
    expect(organiser.locator("main")).to_contain_text(
        f"La présidence du jury ({facts['president']['name']}) valide le palmarès"
    )
    play.seen(organiser, "tableau de délibération")
    journey.step("deliberation opened")

    # A technical administrator (Django superuser) who is also an organiser does not validate.
    validate = journey.url(edition_url(facts, "deliberation/valider/"))
    superuser = play.page(facts["superuser"]["session"])
    response = superuser.goto(validate)
    assert response.status == 403, response.status
    expect(superuser.locator("main")).to_contain_text(
        "Seule la présidence du jury du tour délibéré valide le palmarès"
    )
    play.seen(superuser, "validation refusée au superutilisateur")

    president = play.page(facts["president"]["session"])
    president.goto(validate)
    play.seen(president, "validation (présidente)")
    click(president, "Valider le palmarès")
    message(president, "Le palmarès est validé : les décisions ne peuvent plus changer.")
    play.seen(president, "palmarès validé")
    journey.step("superuser refused, president validates")


def publication(play: Play, facts: dict, mailbox: Mailbox) -> None:
    journey = play.journey
    organiser = play.page(journey.site.sessions["organiser"])
    organiser.goto(journey.url(edition_url(facts, "publication/")))
    play.seen(organiser, "publication")
    organiser.get_by_label(re.compile("^Je confirme : le palmarès deviendra public")).check()
    click(organiser, "Publier le palmarès")
    message(organiser, "Le palmarès est publié : 2 lauréats.")
    play.seen(organiser, "palmarès publié")
    organiser.goto(journey.url(f"/palmares/{YEAR}/"))
    for dossier in facts["dossiers"][:2]:
        expect(organiser.locator("main")).to_contain_text(dossier["title"])
    expect(organiser.locator("main")).not_to_contain_text(facts["dossiers"][2]["title"])
    play.seen(organiser, "palmarès public")
    journey.step("published")

    # The results by email; and the eligibility emails of the outage still arrived once, now
    # that the retries scheduled during it have come due or been skipped.
    journey.site.manage("db_worker", "--batch", "-v0")
    for dossier in facts["dossiers"][:2]:
        subject = f"{facts['edition']} : le projet « {dossier['title']} » est lauréat"
        mailbox.to(dossier["agent"], subject)
    for dossier in facts["dossiers"][:-1]:
        subject = f"{facts['edition']} : votre dossier {dossier['reference']} est recevable"
        mailbox.to(dossier["agent"], subject)
    journey.step("results mailed")


def test_an_edition_across_two_rounds_to_its_palmares(site: Site, browser, mailbox: Mailbox):
    journey = Journey(site)
    facts = arrange(site)
    journey.step("arrange")
    # The receipts of the submitted dossiers, and what earlier tests left queued.
    site.manage("db_worker", "--batch", "-v0")
    journey.step("the queue emptied before the outage")
    play = Play(browser, journey)
    try:
        eligibility_during_an_outage(play, facts, mailbox)
        round_one(play, facts, mailbox)
        round_two(play, facts)
        deliberation(play, facts)
        publication(play, facts, mailbox)
    finally:
        play.close()
    print(journey.report())
    assert journey.findings == {}
