"""A third contest of another shape on the same engine, from its creation to its public pages.

An organiser creates « Trophées Numérique Responsable » on the organisers' pages (five numbered
levels, no themes, no auditions, a « mention Numérique responsable », awarded by an organisation
of its own), imports its past palmarès from a CSV on the import page, creates an edition, writes
its rules and opens its call; a commune's agent creates and submits a dossier; the organiser
declares it eligible, creates the round, invites three jurors who accept, runs the assignment;
each juror scores on the evaluation page; the organiser opens the deliberation and decides a level
and the mention, the president validates, the organiser publishes. Then every public surface,
document, file and email of that contest names the contest, its awarder, its level and its
mention, and none names another contest's words.

Every step is a POST on the page a person uses, except: the jurors sign in with force_login
after accepting (as every test does: no second factor to enrol). Moving the calendar on is done
on the phases' page with dates in the past, as no test can wait for them.
"""

import csv
import io
import json

import pytest
from django.core.cache import cache
from pypdf import PdfReader

from awards.models import Award

from .third_contest import (
    AWARDER,
    FOREIGN,
    LEVELS,
    MENTION,
    NAME,
    SLUG,
    WEBSITE,
    WINNER,
    YEAR,
    _create_contest,
    _import_past,
    _open_edition,
    _run_edition,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh(settings, tmp_path):
    cache.clear()
    settings.OPEN_DATA_ROOT = str(tmp_path / "opendata")
    yield
    cache.clear()


def _text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode().replace("&#x27;", "'").replace("&amp;", "&")


def _pdf_text(pdf: bytes) -> str:
    return " ".join(
        " ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )


def test_a_third_contest_from_its_creation_to_its_public_pages(
    organiser, organiser_client, visitor, mailoutbox, django_capture_on_commit_callbacks
):
    contest = _create_contest(organiser_client)
    _import_past(organiser_client)
    edition = _open_edition(organiser_client)
    award = _run_edition(edition, organiser, organiser_client, django_capture_on_commit_callbacks)

    # The contest as configured on the pages.
    assert (contest.uses_themes, contest.uses_auditions, contest.awarder_name) == (
        False,
        False,
        AWARDER,
    )
    assert list(edition.levels.values_list("code", flat=True)) == [c for c, *_ in LEVELS]
    # Its calendar has neither auditions nor regional selection: the contest has none.
    kinds = list(edition.phases.values_list("kind", flat=True))
    assert contest.uses_regional_rounds is False
    assert (len(kinds), "auditions" in kinds, "regional_selection" in kinds) == (8, False, False)
    past = Award.objects.filter(edition__contest=contest, edition__is_historical=True)
    assert sorted(past.values_list("edition__year", "level__name", "organisations__name")) == [
        (2024, "Niveau 3", "Brest"),
        (2025, "Niveau 2", "Rennes"),
    ]
    assert (award.title, award.level.name, [d.name for d in award.distinctions.all()]) == (
        WINNER,
        "Niveau 5",
        [MENTION],
    )

    query = {"concours": SLUG}
    pages = {
        "year": visitor.get(f"/palmares/{YEAR}/", query),
        "palmares": visitor.get("/palmares/", query),
        "map": visitor.get("/carte/", query),
        "statistics": visitor.get("/statistiques/", query),
        "press release": visitor.get(f"/palmares/{YEAR}/communique/", query),
        "press release text": visitor.get(f"/palmares/{YEAR}/communique.md", query),
        "transparency": visitor.get(f"/palmares/{YEAR}/transparence/", query),
        "project": visitor.get(f"/projets/{award.slug}/"),
        "badge": visitor.get(f"/projets/{award.slug}/badge.svg"),
        "verification": visitor.get(f"/projets/{award.slug}/verification/"),
    }
    assert {name: page.status_code for name, page in pages.items()} == dict.fromkeys(pages, 200)
    texts = {name: _text(page) for name, page in pages.items()}
    certificate = visitor.get(f"/projets/{award.slug}/certificat.pdf")
    assert certificate.status_code == 200
    texts["certificate"] = _pdf_text(certificate.content)

    # Each names the contest (or its short name), the level and the mention; none the Label.
    for name, text in texts.items():
        assert NAME in text or "Numérique Responsable" in text, name
        for word in FOREIGN:
            assert word not in text, (name, word)
    leveled = ("year", "palmares", "press release", "press release text", "project", "badge")
    for name in (*leveled, "verification", "certificate"):
        assert "Niveau 5" in texts[name], name
        assert MENTION in texts[name] or "Numérique responsable" in texts[name], name
    awarder = ("year", "map", "statistics", "press release", "project", "verification", "badge")
    for name in (*awarder, "certificate"):
        assert AWARDER in texts[name], name
    assert f'<a href="{WEBSITE}">{AWARDER}</a>' in texts["project"]
    assert f"Cette récompense a été décernée par {AWARDER}, dans le cadre" in texts["verification"]
    # A contest without themes: its laureate's page has no « Thème : non publié ».
    assert "Thème" not in texts["project"]
    assert WINNER in texts["year"] and WINNER in texts["palmares"]
    # Map and statistics count by the contest's own levels (past palmarès included).
    for name in ("map", "statistics"):
        assert "Niveau 5" in texts[name] and "Niveau 3" in texts[name], name
    # The past palmarès is on the contest's search page too.
    assert "Ateliers de réparation numérique" in texts["palmares"]

    # The public list of contests shows every contest, this one with who awards it.
    listing = _text(visitor.get("/concours/"))
    assert NAME in listing and f"Décerné par {AWARDER}." in listing

    api = json.loads(visitor.get("/api/v1/laureates", {"contest": SLUG}).content)
    assert sorted((r["title"], r["level"]) for r in api["results"]) == [
        ("Ateliers de réparation numérique", "niveau-3"),
        (WINNER, "niveau-5"),
        ("Parc informatique reconditionné", "niveau-2"),
    ]
    contests = json.loads(visitor.get("/api/v1/contests").content)
    listed = next(c for c in contests["results"] if c["id"] == SLUG)
    assert (listed["name"], listed["awarded_by"], listed["years"], listed["awards_recorded"]) == (
        NAME,
        AWARDER,
        [2024, 2025, YEAR],
        3,
    )
    assert listed["url"].endswith(f"/palmares/?concours={SLUG}")
    assert listed["awarder_website"] == WEBSITE

    rows = list(csv.DictReader(io.StringIO(_text(visitor.get("/donnees/palmares.csv")))))
    ours = sorted(
        (row["year"], row["title"], row["level"], row["organisation_name"], row["distinctions"])
        for row in rows
        if row["contest"] == SLUG
    )
    assert ours == [
        ("2024", "Ateliers de réparation numérique", "niveau-3", "Brest", ""),
        ("2025", "Parc informatique reconditionné", "niveau-2", "Rennes", ""),
        (str(YEAR), WINNER, "niveau-5", "Brest", "numerique-responsable"),
    ]
    catalogue = _text(visitor.get("/donnees/catalogue.jsonld"))
    assert NAME in catalogue and AWARDER in catalogue

    # The emails as they were delivered (the outbox keeps no body once sent).
    emails = [message for message in mailoutbox if "agente@brest.example" in message.to]
    for email in mailoutbox:
        text = f"{email.subject}\n{email.body}"
        assert NAME in text, email.subject
        for word in FOREIGN:
            assert word not in text, (email.subject, word)
        assert "du Trophées" not in text and "au Trophées" not in text, email.subject
    assert [email.subject for email in emails] == [
        f"Dossier TNR-{YEAR}-0001 déposé – {NAME} {YEAR}",
        f"{NAME} {YEAR} : votre dossier TNR-{YEAR}-0001 est recevable",
        f"{NAME} {YEAR} : le projet « {WINNER} » est lauréat",
    ]
    # The receipt promises no audition to a contest that has none; its PDF names the contest.
    receipt = emails[0]
    assert "audition" not in receipt.body.lower()
    ((name, pdf, _type),) = receipt.attachments
    receipt_pdf = _pdf_text(pdf)
    assert name == f"recepisse-TNR-{YEAR}-0001.pdf"
    assert NAME in receipt_pdf and WINNER in receipt_pdf
    for word in FOREIGN:
        assert word not in receipt_pdf, word
    assert emails[-1].body.startswith(
        f"Bonjour,\n\nLe jury des {NAME} {YEAR} a distingué le projet « {WINNER} » "
        f"(dossier TNR-{YEAR}-0001) : Niveau 5. Il lui a aussi décerné : "
        "Mention Numérique responsable."
    )
    assert emails[-1].body.endswith(f"L'équipe des {NAME}\n{AWARDER}")
