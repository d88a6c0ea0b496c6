"""The one registry of pages the browser tests visit.

Every named URL pattern of the project is either registered here (visited in Chromium as a
persona, checked with axe-core and against the page budget) or excluded below with the reason.
`test_registry.py` fails when a named pattern is in neither list.

Adding a page is one line in PAGES, e.g.:

    Page("contests:edition_detail", "organiser", {"contest_slug": LABEL, "year": 2024}),
    Page("contests:dashboard", "visitor", status=302),   # redirected to the login page

The browser site holds the real referential and the imported palmarès (data/palmares.csv), and
the personas of tests/browser/personas.py. `status` is the status of the first response, before
any redirect is followed; the page audited is the one the browser ends on.
"""

from dataclasses import dataclass, field

from django.urls import reverse

from demo.awards import session_reference
from demo.jury import JUROR_DOMAIN, juror_reference

PERSONAS = ("visitor", "applicant", "other_applicant", "organiser", "juror", "finalist")

# Slugs, years and codes that exist on the browser site (seeded contests, imported palmarès, and
# the fixed data of tests/browser/personas.py).
LABEL = "label-territoire-innovant"
AMBASSADONDES = "2024-ambassadondes-balade-urbaine-de-decouverte-des-champs-electromagnetiques"
RENNES_MEMBERSHIP = "00000000-0000-4000-8000-000000000001"
SHARING_TOKEN = "demande-de-demonstration"
RENNES_DRAFT = "LTI-2027-0001"
SUBMITTED_DOSSIER = "LTI-2027-0016"
# The jury stage (seed_demo --stage jury --year 2028): the « grand-ouest » regional round, a
# dossier the "juror" persona evaluates (submitted) and one still to evaluate, and a dossier
# the Région Bretagne's juror is in conflict with.
E2028 = {"contest_slug": LABEL, "year": 2028}
GRAND_OUEST = {**E2028, "round_slug": "grand-ouest"}
JUROR_DONE = "LTI-2028-0023"
JUROR_TODO = "LTI-2028-0041"
# The deliberation stage (2029: auditions held, deliberation open) and a published edition (2030).
E2029 = {"contest_slug": LABEL, "year": 2029}
E2030 = {"contest_slug": LABEL, "year": 2030}
AUDITIONS_2029 = {**E2029, "round_slug": "auditions"}
FINALIST = "LTI-2029-0025"
PUBLISHED_DOSSIER = "LTI-2030-0025"
SESSION_1 = str(session_reference(2029, 1))
BRETAGNE_JUROR = str(juror_reference(f"bretagne@{JUROR_DOMAIN}", 2028, "grand-ouest"))
BRETAGNE_CONFLICT = {
    **GRAND_OUEST,
    "juror": BRETAGNE_JUROR,
    "reference": "LTI-2028-0023",
    "reason_code": "within_region",
}


@dataclass(frozen=True)
class Page:
    name: str  # "namespace:name", as given to reverse()
    persona: str = "visitor"
    kwargs: dict[str, object] = field(default_factory=dict)
    status: int = 200

    def __post_init__(self):
        if self.persona not in PERSONAS:
            raise ValueError(f"{self.name}: unknown persona {self.persona!r}")

    @property
    def path(self) -> str:
        return reverse(self.name, kwargs=self.kwargs)

    @property
    def id(self) -> str:
        arguments = ",".join(f"{key}={value}" for key, value in sorted(self.kwargs.items()))
        return (
            f"{self.name}({arguments})[{self.persona}]"
            if arguments
            else f"{self.name}[{self.persona}]"
        )


E2024 = {"contest_slug": LABEL, "year": 2024}
# A 2019 IntercoTOUR stage (import_events data/events_2019.csv) and a Forum of import_palmares.
OCCITANIE_2019 = {"slug": "intercotour-occitanie-2019"}
ILE_DE_FRANCE_2019 = {"slug": "intercotour-ile-de-france-2019"}
FORUM_2024 = {"slug": "forum-des-interconnectes-2024"}
EDITION_PAGES = (
    "contests:edition_detail",
    "contests:edition_update",
    "contests:edition_themes",
    "contests:edition_criteria",
    "contests:edition_levels",
    "contests:edition_distinctions",
    "contests:edition_phases",
    "contests:edition_copy",
    "contests:edition_call",
    "contests:edition_rules",
)

PAGES: list[Page] = [
    Page("catalogue:home"),
    Page("catalogue:home", "applicant"),
    Page("catalogue:home", "organiser"),
    Page("catalogue:accessibility"),
    # The statement's detail, a page per RGAA topic: the longest (10, 14 criteria) and a short one.
    Page("catalogue:accessibility_topic", kwargs={"topic": 10}),
    Page("catalogue:accessibility_topic", kwargs={"topic": 6}),
    # The public calls: 2027 is open (seed_demo --stage applications), 2028's is closed.
    Page("calls:list"),
    Page("calls:detail", kwargs={"contest_slug": LABEL, "year": 2027}),
    Page("calls:detail", "applicant", {"contest_slug": LABEL, "year": 2027}),
    Page("calls:detail", kwargs=E2028),
    Page("contests:edition_call", "organiser", {"contest_slug": LABEL, "year": 2027}),
    Page("catalogue:legal"),
    # Accounts.
    Page("accounts:login"),
    Page("accounts:signup"),
    Page("accounts:signup", "applicant", status=302),
    Page("accounts:signup_done"),
    Page("accounts:password_change", "applicant"),
    Page("accounts:password_change", status=302),
    Page("accounts:password_reset"),
    Page("accounts:password_reset_done"),
    Page("accounts:password_reset_complete"),
    Page("accounts:account", status=302),
    Page("accounts:account", "applicant"),
    Page("accounts:account", "organiser"),
    # « Mes données » (issue 17): the juror may delete their account, the organiser may not
    # while sole organiser (the refusal is shown instead of the form).
    Page("accounts:my_data", status=302),
    Page("accounts:my_data", "applicant"),
    Page("accounts:my_data", "organiser"),
    # Two-factor authentication (issue 8): the organiser persona has no authenticator, the juror
    # persona has one (tests/browser/personas.py); both are signed in with both factors.
    Page("accounts:two_factor", "organiser"),
    Page("accounts:two_factor", "juror"),
    Page("accounts:two_factor", status=302),
    Page("accounts:two_factor_enrol", "organiser"),
    Page("accounts:two_factor_enrol", "juror"),
    Page("accounts:two_factor_verify", "juror"),
    Page("accounts:two_factor_verify", "organiser", status=302),
    Page("accounts:two_factor_recovery_codes", "juror"),
    # The emailed link of a first enrolment, not valid here (tests/accounts cover the flow).
    Page("accounts:two_factor_enrol_link", kwargs={"token": "lien-invalide"}, status=400),
    # A token that is not valid: the page says so (the valid flow is covered by unit tests).
    Page("accounts:confirm_email", kwargs={"token": "lien-invalide"}, status=400),
    # Referential.
    Page("territories:organisation_list"),
    Page("territories:organisation_detail", kwargs={"slug": "rennes-35238"}),
    Page("territories:organisation_detail", kwargs={"slug": "rennes-metropole-243500139"}),
    Page("territories:organisation_create", "organiser"),
    Page("territories:organisation_create", "applicant", status=403),
    Page("territories:organisation_create", status=302),
    # Organiser pages.
    Page("contests:dashboard", "organiser"),
    Page("contests:dashboard", "applicant", status=403),
    Page("contests:dashboard", status=302),
    Page("contests:contest_create", "organiser"),
    Page("contests:contest_create", "applicant", status=403),
    Page("contests:contest_detail", "organiser", {"contest_slug": LABEL}),
    Page("contests:contest_update", "organiser", {"contest_slug": LABEL}),
    Page("contests:contest_levels", "organiser", {"contest_slug": LABEL}),
    Page("contests:contest_criteria", "organiser", {"contest_slug": LABEL}),
    Page("contests:contest_distinctions", "organiser", {"contest_slug": LABEL}),
    Page("contests:contest_detail", "applicant", {"contest_slug": LABEL}, status=403),
    Page("awards:palmares_import", "organiser", {"contest_slug": LABEL}),
    Page("awards:palmares_import", "applicant", {"contest_slug": LABEL}, status=403),
    Page("contests:edition_create", "organiser", {"contest_slug": LABEL}),
    Page("contests:edition_create", "other_applicant", {"contest_slug": LABEL}, status=403),
    *(Page(name, "organiser", E2024) for name in EDITION_PAGES),
    *(Page(name, "applicant", E2024, status=403) for name in EDITION_PAGES),
    # Memberships.
    Page("accounts:attach", "applicant"),
    Page("accounts:attach", status=302),
    Page("accounts:company_create", "applicant"),
    Page("accounts:company_create", status=302),
    Page("accounts:memberships", "organiser"),
    Page("accounts:memberships", "applicant", status=403),
    Page("accounts:memberships", status=302),
    Page("accounts:membership_decide", "organiser", {"reference": RENNES_MEMBERSHIP}),
    Page(
        "accounts:membership_decide",
        "other_applicant",
        {"reference": RENNES_MEMBERSHIP},
        status=403,
    ),
    Page("accounts:organisation_domains", "organiser", {"slug": "epernay-51230"}),
    Page("accounts:organisation_domains", "applicant", {"slug": "epernay-51230"}, status=403),
    Page("accounts:organisation_domains", kwargs={"slug": "epernay-51230"}, status=302),
    # Dossiers, applicant side (seed_demo: LTI-2027-0001 is Rennes's draft, 0016 submitted).
    Page("applications:my_applications", "applicant"),
    Page("applications:my_applications", "other_applicant"),
    Page("applications:my_applications", status=302),
    Page("applications:create", "applicant", {"contest_slug": LABEL, "year": 2027}),
    Page("applications:create", "other_applicant", E2024, status=403),
    Page("applications:detail", "applicant", {"reference": RENNES_DRAFT}),
    Page("applications:detail", "organiser", {"reference": SUBMITTED_DOSSIER}),
    # A dossier of the published 2030 edition: its page shows the result.
    Page("applications:detail", "organiser", {"reference": PUBLISHED_DOSSIER}),
    Page("applications:detail", "other_applicant", {"reference": RENNES_DRAFT}, status=404),
    Page("applications:edit", "applicant", {"reference": RENNES_DRAFT}),
    Page("applications:edit", "other_applicant", {"reference": RENNES_DRAFT}, status=404),
    Page("applications:withdraw", "applicant", {"reference": RENNES_DRAFT}),
    Page("applications:files", "applicant", {"reference": RENNES_DRAFT}),
    Page("applications:files", "organiser", {"reference": RENNES_DRAFT}),
    Page("applications:files", "other_applicant", {"reference": RENNES_DRAFT}, status=404),
    Page("applications:files", kwargs={"reference": RENNES_DRAFT}, status=302),
    Page("applications:reopen", "organiser", {"reference": SUBMITTED_DOSSIER}),
    Page("applications:reopen", "applicant", {"reference": SUBMITTED_DOSSIER}, status=403),
    # Dossiers, organiser side (the 2024 edition is historical: its lists are empty).
    Page("applications:edition_applications", "organiser", E2024),
    Page("applications:edition_applications", "applicant", E2024, status=403),
    Page("applications:edition_applications", kwargs=E2024, status=302),
    Page("applications:mailing", "organiser", E2024),
    Page("applications:mailing", "other_applicant", E2024, status=403),
    Page("applications:edition_questions", "organiser", E2024),
    Page("applications:edition_questions", "applicant", E2024, status=403),
    # Public palmarès: search, editions, projects, sharing, badges.
    Page("catalogue:palmares"),
    Page("catalogue:palmares", "applicant"),
    Page("catalogue:edition", kwargs={"year": 2024}),
    Page("catalogue:edition", kwargs={"year": 2021}),
    Page("catalogue:edition", kwargs={"year": 2019}, status=404),
    Page("catalogue:project", kwargs={"slug": AMBASSADONDES}),
    Page("catalogue:project", "applicant", {"slug": AMBASSADONDES}),
    Page("catalogue:project", kwargs={"slug": "2013-grand-lyon-smartdata"}),
    Page("catalogue:project_experience_edit", "applicant", {"slug": AMBASSADONDES}),
    Page(
        "catalogue:project_experience_edit", "other_applicant", {"slug": AMBASSADONDES}, status=403
    ),
    Page("catalogue:project_experience_edit", kwargs={"slug": AMBASSADONDES}, status=302),
    Page("catalogue:experience_request", "other_applicant", {"slug": AMBASSADONDES}),
    Page("catalogue:experience_request", "other_applicant", {"slug": "2024-pulse-bordeaux"}),
    Page("catalogue:experience_request", kwargs={"slug": AMBASSADONDES}, status=302),
    Page("catalogue:experience_answer", "applicant", {"token": SHARING_TOKEN}),
    Page("catalogue:experience_answer", "other_applicant", {"token": SHARING_TOKEN}),
    Page("catalogue:experience_answer", "organiser", {"token": SHARING_TOKEN}, status=403),
    Page("catalogue:who_did_it"),
    Page("catalogue:who_did_it", "applicant"),
    Page("catalogue:badge", kwargs={"slug": AMBASSADONDES}),
    Page("catalogue:badge", kwargs={"slug": "projet-inconnu"}, status=404),
    Page("catalogue:badge_verify", kwargs={"slug": AMBASSADONDES}),
    Page("catalogue:badge_verify", kwargs={"slug": "projet-inconnu"}, status=404),
    # Contests (issue 16): each contest's public pages.
    Page("catalogue:contests"),
    # Map, statistics, transparency.
    Page("catalogue:map"),
    Page("catalogue:map_table"),
    Page("catalogue:statistics"),
    Page("catalogue:statistics_tables"),
    Page("catalogue:transparency", kwargs={"year": 2024}),
    Page("catalogue:transparency", kwargs={"year": 2022}),
    Page("catalogue:transparency_edit", "organiser", {"year": 2024}),
    Page("catalogue:transparency_edit", "applicant", {"year": 2024}, status=403),
    Page("catalogue:transparency_edit", kwargs={"year": 2024}, status=302),
    # Events (issue 8): the Forum and the IntercoTOUR stages, public; organisers manage them.
    Page("events:list"),
    Page("events:list", "organiser"),
    Page("events:detail", kwargs=OCCITANIE_2019),
    Page("events:detail", kwargs=ILE_DE_FRANCE_2019),
    Page("events:detail", kwargs=FORUM_2024),
    Page("events:detail", kwargs={"slug": "etape-inconnue"}, status=404),
    # The emails not delivered yet (notifications' outbox), organisers only.
    Page("contests:outbox", "organiser"),
    Page("contests:outbox", "applicant", status=403),
    Page("contests:outbox", status=302),
    Page("contests:events", "organiser"),
    Page("contests:events", "applicant", status=403),
    Page("contests:events", status=302),
    Page("contests:event_create", "organiser"),
    Page("contests:event_create", "applicant", status=403),
    Page("contests:event_update", "organiser", OCCITANIE_2019),
    Page("contests:event_update", "organiser", FORUM_2024),
    Page("contests:event_update", "other_applicant", OCCITANIE_2019, status=403),
    # Open data and the API's documentation (issue 7).
    Page("opendata:data"),
    Page("opendata:data", "organiser"),
    Page("opendata:api_docs"),
    Page("opendata:api_docs", "applicant"),
    # Selection and jury (issue 4): organisers' pages.
    Page("jury:eligibility", "organiser", E2028),
    Page("jury:eligibility", "applicant", E2028, status=403),
    Page("jury:eligibility", kwargs=E2028, status=302),
    Page("jury:rounds", "organiser", E2028),
    Page("jury:rounds", "other_applicant", E2028, status=403),
    Page("jury:round_create", "organiser", E2028),
    Page("jury:round_create", "applicant", E2028, status=403),
    Page("jury:round_detail", "organiser", GRAND_OUEST),
    Page("jury:round_detail", "juror", GRAND_OUEST, status=403),
    Page("jury:round_detail", kwargs=GRAND_OUEST, status=302),
    Page("jury:round_update", "organiser", GRAND_OUEST),
    Page("jury:promotions", "organiser", GRAND_OUEST),
    Page("jury:promotions", "applicant", GRAND_OUEST, status=403),
    Page("jury:assignment", "organiser", GRAND_OUEST),
    Page("jury:assignment", "juror", GRAND_OUEST, status=403),
    Page("jury:jurors", "organiser", GRAND_OUEST),
    Page("jury:jurors", kwargs=GRAND_OUEST, status=302),
    Page("jury:jurors", "juror", GRAND_OUEST, status=403),
    Page("jury:juror_invite", "organiser", GRAND_OUEST),
    Page("jury:juror_update", "organiser", {**GRAND_OUEST, "juror": BRETAGNE_JUROR}),
    Page("jury:juror_update", "juror", {**GRAND_OUEST, "juror": BRETAGNE_JUROR}, status=403),
    Page("jury:conflicts", "organiser", GRAND_OUEST),
    Page("jury:conflicts", "juror", GRAND_OUEST, status=403),
    Page("jury:conflict_decide", "organiser", BRETAGNE_CONFLICT),
    Page("jury:declare_conflicts", "juror", GRAND_OUEST),
    Page("jury:declare_conflicts", "applicant", GRAND_OUEST, status=403),
    Page("jury:progress", "organiser", GRAND_OUEST),
    Page("jury:progress", "applicant", GRAND_OUEST, status=403),
    Page("jury:entry_scores", "organiser", {**GRAND_OUEST, "reference": JUROR_DONE}),
    Page("jury:entry_scores", "juror", {**GRAND_OUEST, "reference": JUROR_DONE}, status=403),
    # Auditions (issue 5).
    Page("jury:auditions", "organiser", AUDITIONS_2029),
    Page("jury:auditions", "applicant", AUDITIONS_2029, status=403),
    Page("jury:auditions", kwargs=AUDITIONS_2029, status=302),
    Page("jury:audition_planning", "organiser", AUDITIONS_2029),
    Page("jury:audition_planning", "juror", AUDITIONS_2029, status=403),
    Page("jury:audition_session", "organiser", {**AUDITIONS_2029, "session": SESSION_1}),
    Page("jury:availability", "finalist", {"reference": FINALIST}),
    Page("jury:availability", "other_applicant", {"reference": FINALIST}, status=404),
    Page("jury:juror_round", "juror", AUDITIONS_2029),
    Page("jury:evaluation", "juror", {**AUDITIONS_2029, "reference": FINALIST}),
    # Deliberation (issue 5).
    Page("awards:deliberation", "organiser", E2029),
    Page("awards:deliberation", "juror", E2029),
    Page("awards:deliberation", "applicant", E2029, status=403),
    Page("awards:deliberation", kwargs=E2029, status=302),
    Page("awards:decision", "organiser", {**E2029, "reference": FINALIST}),
    Page("awards:decision", "finalist", {**E2029, "reference": FINALIST}, status=403),
    Page("awards:validate", "organiser", E2029, status=403),
    # Documents of the results (issue 5): the press release of a published edition, none under
    # embargo or for a year without awards.
    Page("awards:press_release", kwargs={"year": 2024}),
    Page("awards:press_release", kwargs={"year": 2030}),
    Page("awards:press_release", kwargs={"year": 2029}, status=404),
    Page("awards:press_release", kwargs={"year": 2019}, status=404),
    # Publication (issue 5): what will be published (2029), what was (2030).
    Page("awards:publication", "organiser", E2029),
    Page("awards:publication", "organiser", E2030),
    Page("awards:publication", "applicant", E2029, status=403),
    Page("awards:publication", kwargs=E2029, status=302),
    # Jurors' pages.
    Page("jury:home", "juror"),
    Page("jury:home", "applicant"),
    Page("jury:home", status=302),
    Page("jury:juror_round", "juror", GRAND_OUEST),
    Page("jury:juror_round", "applicant", GRAND_OUEST, status=403),
    Page("jury:evaluation", "juror", {**GRAND_OUEST, "reference": JUROR_TODO}),
    Page("jury:evaluation", "juror", {**GRAND_OUEST, "reference": JUROR_DONE}),
    Page("jury:evaluation", "applicant", {**GRAND_OUEST, "reference": JUROR_TODO}, status=404),
    # The regional selection phase does not show the other jurors' scores.
    Page("jury:other_scores", "juror", {**GRAND_OUEST, "reference": JUROR_DONE}, status=403),
]

# Named patterns that are deliberately not visited, each with the reason.
EXCLUDED: dict[str, str] = {
    # Django's i18n view changes the language on POST only (a GET merely redirects); the language
    # switch form that posts to it is part of every registered page and is audited there.
    "set_language": "POST-only endpoint, its form is on every page",
    "robots_txt": "plain text for crawlers, not a page (tests/palmares/test_wellknown.py)",
    "security_txt": "plain text (RFC 9116), not a page (tests/palmares/test_wellknown.py)",
    # LogoutView answers POST only; its button is in the header of every signed-in page.
    "accounts:logout": "POST-only action, its form is on every signed-in page",
    # Sends a new confirmation email; POST only (GET answers 405), its button is on the account
    # page.
    "accounts:resend_confirmation": "POST-only action, its form is on the account page",
    "accounts:my_data_archive": "a ZIP download, not a page (tests/accounts/test_my_data.py)",
    "accounts:delete_account": "POST-only action, its form is on « Mes données »",
    "contests:edition_take_distinctions": (
        "POST-only action, its form is on the edition's distinctions page"
    ),
    "accounts:two_factor_qr": "SVG image shown by the enrolment page, which is audited",
    # OpenID Connect steps: redirects to and from the provider, not pages; their messages show
    # on the login and landing pages (tests/accounts/oidc, against a real provider).
    "accounts:oidc_login": "redirect to the identity provider, not a page",
    "accounts:oidc_callback": "the provider's return: signs in and redirects, not a page",
    "accounts:oidc_logout_callback": "the provider's return after logout: redirects home",
    **{
        f"opendata:{name}": "JSON API, not a page; tests/opendata"
        for name in (
            "contests",
            "laureates",
            "editions",
            "themes",
            "organisations",
            "organisation",
            "events",
            "openapi",
        )
    },
    "opendata:data_file": "open-data file, not a page; tests/opendata/test_files.py",
    **{
        f"opendata:{name}": "download, not a page; tests/opendata/test_exports*.py"
        for name in (
            "applications_csv",
            "applications_xlsx",
            "results_csv",
            "results_xlsx",
            "evaluations_csv",
            "evaluations_xlsx",
            "dossier_zip",
        )
    },
    "applications:autosave": "POST-only JSON endpoint of the edit page's script",
    "applications:submit": "POST-only action, its button is on the edit page",
    "applications:attachment_download": "file download; access in test_files_downloads.py",
    "applications:video_download": "file download; access in test_files_downloads.py",
    "applications:receipt_download": "PDF download; access in test_files_downloads.py",
    "applications:attachment_delete": "POST-only action, its form is on the files page",
    "applications:video_remove": "POST-only action, its form is on the files page",
    **{
        f"applications:{name}": "POST-only action, its form is on the files page"
        for name in ("attachment_add", "video_upload", "video_link")
    },
    # Django's reset view redirects an unknown token to a session-bound URL, which only an email
    # link starts; the valid and invalid flows are covered by the accounts tests.
    "accounts:password_reset_confirm": "token link from an email",
    "jury:progress_remind": "POST-only action, its button is on the progress page",
    "contests:contest_organiser_add": "POST-only action, its form is on the contest page",
    "contests:contest_organiser_remove": "POST-only action, its button is on the contest page",
    "logos:contest": "an image, not a page; tests/contests/test_contest_pages.py",
    "contests:outbox_resend": "POST-only action, its button is on the outbox page",
    "contests:outbox_resend_all": "POST-only action, its button is on the outbox page",
    **{
        f"contests:{name}": "POST-only action, its form is on the call's checklist page"
        for name in ("edition_call_open", "edition_call_close", "edition_call_extend")
    },
    "calls:rules_pdf": "PDF download; tests/applications/test_call_pages.py",
    "jury:audition_invitation": ".ics download; tests/jury/test_auditions_views.py",
    "jury:juror_calendar": ".ics download; tests/jury/test_auditions_views.py",
    "events:ics": ".ics download; tests/contests/test_events_pages.py",
    "events:calendar": ".ics download; tests/contests/test_events_pages.py",
    **{
        f"jury:{name}": "POST-only action, its form is on the round's page"
        for name in (
            "selection_publish",
            "selection_withdraw",
            "round_fill",
            "round_scoring_extend",
        )
    },
    **{
        f"jury:{name}": "POST-only action, its form is on the promotions page"
        for name in ("promotions_stage", "promotion_add", "promotion_remove", "promotions_apply")
    },
    **{
        f"jury:{name}": "POST-only action, its form is on the assignment page"
        for name in ("assignment_run", "assignment_add", "assignment_remove", "assignment_loads")
    },
    "jury:juror_take": "POST-only action, its form is on the round's jurors page",
    "jury:eligibility_bulk": "POST-only action, its form is on the eligibility page",
    "jury:evaluation_submit": "POST-only action, the second button of the evaluation form",
    **{
        f"jury:{name}": "POST-only action, its form is on the auditions page"
        for name in (
            "audition_session_create",
            "audition_schedule",
            "audition_invite",
            "audition_availability_request",
            "audition_attendance",
            "audition_session_done",
        )
    },
    "jury:audition_session_delete": "POST-only action, its form is on the session's page",
    **{
        f"jury:{name}": "POST-only action, its form is on the juror's page"
        for name in ("juror_resend", "juror_remove")
    },
    **{
        f"jury:{name}": "POST-only action of the invitation page; tests/jury"
        for name in ("invitation_accept", "invitation_decline")
    },
    "awards:press_release_md": "Markdown download; tests/awards/test_documents_press_release.py",
    "awards:press_release_pdf": "PDF download; tests/awards/test_documents_press_release.py",
    "awards:certificate": "PDF download; tests/awards/test_documents_certificate.py",
    "awards:minutes": "PDF download for organisers; tests/awards/test_documents_minutes.py",
    "awards:stage": "POST-only action, its button is on the deliberation page",
    "awards:publication_cancel": "POST-only action, its button is on the publication page",
    "awards:palmares_import_preview": (
        "POST-only: the preview of an uploaded file (tests/browser/test_palmares_import.py)"
    ),
    "awards:palmares_import_confirm": (
        "POST-only: imports the previewed file (tests/browser/test_palmares_import.py)"
    ),
    **{
        f"awards:{name}": (
            "POST-only action, its form is on the publication page (a refusal re-renders it)"
        )
        for name in ("unexamined_decide", "unexamined_decide_all")
    },
    "jury:invitation": "token link from an email; every answer is tested in tests/jury",
    "health:status": "JSON health check for the proxy and monitors, not a page; tests/health",
}

# Whole namespaces left out.
EXCLUDED_NAMESPACES: dict[str, str] = {
    # /admin-technique/: Django's own admin, for the technical team only, styled and tested by
    # Django; it is not part of the site the budgets and RGAA commitments cover.
    "admin": "technical admin (admin-technique/)",
}
