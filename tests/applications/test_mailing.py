"""Templated emails from the organisers to the applicants of a filtered list of dossiers."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from accounts.enums import MembershipState
from applications.mailing import check_template, render_template, send_mailing
from applications.models import Mailing
from contests.models import Contest
from territories.models import Organisation
from tests.factories import (
    ApplicationFactory,
    ApplicationPartnerFactory,
    EditionFactory,
    MailingFactory,
    MembershipFactory,
    PhaseFactory,
)

PARIS = ZoneInfo("Europe/Paris")
EDITION = {"contest_slug": "label-territoire-innovant", "year": 2026}
URL = reverse("applications:mailing", kwargs=EDITION)
SUBJECT = "Votre dossier {{ reference }}"
BODY = (
    "Bonjour,\n\nLe dossier {{ reference }} « {{ title }} » de {{ organisation }} pour "
    "{{ edition }} : date limite le {{ deadline }}.\n\nL'équipe"
)


# ------------------------------------------------------------------ the template check


def messages_of(error: ValidationError) -> list[str]:
    return [message for message in error.messages]


def test_every_placeholder_is_accepted():
    check_template("{{ reference }} {{title}} {{ organisation }} {{ edition }} {{ deadline }}")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "{% include 'base.html' %}",
            "Les balises comme « {% include 'base.html' %} » ne sont pas permises : seules les "
            "variables entre doubles accolades le sont ({{ reference }}, {{ title }}, "
            "{{ organisation }}, {{ edition }}, {{ deadline }}).",
        ),
        (
            "Bonjour {{ user.password }}",
            "« {{ user.password }} » n'est pas une variable connue. Variables possibles : "
            "{{ reference }}, {{ title }}, {{ organisation }}, {{ edition }}, {{ deadline }}.",
        ),
        (
            "{{ title|upper }}",
            "« {{ title|upper }} » n'est pas une variable connue. Variables possibles : "
            "{{ reference }}, {{ title }}, {{ organisation }}, {{ edition }}, {{ deadline }}.",
        ),
        ("{# note #}Bonjour", "Les commentaires « {# … #} » ne sont pas permis : retirez-les."),
    ],
)
def test_tags_comments_and_unknown_variables_are_refused(text, message):
    with pytest.raises(ValidationError) as refused:
        check_template(text)

    assert messages_of(refused.value) == [message]


def test_each_problem_gets_its_message():
    with pytest.raises(ValidationError) as refused:
        check_template("{{ nom }} {% load static %}")

    assert [error.code for error in refused.value.error_list] == ["unknown_variable", "tag"]


def test_values_are_not_html_escaped_and_the_text_is_not_marked_safe():
    rendered = render_template("{{ title }}", {"title": "Ça & là <b>l'eau</b>"})

    assert (rendered, type(rendered)) == ("Ça & là <b>l'eau</b>", str)


def test_a_block_tag_and_its_end_are_both_reported():
    with pytest.raises(ValidationError) as refused:
        check_template("{% if title %}oui{% endif %}")

    assert [error.params["tag"] for error in refused.value.error_list] == ["if title", "endif"]


# ---------------------------------------------------------------------------- the page


@pytest.fixture
def edition(db):
    edition = EditionFactory(
        contest=Contest.objects.get(slug="label-territoire-innovant"), year=2026
    )
    PhaseFactory(
        edition=edition,
        kind="applications_open",
        starts_at=datetime(2025, 10, 1, 9, tzinfo=PARIS),
        may_apply=True,
    )
    PhaseFactory(
        edition=edition,
        kind="applications_closed",
        starts_at=datetime(2026, 3, 31, 12, tzinfo=PARIS),
    )
    return edition


@pytest.fixture
def dossiers(edition, rennes, brest, applicant, other_applicant, pending_applicant):
    """Rennes (with Brest as partner) and Brest submitted; Épernay, without members, too;
    a draft of Rennes."""
    guichet = ApplicationFactory(
        edition=edition,
        reference="LTI-2026-0001",
        title="Guichet « numérique » & accessible",
        lead_organisation=rennes,
        state="submitted",
    )
    ApplicationPartnerFactory(application=guichet, organisation=brest)
    # A second agent of Brest, and one who left (inactive): only the first is written to.
    MembershipFactory(user__email="dsi@brest.fr", organisation=brest)
    MembershipFactory(user__email="parti@brest.fr", user__is_active=False, organisation=brest)
    MembershipFactory(
        user__email="refuse@brest.fr", organisation=brest, state=MembershipState.REJECTED
    )
    ApplicationFactory(
        edition=edition,
        reference="LTI-2026-0002",
        title="Capteurs",
        lead_organisation=brest,
        state="submitted",
    )
    ApplicationFactory(
        edition=edition,
        reference="LTI-2026-0003",
        title="Cantine",
        lead_organisation=Organisation.objects.get(kind="commune", insee_code="51230"),
        state="submitted",
    )
    ApplicationFactory(
        edition=edition, reference="LTI-2026-0004", lead_organisation=rennes, state="draft"
    )


def preview(client, query: str = "?state=submitted", subject: str = SUBJECT, body: str = BODY):
    return client.post(URL + query, {"subject": subject, "body": body, "preview": ""})


def test_preview_shows_the_first_email_and_the_number_of_recipients(organiser_client, dossiers):
    response = preview(organiser_client)

    plan = response.context["plan"]
    first = plan.first
    assert (first.subject, first.bcc, first.to, first.reply_to, first.body) == (
        "Votre dossier LTI-2026-0001",
        ["agent@brest.fr", "agent@rennes.fr", "dsi@brest.fr"],
        [],
        ["organisatrice@interconnectes.fr"],
        "Bonjour,\n\nLe dossier LTI-2026-0001 « Guichet « numérique » & accessible » de Rennes "
        "pour Label Territoire Innovant 2026 : date limite le 31/03/2026 à 12:00 (heure de "
        "Paris).\n\nL'équipe",
    )
    # Three submitted dossiers: two with recipients, Épernay without any confirmed member.
    assert (len(plan.messages), plan.recipients_count, plan.without_recipients) == (
        2,
        3,
        ["LTI-2026-0003"],
    )
    assertContains(
        response,
        '<p role="status">2 courriels seront envoyés, à 3 destinataires en tout.</p>',
        html=True,
    )
    assertContains(
        response,
        '<pre class="email-preview">Bonjour,\n\nLe dossier LTI-2026-0001 « Guichet « numérique » '
        "&amp; accessible » de Rennes pour Label Territoire Innovant 2026 : date limite le "
        "31/03/2026 à 12:00 (heure de Paris).\n\nL&#x27;équipe</pre>",
    )
    assert mail.outbox == []


def test_the_page_says_which_dossiers_the_filters_choose(organiser_client, dossiers):
    response = organiser_client.get(URL + "?state=submitted&region=53")

    assert (response.context["applications_count"], response.context["filters"]) == (
        2,
        [("État", "Déposé"), ("Région de la structure porteuse", "Bretagne")],
    )


def test_sending_after_the_preview_sends_one_email_per_dossier(
    organiser_client, organiser, dossiers, django_capture_on_commit_callbacks
):
    key = preview(organiser_client).context["form"]["previewed"].value()

    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(
            URL + "?state=submitted",
            {"subject": SUBJECT, "body": BODY, "previewed": key, "send": ""},
        )

    assertRedirects(response, URL + "?state=submitted", fetch_redirect_response=False)
    assert [(message.subject, message.bcc) for message in mail.outbox] == [
        ("Votre dossier LTI-2026-0001", ["agent@brest.fr", "agent@rennes.fr", "dsi@brest.fr"]),
        ("Votre dossier LTI-2026-0002", ["agent@brest.fr", "dsi@brest.fr"]),
    ]
    assert mail.outbox[1].body == (
        "Bonjour,\n\nLe dossier LTI-2026-0002 « Capteurs » de Brest pour Label Territoire "
        "Innovant 2026 : date limite le 31/03/2026 à 12:00 (heure de Paris).\n\nL'équipe"
    )
    mailing = Mailing.objects.get()
    assert (
        mailing.subject,
        mailing.filters,
        mailing.sent_by,
        mailing.applications_count,
        mailing.recipients_count,
        mailing.sent_at is not None,
    ) == (SUBJECT, {"state": "submitted"}, organiser, 2, 3, True)


def test_a_mailing_is_sent_once_even_if_its_task_runs_again(
    organiser_client, dossiers, django_capture_on_commit_callbacks
):
    key = preview(organiser_client).context["form"]["previewed"].value()
    with django_capture_on_commit_callbacks(execute=True):
        organiser_client.post(
            URL + "?state=submitted",
            {"subject": SUBJECT, "body": BODY, "previewed": key, "send": ""},
        )

        result = send_mailing.enqueue(Mailing.objects.get().pk)

    assert (result.return_value, len(mail.outbox)) == (
        {"applications": 0, "recipients": 0, "emails": 0},
        2,
    )


def test_a_message_changed_since_the_preview_is_previewed_again_not_sent(
    organiser_client, dossiers
):
    key = preview(organiser_client).context["form"]["previewed"].value()

    response = organiser_client.post(
        URL + "?state=submitted",
        {"subject": "Autre objet", "body": BODY, "previewed": key, "send": ""},
    )

    assert (mail.outbox, Mailing.objects.count(), response.context["plan"].first.subject) == (
        [],
        0,
        "Autre objet",
    )
    assertContains(
        response,
        "Le message a changé depuis l&#x27;aperçu : vérifiez ce nouvel aperçu, puis envoyez.",
    )


def test_other_filters_send_to_other_dossiers(
    organiser_client, dossiers, django_capture_on_commit_callbacks
):
    key = preview(organiser_client, "?state=draft").context["form"]["previewed"].value()

    with django_capture_on_commit_callbacks(execute=True):
        organiser_client.post(
            URL + "?state=draft", {"subject": SUBJECT, "body": BODY, "previewed": key, "send": ""}
        )

    assert [(message.subject, message.bcc) for message in mail.outbox] == [
        ("Votre dossier LTI-2026-0004", ["agent@rennes.fr"])
    ]


def test_an_unknown_placeholder_is_refused_and_the_text_kept(organiser_client, dossiers):
    response = preview(organiser_client, body="Bonjour {{ prenom }}")

    assert (response.context["plan"], response.context["form"].errors) == (
        None,
        {
            "body": [
                "« {{ prenom }} » n'est pas une variable connue. Variables possibles : "
                "{{ reference }}, {{ title }}, {{ organisation }}, {{ edition }}, {{ deadline }}."
            ]
        },
    )
    assertContains(response, "Bonjour {{ prenom }}</textarea>")


def test_a_tag_in_the_subject_is_refused(organiser_client, dossiers):
    response = preview(organiser_client, subject="{% now 'Y' %} Votre dossier")

    assert response.context["form"].errors["subject"] == [
        "Les balises comme « {% now 'Y' %} » ne sont pas permises : seules les variables entre "
        "doubles accolades le sont ({{ reference }}, {{ title }}, {{ organisation }}, "
        "{{ edition }}, {{ deadline }})."
    ]


def test_nothing_is_sent_to_dossiers_without_recipients(organiser_client, dossiers):
    response = preview(organiser_client, "?departement=51")

    assert (response.context["plan"].messages, response.context["plan"].without_recipients) == (
        [],
        ["LTI-2026-0003"],
    )
    assertContains(response, '<button type="submit" name="send"', count=0)


def test_applicant_may_not_send_a_mailing(applicant_client, dossiers):
    response = applicant_client.post(
        URL, {"subject": SUBJECT, "body": BODY, "previewed": "", "send": ""}
    )

    assert (response.status_code, mail.outbox, Mailing.objects.count()) == (403, [], 0)


@pytest.mark.parametrize("count", [1, 3])
def test_the_page_costs_the_same_queries_for_one_or_three_mailings(
    organiser_client, edition, organiser, django_assert_num_queries, count
):
    MailingFactory.create_batch(count, edition=edition, sent_by=organiser)

    # session, user, edition, its phases, the dossiers count, the mailings with their senders
    # +1: the contests the organiser is kept to (contests.rules, once a request).
    with django_assert_num_queries(7):
        response = organiser_client.get(URL)

    assert len(response.context["mailings"]) == count
