"""Dossier business logic: references, drafts with optimistic locking, submission, workflow."""

from datetime import timedelta

import pytest
from django.db import IntegrityError

from applications import domain
from applications.enums import ApplicationState
from applications.models import Answer, Application, ApplicationPartner, Transition
from tests.factories import ApplicationFactory

from .conftest import add_phases, complete_changes, paris

pytestmark = pytest.mark.django_db

DEADLINE = paris(2026, 1, 15, 12, 0)
DEADLINE_MESSAGE = (
    "La date limite de dépôt était le 15/01/2026 à 12:00 (heure de Paris) ; "
    "votre dossier reste en brouillon."
)


def _complete_dossier(edition, organisation, user) -> Application:
    application = domain.create_application(edition, organisation, by=user)
    return domain.save_draft(application, complete_changes(edition), expected_version=1, by=user)


# ------------------------------------------------------------------------------ references


def test_contest_initials_skip_small_words_and_accents():
    assert domain.contest_initials("Label Territoire Innovant") == "LTI"
    assert domain.contest_initials("Start-up Interconnectée") == "SUI"
    assert domain.contest_initials("Territoires Villes et Villages Internet") == "TVVI"


def test_next_reference_follows_the_sequence(open_edition, rennes, applicant):
    assert domain.next_reference(open_edition) == "LTI-2031-0001"
    domain.create_application(open_edition, rennes, by=applicant)
    domain.create_application(open_edition, rennes, by=applicant)
    assert domain.next_reference(open_edition) == "LTI-2031-0003"


@pytest.mark.parametrize(
    ("taken", "expected"),
    [
        # Past 9,999 the numbers grow a digit: "10000" sorts before "9999" as text.
        (["LTI-2031-9998", "LTI-2031-9999"], "LTI-2031-10000"),
        (["LTI-2031-9999", "LTI-2031-10000", "LTI-2031-0005"], "LTI-2031-10001"),
        # A reference edited by hand that is no number is skipped, as it always was.
        (["LTI-2031-0003", "LTI-2031-ABCD"], "LTI-2031-0004"),
        (["LTI-2031-0007", "LTI-2031-00002"], "LTI-2031-0008"),
        # Another prefix (another edition, another contest's initials) does not count.
        (["LTI-2030-0040", "LTI-2032-0050", "LTI-2031-0002"], "LTI-2031-0003"),
    ],
)
def test_next_reference_is_one_past_the_highest_number(open_edition, taken, expected):
    for reference in taken:
        ApplicationFactory(edition=open_edition, reference=reference)

    assert domain.next_reference(open_edition) == expected


def test_next_reference_reads_one_reference_whatever_the_edition_holds(
    open_edition, django_assert_num_queries
):
    for number in range(1, 31):
        ApplicationFactory(edition=open_edition, reference=f"LTI-2031-{number:04d}")

    # One query: the highest reference alone crosses to Python, not all thirty.
    with django_assert_num_queries(1):
        assert domain.next_reference(open_edition) == "LTI-2031-0031"


def test_create_application_retries_when_a_concurrent_request_took_the_reference(
    open_edition, rennes, applicant, monkeypatch
):
    # Another request inserted LTI-2031-0001 between our computing it and inserting it: the
    # first computed reference is stale; the retry computes the next free one.
    domain.create_application(open_edition, rennes, by=applicant)
    computed = iter(["LTI-2031-0001"])
    real_next_reference = domain.next_reference
    monkeypatch.setattr(
        domain.drafts,
        "next_reference",
        lambda edition: next(computed, None) or real_next_reference(edition),
    )
    application = domain.create_application(open_edition, rennes, by=applicant)
    assert application.reference == "LTI-2031-0002"


def test_create_application_gives_up_after_the_attempts(
    open_edition, rennes, applicant, monkeypatch
):
    domain.create_application(open_edition, rennes, by=applicant)
    monkeypatch.setattr(domain.drafts, "next_reference", lambda edition: "LTI-2031-0001")
    with pytest.raises(IntegrityError):
        domain.create_application(open_edition, rennes, by=applicant, attempts=2)
    assert Application.objects.count() == 1


def test_create_application_is_a_logged_draft(open_edition, rennes, applicant):
    application = domain.create_application(open_edition, rennes, by=applicant)
    assert (application.state, application.version, application.created_by) == (
        ApplicationState.DRAFT,
        1,
        applicant,
    )
    transition = Transition.objects.get(application=application)
    assert (transition.from_state, transition.to_state, transition.by) == ("", "draft", applicant)


# ---------------------------------------------------------------------------------- drafts


def test_save_draft_saves_fields_partners_and_answers(
    open_edition, rennes, saint_malo, brest, applicant
):
    application = domain.create_application(open_edition, rennes, by=applicant)
    changes = complete_changes(open_edition, partners=[brest, rennes, saint_malo, brest])
    saved = domain.save_draft(application, changes, expected_version=1, by=applicant)
    assert saved.version == 2
    assert saved.title == "Des conseillers numériques dans les mairies de quartier"
    assert saved.theme.slug == "inclusion"
    # The lead and duplicates are dropped; the order typed is kept.
    assert list(
        ApplicationPartner.objects.filter(application=saved).values_list(
            "organisation__name", "position"
        )
    ) == [("Brest", 0), ("Saint-Malo", 1)]
    assert sorted(saved.criterion_answers.values_list("text", flat=True)) == [
        "Notre réponse : L'innovation",
        "Notre réponse : La reproductibilité",
    ]
    assert list(saved.answers.values_list("question__label", "value")) == [
        ("Nombre d'agents formés", "12")
    ]


def test_save_draft_leaves_absent_keys_unchanged(complete_dossier, applicant):
    saved = domain.save_draft(
        complete_dossier, {"title": "Nouveau titre"}, expected_version=3, by=applicant
    )
    assert (saved.title, saved.summary, saved.version) == (
        "Nouveau titre",
        "Un accompagnement aux démarches en ligne au plus près des habitants.",
        4,
    )
    assert saved.application_partners.count() == 1
    assert saved.criterion_answers.count() == 2


def test_save_draft_empty_answers_delete_them(complete_dossier, applicant):
    edition = complete_dossier.edition
    question = edition.questions.get(required=True)
    criterion = edition.criteria.get(name="L'innovation")
    domain.save_draft(
        complete_dossier,
        {"answers": {question.pk: ""}, "criterion_answers": {criterion.pk: "  "}},
        expected_version=3,
        by=applicant,
    )
    assert not Answer.objects.filter(application=complete_dossier, question=question).exists()
    assert complete_dossier.criterion_answers.count() == 1


def test_second_save_with_the_same_version_is_refused_and_the_first_kept(
    dossier, applicant, partner_applicant
):
    domain.save_draft(dossier, {"title": "Titre de Rennes"}, expected_version=2, by=applicant)
    with pytest.raises(domain.StaleVersion) as refused:
        domain.save_draft(
            dossier, {"title": "Titre de Saint-Malo"}, expected_version=2, by=partner_applicant
        )
    assert refused.value.current_version == 3
    assert refused.value.message.startswith("Ce dossier a été modifié par une autre personne le ")
    dossier.refresh_from_db()
    assert (dossier.title, dossier.version) == ("Titre de Rennes", 3)


def test_save_draft_of_a_submitted_dossier_is_refused(complete_dossier, applicant):
    domain.submit_application(complete_dossier, by=applicant)
    complete_dossier.refresh_from_db()
    with pytest.raises(domain.NotEditable):
        domain.save_draft(
            complete_dossier,
            {"title": "Trop tard"},
            expected_version=complete_dossier.version,
            by=applicant,
        )
    complete_dossier.refresh_from_db()
    assert complete_dossier.title == "Des conseillers numériques dans les mairies de quartier"


# ------------------------------------------------------------------------------ completeness


def test_missing_for_submission_lists_everything_of_an_empty_dossier(dossier):
    assert domain.missing_for_submission(dossier) == [
        "le thème",
        "le titre du projet",
        "le résumé",
        "la description",
        "la réponse au critère « L'innovation »",
        "la réponse au critère « La reproductibilité »",
        "le stade du projet",
        "les publics ou services touchés",
        "la personne à contacter",
        "l'adresse de contact",
        "la réponse à la question « Nombre d'agents formés »",
    ]


def test_missing_for_submission_asks_the_dates_of_a_deployed_project(complete_dossier, applicant):
    saved = domain.save_draft(
        complete_dossier,
        {"started_on": None, "deployed_on": None},
        expected_version=3,
        by=applicant,
    )
    assert domain.missing_for_submission(saved) == [
        "la date de début du projet",
        "la date de mise en service",
    ]


def test_missing_for_submission_of_a_complete_dossier_is_empty(complete_dossier):
    assert domain.missing_for_submission(complete_dossier) == []


# -------------------------------------------------------------------------------- deadline


def test_submission_one_second_after_the_deadline_is_refused(
    dated_edition, rennes, applicant, django_capture_on_commit_callbacks
):
    application = _complete_dossier(dated_edition, rennes, applicant)
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(domain.SubmissionRefused) as refused,
    ):
        domain.submit_application(application, by=applicant, now=DEADLINE + timedelta(seconds=1))
    assert refused.value.message == DEADLINE_MESSAGE
    assert callbacks == []
    application.refresh_from_db()
    assert (application.state, application.submitted_at, application.submitted_fingerprint) == (
        ApplicationState.DRAFT,
        None,
        "",
    )
    assert list(application.transitions.values_list("to_state", flat=True)) == ["draft"]


def test_submission_exactly_at_the_deadline_is_refused(dated_edition, rennes, applicant):
    application = _complete_dossier(dated_edition, rennes, applicant)
    with pytest.raises(domain.SubmissionRefused) as refused:
        domain.submit_application(application, by=applicant, now=DEADLINE)
    assert refused.value.message == DEADLINE_MESSAGE


def test_submission_one_second_before_the_deadline_is_accepted(
    dated_edition, rennes, applicant, django_capture_on_commit_callbacks
):
    application = _complete_dossier(dated_edition, rennes, applicant)
    now = DEADLINE - timedelta(seconds=1)
    with django_capture_on_commit_callbacks() as callbacks:
        submitted = domain.submit_application(application, by=applicant, now=now)
    assert (submitted.state, submitted.submitted_at) == (ApplicationState.SUBMITTED, now)
    assert submitted.submitted_fingerprint == domain.content_fingerprint(submitted)
    assert len(submitted.submitted_fingerprint) == 64
    # The receipt (applications.receipts) is queued once the transaction commits.
    assert len(callbacks) == 1
    transition = submitted.transitions.get(to_state="submitted")
    assert (transition.from_state, transition.by, transition.at) == ("draft", applicant, now)


def test_submission_before_the_applications_open_is_refused(dated_edition, rennes, applicant):
    application = _complete_dossier(dated_edition, rennes, applicant)
    with pytest.raises(domain.SubmissionRefused) as refused:
        domain.submit_application(application, by=applicant, now=paris(2025, 9, 30, 12))
    assert refused.value.message == (
        "Le dépôt des dossiers ouvre le 01/10/2025 à 09:00 (heure de Paris) ; "
        "votre dossier reste en brouillon."
    )


def test_submission_without_a_phase_after_the_applications_is_refused(label, rennes, applicant):
    edition = label.editions.create(year=2032)
    add_phases(edition, {"applications_open": paris(2031, 10, 1, 9)})
    application = domain.create_application(edition, rennes, by=applicant)
    with pytest.raises(domain.SubmissionRefused) as refused:
        domain.submit_application(application, by=applicant, now=paris(2031, 11, 1, 9))
    assert refused.value.message == (
        "Aucune date limite de dépôt n'est fixée pour cette édition : le dépôt n'est pas "
        "possible pour le moment ; votre dossier reste en brouillon."
    )
    assert domain.submission_deadline(edition) is None


def test_incomplete_submission_is_refused_with_the_list(dated_edition, rennes, applicant):
    application = _complete_dossier(dated_edition, rennes, applicant)
    application = domain.save_draft(
        application, {"title": "", "contact_email": ""}, expected_version=2, by=applicant
    )
    with pytest.raises(domain.SubmissionRefused) as refused:
        domain.submit_application(application, by=applicant, now=paris(2025, 12, 1, 9))
    assert refused.value.missing == ["le titre du projet", "l'adresse de contact"]
    assert refused.value.message == (
        "Le dossier est incomplet ; il manque : le titre du projet ; l'adresse de contact."
    )
    application.refresh_from_db()
    assert application.state == ApplicationState.DRAFT


def test_reopened_dossier_may_be_submitted_after_the_deadline(
    dated_edition, rennes, applicant, organiser
):
    application = _complete_dossier(dated_edition, rennes, applicant)
    application = domain.submit_application(application, by=applicant, now=paris(2025, 12, 1, 9))
    application = domain.reopen_application(application, by=organiser, reason="Budget à préciser")
    resubmitted = domain.submit_application(application, by=applicant, now=paris(2026, 2, 2, 9))
    assert resubmitted.state == ApplicationState.SUBMITTED
    assert resubmitted.submitted_at == paris(2026, 2, 2, 9)


def test_fingerprint_changes_with_the_content_only(complete_dossier, applicant):
    before = domain.content_fingerprint(complete_dossier)
    assert domain.content_fingerprint(Application.objects.get(pk=complete_dossier.pk)) == before
    changed = domain.save_draft(
        complete_dossier, {"licence": "EUPL 1.2"}, expected_version=3, by=applicant
    )
    assert domain.content_fingerprint(changed) != before


# -------------------------------------------------------------------------------- workflow


def test_allowed_transitions_cover_every_state():
    assert set(domain.ALLOWED_TRANSITIONS) == set(ApplicationState.values)


def test_transition_outside_the_table_is_refused(dossier, organiser):
    with pytest.raises(domain.TransitionRefused) as refused:
        domain.set_application_state(dossier, ApplicationState.AWARDED, by=organiser)
    assert (
        refused.value.message
        == "Un dossier « Brouillon » ne peut pas passer à l'état « Labellisé »."
    )
    dossier.refresh_from_db()
    assert dossier.state == ApplicationState.DRAFT


def test_withdrawal_is_logged_with_who_when_from_to_and_why(complete_dossier, applicant):
    submitted = domain.submit_application(complete_dossier, by=applicant)
    withdrawn = domain.withdraw_application(submitted, by=applicant, reason="Projet abandonné")
    assert withdrawn.state == ApplicationState.WITHDRAWN
    assert withdrawn.version == submitted.version + 1
    transition = withdrawn.transitions.last()
    assert (transition.from_state, transition.to_state, transition.by, transition.reason) == (
        "submitted",
        "withdrawn",
        applicant,
        "Projet abandonné",
    )
    assert abs(transition.at - withdrawn.updated_at) < timedelta(seconds=5)


def test_withdrawn_dossier_may_not_be_withdrawn_again(dossier, applicant):
    withdrawn = domain.withdraw_application(dossier, by=applicant)
    with pytest.raises(domain.TransitionRefused) as refused:
        domain.withdraw_application(withdrawn, by=applicant)
    assert refused.value.message == "Ce dossier ne peut plus être retiré."


def test_reopening_needs_a_reason(complete_dossier, applicant, organiser):
    submitted = domain.submit_application(complete_dossier, by=applicant)
    with pytest.raises(domain.TransitionRefused) as refused:
        domain.reopen_application(submitted, by=organiser, reason="  ")
    assert refused.value.message == "Indiquez la raison de la réouverture du dossier."
    submitted.refresh_from_db()
    assert submitted.state == ApplicationState.SUBMITTED


def test_reopening_is_logged_and_tells_the_confirmed_applicants(
    complete_dossier,
    applicant,
    partner_applicant,
    pending_applicant,
    other_applicant,
    organiser,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    submitted = domain.submit_application(complete_dossier, by=applicant)
    with django_capture_on_commit_callbacks(execute=True):
        reopened = domain.reopen_application(submitted, by=organiser, reason="Budget à préciser")
    assert reopened.state == ApplicationState.REOPENED
    transition = reopened.transitions.last()
    assert (transition.from_state, transition.to_state, transition.by, transition.reason) == (
        "submitted",
        "reopened",
        organiser,
        "Budget à préciser",
    )
    assert sorted(message.to[0] for message in mailoutbox) == [
        "agent@rennes.fr",
        "agent@saint-malo.fr",
    ]
    message = mailoutbox[0]
    assert message.subject == (
        f"Label Territoire Innovant 2031 : votre dossier {reopened.reference} est rouvert"
    )
    assert "Raison : Budget à préciser" in message.body


def test_a_structure_added_as_co_porteur_is_told_once(
    open_edition,
    rennes,
    saint_malo,
    applicant,
    partner_applicant,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    application = domain.create_application(open_edition, rennes, by=applicant)
    with django_capture_on_commit_callbacks(execute=True):
        saved = domain.save_draft(
            application,
            {"title": "Guichet", "partners": [saint_malo]},
            expected_version=1,
            by=applicant,
        )
    with django_capture_on_commit_callbacks(execute=True):
        domain.save_draft(saved, {"partners": [saint_malo]}, expected_version=2, by=applicant)

    [message] = mailoutbox
    reference = application.reference
    assert message.to == ["agent@saint-malo.fr"]
    assert message.subject == (
        "Label Territoire Innovant 2031 : « Commune de Saint-Malo » co-porte le dossier "
        f"{reference}"
    )
    assert message.body == (
        "Bonjour,\n\nLa structure « Commune de Saint-Malo » est désormais co-porteuse du "
        f"dossier {reference} « Guichet » porté par « Commune de Rennes », candidat au Label "
        "Territoire Innovant 2031.\n\n"
        "Et maintenant ? Comme membre de « Commune de Saint-Malo », vous pouvez lire ce "
        "dossier et le compléter tant qu'il n'est pas déposé :\n"
        f"http://127.0.0.1:8000/candidatures/{reference}/\n\n"
        "Si cet ajout est une erreur, dites-le à « Commune de Rennes ».\n\n"
        "L'équipe du Label Territoire Innovant\nLes Interconnectés"
    )
