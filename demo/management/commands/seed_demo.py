"""`manage.py seed_demo --stage <stage> [--contest <slug>] [--year N]`: a realistic edition.

Builds the edition of next year (or `--year`) of a contest (`--contest`, the Label « Territoire
Innovant » by default) with its themes, its applications phase running now, and its demo
dossiers, each written by a demo agent of its lead structure; later stages carry it on to the
jury, the deliberation and the published results. Dossiers go through the real domain functions
(create, save the draft, submit), so the seed is also an end-to-end check of them.

This command is the same for every contest. What a contest's demo holds (themes, criteria,
leads, projects, juries) comes from its module in DEMOS: demo.collectivites for the label (45
dossiers of real collectivités), demo.companies for « Start-up Interconnectée » (18 fictitious
start-ups).

Running it again on a seeded edition changes nothing; an existing edition without dossiers (one
an organiser set up by hand) is refused rather than re-dated.
"""

import random
from datetime import datetime, time, timedelta
from types import ModuleType

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import User
from applications import domain
from applications.models import Application
from contests import call, defaults
from contests import domain as contests_domain
from contests.enums import PhaseKind
from contests.models import Contest, Edition, Theme
from demo import collectivites, companies

STAGES = ("applications", "jury", "deliberation", "published")
# Each contest's demo data: a module with DOSSIERS, SUBMITTED, INCOMPLETE, themes(),
# configure(edition), leads(), content(index, organisation, edition, rng), and
# jury_stage / deliberation_stage / published_stage(edition, organiser).
DEMOS: dict[str, ModuleType] = {
    defaults.LABEL_TERRITOIRE_INNOVANT: collectivites,
    defaults.START_UP_INTERCONNECTEE: companies,
}
SEED = 2024
ORGANISER_EMAIL = "organisation.demo@palmares.localhost"
# The demo call's rules: stored content in French (like the demo's dossiers), not interface text.
DEMO_RULES = (
    "Article 1 – Objet. Le concours « %(contest)s » %(year)s distingue des projets réalisés ou "
    "en cours de réalisation.\n\n"
    "Article 2 – Candidats. Peuvent candidater les structures indiquées sur cette page ; un "
    "dossier est porté par une structure, avec d'éventuels partenaires.\n\n"
    "Article 3 – Dossier. Le dossier est déposé sur la plateforme avant la date limite ; il peut "
    "être enregistré comme brouillon et complété jusqu'à cette date.\n\n"
    "Article 4 – Évaluation. Les dossiers recevables sont évalués par un jury selon les critères "
    "publiés sur cette page.\n\n"
    "(Règlement de démonstration.)"
)

# Days from today at which each phase starts; applications close in 30 days at noon.
PHASE_OFFSETS_DAYS: dict[PhaseKind, int] = {
    PhaseKind.DRAFT: -60,
    PhaseKind.APPLICATIONS_OPEN: -30,
    PhaseKind.APPLICATIONS_CLOSED: 30,
    PhaseKind.REGIONAL_SELECTION: 45,
    PhaseKind.JURY_SCORING: 60,
    PhaseKind.AUDITIONS: 90,
    PhaseKind.DELIBERATION: 105,
    PhaseKind.EMBARGO: 112,
    PhaseKind.PUBLISHED: 125,
    PhaseKind.ARCHIVED: 490,
}


def demo_module(contest: Contest) -> ModuleType:
    """The module holding `contest`'s demo data (DEMOS), or a French error naming those known."""
    if contest.slug not in DEMOS:
        raise CommandError(
            _(
                "Pas de données de démonstration pour le concours « %(contest)s ». Concours "
                "disponibles : %(contests)s."
            )
            % {"contest": contest.slug, "contests": ", ".join(DEMOS)}
        )
    return DEMOS[contest.slug]


class Command(BaseCommand):
    help = (
        "Construit des données de démonstration d'un concours jusqu'à une étape de la campagne : "
        "« applications » (candidatures ouvertes), « jury » (recevabilité faite, sélections "
        "régionales en cours, jurés affectés, une partie des notes), « deliberation » ou "
        "« published »."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--stage",
            required=True,
            help="Étape à atteindre : applications, jury, deliberation ou published.",
        )
        parser.add_argument(
            "--year",
            type=int,
            default=None,
            help="Année de l'édition (par défaut : l'an prochain).",
        )
        parser.add_argument(
            "--contest",
            default=defaults.LABEL_TERRITOIRE_INNOVANT,
            help=(
                "Identifiant du concours (par défaut : label-territoire-innovant ; "
                "aussi : start-up-interconnectee)."
            ),
        )

    def handle(self, *args, stage: str, year: int | None, contest: str = "", **options) -> None:
        if stage not in STAGES:
            raise CommandError(
                _(
                    "Étape inconnue ou pas encore disponible : « %(stage)s ». "
                    "Étapes disponibles : %(stages)s."
                )
                % {"stage": stage, "stages": ", ".join(STAGES)}
            )
        year = year or timezone.localdate().year + 1
        slug = contest or defaults.LABEL_TERRITOIRE_INNOVANT
        found = Contest.objects.filter(slug=slug).first()
        if found is None:
            raise CommandError(_("Aucun concours n'a l'identifiant « %(slug)s ».") % {"slug": slug})
        self.demo = demo_module(found)
        edition = Edition.objects.filter(contest=found, year=year).first()
        if edition is not None:
            count = Application.objects.filter(edition=edition).count()
            if count:
                if stage != "applications":
                    self.later_stages(edition, stage)
                    return
                message = _("L'édition %(edition)s a déjà %(count)s dossiers : rien à faire.")
                self.stdout.write(message % {"edition": edition, "count": count})
                return
            raise CommandError(
                _(
                    "L'édition %(edition)s existe déjà, sans dossier : elle n'a pas été "
                    "modifiée. Choisissez une autre année avec --year."
                )
                % {"edition": edition}
            )
        # One transaction: a failure leaves nothing half-built; receipts go after the commit.
        with transaction.atomic():
            edition = self.build_edition(found, year)
            submitted = self.build_dossiers(edition)
        day, hour = domain.format_paris(domain.submission_deadline(edition))
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Édition %(edition)s : %(count)s dossiers, dont %(submitted)s déposés ; "
                    "dépôt ouvert jusqu'au %(date)s à %(time)s (heure de Paris)."
                )
                % {
                    "edition": edition,
                    "count": self.demo.DOSSIERS,
                    "submitted": submitted,
                    "date": day,
                    "time": hour,
                }
            )
        )

        if stage != "applications":
            self.later_stages(edition, stage)

    def later_stages(self, edition: Edition, stage: str) -> None:
        """Run each stage after « applications » up to `stage`; each one is idempotent."""
        for later in STAGES[1 : STAGES.index(stage) + 1]:
            getattr(self, f"{later}_stage")(edition)

    def jury_stage(self, edition: Edition) -> None:
        summary = self.demo.jury_stage(edition, self.organiser())
        if not summary:
            self.stdout.write(
                _("L'édition %(edition)s a déjà ses tours de sélection.") % {"edition": edition}
            )
            return
        for name in summary.get("missing_events", []):
            self.stdout.write(
                self.style.WARNING(
                    _(
                        "L'étape « %(name)s » n'est pas importée (import_events) : son tour "
                        "régional est créé sans lien vers elle."
                    )
                    % {"name": name}
                )
            )
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Sélection régionale en cours : %(dossiers)s dossiers, %(jurors)s jurés, "
                    "%(assignments)s affectations, %(evaluations)s évaluations envoyées."
                )
                % {
                    "dossiers": summary["dossiers"],
                    "jurors": summary["jurors"],
                    "assignments": summary["assignments"],
                    "evaluations": summary["evaluations_submitted"],
                }
            )
        )

    def build_edition(self, contest: Contest, year: int) -> Edition:
        edition = contests_domain.create_edition(contest, year, by=self.organiser())
        Theme.objects.bulk_create(
            Theme(edition=edition, name=name, slug=slugify(name), position=position)
            for position, name in enumerate(self.demo.themes(), start=1)
        )
        self.demo.configure(edition)
        # Re-date the default calendar around today, so that applications are open now.
        today = timezone.localdate()
        zone = timezone.get_default_timezone()
        for phase in edition.phases.all():
            day = today + timedelta(days=PHASE_OFFSETS_DAYS[PhaseKind(phase.kind)])
            hour = time(12) if phase.kind == PhaseKind.APPLICATIONS_CLOSED else time(9)
            phase.starts_at = datetime.combine(day, hour, tzinfo=zone)
            phase.save(update_fields=["starts_at"])
        # The call as organisers would publish it: rules and contact, then opened from its
        # checklist (which refuses a call with something missing), so its public page shows.
        edition.rules_text = DEMO_RULES % {"contest": contest.name, "year": year}
        edition.contact_email = ORGANISER_EMAIL
        edition.save(update_fields=["rules_text", "contact_email"])
        return call.open_call(edition, by=self.organiser())

    def build_dossiers(self, edition: Edition) -> int:
        rng = random.Random(SEED)  # noqa: S311 (demo figures, not a secret)
        submitted = 0
        first_submitted = self.demo.DOSSIERS - self.demo.SUBMITTED
        edition = Edition.objects.prefetch_related("phases").get(pk=edition.pk)
        for index, (organisation, agent) in enumerate(self.demo.leads()):
            application = domain.create_application(edition, organisation, by=agent)
            changes = self.demo.content(index, organisation, edition, rng)
            if first_submitted - self.demo.INCOMPLETE <= index < first_submitted:
                # A few drafts are still being written.
                changes.update(description="", criterion_answers={})
            application = domain.save_draft(
                application, changes, expected_version=application.version, by=agent
            )
            if index >= first_submitted:
                domain.submit_application(application, by=agent)
                submitted += 1
        return submitted

    def deliberation_stage(self, edition: Edition) -> None:
        summary = self.demo.deliberation_stage(edition, self.organiser())
        if not summary:
            return
        if summary["sessions"]:
            message = _(
                "Délibération ouverte : %(shortlisted)s dossiers auditionnés en "
                "%(sessions)s séances, %(labelled)s labels proposés."
            )
        else:  # the jury deliberates on its scores alone, without auditions
            message = _(
                "Délibération ouverte : %(shortlisted)s dossiers en finale, "
                "%(labelled)s distinctions proposées."
            )
        self.stdout.write(self.style.SUCCESS(message % summary))

    def published_stage(self, edition: Edition) -> None:
        summary = self.demo.published_stage(edition, self.organiser())
        if summary:
            self.stdout.write(
                self.style.SUCCESS(_("Résultats publiés : %(awards)s labels.") % summary)
            )

    def organiser(self) -> User:
        organiser, _created = User.objects.get_or_create(
            email=ORGANISER_EMAIL,
            defaults={"full_name": "Organisation (démonstration)", "is_organiser": True},
        )
        return organiser
