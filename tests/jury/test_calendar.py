"""The .ics invitations: RFC 5545 shape (CRLF, 75-octet folding, escaping), exact values, and
what each recipient gets (a juror in conflict never sees that dossier, nor a gap where it was)."""

import base64
import re
from datetime import UTC, datetime

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import translation

from contests.models import ActivityEntry
from jury.calendar import CalendarEvent, build_calendar, escape_text, fold, opaque_uid
from jury.domain import audition_invitations as invitations
from jury.domain import auditions as domain
from jury.enums import ConflictStatus
from jury.models import Audition
from tests.factories import MembershipFactory
from tests.jury.auditions_setup import at, audition_setup
from tests.jury.factories import ConflictFactory, JurorFactory, RoundFactory

STAMP = datetime(2028, 11, 1, 8, 30, tzinfo=UTC)
ORGANIZER = "Palmarès <ne-pas-repondre@palmares.localhost>"


def parse(ics: str) -> list[tuple[str, dict[str, str], str]]:
    """A small iCalendar reader: unfold (CRLF + space), then NAME;PARAM=V:VALUE per line."""
    assert ics.endswith("\r\n")
    unfolded = ics.replace("\r\n ", "").replace("\r\n\t", "")
    properties = []
    for line in unfolded.split("\r\n")[:-1]:
        head, quoted, cut = "", False, None
        for i, char in enumerate(line):
            if char == '"':
                quoted = not quoted
            elif char == ":" and not quoted:
                cut = i
                break
        head, value = line[:cut], line[cut + 1 :]
        name, *params = head.split(";")
        properties.append(
            (name, dict(param.split("=", 1) for param in params), value),
        )
    return properties


def unescape(value: str) -> str:
    out, chars = [], iter(value)
    for char in chars:
        if char == "\\":
            following = next(chars)
            out.append("\n" if following in "nN" else following)
        else:
            out.append(char)
    return "".join(out)


def check_lines(ics: str) -> None:
    """CRLF only, every physical line at most 75 octets."""
    assert "\n" not in ics.replace("\r\n", "")
    for line in ics.split("\r\n"):
        assert len(line.encode()) <= 75, line


def events(ics: str) -> list[dict[str, str]]:
    found, current = [], None
    for name, params, value in parse(ics):
        if (name, value) == ("BEGIN", "VEVENT"):
            current = {}
        elif (name, value) == ("END", "VEVENT"):
            found.append(current)
            current = None
        elif current is not None:
            current[name] = value
            current.update({f"{name};{key}": v for key, v in params.items()})
    return found


# ---------------------------------------------------------------------------- the writer


def test_escape_text_escapes_specials_and_newlines():
    assert escape_text('a\\b;c,d\ne\r\nf "g"') == 'a\\\\b\\;c\\,d\\ne\\nf "g"'


def test_fold_keeps_75_octets_and_never_cuts_a_character():
    line = "DESCRIPTION:" + "é" * 80

    folded = fold(line)

    parts = folded.split("\r\n")
    assert [len(part.encode()) for part in parts] == [74, 75, 25]
    assert all(part.startswith(" ") for part in parts[1:])
    assert "".join(part[1:] if i else part for i, part in enumerate(parts)) == line


def test_build_calendar_exact_values():
    event = CalendarEvent(
        uid="audition-7@palmares.example",
        starts_at=datetime(2028, 11, 14, 9, 25, tzinfo=UTC),
        ends_at=datetime(2028, 11, 14, 9, 45, tzinfo=UTC),
        summary="Audition LTI-2028-0012 : Mobilité, données; et \\ services",
        description="Séance : Séance 1\nVisioconférence : https://visio.example/s1?a=1,2",
        location="https://visio.example/s1?a=1,2",
        sequence=2,
    )

    ics = build_calendar(
        [event], organizer=ORGANIZER, stamp=STAMP, attendee="agent@rennes.fr", name="Tour; 1"
    )

    check_lines(ics)
    properties = parse(ics)
    assert [p[0] for p in properties[:6]] == [
        "BEGIN",
        "PRODID",
        "VERSION",
        "CALSCALE",
        "METHOD",
        "X-WR-CALNAME",
    ]
    assert properties[1][2] == "-//Palmarès//Auditions//FR"
    assert (properties[2][2], properties[4][2]) == ("2.0", "REQUEST")
    assert properties[5][2] == "Tour\\; 1"
    assert properties[-1] == ("END", {}, "VCALENDAR")
    [vevent] = events(ics)
    assert vevent == {
        "UID": opaque_uid("audition-7@palmares.example"),
        "DTSTAMP": "20281101T083000Z",
        "DTSTART": "20281114T092500Z",
        "DTEND": "20281114T094500Z",
        "SEQUENCE": "2",
        "SUMMARY": "Audition LTI-2028-0012 : Mobilité\\, données\\; et \\\\ services",
        "DESCRIPTION": "Séance : Séance 1\\nVisioconférence : https://visio.example/s1?a=1\\,2",
        "LOCATION": "https://visio.example/s1?a=1\\,2",
        "ORGANIZER": "mailto:ne-pas-repondre@palmares.localhost",
        "ORGANIZER;CN": "Palmarès",
        "ATTENDEE": "mailto:agent@rennes.fr",
        "ATTENDEE;ROLE": "REQ-PARTICIPANT",
        "ATTENDEE;RSVP": "FALSE",
        "STATUS": "CONFIRMED",
    }
    assert unescape(vevent["SUMMARY"]) == event.summary
    assert unescape(vevent["DESCRIPTION"]) == event.description


def test_opaque_uid_is_a_stable_digest_that_shows_no_id(settings):
    uid = opaque_uid("audition-7@palmares.example")

    assert re.fullmatch(r"[0-9a-f]{32}@palmares\.example", uid)
    assert opaque_uid("audition-7@palmares.example") == uid
    assert opaque_uid("audition-8@palmares.example") != uid
    settings.SECRET_KEY = "une-autre-cle-secrete-pour-ce-test-seulement-0123456789"
    assert opaque_uid("audition-7@palmares.example") != uid


def test_organizer_name_with_a_colon_is_quoted():
    event = CalendarEvent("u@x", STAMP, STAMP, "s")

    ics = build_calendar([event], organizer='"Jury : LTI" <jury@example.org>', stamp=STAMP)

    assert 'ORGANIZER;CN="Jury : LTI":mailto:jury@example.org\r\n' in ics
    assert events(ics)[0]["ORGANIZER;CN"] == '"Jury : LTI"'


# ------------------------------------------------------------- who gets which invitation


@pytest.fixture
def scheduled(db, applicant, organiser):
    """Two dossiers in « Séance 1 » (Anne, Bruno, Chloé present); Anne in conflict with 0002."""
    setup = audition_setup()
    jury = [setup.juror(name) for name in ("Anne Durand", "Bruno Petit", "Chloé Martin")]
    setup.round.quorum = 2
    setup.round.save()
    session = setup.session(
        "Séance 1", at(14, 9), at(14, 10), jurors=jury, link="https://visio.example/s1"
    )
    first = setup.dossier(1, title="Tiers-lieu numérique")
    second = setup.dossier(2, title="Données ouvertes")
    setup.available(first, session)
    setup.available(second, session)
    ConflictFactory(juror=jury[0], application=second, status=ConflictStatus.IN_FORCE)
    domain.schedule_auditions(setup.round, by=organiser)
    return setup, jury, first, second


@override_settings(SITE_URL="https://palmares.example")
def test_applicant_calendar_exact(scheduled):
    _setup, _jury, first, _second = scheduled
    audition = invitations.auditions().get(application=first)

    with translation.override("fr"):
        ics = invitations.applicant_calendar(audition, attendee="agent@rennes.fr", stamp=STAMP)

    check_lines(ics)
    [vevent] = events(ics)
    assert vevent["UID"] == opaque_uid(f"audition-{audition.pk}@palmares.example")
    assert (vevent["DTSTART"], vevent["DTEND"]) == ("20281114T080000Z", "20281114T082000Z")
    assert vevent["SUMMARY"] == (
        "Audition du dossier LTI-2028-0001 – Label Territoire Innovant 2028"
    )
    assert unescape(vevent["DESCRIPTION"]) == (
        "Séance : Séance 1\nPitch : 10 minutes, puis questions du jury : 10 minutes.\n"
        "Visioconférence : https://visio.example/s1"
    )
    assert vevent["LOCATION"] == "https://visio.example/s1"
    assert vevent["SEQUENCE"] == "0"


def test_juror_calendar_leaves_out_the_dossier_in_conflict(scheduled):
    _setup, jury, _first, _second = scheduled

    with translation.override("fr"):
        anne = invitations.juror_calendar(jury[0], stamp=STAMP)
        bruno = invitations.juror_calendar(jury[1], stamp=STAMP)

    check_lines(anne)
    assert [e["SUMMARY"] for e in events(anne)] == ["Audition LTI-2028-0001 : Tiers-lieu numérique"]
    assert "LTI-2028-0002" not in anne and "Données ouvertes" not in anne
    assert [e["SUMMARY"] for e in events(bruno)] == [
        "Audition LTI-2028-0001 : Tiers-lieu numérique",
        "Audition LTI-2028-0002 : Données ouvertes",
    ]


@override_settings(SITE_URL="https://palmares.example")
def test_a_juror_in_conflict_cannot_find_the_hidden_audition_from_the_uids(db, organiser):
    """Three dossiers heard one after the other; Anne is in conflict with the middle one. With
    UIDs made of database ids her calendar would read « audition-1, audition-3 »: one was heard
    in between. Her UIDs give no order, and the gap in time is the buffer's."""
    setup = audition_setup()
    jury = [setup.juror(name) for name in ("Anne Durand", "Bruno Petit", "Chloé Martin")]
    setup.round.quorum = 2
    setup.round.save()
    session = setup.session("Séance 1", at(14, 9), at(14, 11), jurors=jury)
    dossiers = [setup.dossier(number) for number in (1, 2, 3)]
    for application in dossiers:
        setup.available(application, session)
    ConflictFactory(juror=jury[0], application=dossiers[1], status=ConflictStatus.IN_FORCE)
    domain.schedule_auditions(setup.round, by=organiser)
    ids = [Audition.objects.get(application=a).pk for a in dossiers]

    with translation.override("fr"):
        anne = events(invitations.juror_calendar(jury[0], stamp=STAMP))

    assert [event["SUMMARY"] for event in anne] == [
        "Audition LTI-2028-0001 : Projet 1",
        "Audition LTI-2028-0003 : Projet 3",
    ]
    assert [event["UID"] for event in anne] == [
        opaque_uid(f"audition-{ids[0]}@palmares.example"),
        opaque_uid(f"audition-{ids[2]}@palmares.example"),
    ]
    for event in anne:
        assert re.fullmatch(r"[0-9a-f]{32}@palmares\.example", event["UID"])
        assert "audition-" not in event["UID"]


def test_juror_calendar_leaves_out_a_conflict_declared_in_another_round(scheduled):
    """The calendar follows the pages' rule (jury.rules): a conflict the same person declared as
    a juror of an earlier round of the edition keeps the dossier out of this round's calendar."""
    setup, jury, _first, second = scheduled
    regional = RoundFactory(edition=setup.edition, slug="regional", name="Régional")
    earlier = JurorFactory(round=regional, user=jury[1].user, full_name=jury[1].full_name)
    ConflictFactory(juror=earlier, application=second, status=ConflictStatus.IN_FORCE)

    with translation.override("fr"):
        bruno = invitations.juror_calendar(jury[1], stamp=STAMP)

    assert [e["SUMMARY"] for e in events(bruno)] == [
        "Audition LTI-2028-0001 : Tiers-lieu numérique"
    ]
    assert "LTI-2028-0002" not in bruno


def test_moved_audition_keeps_its_uid_with_a_new_sequence(scheduled):
    _setup, _jury, first, _second = scheduled
    audition = Audition.objects.get(application=first)
    before = events(invitations.applicant_calendar(invitations.auditions().get(pk=audition.pk)))
    audition.sequence += 1
    audition.save()

    after = events(invitations.applicant_calendar(invitations.auditions().get(pk=audition.pk)))

    assert after[0]["UID"] == before[0]["UID"]
    assert (before[0]["SEQUENCE"], after[0]["SEQUENCE"]) == ("0", "1")


def test_send_invitations_one_message_per_recipient(
    scheduled, applicant, organiser, django_capture_on_commit_callbacks, rennes
):
    setup, _jury, _first, _second = scheduled
    MembershipFactory(user__email="collegue@rennes.fr", organisation=rennes)

    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
        counts = invitations.send_invitations(setup.round, by=organiser, stamp=STAMP)

    assert counts == (4, 3)  # 2 dossiers × 2 agents of Rennes; 3 jurors
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("agent@rennes.fr", "Votre audition pour le dossier LTI-2028-0001"),
        ("agent@rennes.fr", "Votre audition pour le dossier LTI-2028-0002"),
        ("anne.durand@jury.example.org", "Vos auditions – Auditions"),
        ("bruno.petit@jury.example.org", "Vos auditions – Auditions"),
        ("chloé.martin@jury.example.org", "Vos auditions – Auditions"),
        ("collegue@rennes.fr", "Votre audition pour le dossier LTI-2028-0001"),
        ("collegue@rennes.fr", "Votre audition pour le dossier LTI-2028-0002"),
    ]
    anne = next(m for m in mail.outbox if m.to == ["anne.durand@jury.example.org"])
    [part] = anne.attachments
    assert part.get_content_type() == "text/calendar"
    assert part.get_param("method") == "REQUEST"
    assert part.get_filename() == "audition.ics"
    ics = part.get_payload(decode=True).decode()
    check_lines(ics)
    assert [e["SUMMARY"] for e in events(ics)] == ["Audition LTI-2028-0001 : Tiers-lieu numérique"]
    assert events(ics)[0]["ATTENDEE"] == "mailto:anne.durand@jury.example.org"
    # On the wire: the parameter in the header, the calendar in base64 (its CRLF kept intact).
    raw = anne.message().as_bytes()
    assert b'Content-Type: text/calendar; method="REQUEST"; charset="utf-8"' in raw
    assert base64.b64encode(ics.encode())[:60] in raw
    entry = ActivityEntry.objects.filter(action="jury.audition_invitations_sent").get()
    assert entry.details == {"auditions": 2, "applicant_messages": 4, "juror_messages": 3}
