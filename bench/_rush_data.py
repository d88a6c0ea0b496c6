"""The deadline rush's data (bench/rush.py), built and read back through Django.

`build` makes an edition of the Label « Territoire Innovant » whose applications phase is open,
and `count` applicants: each one a user with a confirmed membership to a distinct commune of the
referential (the most populous first) and a complete draft dossier, made by the real domain
functions (create_application, save_draft) so that submitting it can succeed. Each applicant
comes with a session key built server-side (no password, no login page: hashing passwords would
be the bottleneck, not the deadline) and the dossier form as the edit page would post it.

`arm` then sets the deadline: the start of the phase after « applications open », which is what
applications.domain.calendar reads. `dossiers` reads every dossier back after the rush.

Runs in the site's own environment (rush.py sets it before django.setup()).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

YEAR = 2040  # an edition year that no imported or demo edition uses
AGENT_DOMAIN = "rush.palmares.localhost"


@dataclass(frozen=True)
class Applicant:
    reference: str
    session_key: str
    version: int
    form: dict[str, str]  # the edit form's fields (without the CSRF token and the version)
    criterion: str  # the name of the first criterion's field, changed with the description


@dataclass(frozen=True)
class Dossier:
    state: str
    submitted_at: datetime | None
    description: str
    criterion_text: str


def build(count: int) -> list[Applicant]:
    from django.db import transaction
    from django.utils import timezone

    from accounts.enums import MembershipState
    from accounts.models import Membership, User
    from applications import domain
    from applications.forms import ApplicationForm
    from contests import defaults
    from contests import domain as contests_domain
    from contests.enums import PhaseKind
    from contests.models import Contest, Theme
    from territories.models import Organisation
    from tests.browser.personas import session_key_for

    now = timezone.now()
    communes = list(
        Organisation.objects.filter(kind="commune", from_referential=True)
        .exclude(population=None)
        .order_by("-population", "slug")[:count]
    )
    if len(communes) < count:
        raise RuntimeError("The referential is missing: run import_territories first.")
    with transaction.atomic():
        organiser = User.objects.create(
            email=f"organisation@{AGENT_DOMAIN}", full_name="Organisation", is_organiser=True
        )
        contest = Contest.objects.get(slug=defaults.LABEL_TERRITOIRE_INNOVANT)
        edition = contests_domain.create_edition(contest, YEAR, by=organiser)
        theme = Theme.objects.create(
            edition=edition, name="Services publics numériques", slug="services", position=1
        )
        # Applications opened yesterday; the deadline (set by `arm`) is a placeholder until then,
        # and every later phase follows it.
        for offset, phase in enumerate(edition.phases.order_by("starts_at")):
            if phase.kind == PhaseKind.APPLICATIONS_OPEN:
                phase.starts_at = now - timedelta(days=1)
                # A new edition's call is unpublished (contests.call): the bench opens it.
                phase.may_apply = True
            elif phase.kind != PhaseKind.DRAFT:
                phase.starts_at = now + timedelta(days=30 + offset)
            else:
                phase.starts_at = now - timedelta(days=2)
            phase.save(update_fields=["starts_at", "may_apply"])
        criteria = list(edition.criteria.order_by("position"))
        applicants = []
        for commune in communes:
            user = User.objects.create(
                email=f"agent.{commune.slug}@{AGENT_DOMAIN}", full_name=f"Agent – {commune.name}"
            )
            user.set_unusable_password()
            user.save(update_fields=["password"])
            Membership.objects.create(
                user=user, organisation=commune, state=MembershipState.CONFIRMED, decided_at=now
            )
            application = domain.create_application(edition, commune, by=user)
            form = dossier_form(commune.name, theme.slug, criteria)
            # Through the edit page's form, as the view saves it.
            bound = ApplicationForm(
                {**form, "version": str(application.version)}, application=application
            )
            if not bound.is_valid():
                raise RuntimeError(f"The rush's dossier form is invalid: {bound.errors}")
            application = domain.save_draft(
                application, bound.changes(), expected_version=application.version, by=user
            )
            if domain.missing_for_submission(application):
                raise RuntimeError(f"{application.reference} is not complete")
            applicants.append(
                Applicant(
                    reference=application.reference,
                    session_key=session_key_for(user),
                    version=application.version,
                    form=form,
                    criterion=f"criterion_{criteria[0].pk}",
                )
            )
    return applicants


def dossier_form(name: str, theme: str, criteria: list) -> dict[str, str]:
    """Every field of the edit form, as a browser posts it (empty fields included)."""
    return {
        "theme": theme,
        "title": f"Guichet numérique de {name}",
        "summary": f"Les démarches de {name} en ligne, accessibles à tous.",
        "description": "Première version de la description.",
        "project_stage": "idea",
        "started_on": "",
        "deployed_on": "",
        "budget_euros": "",
        "funding": "",
        "audience": "Les habitants et les agents d'accueil.",
        "indicators": "",
        "repository_url": "",
        "licence": "",
        "contact_name": f"Chargée de projet – {name}"[:150],
        "contact_email": f"projet@{AGENT_DOMAIN}",
        "contact_phone": "",
        "partner_query": "",
        **{
            f"criterion_{criterion.pk}": f"Notre réponse : {criterion.name}."
            for criterion in criteria
        },
    }


def arm(deadline: datetime) -> str:
    """Close the applications at `deadline`; the exact French message a late submission gets."""
    from django.utils import translation

    from applications import domain
    from applications.models import Application
    from contests.enums import PhaseKind
    from contests.models import Phase

    Phase.objects.filter(edition__year=YEAR, kind=PhaseKind.APPLICATIONS_CLOSED).update(
        starts_at=deadline
    )
    application = Application.objects.filter(edition__year=YEAR).first()
    with translation.override("fr"):
        try:
            domain.check_deadline(application, deadline)
        except domain.SubmissionRefused as refused:
            return refused.message
    raise RuntimeError("check_deadline accepted a submission at the deadline")


def dossiers(criterion_field: str) -> dict[str, Dossier]:
    """Every rush dossier by reference: state, submission time, and the two changed texts."""
    from applications.models import Application, CriterionAnswer

    criterion_id = int(criterion_field.removeprefix("criterion_"))
    answers = dict(
        CriterionAnswer.objects.filter(criterion_id=criterion_id).values_list(
            "application__reference", "text"
        )
    )
    return {
        row["reference"]: Dossier(
            state=row["state"],
            submitted_at=row["submitted_at"],
            description=row["description"],
            criterion_text=answers.get(row["reference"], ""),
        )
        for row in Application.objects.filter(edition__year=YEAR).values(
            "reference", "state", "submitted_at", "description"
        )
    }
