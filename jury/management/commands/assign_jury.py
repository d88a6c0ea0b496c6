"""python manage.py assign_jury <edition> <round> --per-dossier 3

<edition> is "<contest slug>/<year>" (label-territoire-innovant/2027), or the year alone when one
contest only has an edition that year. Prints the outcome as one JSON line; an infeasible
instance stops with its causes and changes nothing.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from contests.models import Edition
from jury.assignment import Infeasible
from jury.domain.assign import assign_round
from jury.models import Round


def find_edition(value: str) -> Edition:
    contest_slug, _, year = value.rpartition("/")
    if not year.isdigit():
        raise CommandError(
            f"Édition « {value} » : attendu « <concours>/<année> », par exemple "
            "« label-territoire-innovant/2027 »."
        )
    editions = Edition.objects.filter(year=int(year)).select_related("contest")
    if contest_slug:
        editions = editions.filter(contest__slug=contest_slug)
    found = list(editions)
    if len(found) == 1:
        return found[0]
    if not found:
        raise CommandError(f"Aucune édition « {value} ».")
    names = ", ".join(f"{e.contest.slug}/{e.year}" for e in found)
    raise CommandError(f"Plusieurs éditions en {year} : précisez le concours ({names}).")


class Command(BaseCommand):
    help = "Affecte les jurés d'un tour aux dossiers, de façon optimale (flot de coût minimal)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "edition", help="<concours>/<année>, ex. label-territoire-innovant/2027"
        )
        parser.add_argument("round", help="identifiant d'adresse du tour, ex. national")
        parser.add_argument("--per-dossier", type=int, default=3, help="jurés par dossier (3)")

    def handle(self, *args, edition: str, round: str, per_dossier: int, **options) -> None:
        if per_dossier < 1:
            raise CommandError("--per-dossier doit valoir au moins 1.")
        found = find_edition(edition)
        try:
            round_ = Round.objects.get(edition=found, slug=round)
        except Round.DoesNotExist:
            slugs = ", ".join(found.rounds.values_list("slug", flat=True)) or "aucun"
            raise CommandError(
                f"Aucun tour « {round} » dans {found.contest.slug}/{found.year} (tours : {slugs})."
            ) from None
        try:
            outcome = assign_round(round_, per_dossier=per_dossier)
        except Infeasible as infeasible:
            raise CommandError(
                "Affectation impossible :\n" + "\n".join(f"- {c}" for c in infeasible.causes)
            ) from None
        self.stdout.write(json.dumps(outcome.__dict__, ensure_ascii=False))
