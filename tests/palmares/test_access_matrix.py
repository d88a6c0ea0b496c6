"""The access matrix: every named URL of the project, the answer each persona gets to a GET.

A new named URL without its row in MATRIX fails `test_every_named_url_has_a_row`. Statuses are
those of the first response (no redirect followed). The world is built once per module: an
edition in jury scoring (2027) with a submitted dossier of Rennes and its partner Rennes
Métropole, an assigned juror and a conflicted one; the 2028 edition under embargo (deliberation
validated, not published); a published historical award (2019).

Two personas check that roles mean what the policy says: the superuser, the technical admin,
who is no organiser and is refused every organiser, jury and president page and document; and an
organiser who also sits on both juries in conflict with Rennes's dossiers (2027 and 2028), who
keeps the organiser pages but is refused or screened, as a juror in conflict, wherever that
dossier's scores, ranks or levels appear (awards.rules; tests/awards/test_conflict_screen.py
checks what the screened pages and documents hold).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse

from accounts.enums import MembershipState
from jury.models import AuditionSession
from territories.models import Organisation
from tests.awards import publication_setup
from tests.awards.test_documents_press_release import pdf_text
from tests.browser.test_registry import named_patterns
from tests.catalogue.builders import make_award, make_edition
from tests.factories import (
    ApplicationPartnerFactory,
    ContestFactory,
    EventFactory,
    MembershipFactory,
    UserFactory,
)
from tests.jury.factories import ConflictFactory, JurorFactory
from tests.jury.scoring_setup import make_setup

PERSONAS = (
    "visitor",
    "applicant",
    "partner",
    "other_applicant",
    "assigned_juror",
    "conflicted_juror",
    "organiser",
    "superuser",
    "conflicted_organiser",
)
LABEL = "label-territoire-innovant"
DOSSIER = "LTI-2027-0001"
HISTORICAL_YEAR = 2019
HISTORICAL_SLUG = "2019-cartes-des-ecoles"
STAGE_SLUG = "intercotour-bretagne-2027"


def _member(insee: str | None, email: str, *, siren: str | None = None):
    if siren:
        organisation = Organisation.objects.get(siren=siren)
    else:
        organisation = Organisation.objects.get(kind="commune", insee_code=insee)
    return MembershipFactory(
        user=UserFactory(email=email), organisation=organisation, state=MembershipState.CONFIRMED
    )


def _build() -> SimpleNamespace:
    rennes_membership = _member("35238", "agent@rennes.fr")
    applicant = rennes_membership.user
    partner = _member(None, "agent@rennes-metropole.fr", siren="243500139").user
    other_applicant = _member("29019", "agent@brest.fr").user
    organiser = UserFactory(email="organisatrice@interconnectes.fr", is_organiser=True)
    users = {
        "applicant": applicant,
        "partner": partner,
        "other_applicant": other_applicant,
        "organiser": organiser,
        "assigned_juror": UserFactory(email="jure@exemple.org"),
        "conflicted_juror": UserFactory(email="jure-en-conflit@exemple.org"),
        "superuser": UserFactory(
            email="technique@interconnectes.fr", is_superuser=True, is_staff=True
        ),
        "conflicted_organiser": UserFactory(
            email="organisateur-jure@interconnectes.fr", is_organiser=True
        ),
    }

    scoring = make_setup(year=2027)
    entry = scoring.dossier(
        DOSSIER, lead_organisation=rennes_membership.organisation, created_by=applicant
    )
    ApplicationPartnerFactory(
        application=entry.application,
        organisation=Organisation.objects.get(siren="243500139"),
        position=0,
    )
    assigned = scoring.juror("Anne Jurée", user=users["assigned_juror"])
    scoring.assign(assigned, entry)
    conflicted = scoring.juror("Jean Conflit", user=users["conflicted_juror"])
    conflict = ConflictFactory(juror=conflicted, application=entry.application)
    organiser_juror = scoring.juror("Olivier Conflit", user=users["conflicted_organiser"])
    ConflictFactory(juror=organiser_juror, application=entry.application)

    embargo = publication_setup.build(applicant, other_applicant)
    auditions = embargo.deliberation.round
    ConflictFactory(
        juror=JurorFactory(round=auditions, user=users["conflicted_organiser"]),
        application=embargo.laureate,
    )
    session = AuditionSession.objects.create(
        round=auditions,
        name="Séance 1",
        starts_at=embargo.deliberation.validated_at,
        ends_at=embargo.deliberation.validated_at + timedelta(hours=3),
    )

    historical, levels = make_edition(
        ContestFactory(slug=LABEL), HISTORICAL_YEAR, is_historical=True
    )
    award = make_award(historical, "Cartes des écoles", "Ville de Rennes", level=levels["or"])
    award.slug = HISTORICAL_SLUG
    award.save(update_fields=["slug"])
    EventFactory(
        kind="stage", name="IntercoTOUR Bretagne", slug=STAGE_SLUG, starts_on=date(2027, 5, 4)
    )

    return SimpleNamespace(
        users=users,
        scoring=scoring,
        membership=rennes_membership,
        assigned=assigned,
        conflicted=conflicted,
        conflict=conflict,
        embargo=embargo,
        session=session,
        rennes_slug=rennes_membership.organisation.slug,
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction rolled back at its end."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield _build()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


E27 = {"contest_slug": LABEL, "year": 2027}
E28 = {"contest_slug": LABEL, "year": 2028}
R27 = {**E27, "round_slug": "bretagne"}
R28 = {**E28, "round_slug": "auditions"}

# URL name → kwargs (a dict, or a function of the world). Names absent take no argument.
KWARGS = {
    "catalogue:accessibility_topic": {"topic": 10},
    "catalogue:edition": {"year": HISTORICAL_YEAR},
    "catalogue:experience_answer": {"token": "jeton-inconnu"},
    "catalogue:project": {"slug": HISTORICAL_SLUG},
    "catalogue:project_experience_edit": {"slug": HISTORICAL_SLUG},
    "catalogue:experience_request": {"slug": HISTORICAL_SLUG},
    "catalogue:badge": {"slug": HISTORICAL_SLUG},
    "catalogue:badge_verify": {"slug": HISTORICAL_SLUG},
    "catalogue:transparency": {"year": HISTORICAL_YEAR},
    "catalogue:transparency_edit": {"year": HISTORICAL_YEAR},
    "accounts:organisation_domains": lambda w: {"slug": w.rennes_slug},
    "accounts:membership_decide": lambda w: {"reference": w.membership.reference},
    "accounts:confirm_email": {"token": "jeton-inconnu"},
    "accounts:two_factor_enrol_link": {"token": "jeton-inconnu"},
    "accounts:password_reset_confirm": {"uidb64": "MQ", "token": "jeton-inconnu"},
    "applications:create": E27,
    **{
        f"applications:{name}": {"reference": DOSSIER}
        for name in (
            "detail",
            "withdraw",
            "edit",
            "autosave",
            "submit",
            "files",
            "attachment_add",
            "video_download",
            "video_upload",
            "video_link",
            "video_remove",
            "receipt_download",
            "reopen",
        )
    },
    "applications:attachment_delete": {"reference": DOSSIER, "token": "jeton-inconnu"},
    "applications:attachment_download": {"reference": DOSSIER, "token": "jeton-inconnu"},
    **{f"applications:{name}": E27 for name in ("edition_applications", "mailing")},
    "applications:edition_questions": E27,
    "opendata:data_file": {"filename": "palmares.csv"},
    **{
        f"opendata:{name}": E27
        for name in ("applications_csv", "applications_xlsx", "results_csv", "results_xlsx")
    },
    **{f"opendata:{name}": R27 for name in ("evaluations_csv", "evaluations_xlsx")},
    "opendata:dossier_zip": {"reference": DOSSIER},
    "opendata:organisation": {"siren": "213502388"},
    "contests:edition_create": {"contest_slug": LABEL},
    **{
        f"contests:{name}": {"contest_slug": LABEL}
        for name in (
            "contest_detail",
            "contest_update",
            "contest_levels",
            "contest_criteria",
            "contest_distinctions",
            "contest_organiser_add",
            "contest_organiser_remove",
        )
    },
    "logos:contest": {"contest_slug": LABEL},
    "contests:event_update": {"slug": STAGE_SLUG},
    "contests:outbox_resend": {"reference": "00000000-0000-0000-0000-000000000000"},
    "events:detail": {"slug": STAGE_SLUG},
    "events:ics": {"slug": STAGE_SLUG},
    **{
        f"contests:{name}": E27
        for name in (
            "edition_detail",
            "edition_update",
            "edition_themes",
            "edition_criteria",
            "edition_levels",
            "edition_distinctions",
            "edition_take_distinctions",
            "edition_phases",
            "edition_copy",
            "edition_call",
            "edition_call_open",
            "edition_call_close",
            "edition_call_extend",
            "edition_rules",
        )
    },
    "calls:detail": E27,
    "calls:rules_pdf": E27,
    "territories:organisation_detail": lambda w: {"slug": w.rennes_slug},
    **{
        f"jury:{name}": E27
        for name in ("eligibility", "eligibility_bulk", "rounds", "round_create")
    },
    **{
        f"jury:{name}": R27
        for name in (
            "round_detail",
            "round_fill",
            "round_update",
            "promotions",
            "promotions_stage",
            "promotion_add",
            "promotion_remove",
            "promotions_apply",
            "jurors",
            "juror_invite",
            "juror_take",
            "conflicts",
            "declare_conflicts",
            "assignment",
            "assignment_run",
            "assignment_add",
            "assignment_remove",
            "assignment_loads",
            "progress",
            "progress_remind",
            "juror_round",
            "juror_calendar",
            "selection_publish",
            "selection_withdraw",
            "round_scoring_extend",
        )
    },
    **{
        f"jury:{name}": lambda w: {**R27, "juror": w.conflicted.reference}
        for name in ("juror_update", "juror_resend", "juror_remove")
    },
    **{
        f"jury:{name}": {"token": "jeton-inconnu"}
        for name in ("invitation", "invitation_accept", "invitation_decline")
    },
    "jury:conflict_decide": lambda w: {
        **R27,
        "juror": w.conflicted.reference,
        "reference": DOSSIER,
        "reason_code": w.conflict.reason_code,
    },
    **{f"jury:{name}": {**R27, "reference": DOSSIER} for name in ("entry_scores",)},
    "jury:evaluation": {**R27, "reference": DOSSIER},
    "jury:evaluation_submit": {**R27, "reference": DOSSIER},
    "jury:other_scores": {**R27, "reference": DOSSIER},
    **{
        f"jury:{name}": R28
        for name in (
            "auditions",
            "audition_planning",
            "audition_session_create",
            "audition_schedule",
            "audition_invite",
            "audition_availability_request",
        )
    },
    **{
        f"jury:{name}": lambda w: {**R28, "session": w.session.reference}
        for name in (
            "audition_session",
            "audition_attendance",
            "audition_session_done",
            "audition_session_delete",
        )
    },
    "jury:availability": {"reference": "LTI-2028-0001"},
    "jury:audition_invitation": {"reference": "LTI-2028-0001"},
    **{
        f"awards:{name}": E28
        for name in (
            "deliberation",
            "stage",
            "validate",
            "publication",
            "publication_cancel",
            "unexamined_decide_all",
            "minutes",
        )
    },
    "awards:decision": {**E28, "reference": "LTI-2028-0001"},
    "awards:unexamined_decide": {**E28, "reference": "LTI-2028-0004"},
    "awards:press_release": {"year": 2028},
    "awards:press_release_md": {"year": 2028},
    "awards:press_release_pdf": {"year": 2028},
    "awards:certificate": {"slug": publication_setup.LAUREATE_SLUG},
    **{
        f"awards:{name}": {"contest_slug": LABEL}
        for name in ("palmares_import", "palmares_import_preview", "palmares_import_confirm")
    },
}


def _kwargs(name: str, world) -> dict:
    kwargs = KWARGS.get(name, {})
    return kwargs(world) if callable(kwargs) else kwargs


def _client(persona: str, world) -> Client:
    client = Client(raise_request_exception=False)
    if persona != "visitor":
        client.force_login(world.users[persona])
    return client


@dataclass(frozen=True)
class Row:
    """Expected first-response statuses, in the order of PERSONAS; or a skip with its reason."""

    statuses: tuple[int, ...] = ()
    skip: str = ""


# visitor, applicant, partner, other_applicant, assigned_juror, conflicted_juror, organiser,
# superuser, conflicted_organiser. 302 for a visitor is the redirect to the login page; POST-only
# endpoints give their GET answer. The superuser answers as a signed-in stranger everywhere; the
# conflicted organiser as the organiser, except where a conflicted juror's refusal applies (the
# dossier's scores and its 2028 decision: 404, as if they did not exist; the publication page
# under embargo: 403) and on the pages of the round they sit on as a juror.
MATRIX: dict[str, Row] = {
    "accounts:account": Row((302, 200, 200, 200, 200, 200, 200, 200, 200)),
    "accounts:attach": Row((302, 200, 200, 200, 200, 200, 200, 200, 200)),
    "accounts:company_create": Row((302, 200, 200, 200, 200, 200, 200, 200, 200)),
    "accounts:confirm_email": Row((400, 400, 400, 400, 400, 400, 400, 400, 400)),
    "accounts:delete_account": Row((302, 405, 405, 405, 405, 405, 405, 405, 405)),
    "accounts:login": Row((200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "accounts:logout": Row((405, 405, 405, 405, 405, 405, 405, 405, 405)),
    "accounts:membership_decide": Row((302, 403, 403, 403, 403, 403, 200, 403, 200)),
    "accounts:memberships": Row((302, 403, 403, 403, 403, 403, 200, 403, 200)),
    # « Mes données »: each signed-in person's own, never anyone else's (no object in the URL).
    "accounts:my_data": Row((302, 200, 200, 200, 200, 200, 200, 200, 200)),
    "accounts:my_data_archive": Row((302, 200, 200, 200, 200, 200, 200, 200, 200)),
    # No OpenID Connect provider is configured in the matrix world, so its URLs answer 404
    # (tests/accounts/oidc drives them against a real provider on loopback).
    "accounts:oidc_callback": Row((404, 404, 404, 404, 404, 404, 404, 404, 404)),
    "accounts:oidc_login": Row((404, 404, 404, 404, 404, 404, 404, 404, 404)),
    "accounts:oidc_logout_callback": Row((404, 404, 404, 404, 404, 404, 404, 404, 404)),
    "accounts:organisation_domains": Row((302, 403, 403, 403, 403, 403, 200, 403, 200)),
    "accounts:password_change": Row((302, 200, 200, 200, 200, 200, 200, 200, 200)),
    "accounts:password_reset": Row((200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "accounts:password_reset_complete": Row((200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "accounts:password_reset_confirm": Row(
        skip="token link from an email (accounts tests cover it)"
    ),
    "accounts:password_reset_done": Row((200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "accounts:resend_confirmation": Row((302, 405, 405, 405, 405, 405, 405, 405, 405)),
    "accounts:signup": Row((200, 302, 302, 302, 302, 302, 302, 302, 302)),
    "accounts:signup_done": Row((200, 200, 200, 200, 200, 200, 200, 200, 200)),
    # Two-factor pages; nobody here has an authenticator: no QR code without an enrolment under
    # way (404), the code and recovery-codes pages lead to the enrolment (302).
    "accounts:two_factor": Row((302, 200, 200, 200, 200, 200, 200, 200, 200)),
    # The technical admin enrols on the server only (manage.py enrol_second_factor).
    "accounts:two_factor_enrol": Row((302, 200, 200, 200, 200, 200, 200, 403, 200)),
    # The emailed link of a first enrolment: an unknown one is refused to everyone.
    "accounts:two_factor_enrol_link": Row((400, 400, 400, 400, 400, 400, 400, 400, 400)),
    "accounts:two_factor_qr": Row((302, 404, 404, 404, 404, 404, 404, 404, 404)),
    "accounts:two_factor_recovery_codes": Row((302, 302, 302, 302, 302, 302, 302, 302, 302)),
    "accounts:two_factor_verify": Row((302, 302, 302, 302, 302, 302, 302, 302, 302)),
    "applications:attachment_add": Row((302, 405, 405, 405, 405, 405, 405, 405, 405)),
    "applications:attachment_delete": Row((302, 405, 405, 405, 405, 405, 405, 405, 405)),
    "applications:attachment_download": Row(
        skip="needs an uploaded file's token (test_files_downloads.py)"
    ),
    "applications:autosave": Row((405, 405, 405, 405, 405, 405, 405, 405, 405)),
    "applications:create": Row((302, 403, 403, 403, 403, 403, 403, 403, 403)),
    "applications:detail": Row((302, 200, 200, 404, 404, 404, 200, 404, 200)),
    "applications:edit": Row((302, 302, 302, 404, 404, 404, 302, 404, 302)),
    "applications:edition_applications": Row((302, 403, 403, 403, 403, 403, 200, 403, 200)),
    "applications:edition_questions": Row((302, 403, 403, 403, 403, 403, 200, 403, 200)),
    "applications:files": Row((302, 200, 200, 404, 404, 404, 200, 404, 200)),
    "applications:mailing": Row((302, 403, 403, 403, 403, 403, 200, 403, 200)),
    "applications:my_applications": Row((302, 200, 200, 200, 200, 200, 200, 200, 200)),
    "applications:receipt_download": Row((302, 404, 404, 404, 404, 404, 404, 404, 404)),
    "applications:reopen": Row((302, 403, 403, 403, 403, 403, 200, 403, 200)),
    "applications:submit": Row((405, 405, 405, 405, 405, 405, 405, 405, 405)),
    "applications:video_download": Row((302, 404, 404, 404, 404, 404, 404, 404, 404)),
    "applications:video_link": Row((302, 405, 405, 405, 405, 405, 405, 405, 405)),
    "applications:video_remove": Row((302, 405, 405, 405, 405, 405, 405, 405, 405)),
    "applications:video_upload": Row((302, 405, 405, 405, 405, 405, 405, 405, 405)),
    "applications:withdraw": Row((302, 200, 200, 404, 404, 404, 403, 404, 403)),
    "awards:certificate": Row((404, 404, 404, 404, 404, 404, 404, 404, 404)),
    "awards:decision": Row((302, 403, 403, 403, 403, 403, 302, 403, 404)),
    # The matrix's jurors sit on the scored round, not on the deliberated one: 403.
    "awards:deliberation": Row((302, 403, 403, 403, 403, 403, 200, 403, 200)),
    "awards:minutes": Row((302, 403, 403, 403, 403, 403, 200, 403, 200)),
    "awards:palmares_import": Row((302, 403, 403, 403, 403, 403, 200, 403, 200)),
    "awards:palmares_import_confirm": Row((302, 405, 405, 405, 405, 405, 405, 405, 405)),
    "awards:palmares_import_preview": Row((302, 405, 405, 405, 405, 405, 405, 405, 405)),
    "awards:press_release": Row((404, 404, 404, 404, 404, 404, 404, 404, 404)),
    "awards:press_release_md": Row((404, 404, 404, 404, 404, 404, 404, 404, 404)),
    "awards:press_release_pdf": Row((404, 404, 404, 404, 404, 404, 404, 404, 404)),
    "awards:publication": Row((302, 403, 403, 403, 403, 403, 200, 403, 403)),
    "awards:publication_cancel": Row((302, 405, 405, 405, 405, 405, 405, 405, 405)),
    "awards:stage": Row((302, 405, 405, 405, 405, 405, 405, 405, 405)),
    "awards:unexamined_decide": Row((302, 405, 405, 405, 405, 405, 405, 405, 405)),
    "awards:unexamined_decide_all": Row((302, 405, 405, 405, 405, 405, 405, 405, 405)),
    "awards:validate": Row((302, 403, 403, 403, 403, 403, 403, 403, 403)),
    "catalogue:accessibility": Row((200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "catalogue:accessibility_topic": Row((200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "catalogue:badge": Row((200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "catalogue:badge_verify": Row((200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "catalogue:edition": Row((200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "catalogue:experience_answer": Row((302, 404, 404, 404, 404, 404, 404, 404, 404)),
    "catalogue:experience_request": Row((302, 200, 200, 200, 200, 200, 200, 200, 200)),
    "catalogue:home": Row((200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "catalogue:legal": Row((200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "catalogue:contests": Row((200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "catalogue:map": Row((200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "catalogue:map_table": Row((200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "catalogue:palmares": Row((200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "catalogue:project": Row((200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "catalogue:project_experience_edit": Row((302, 403, 403, 403, 403, 403, 403, 403, 403)),
    "catalogue:statistics": Row((200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "catalogue:statistics_tables": Row((200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "catalogue:transparency": Row((200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "catalogue:transparency_edit": Row((302, 403, 403, 403, 403, 403, 200, 403, 200)),
    "catalogue:who_did_it": Row((200, 200, 200, 200, 200, 200, 200, 200, 200)),
    # The 2027 edition's call was never opened (it has no phase allowing applications): 404.
    "calls:detail": Row((404, 404, 404, 404, 404, 404, 404, 404, 404)),
    "calls:list": Row((200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "calls:rules_pdf": Row((404, 404, 404, 404, 404, 404, 404, 404, 404)),
    "contests:contest_create": Row((302, 403, 403, 403, 403, 403, 200, 403, 200)),
    "contests:contest_criteria": Row((302, 403, 403, 403, 403, 403, 200, 403, 200)),
    "contests:contest_detail": Row((302, 403, 403, 403, 403, 403, 200, 403, 200)),
    "contests:contest_distinctions": Row((302, 403, 403, 403, 403, 403, 200, 403, 200)),
    "contests:contest_levels": Row((302, 403, 403, 403, 403, 403, 200, 403, 200)),
    "contests:contest_organiser_add": Row((302, 405, 405, 405, 405, 405, 405, 405, 405)),
    "contests:contest_organiser_remove": Row((302, 405, 405, 405, 405, 405, 405, 405, 405)),
    "contests:contest_update": Row((302, 403, 403, 403, 403, 403, 200, 403, 200)),
    "contests:dashboard": Row((302, 403, 403, 403, 403, 403, 200, 403, 200)),
    "contests:edition_call": Row((302, 403, 403, 403, 403, 403, 200, 403, 200)),
    "contests:edition_call_close": Row((302, 405, 405, 405, 405, 405, 405, 405, 405)),
    "contests:edition_call_extend": Row((302, 405, 405, 405, 405, 405, 405, 405, 405)),
    "contests:edition_call_open": Row((302, 405, 405, 405, 405, 405, 405, 405, 405)),
    "contests:edition_rules": Row((302, 403, 403, 403, 403, 403, 200, 403, 200)),
    "contests:edition_take_distinctions": Row((302, 405, 405, 405, 405, 405, 405, 405, 405)),
    "contests:edition_copy": Row((302, 403, 403, 403, 403, 403, 200, 403, 200)),
    "contests:edition_create": Row((302, 403, 403, 403, 403, 403, 200, 403, 200)),
    "contests:edition_criteria": Row((302, 403, 403, 403, 403, 403, 200, 403, 200)),
    "contests:edition_detail": Row((302, 403, 403, 403, 403, 403, 200, 403, 200)),
    "contests:edition_distinctions": Row((302, 403, 403, 403, 403, 403, 200, 403, 200)),
    "contests:edition_levels": Row((302, 403, 403, 403, 403, 403, 200, 403, 200)),
    "contests:edition_phases": Row((302, 403, 403, 403, 403, 403, 200, 403, 200)),
    "contests:edition_themes": Row((302, 403, 403, 403, 403, 403, 200, 403, 200)),
    "contests:edition_update": Row((302, 403, 403, 403, 403, 403, 200, 403, 200)),
    "contests:event_create": Row((302, 403, 403, 403, 403, 403, 200, 403, 200)),
    "contests:event_update": Row((302, 403, 403, 403, 403, 403, 200, 403, 200)),
    "contests:events": Row((302, 403, 403, 403, 403, 403, 200, 403, 200)),
    "contests:outbox": Row((302, 403, 403, 403, 403, 403, 200, 403, 200)),
    "contests:outbox_resend": Row((302, 405, 405, 405, 405, 405, 405, 405, 405)),
    "contests:outbox_resend_all": Row((302, 405, 405, 405, 405, 405, 405, 405, 405)),
    "events:calendar": Row((200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "events:detail": Row((200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "events:ics": Row((200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "events:list": Row((200, 200, 200, 200, 200, 200, 200, 200, 200)),
    # The seeded contests have no logo: none to show, to anyone.
    "logos:contest": Row((404, 404, 404, 404, 404, 404, 404, 404, 404)),
    # Health (JSON), public: on a new site no daily job is late yet, so 200 to everyone
    # (tests/health covers the 503 and each cause).
    "health:status": Row((200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "jury:assignment": Row((302, 403, 403, 403, 403, 403, 200, 403, 200)),
    "jury:assignment_add": Row((302, 405, 405, 405, 405, 405, 405, 405, 405)),
    "jury:assignment_loads": Row((302, 405, 405, 405, 405, 405, 405, 405, 405)),
    "jury:assignment_remove": Row((302, 405, 405, 405, 405, 405, 405, 405, 405)),
    "jury:assignment_run": Row((302, 405, 405, 405, 405, 405, 405, 405, 405)),
    "jury:audition_attendance": Row((302, 405, 405, 405, 405, 405, 405, 405, 405)),
    "jury:audition_invite": Row((302, 405, 405, 405, 405, 405, 405, 405, 405)),
    "jury:audition_availability_request": Row((302, 405, 405, 405, 405, 405, 405, 405, 405)),
    "jury:audition_invitation": Row((302, 404, 404, 404, 404, 404, 404, 404, 404)),
    "jury:audition_planning": Row((302, 403, 403, 403, 403, 403, 200, 403, 200)),
    "jury:audition_schedule": Row((302, 405, 405, 405, 405, 405, 405, 405, 405)),
    "jury:audition_session": Row((302, 403, 403, 403, 403, 403, 200, 403, 200)),
    "jury:audition_session_create": Row((302, 405, 405, 405, 405, 405, 405, 405, 405)),
    "jury:audition_session_delete": Row((302, 405, 405, 405, 405, 405, 405, 405, 405)),
    "jury:audition_session_done": Row((302, 405, 405, 405, 405, 405, 405, 405, 405)),
    "jury:auditions": Row((302, 403, 403, 403, 403, 403, 200, 403, 200)),
    "jury:availability": Row((302, 200, 200, 404, 404, 404, 404, 404, 404)),
    "jury:conflict_decide": Row((302, 403, 403, 403, 403, 403, 200, 403, 200)),
    "jury:conflicts": Row((302, 403, 403, 403, 403, 403, 200, 403, 200)),
    "jury:declare_conflicts": Row((302, 403, 403, 403, 200, 200, 403, 403, 200)),
    "jury:eligibility": Row((302, 403, 403, 403, 403, 403, 200, 403, 200)),
    "jury:eligibility_bulk": Row((302, 405, 405, 405, 405, 405, 405, 405, 405)),
    "jury:entry_scores": Row((302, 403, 403, 403, 403, 403, 200, 403, 404)),
    "jury:evaluation": Row((302, 404, 404, 404, 200, 404, 404, 404, 404)),
    "jury:evaluation_submit": Row((302, 405, 405, 405, 405, 405, 405, 405, 405)),
    "jury:home": Row((302, 200, 200, 200, 200, 200, 200, 200, 200)),
    "jury:invitation": Row((404, 404, 404, 404, 404, 404, 404, 404, 404)),
    "jury:invitation_accept": Row((405, 405, 405, 405, 405, 405, 405, 405, 405)),
    "jury:invitation_decline": Row((405, 405, 405, 405, 405, 405, 405, 405, 405)),
    "jury:juror_calendar": Row((302, 403, 403, 403, 200, 200, 403, 403, 200)),
    "jury:juror_invite": Row((302, 403, 403, 403, 403, 403, 200, 403, 200)),
    "jury:juror_remove": Row((302, 405, 405, 405, 405, 405, 405, 405, 405)),
    "jury:juror_resend": Row((302, 405, 405, 405, 405, 405, 405, 405, 405)),
    "jury:juror_take": Row((302, 405, 405, 405, 405, 405, 405, 405, 405)),
    "jury:juror_round": Row((302, 403, 403, 403, 200, 200, 403, 403, 200)),
    "jury:juror_update": Row((302, 403, 403, 403, 403, 403, 200, 403, 200)),
    "jury:jurors": Row((302, 403, 403, 403, 403, 403, 200, 403, 200)),
    "jury:other_scores": Row((302, 404, 404, 404, 403, 404, 404, 404, 404)),
    "jury:progress": Row((302, 403, 403, 403, 403, 403, 200, 403, 200)),
    "jury:progress_remind": Row((302, 405, 405, 405, 405, 405, 405, 405, 405)),
    "jury:promotion_add": Row((302, 405, 405, 405, 405, 405, 405, 405, 405)),
    "jury:promotion_remove": Row((302, 405, 405, 405, 405, 405, 405, 405, 405)),
    "jury:promotions": Row((302, 403, 403, 403, 403, 403, 200, 403, 200)),
    "jury:promotions_apply": Row((302, 405, 405, 405, 405, 405, 405, 405, 405)),
    "jury:promotions_stage": Row((302, 405, 405, 405, 405, 405, 405, 405, 405)),
    "jury:round_create": Row((302, 403, 403, 403, 403, 403, 200, 403, 200)),
    "jury:round_detail": Row((302, 403, 403, 403, 403, 403, 200, 403, 200)),
    "jury:round_fill": Row((302, 405, 405, 405, 405, 405, 405, 405, 405)),
    "jury:round_update": Row((302, 403, 403, 403, 403, 403, 200, 403, 200)),
    "jury:rounds": Row((302, 403, 403, 403, 403, 403, 200, 403, 200)),
    "jury:round_scoring_extend": Row((302, 405, 405, 405, 405, 405, 405, 405, 405)),
    "jury:selection_publish": Row((302, 405, 405, 405, 405, 405, 405, 405, 405)),
    "jury:selection_withdraw": Row((302, 405, 405, 405, 405, 405, 405, 405, 405)),
    "opendata:api_docs": Row((200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "opendata:applications_csv": Row((302, 403, 403, 403, 403, 403, 200, 403, 200)),
    "opendata:applications_xlsx": Row((302, 403, 403, 403, 403, 403, 200, 403, 200)),
    "opendata:data": Row((200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "opendata:data_file": Row((200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "opendata:dossier_zip": Row((302, 200, 200, 404, 404, 404, 200, 404, 200)),
    "opendata:contests": Row((200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "opendata:editions": Row((200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "opendata:evaluations_csv": Row((302, 403, 403, 403, 403, 403, 200, 403, 200)),
    "opendata:evaluations_xlsx": Row((302, 403, 403, 403, 403, 403, 200, 403, 200)),
    "opendata:events": Row((200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "opendata:laureates": Row((200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "opendata:openapi": Row((200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "opendata:organisation": Row((404, 404, 404, 404, 404, 404, 404, 404, 404)),
    "opendata:organisations": Row((200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "opendata:results_csv": Row((302, 403, 403, 403, 403, 403, 200, 403, 200)),
    "opendata:results_xlsx": Row((302, 403, 403, 403, 403, 403, 200, 403, 200)),
    "opendata:themes": Row((200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "robots_txt": Row((200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "security_txt": Row((200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "set_language": Row((302, 302, 302, 302, 302, 302, 302, 302, 302)),
    "territories:organisation_create": Row((302, 403, 403, 403, 403, 403, 200, 403, 200)),
    "territories:organisation_detail": Row((200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "territories:organisation_list": Row((200, 200, 200, 200, 200, 200, 200, 200, 200)),
}


def _project_names() -> set[str]:
    # The technical admin (admin-technique/) is Django's, guarded as a whole by admin_view.
    return {name for name in named_patterns() if not name.startswith("admin:")}


def test_every_named_url_has_a_row():
    missing = sorted(_project_names() - set(MATRIX))

    assert missing == [], "Add these URL names to MATRIX (test_access_matrix.py): " + ", ".join(
        missing
    )


def test_matrix_names_only_existing_urls():
    assert sorted(set(MATRIX) - _project_names()) == []


CASES = [
    pytest.param(name, persona, id=f"{name}[{persona}]")
    for name, row in sorted(MATRIX.items())
    for persona in PERSONAS
    if not row.skip
]


@pytest.mark.parametrize(("name", "persona"), CASES)
def test_access(world, db, name, persona):
    cache.clear()
    expected = MATRIX[name].statuses[PERSONAS.index(persona)]
    path = reverse(name, kwargs=_kwargs(name, world))

    response = _client(persona, world).get(path)

    assert response.status_code == expected, f"GET {path} as {persona}"


@pytest.mark.parametrize("name", ["awards:deliberation", "awards:minutes"])
def test_conflicted_organiser_gets_the_2028_documents_without_the_dossier(world, db, name):
    """Allowed, but screened: Rennes's 2028 dossier is absent from the board and the minutes."""
    path = reverse(name, kwargs=_kwargs(name, world))
    texts = {}
    for persona in ("organiser", "conflicted_organiser"):
        response = _client(persona, world).get(path)
        is_pdf = response["Content-Type"] == "application/pdf"
        texts[persona] = pdf_text(response.content) if is_pdf else response.text

    for persona, present in (("organiser", True), ("conflicted_organiser", False)):
        assert ("LTI-2028-0001" in texts[persona]) is present, persona
        assert (publication_setup.LAUREATE_TITLE in texts[persona]) is present, persona


# The one-URL-per-action endpoints: the answer each persona gets to a POST with an empty form,
# that is the permission each action checks before anything else (same personas as the page
# the action belongs to). An organiser's action may change the world: each test's own
# transaction is rolled back.
POST_MATRIX: dict[str, Row] = {
    "applications:attachment_add": Row((302, 403, 403, 404, 404, 404, 403, 404, 403)),
    "applications:video_link": Row((302, 403, 403, 404, 404, 404, 403, 404, 403)),
    "applications:video_upload": Row((302, 403, 403, 404, 404, 404, 403, 404, 403)),
    # Re-staging the 2028 proposals: the deliberation is validated, so the organiser is sent back
    # to the board with the refusal; an organiser in conflict in the edition may not stage.
    "awards:stage": Row((302, 403, 403, 403, 403, 403, 302, 403, 403)),
    # The palmarès import of a contest: an empty form carries no file, the upload page says so.
    "awards:palmares_import_confirm": Row((302, 403, 403, 403, 403, 403, 400, 403, 400)),
    "awards:palmares_import_preview": Row((302, 403, 403, 403, 403, 403, 400, 403, 400)),
    # Organisers: opening and closing a call that is not ready are refused with a message on the
    # checklist (302); an empty new deadline is shown again with its error (400).
    "contests:edition_call_close": Row((302, 403, 403, 403, 403, 403, 302, 403, 302)),
    "contests:edition_call_extend": Row((302, 403, 403, 403, 403, 403, 400, 403, 400)),
    "contests:edition_call_open": Row((302, 403, 403, 403, 403, 403, 302, 403, 302)),
    # Taking the contest's distinctions: organisers, sent back to the distinctions page.
    "contests:edition_take_distinctions": Row((302, 403, 403, 403, 403, 403, 302, 403, 302)),
    "jury:assignment_add": Row((302, 403, 403, 403, 403, 403, 200, 403, 200)),
    "jury:assignment_loads": Row((302, 403, 403, 403, 403, 403, 302, 403, 302)),
    "jury:assignment_remove": Row((302, 403, 403, 403, 403, 403, 404, 403, 404)),
    "jury:assignment_run": Row((302, 403, 403, 403, 403, 403, 200, 403, 200)),
    "jury:audition_attendance": Row((302, 403, 403, 403, 403, 403, 302, 403, 302)),
    "jury:audition_invite": Row((302, 403, 403, 403, 403, 403, 302, 403, 302)),
    "jury:audition_availability_request": Row((302, 403, 403, 403, 403, 403, 302, 403, 302)),
    "jury:audition_schedule": Row((302, 403, 403, 403, 403, 403, 302, 403, 302)),
    "jury:audition_session_create": Row((302, 403, 403, 403, 403, 403, 200, 403, 200)),
    "jury:audition_session_delete": Row((302, 403, 403, 403, 403, 403, 302, 403, 302)),
    "jury:audition_session_done": Row((302, 403, 403, 403, 403, 403, 302, 403, 302)),
    "jury:eligibility_bulk": Row((302, 403, 403, 403, 403, 403, 302, 403, 302)),
    "jury:evaluation_submit": Row((302, 404, 404, 404, 400, 404, 404, 404, 404)),
    "jury:invitation_accept": Row((404, 404, 404, 404, 404, 404, 404, 404, 404)),
    "jury:invitation_decline": Row((404, 404, 404, 404, 404, 404, 404, 404, 404)),
    "jury:juror_remove": Row((302, 403, 403, 403, 403, 403, 302, 403, 302)),
    "jury:juror_resend": Row((302, 403, 403, 403, 403, 403, 302, 403, 302)),
    "jury:juror_take": Row((302, 403, 403, 403, 403, 403, 200, 403, 200)),
    "jury:promotion_add": Row((302, 403, 403, 403, 403, 403, 302, 403, 302)),
    "jury:promotion_remove": Row((302, 403, 403, 403, 403, 403, 302, 403, 302)),
    "jury:promotions_apply": Row((302, 403, 403, 403, 403, 403, 302, 403, 302)),
    "jury:promotions_stage": Row((302, 403, 403, 403, 403, 403, 302, 403, 302)),
    "jury:round_fill": Row((302, 403, 403, 403, 403, 403, 302, 403, 302)),
    "jury:round_scoring_extend": Row((302, 403, 403, 403, 403, 403, 302, 403, 302)),
    "jury:selection_publish": Row((302, 403, 403, 403, 403, 403, 302, 403, 302)),
    "jury:selection_withdraw": Row((302, 403, 403, 403, 403, 403, 302, 403, 302)),
}


def test_post_rows_name_post_only_urls():
    """Each of them answers a GET with 405 (after the sign-in redirect for a visitor)."""
    assert sorted(name for name in POST_MATRIX if 405 not in MATRIX[name].statuses) == []


POST_CASES = [
    pytest.param(name, persona, id=f"{name}[{persona}]")
    for name in sorted(POST_MATRIX)
    for persona in PERSONAS
]


@pytest.mark.parametrize(("name", "persona"), POST_CASES)
def test_post_access(world, db, name, persona):
    cache.clear()
    expected = POST_MATRIX[name].statuses[PERSONAS.index(persona)]
    path = reverse(name, kwargs=_kwargs(name, world))

    response = _client(persona, world).post(path)

    assert response.status_code == expected, f"POST {path} as {persona}"
